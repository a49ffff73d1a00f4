"""Letters that regular expressions match case-insensitively to an ASCII letter, but that
`str.casefold` leaves alone (Turkish ı and İ, the long s, the Kelvin sign), turn up in real
feeds through Turkish keyboards, OCR and old typography. A word the date patterns matched
must still find its vocabulary entry: before, "last nıght" stopped the item's extraction with
a KeyError."""

from __future__ import annotations

import datetime as dt

import pytest

from digests.quotes import extract_quotes
from digests.timeline.extraction import extract_events
from digests.timeline.scanning import find_mentions

PUBLISHED = dt.datetime(2026, 5, 20, 9, 0, tzinfo=dt.UTC)
TEXT = (
    "Last night the ministry said the ban signed on Tuesday, April 14, would be lifted this "
    "coming Monday. “This is the first step of many,” said Minister Aiko Tanaka. Three weeks "
    "ago, on the fifth of May, the inspections started."
)
TWINS = [("i", "\u0131"), ("I", "\u0130"), ("s", "\u017f"), ("k", "\u212a"), ("K", "\u212a")]


@pytest.mark.parametrize(("plain", "twin"), TWINS)
def test_dates_written_with_lookalike_letters_read_as_the_plain_ones(plain: str,
                                                                     twin: str) -> None:
    expected = [mention.expression for mention in find_mentions(TEXT)]
    assert len(expected) >= 4
    assert [mention.expression for mention in find_mentions(TEXT.replace(plain, twin))] == (
        expected)


@pytest.mark.parametrize(("plain", "twin"), TWINS)
def test_extraction_keeps_going_over_lookalike_letters(plain: str, twin: str) -> None:
    text = TEXT.replace(plain, twin)
    assert [event.date for event in extract_events(text, PUBLISHED)] == [
        event.date for event in extract_events(TEXT, PUBLISHED)]
    assert [quote.quote for quote in extract_quotes(text)] == [
        q.quote.replace(plain, twin) for q in extract_quotes(TEXT)]


def test_last_night_with_a_dotless_i_is_the_day_before() -> None:
    [mention] = find_mentions("The order was signed last n\u0131ght.")
    assert mention.expression == find_mentions("The order was signed last night.")[0].expression
