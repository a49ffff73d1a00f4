"""The plain records that flow through the engine: feed → item → match → events/quotes.

Every stage takes and returns these frozen dataclasses, so the pure core never sees a library's
loose types (feedparser dicts, sqlite rows, discord objects). Datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ParsedEntry:
    """One feed entry as the feed adapter understood it, before it gets a stable identity."""

    guid: str | None
    url: str | None
    title: str
    text: str
    published: dt.datetime | None
    language: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document turned into our types; `problem` says why it was not usable, if so."""

    title: str | None
    entries: tuple[ParsedEntry, ...]
    language: str | None = None
    problem: str | None = None
    skipped: int = 0  # entries with no title, text or link: nothing to store


@dataclass(frozen=True)
class Item:
    """A stored piece of coverage with a stable identity (see `digests.identity`)."""

    id: str
    feed_url: str
    guid: str | None
    url: str | None
    title: str
    text: str
    language: str | None
    published: dt.datetime | None
    fetched: dt.datetime
    content_hash: str
    # The linked article's text when the feed carried only a teaser (`digests.fulltext`).
    page_text: str = ""

    @property
    def body(self) -> str:
        """What the engine reads: the feed's summary, then the article page's text."""
        return f"{self.text}\n\n{self.page_text}" if self.page_text else self.text


@dataclass(frozen=True)
class MatchDecision:
    """Whether an item belongs to a storyline, and the evidence that decided it."""

    storyline_id: str
    match: bool
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceRef:
    """Where a fact came from, as shown to users."""

    item_id: str
    title: str
    url: str | None
    feed: str | None = None


@dataclass(frozen=True)
class ExtractedEvent:
    """A dated event found in one item's text; `inferred` when the text names no date and
    the item's publication day stands in (see `digests.timeline.publication`)."""

    date: dt.date
    text: str
    evidence: str = ""
    relative: bool = False
    inferred: bool = False


@dataclass(frozen=True)
class ExtractedQuote:
    """A direct quote found in one item's text; `speaker` is None when attribution is unsure."""

    quote: str
    speaker: str | None
    style: str = ""


@dataclass(frozen=True)
class TimelineEvent:
    """An event merged across items, with every source that reported it; `inferred` when no
    source states its date and it is the day the first of them was published."""

    date: dt.date
    text: str
    sources: tuple[SourceRef, ...]
    other_dates: tuple[dt.date, ...] = ()
    inferred: bool = False
