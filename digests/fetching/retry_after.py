"""When a server asked us to come back: the `Retry-After` header of a 429 or 503 (pure).

RFC 9110 §10.2.3 allows a number of seconds or an HTTP date. A feed host that rate-limits us
says how long to wait; polling again sooner only earns another refusal, so the poller waits
at least that long (capped by the caller, so a server cannot switch a feed off for a year).
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime


def retry_at(value: str | None, now: dt.datetime) -> dt.datetime | None:
    """The time the header names, if it is readable and later than `now`; else None."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return now + dt.timedelta(seconds=int(text)) if int(text) > 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT; a zone-less one is read as such
        when = when.replace(tzinfo=dt.UTC)
    return when if when > now else None
