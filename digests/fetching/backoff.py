"""How long to leave a feed or a site alone after failures: capped exponential backoff (pure).

Shared by feeds (`polling`) and by the sites article pages are fetched from
(`fulltext.pages`), so a dead feed and a dead news site both cost little, and both recover
at the next try once they answer again.
"""

from __future__ import annotations

import datetime as dt


def next_poll_after_failure(
    now: dt.datetime, errors: int, interval_minutes: float, max_backoff_minutes: float
) -> dt.datetime:
    """Double the wait per consecutive failure, capped, so dead feeds cost little. The
    exponent is capped too: a feed dead for a thousand polls must not overflow a float."""
    doublings = min(max(errors - 1, 0), 60)
    minutes = min(interval_minutes * (2**doublings), max_backoff_minutes)
    return now + dt.timedelta(minutes=max(minutes, interval_minutes))


def site_retry_at(
    now: dt.datetime, failures: int, tolerated: int, interval_minutes: float,
    max_backoff_minutes: float,
) -> dt.datetime | None:
    """None while a site has failed fewer than `tolerated` times in a row (one slow page is
    not a dead site); then the next poll, and twice as long for each failure after that."""
    if failures < tolerated:
        return None
    return next_poll_after_failure(
        now, failures - tolerated + 1, interval_minutes, max_backoff_minutes
    )
