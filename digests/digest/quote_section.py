"""The digest's quote section: who said what today, people first (pure, no I/O).

A reader skims the section for voices, so it is organised by speaker: each speaker once, with
their role when the storyline names it, and their quotes under the name. Named people come
before organisations (a minister's words say more than a ministry's statement), the
storyline's core people first of all. Scare-quoted fragments ("a “serious gap”") say nothing
without their sentence and are left out; unattributed quotes are never shown.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from digests.models import QuoteHit, SourceRef, StorylineDefinition
from digests.quotes.names import looks_like_person
from digests.text import japanese_script, normalize

# Shorter quotations are fragments of someone's sentence, not something worth reading alone.
MIN_WORDS = 6
MIN_CJK_CHARS = 12
# One talkative speaker must not fill the section.
PER_SPEAKER = 3


@dataclass(frozen=True)
class DigestQuote:
    speaker: str
    quote: str
    source: SourceRef
    date: dt.date | None
    score: float
    role: str | None = None


@dataclass(frozen=True)
class _Speaker:
    weight: float
    person: bool
    role: str | None


def is_readable(quote: str) -> bool:
    """A sentence or more: six words, or twelve characters of Japanese."""
    cjk = len(japanese_script().findall(quote))
    if cjk:
        return cjk >= MIN_CJK_CHARS
    return len(quote.split()) >= MIN_WORDS


def _speakers(storyline: StorylineDefinition) -> dict[str, _Speaker]:
    known: dict[str, _Speaker] = {}
    for entity in storyline.entities:
        weight = 3.0 if entity.core else (2.0 if entity.kind == "person" else 1.0)
        about = _Speaker(weight, entity.kind == "person", entity.role)
        for name in entity.names:
            known[normalize(name)] = about
    return known


def _about(speaker: str, known: dict[str, _Speaker]) -> _Speaker:
    """What the storyline says of a speaker; otherwise a person when the name is shaped like
    one (two to four capitalised words, or katakana with a middle dot)."""
    found = known.get(normalize(speaker))
    if found is not None:
        return found
    person = looks_like_person(speaker.split()) or "・" in speaker
    return _Speaker(0.0, person, None)


def _score(hit: QuoteHit, about: _Speaker, sources_per_item: dict[str, int]) -> float:
    """Core people first, then people, then organisations; then quotes of a readable length
    from well-carried stories."""
    score = about.weight + (1.5 if about.person else 0.0)
    if 40 <= len(hit.quote) <= 300:
        score += 1.0
    score += math.log2(1 + sources_per_item.get(hit.source.item_id, 1))
    return round(score, 3)


def quote_section(
    storyline: StorylineDefinition,
    hits: Sequence[QuoteHit],
    sources_per_item: dict[str, int],
    limit: int,
) -> tuple[tuple[DigestQuote, ...], int]:
    """Quotes grouped by speaker (best speaker first, their best quotes first), at most
    `limit` in all, and how many readable attributed quotes were left out."""
    known = _speakers(storyline)
    by_speaker: dict[str, list[DigestQuote]] = {}
    for hit in hits:
        if not hit.speaker or not is_readable(hit.quote):
            continue
        about = _about(hit.speaker, known)
        by_speaker.setdefault(hit.speaker, []).append(DigestQuote(
            speaker=hit.speaker, quote=hit.quote, source=hit.source, date=hit.date,
            score=_score(hit, about, sources_per_item), role=about.role,
        ))
    for quotes in by_speaker.values():
        quotes.sort(key=lambda q: (-q.score, -(q.date.toordinal() if q.date else 0), q.quote))
    order = sorted(by_speaker.values(), key=lambda qs: (
        -qs[0].score, -(qs[0].date.toordinal() if qs[0].date else 0), qs[0].speaker))
    shown: list[DigestQuote] = []
    for quotes in order:
        room = limit - len(shown)
        if room <= 0:
            break
        shown.extend(quotes[: min(PER_SPEAKER, room)])
    total = sum(len(qs) for qs in by_speaker.values())
    return tuple(shown), total - len(shown)


def by_speaker(quotes: Sequence[DigestQuote]) -> list[list[DigestQuote]]:
    """Consecutive quotes of one speaker together (the digest lists them grouped)."""
    groups: list[list[DigestQuote]] = []
    for quote in quotes:
        if groups and groups[-1][0].speaker == quote.speaker:
            groups[-1].append(quote)
        else:
            groups.append([quote])
    return groups
