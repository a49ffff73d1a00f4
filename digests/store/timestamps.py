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


_EPOCH = dt.date(1970, 1, 1)


def day_number(moment: dt.datetime) -> int:
    """The UTC calendar day of `moment` as days since 1970-01-01: what `item_bands.day` holds
    (migration v19 computes the same in SQL from the stored text, `DAY_NUMBER_SQL`)."""
    return (moment.astimezone(dt.UTC).date() - _EPOCH).days


# `day_number` of an ISO text column or expression, in SQL (`{}`: the expression).
DAY_NUMBER_SQL = "CAST(julianday(date({})) - 2440587.5 AS INTEGER)"
