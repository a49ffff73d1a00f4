"""Read-side records the CLI, the digest builder and the bot show to people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digests.models.coverage import SourceRef, TimelineEvent


@dataclass(frozen=True)
class QuoteHit:
    """A stored quote found by a lookup, with where and when it appeared."""

    speaker: str | None
    quote: str
    date: dt.date | None
    source: SourceRef
    score: float = 1.0
    # Other speakers that other sources give for the same words ("who said" flags the
    # conflict rather than pick a side silently).
    conflicting: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryView:
    """A story of a storyline: its lead title and every source carrying it."""

    id: str
    title: str
    sources: tuple[SourceRef, ...]
    published: dt.datetime | None
    first_seen: dt.datetime
    updated: dt.datetime


@dataclass(frozen=True)
class StorylineStats:
    storyline_id: str
    items: int
    stories: int
    events: int
    quotes: int
    last_update: dt.datetime | None


@dataclass(frozen=True)
class DigestInputs:
    """Everything that became known about a storyline inside a period."""

    stories: tuple[StoryView, ...]
    events: tuple[TimelineEvent, ...]
    quotes: tuple[QuoteHit, ...]
