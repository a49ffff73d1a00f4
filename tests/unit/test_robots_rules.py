"""robots.txt rules as RFC 9309 states them, matched for our user agent's product token."""

from __future__ import annotations

import datetime as dt

import pytest

from digests.config.settings import DEFAULT_USER_AGENT
from digests.fulltext.robots import FRESH_FOR, RobotsRules, fresh, origin, robots_url

RULES = """User-agent: *
Disallow: /private/

User-agent: Storyline
Disallow: /news/members/
"""


@pytest.mark.parametrize(
    ("agent", "url", "allowed"),
    [
        (DEFAULT_USER_AGENT, "https://a.example/news/1", True),
        (DEFAULT_USER_AGENT, "https://a.example/news/members/2", False),
        ("OtherBot/1.0", "https://a.example/private/3", False),
        ("OtherBot/1.0", "https://a.example/news/members/2", True),
    ],
)
def test_rules_apply_by_product_token(agent: str, url: str, allowed: bool) -> None:
    assert RobotsRules.for_status(200, RULES).allows(agent, url) is allowed


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (503, False),
                                                 (None, False)])
def test_missing_file_allows_and_unreachable_server_disallows(
    status: int | None, allowed: bool
) -> None:
    rules = RobotsRules.for_status(status, None)
    assert rules.allows(DEFAULT_USER_AGENT, "https://a.example/news/1") is allowed


def test_robots_url_and_origin_keep_scheme_host_and_port() -> None:
    assert robots_url("https://A.example:8443/x/y?z=1") == "https://A.example:8443/robots.txt"
    assert origin("https://A.example:8443/x/y") == "https://a.example:8443"


def test_a_kept_file_is_fresh_for_a_day_and_a_clock_gone_back_makes_it_stale() -> None:
    fetched = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
    assert dt.timedelta(hours=24) == FRESH_FOR
    assert fresh(fetched, fetched)
    assert fresh(fetched, fetched + dt.timedelta(hours=23, minutes=59))
    assert not fresh(fetched, fetched + dt.timedelta(hours=24))
    assert not fresh(fetched, fetched - dt.timedelta(minutes=1))
