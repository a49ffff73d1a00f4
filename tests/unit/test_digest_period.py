"""Which period a scheduled digest covers: the same `period_end` however late or often it runs."""

from __future__ import annotations

import datetime as dt

import pytest

from digests.delivery.digest_job import due_period_end

UTC = dt.UTC


@pytest.mark.parametrize(
    ("time", "tz", "now", "expected"),
    [
        ("09:00", "UTC", dt.datetime(2026, 6, 26, 9, 0, tzinfo=UTC),
         dt.datetime(2026, 6, 26, 9, 0, tzinfo=UTC)),
        ("09:00", "UTC", dt.datetime(2026, 6, 26, 9, 0, 41, tzinfo=UTC),  # fired late
         dt.datetime(2026, 6, 26, 9, 0, tzinfo=UTC)),
        ("09:00", "UTC", dt.datetime(2026, 6, 26, 13, 0, tzinfo=UTC),  # misfire grace run
         dt.datetime(2026, 6, 26, 9, 0, tzinfo=UTC)),
        ("09:00", "UTC", dt.datetime(2026, 6, 26, 8, 59, tzinfo=UTC),  # before today's time
         dt.datetime(2026, 6, 25, 9, 0, tzinfo=UTC)),
        ("09:00", "Asia/Tokyo", dt.datetime(2026, 6, 26, 0, 0, 5, tzinfo=UTC),
         dt.datetime(2026, 6, 26, 0, 0, tzinfo=UTC)),
        ("09:00", "Europe/Paris", dt.datetime(2026, 6, 26, 7, 1, tzinfo=UTC),
         dt.datetime(2026, 6, 26, 7, 0, tzinfo=UTC)),
        ("09:00", "Europe/Paris", dt.datetime(2026, 1, 26, 8, 1, tzinfo=UTC),
         dt.datetime(2026, 1, 26, 8, 0, tzinfo=UTC)),
        ("23:30", "America/New_York", dt.datetime(2026, 6, 27, 3, 31, tzinfo=UTC),
         dt.datetime(2026, 6, 27, 3, 30, tzinfo=UTC)),
    ],
)
def test_due_period_end(time: str, tz: str, now: dt.datetime, expected: dt.datetime) -> None:
    assert due_period_end(time, tz, now) == expected
