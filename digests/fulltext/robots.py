"""robots.txt rules (RFC 9309) for the pages we fetch, parsed from text we fetched ourselves.

`urllib.robotparser` does the matching; it is fed text fetched through our own `Fetcher`
(never its own `urlopen`, which would bypass the private-address guard and the limits).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

# RFC 9309 §2.4: a crawler should not use a cached robots.txt for more than 24 hours, unless
# the file cannot be fetched. Within the day no request is made; after it, a conditional one.
FRESH_FOR = dt.timedelta(hours=24)


def fresh(fetched_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a robots.txt fetched at `fetched_at` may still be used without asking again
    (a clock that went backwards counts as stale, so the file is checked)."""
    return dt.timedelta(0) <= now - fetched_at < FRESH_FOR


class RobotsRules:
    """The rules of one host; `allow_all`/`deny_all` stand for an absent or unreachable file."""

    def __init__(self, text: str | None, *, deny_all: bool = False) -> None:
        self._parser = RobotFileParser()
        self._deny_all = deny_all
        self._parser.parse((text or "").splitlines())

    @classmethod
    def for_status(cls, status: int | None, text: str | None) -> RobotsRules:
        """RFC 9309 §2.3.1: a 4xx means no rules; a server error or no answer means
        assume everything is disallowed for now."""
        if status is not None and 200 <= status < 300:
            return cls(text)
        if status is not None and 400 <= status < 500:
            return cls(None)
        return cls(None, deny_all=True)

    @property
    def refusal(self) -> str:
        """Why a page was not requested, for `storyline explain`."""
        if self._deny_all:
            return ("robots.txt could not be read (server error or no answer); RFC 9309 says "
                    "to assume everything is disallowed until it can")
        return "robots.txt disallows this page"

    def allows(self, user_agent: str, url: str) -> bool:
        if self._deny_all:
            return False
        return self._parser.can_fetch(_product_token(user_agent), url)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _product_token(user_agent: str) -> str:
    """`Storyline/0.1 (+url)` is matched against `User-agent: storyline` lines by its token."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"
