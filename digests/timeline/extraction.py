"""Dated events from one item's text, in English and Japanese (pure: no I/O, no clock).

The text is NFKC-normalised (full-width digits and colons become ASCII), split into lines and
sentences, and each sentence's date expressions are resolved against the publication date or
a date stated nearby. A line that starts with a date and a colon ("June 26: …", "6月26日：…")
is a timeline entry: one event, described by the rest of the line.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from digests.models import ExtractedEvent
from digests.text import split_sentences
from digests.timeline.description import clean, has_substance, is_furniture_line, strip_lead
from digests.timeline.expressions import Calendar, Mention, WeekdayRef
from digests.timeline.patterns import find_mentions
from digests.timeline.resolution import Context, resolve

MAX_EVIDENCE = 500

# "Jun. 3": the sentence splitter would end a sentence at "Jun." before a digit.
_ABBREVIATED_MONTH_DOT = re.compile(
    r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.(?=\s+\d)"
)
_LIST_SEPARATOR = re.compile(r"\s*(?:[:：]|\s[-–—]\s)")
_FUTURE_EN = re.compile(
    r"(?i)\b(?:will|shall|won't|is\s+expected\s+to|are\s+expected\s+to|is\s+set\s+to|"
    r"are\s+set\s+to|plans?\s+to|planned\s+for|scheduled|is\s+due|are\s+due|going\s+to|would|"
    r"upcoming)\b|['’]ll\b"
)
# Japanese looks ahead with plan words, or a plain (non-past) verb before a reporting verb:
# 回復すると述べた ("said it will recover") against 回復したと述べた.
# That second form only decides weekdays: "14日、拡大すると発表した" dates the announcement.
_FUTURE_JA = re.compile(r"予定|見通し|見込み|方針|計画")
_FUTURE_JA_VERB = re.compile(r"[るすくうつむぶぬぐ]と(?:述べ|発表|説明|明らか|し|い)")
_CLAUSE_START = re.compile(r"[,;]|\bthat\b")
_BACKGROUND_BEFORE = re.compile(
    r"(?i)\b(?:since|began|begun|started|starting|from|ending|until|till)\s+(?:on\s+)?$"
)
_BACKGROUND_AFTER_JA = re.compile(r"(?:の[^、。]{0,10})?(?:以来|ぶり|から\d|まで)")
_SUBORDINATE = re.compile(
    r"(?i)\b(?:that|which|who|when|since|began|begun|started|ending|closing|after|before|"
    r"following|ago|while)\b"
)
_COORDINATE = re.compile(r"(?i),?\s+(?:and|but|then)\s+|;")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# Where a following clause starts to speak for itself ("said Friday that it will …").
_CLAUSE_BREAK = re.compile(
    r"(?i)\bthat\b|;|—|\b(?:said|says|told|announced|wrote|added|according)\b|、|。"
)


@dataclass
class _Memory:
    """Dates the reader has seen so far, for anchoring the next sentence."""

    previous: dt.date | None = None  # last date resolved in the previous sentence
    month: dt.date | None = None  # last calendar date written in the previous sentence
    stated: dt.date | None = None  # last calendar date written anywhere so far


def extract_events(
    text: str, published: dt.datetime | None, *, title: str = ""
) -> list[ExtractedEvent]:
    """Dated events in an item; the title only lends context (a stated month or year).

    Without a publication date only dates that carry a year, or get one from a date stated
    nearby, are kept: "yesterday" or "on Saturday" mean nothing on their own.
    """
    published_day = published.astimezone(dt.UTC).date() if published is not None else None
    memory = _Memory()
    for sentence in split_sentences(_prepare(title)):
        _read(sentence, find_mentions(sentence), published_day, memory)
    memory.previous = None
    events: list[ExtractedEvent] = []
    seen: set[tuple[dt.date, str]] = set()
    for line in _prepare(text).splitlines():
        line = line.strip()
        if not line or is_furniture_line(line):
            continue
        for unit in _units(line):
            for event in _events(unit, published_day, memory):
                if (event.date, event.text) not in seen:
                    seen.add((event.date, event.text))
                    events.append(event)
    return events


def _prepare(text: str) -> str:
    return _ABBREVIATED_MONTH_DOT.sub(r"\1", unicodedata.normalize("NFKC", text))


def _units(line: str) -> list[tuple[str, bool]]:
    """A timeline entry is one unit; any other line is split into sentences."""
    mentions = find_mentions(line)
    if mentions and _is_list_entry(line, mentions[0]):
        return [(line, True)]
    return [(sentence, False) for sentence in split_sentences(line)]


def _is_list_entry(line: str, first: Mention) -> bool:
    before = line[: first.start].strip()
    return before in ("", "-", "*", "•", "・", "●", "■", "▪") and bool(
        _LIST_SEPARATOR.match(line[first.end :])
    )


def _events(
    unit: tuple[str, bool], published: dt.date | None, memory: _Memory
) -> list[ExtractedEvent]:
    sentence, is_list_entry = unit
    mentions = find_mentions(sentence)
    resolved = _read(sentence, mentions, published, memory)
    resolved = resolved[:1] if is_list_entry else _about_this_sentence(sentence, resolved)
    if not resolved:
        return []
    first = mentions[0]
    description = clean(strip_lead(sentence, first.start, first.end))
    substance = description if is_list_entry else _without_mentions(sentence, mentions)
    if not description or not has_substance(substance):
        return []
    evidence = sentence[:MAX_EVIDENCE]
    events: list[ExtractedEvent] = []
    for mention, day in resolved:
        if any(event.date == day for event in events):
            continue
        events.append(ExtractedEvent(day, description, evidence, mention.relative))
    return events


def _about_this_sentence(
    sentence: str, resolved: list[tuple[Mention, dt.date]]
) -> list[tuple[Mention, dt.date]]:
    """The dates the sentence's own description is about.

    A sentence describes its main clause, so a later date counts only in a clause of its own
    ("… on Friday and got it back on Saturday") or when it looks ahead ("said Tuesday that
    … will be lifted on Friday"); background dates ("an episode that began on June 12",
    "6月12日の指令から2週間ぶり") only anchor other dates.
    """
    chosen: list[tuple[Mention, dt.date]] = []
    for mention, day in resolved:
        if _is_background(sentence, mention):
            continue
        if chosen:
            between = sentence[chosen[-1][0].end : mention.start]
            if not _own_clause(between):
                continue
        chosen.append((mention, day))
    return chosen


def _is_background(sentence: str, mention: Mention) -> bool:
    before = sentence[max(0, mention.start - 30) : mention.start]
    after = sentence[mention.end : mention.end + 16]
    return bool(_BACKGROUND_BEFORE.search(before) or _BACKGROUND_AFTER_JA.match(after))


def _own_clause(between: str) -> bool:
    if _CJK.search(between):
        return False  # Japanese clauses chain without a word we could trust; keep the first
    if _SUBORDINATE.search(between):
        return bool(_FUTURE_EN.search(between))
    return bool(_COORDINATE.search(between))


def _read(
    sentence: str, mentions: list[Mention], published: dt.date | None, memory: _Memory
) -> list[tuple[Mention, dt.date]]:
    """Resolve a sentence's mentions in order, each anchored on the dates read before it."""
    resolved: list[tuple[Mention, dt.date]] = []
    written: dt.date | None = None  # the last calendar date written in this sentence
    for index, mention in enumerate(mentions):
        nearby = resolved[-1][1] if resolved else memory.previous
        following = mentions[index + 1].start if index + 1 < len(mentions) else len(sentence)
        previous_end = mentions[index - 1].end if index else 0
        context = Context(
            published=published,
            nearby=nearby,
            month=written or memory.month,
            stated=memory.stated,
            future=_looks_ahead(sentence, mention, previous_end, following),
        )
        day = resolve(mention.expression, context)
        if day is None:
            continue
        resolved.append((mention, day))
        if isinstance(mention.expression, Calendar):
            memory.stated = written = day
    memory.previous = resolved[-1][1] if resolved else None
    memory.month = written
    return resolved


def _looks_ahead(sentence: str, mention: Mention, previous_end: int, following: int) -> bool:
    """Future wording in the clause around a mention ("will … on Monday", "月曜日に…予定").

    English looks back only to the start of the mention's own clause (the last comma or
    "that"), so "would return …, with classifiers it showed on Monday" stays in the past.
    """
    expression = mention.expression
    if isinstance(expression, WeekdayRef) and expression.relation != "plain":
        return expression.relation == "next"
    before = _CLAUSE_START.split(sentence[previous_end : mention.start])[-1]
    after = sentence[mention.end : following]
    clause_break = _CLAUSE_BREAK.search(after)
    english_after = after[: clause_break.start()] if clause_break else after
    japanese = _FUTURE_JA.search(after) or (
        isinstance(expression, WeekdayRef) and _FUTURE_JA_VERB.search(after)
    )
    return bool(_FUTURE_EN.search(before) or _FUTURE_EN.search(english_after) or japanese)


def _without_mentions(sentence: str, mentions: list[Mention]) -> str:
    pieces: list[str] = []
    cursor = 0
    for mention in mentions:
        pieces.append(sentence[cursor : mention.start])
        cursor = mention.end
    pieces.append(sentence[cursor:])
    return " ".join(pieces)
