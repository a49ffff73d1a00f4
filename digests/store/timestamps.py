"""ISO-8601 text for datetimes in SQLite; always UTC so text order is time order."""

from __future__ import annotations

import datetime as dt


def to_iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime reached the store; the engine uses aware UTC")
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def from_iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
