"""Reading a server's Retry-After (RFC 9110 §10.2.3): seconds or an HTTP date."""

from __future__ import annotations

import datetime as dt

import pytest

from digests.fetching.retry_after import retry_at

NOW = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", NOW + dt.timedelta(minutes=2)),
        (" 3600 ", NOW + dt.timedelta(hours=1)),
        ("Wed, 01 Jul 2026 14:30:00 GMT", dt.datetime(2026, 7, 1, 14, 30, tzinfo=dt.UTC)),
        ("Wed, 01 Jul 2026 16:30:00 +0200", dt.datetime(2026, 7, 1, 14, 30, tzinfo=dt.UTC)),
    ],
)
def test_seconds_and_dates_become_a_time(header: str, expected: dt.datetime) -> None:
    assert retry_at(header, NOW) == expected


@pytest.mark.parametrize(
    "header", [None, "", "0", "-5", "soon", "12.5", "Tue, 30 Jun 2026 12:00:00 GMT"]
)
def test_unreadable_or_past_values_ask_for_nothing(header: str | None) -> None:
    assert retry_at(header, NOW) is None
