"""Spans of days that lead the band-key index (schema v19), in Python and in SQL (pure).

A new item writes ~40 rows into the band-key index and looks up as many keys. Keyed by band
key alone, those rows landed on pages spread over the whole index, which outgrew the page
cache as the store grew, so each item read and wrote more uncached pages the older the store.
Led by the span of days its item is dated in, the index keeps each span's rows together: an
item writes into the last span and reads the spans its candidate window covers, a part of the
index that stays in the cache however many spans lie before it.
"""

from __future__ import annotations

SPAN_DAYS = 32
_SHIFT = 1_000_000  # days; keeps every plausible date's span arithmetic non-negative


def band_span(day: int) -> int:
    """The span a `timestamps.day_number` falls in; `BAND_SPAN_SQL` is the same in SQL."""
    return (day + _SHIFT) // SPAN_DAYS


# `band_span` of an integer expression (`{}`), in SQL: both operands are non-negative, so
# SQLite's integer division is Python's floor division.
BAND_SPAN_SQL = f"(({{}}) + {_SHIFT}) / {SPAN_DAYS}"
