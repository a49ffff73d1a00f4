"""Building a digest: what became known in a period, most important first (pure, no I/O).

Feed order says nothing about importance: a wire story syndicated to eight outlets, naming the
storyline's core people and carrying a dated event, matters more than a one-source aside that
happened to arrive last. Each story, event and quote gets an explicit, explainable score:

- **sources**: independent copies of a story (or reports of an event) — the strongest signal,
  counted with diminishing returns (`log2(1 + n)`), so ten copies do not bury everything;
- **attachments**: events and quotes extracted from the story's items — it has substance;
- **entities**: core entities of the storyline named in the title/text count double;
- **novelty**: a story first seen before the period (only new copies arrived) is "updated",
  worth a little less than a new one;
- **recency**: ties go to the newest.

Lists are capped (`DigestLimits`) and the rest counted, so a busy day stays readable. The
events kept are then listed in date order: a timeline read out of order tells a different
story. Quotes are grouped by speaker, people first (`quote_section.py`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from digests.digest.quote_section import DigestQuote, quote_section
from digests.models import DigestInputs, SourceRef, StorylineDefinition, StoryView, TimelineEvent
from digests.text import normalize

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# What renderers print beside a date that is the report's publication day, not a stated one.
INFERRED_NOTE = "(publication date)"


@dataclass(frozen=True)
class DigestLimits:
    """How much one digest shows; what is left out is counted, not lost silently."""

    stories: int = 15
    events: int = 10
    quotes: int = 5


@dataclass(frozen=True)
class DigestStory:
    """A story, syndicated copies collapsed into one line with a source count."""

    title: str
    url: str | None
    sources: tuple[SourceRef, ...]
    updated: bool
    published: dt.datetime
    score: float

    @property
    def source_count(self) -> int:
        return len(self.sources)


@dataclass(frozen=True)
class DigestEvent:
    """A timeline entry; `inferred` when its date is the day it was reported, not a date the
    coverage states (renderers say so)."""

    date: dt.date
    text: str
    sources: tuple[SourceRef, ...]
    score: float
    inferred: bool = False


@dataclass(frozen=True)
class Digest:
    """One storyline's news for `[period_start, period_end)`: stories and quotes ordered by
    importance, the timeline's most important events in date order."""

    storyline_id: str
    storyline_name: str
    period_start: dt.datetime
    period_end: dt.datetime
    stories: tuple[DigestStory, ...] = ()
    events: tuple[DigestEvent, ...] = ()
    quotes: tuple[DigestQuote, ...] = ()
    more_stories: int = 0
    more_events: int = 0
    more_quotes: int = 0

    @property
    def is_quiet(self) -> bool:
        """Nothing new at all: the renderer posts a short note or nothing."""
        return not (self.stories or self.events or self.quotes)


@dataclass(frozen=True)
class _NamePattern:
    pattern: re.Pattern[str]
    weight: float


def _name_patterns(storyline: StorylineDefinition) -> list[_NamePattern]:
    """One pattern per entity over all its spellings; word-bounded for Latin script."""
    patterns: list[_NamePattern] = []
    for entity in storyline.entities:
        spellings = sorted({normalize(n) for n in entity.names if n.strip()}, key=len,
                           reverse=True)
        if not spellings:
            continue
        parts = [
            rf"(?<!\w){re.escape(s)}(?!\w)" if s.isascii() else re.escape(s) for s in spellings
        ]
        weight = 2.0 if entity.core else 1.0
        patterns.append(_NamePattern(re.compile("|".join(parts)), weight))
    return patterns


def _entity_score(text: str, patterns: list[_NamePattern]) -> float:
    folded = normalize(text)
    return sum(p.weight for p in patterns if p.pattern.search(folded))


def _moment(view: StoryView) -> dt.datetime:
    return view.published or view.first_seen


def _story_score(
    view: StoryView,
    period_start: dt.datetime,
    events_per_item: dict[str, int],
    quotes_per_item: dict[str, int],
    patterns: list[_NamePattern],
) -> float:
    items = {s.item_id for s in view.sources}
    events = sum(events_per_item.get(i, 0) for i in items)
    quotes = sum(quotes_per_item.get(i, 0) for i in items)
    score = 3.0 * math.log2(1 + len(view.sources))
    score += min(events, 3) * 1.0 + min(quotes, 3) * 0.5
    score += min(_entity_score(view.title, patterns), 4.0)
    if view.first_seen < period_start:
        score -= 1.0
    return round(score, 3)


def _count_by_item(refs: Iterable[SourceRef]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ref in refs:
        counts[ref.item_id] = counts.get(ref.item_id, 0) + 1
    return counts


def _event_score(event: TimelineEvent, patterns: list[_NamePattern]) -> float:
    score = 3.0 * math.log2(1 + len(event.sources))
    score += min(_entity_score(event.text, patterns), 4.0)
    return round(score, 3)


def build_digest(
    storyline: StorylineDefinition,
    inputs: DigestInputs,
    period_start: dt.datetime,
    period_end: dt.datetime,
    limits: DigestLimits = DigestLimits(),
) -> Digest:
    """Order what is new by importance and cap each list; see the module docstring."""
    patterns = _name_patterns(storyline)
    events_per_item = _count_by_item(s for e in inputs.events for s in e.sources)
    quotes_per_item = _count_by_item(q.source for q in inputs.quotes)

    stories = sorted(
        (
            DigestStory(
                title=v.title,
                url=next((s.url for s in v.sources if s.url), None),
                sources=v.sources,
                updated=v.first_seen < period_start,
                published=_moment(v),
                score=_story_score(v, period_start, events_per_item, quotes_per_item,
                                   patterns),
            )
            for v in inputs.stories
        ),
        key=lambda s: (-s.score, -(s.published - _EPOCH).total_seconds(), s.title),
    )

    # Sources per item, to credit quotes from widely carried stories.
    sources_per_item = {s.item_id: len(v.sources) for v in inputs.stories for s in v.sources}
    ranked = sorted(
        (
            DigestEvent(date=e.date, text=e.text, sources=e.sources,
                        score=_event_score(e, patterns), inferred=e.inferred)
            for e in inputs.events
        ),
        key=lambda e: (-e.score, -e.date.toordinal(), e.text),
    )
    # Importance decides which events make the cut; a timeline is then read in date order.
    events = sorted(ranked[: limits.events], key=lambda e: (e.date, -e.score, e.text))
    quotes, more_quotes = quote_section(storyline, inputs.quotes, sources_per_item,
                                        limits.quotes)
    return Digest(
        storyline_id=storyline.id,
        storyline_name=storyline.name,
        period_start=period_start,
        period_end=period_end,
        stories=tuple(stories[: limits.stories]),
        events=tuple(events),
        quotes=quotes,
        more_stories=max(0, len(stories) - limits.stories),
        more_events=max(0, len(ranked) - limits.events),
        more_quotes=more_quotes,
    )
