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
from digests.timeline.chrome import is_chrome_line, without_comments
from digests.timeline.description import clean, has_substance, is_furniture_line, strip_lead
from digests.timeline.expressions import Ago, Calendar, Deictic, Mention, Shift
from digests.timeline.layout import is_fragment, join_wrapped, quoted_spans
from digests.timeline.publication import Lead, publication_event
from digests.timeline.resolution import Context, resolve
from digests.timeline.scanning import find_mentions, may_open_with_mention
from digests.timeline.tense import FUTURE_EN, has_finite_verb, looks_ahead
from digests.timeline.voice import in_first_person

MAX_EVIDENCE = 500

# "Jun. 3": the sentence splitter would end a sentence at "Jun." before a digit.
_ABBREVIATED_MONTH_DOT = re.compile(
    r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.(?=\s+\d)"
)
_LIST_SEPARATOR = re.compile(r"\s*(?:[:：]|\s[-–—]\s)")
_BACKGROUND_BEFORE = re.compile(
    r"(?i)\b(?:since|begun|starting|from|ending|until|till)\s+(?:on\s+)?$"
)
# "began"/"started" make a date background only in a subordinate clause ("an episode that
# began on June 12"); as the main verb they date the event ("Extra ferries started on June 5").
_BACKGROUND_VERB = re.compile(
    r"(?i)\b(?:that|which|who|when|since|after|before|while|once)\s+(?:[^\s,;]+\s+){0,4}?"
    r"(?:began|started)\s+(?:on\s+)?$"
)
# A range names its start as the event's date: "from June 3 to June 5", "6月3日から5日まで".
_RANGE_START_EN = re.compile(r"(?i)\b(?:from|between)\s+$")
_RANGE_JOIN_EN = re.compile(r"(?i)^\s*(?:to|through|thru|until|till|and|[-–—])\s+(?:on\s+)?$")
_RANGE_JOIN_JA = re.compile(r"^\s*(?:から|[-–—~〜～])\s*$")
_BACKGROUND_AFTER_JA = re.compile(r"(?:の[^、。]{0,10})?(?:以来|ぶり|から\d|まで)")
_SUBORDINATE = re.compile(
    r"(?i)\b(?:that|which|who|when|since|ending|closing|after|before|following|ago|while)\b"
)
_COORDINATE = re.compile(r"(?i),?\s+(?:and|but|then)\s+|;")
# A Japanese clause chained by a verb's connective form ("停止し、", "始め、", "受け、");
# "に対し、"/"に関し、" and "ため、" are particles or reasons, not a second clause.
_CHAIN_JA = re.compile(r"(?<![対際関])し、|(?<!た)め、|け、")
# A sentence that opens on a start date ("Starting June 20, …", "From June 3, …") is about it.
_OPENING_START = re.compile(r"(?i)^\W*(?:starting|from)\s+(?:on\s+)?$")
# A date inside a non-restrictive relative clause, ", which … on June 3, cut …".
_RELATIVE_OPEN = re.compile(r"(?i)^\s*(?:which|who|whom)\b")
_RELATIVE_CLOSE = re.compile(r"^\s*,")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# A date that closes the subject: the main verb follows ("… imposed on June 12, were lifted").
_SUBJECT_END_EN = re.compile(
    r"(?i)^\s*,?\s*(?:were|was|are|is|(?:has|have|had)\s+been|will\s+be|would\s+be|got)\b"
)
# The Japanese form: a past verb modifying the topic (…に発動した規制は／が).
_SUBJECT_END_JA = re.compile(r"^(?:に|から)?[^、。]{0,20}?[たっ]た?[^、。\s]{1,12}?[はが]")


@dataclass
class _Memory:
    """Dates the reader has seen so far, for anchoring the next sentence."""

    previous: dt.date | None = None  # last date resolved in the previous sentence
    month: dt.date | None = None  # last calendar date written in the previous sentence
    stated: dt.date | None = None  # last calendar date written anywhere so far
    rough: bool = False  # `previous` was counted in months back ("two months ago")


def extract_events(
    text: str, published: dt.datetime | None, *, title: str = ""
) -> list[ExtractedEvent]:
    """Dated events in an item; the title only lends context (a stated month or year).

    Without a publication date only dates that carry a year, or get one from a date stated
    nearby, are kept: "yesterday" or "on Saturday" mean nothing on their own. A news item
    whose lead names no date also reports its lead's development on its publication day
    (`publication`). Page chrome, comment sections and the writer's own asides are skipped.
    """
    published_day = published.astimezone(dt.UTC).date() if published is not None else None
    memory = _Memory()
    for sentence in split_sentences(_prepare(title)):
        _read(sentence, find_mentions(sentence), published_day, memory)
    memory.previous = None
    events: list[ExtractedEvent] = []
    seen: set[tuple[dt.date, str]] = set()
    lead = Lead()
    for line in without_comments(_prepare(text).splitlines()):
        line = line.strip()
        if not line or is_furniture_line(line) or is_chrome_line(line):
            continue
        for unit in _units(line):
            found = _events(unit, published_day, memory)
            lead.offer(unit.text, dated=bool(found), list_entry=unit.list_entry)
            for event in found:
                if (event.date, event.text) not in seen:
                    seen.add((event.date, event.text))
                    events.append(event)
    if title.strip():  # a headline-only item: its headline is its lead
        lead.offer(_prepare(title).strip(), dated=False, headline=True)
    inferred = publication_event(lead, published_day, events, title=title, text=text)
    if inferred is not None and (inferred.date, inferred.text) not in seen:
        events.insert(0, inferred)
    return events


def _prepare(text: str) -> str:
    return join_wrapped(_ABBREVIATED_MONTH_DOT.sub(r"\1", unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class _Unit:
    """One sentence (or timeline entry) and the parts of it that quote someone else."""

    text: str
    list_entry: bool = False
    quoted: tuple[tuple[int, int], ...] = ()

    def quotes(self, mention: Mention) -> bool:
        return any(start <= mention.start < end for start, end in self.quoted)


def _units(line: str) -> list[_Unit]:
    """A timeline entry is one unit; any other line is split into sentences."""
    mentions = find_mentions(line) if may_open_with_mention(line) else []
    if mentions and _is_list_entry(line, mentions[0]):
        return [_Unit(line, list_entry=True)]
    spans = quoted_spans(line)
    units: list[_Unit] = []
    cursor = 0
    for sentence in split_sentences(line):
        offset = line.find(sentence, cursor)
        if offset < 0:
            units.append(_Unit(sentence))
            continue
        cursor = offset + len(sentence)
        quoted = tuple(
            (max(start, offset) - offset, min(end, cursor) - offset)
            for start, end in spans
            if start < cursor and end > offset
        )
        units.append(_Unit(sentence, quoted=quoted))
    return units


def _is_list_entry(line: str, first: Mention) -> bool:
    before = line[: first.start].strip()
    return before in ("", "-", "*", "•", "・", "●", "■", "▪") and bool(
        _LIST_SEPARATOR.match(line[first.end :])
    )


def _events(unit: _Unit, published: dt.date | None, memory: _Memory) -> list[ExtractedEvent]:
    sentence, is_list_entry = unit.text, unit.list_entry
    # "today" in someone's quoted words is the day they spoke, which the text does not give.
    mentions = [
        mention
        for mention in find_mentions(sentence)
        if not (isinstance(mention.expression, Deictic) and unit.quotes(mention))
    ]
    # Every sentence's dates anchor what follows, whether or not it describes an event.
    resolved = _read(sentence, mentions, published, memory)
    if not resolved:
        return []  # nothing dated: no need to ask whose voice it is
    if not is_list_entry and (is_fragment(sentence) or in_first_person(sentence)):
        return []
    resolved = resolved[:1] if is_list_entry else _about_this_sentence(sentence, resolved)
    if not resolved:
        return []
    first = mentions[0]
    # A leading date that is only background ("6月3日から運休していた…") stays in the text.
    lead = resolved[0][0] is first
    description = clean(strip_lead(sentence, first.start, first.end) if lead else sentence)
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
    "6月12日の指令から2週間ぶり") only anchor other dates, and so does a date inside the
    subject when a later date dates the verb ("controls imposed on June 12 were lifted on
    June 26", "6月12日に発動した規制は、26日に解除された"). A main-clause "started on June 5"
    is the event itself, and a range ("from June 3 to June 5") is dated by its start.
    """
    range_ends = {
        position + 1
        for position in range(len(resolved) - 1)
        if _is_range(sentence, resolved[position][0], resolved[position + 1][0])
    }
    chosen: list[tuple[Mention, dt.date]] = []
    for position, (mention, day) in enumerate(resolved):
        if position in range_ends:
            continue  # the end of a range is not an event of its own
        if position + 1 not in range_ends and _is_background(sentence, mention):
            continue
        if position + 1 < len(resolved) and (
            _ends_subject(sentence[mention.end :]) or _in_relative_clause(sentence, mention)
        ):
            continue
        if chosen:
            between = sentence[chosen[-1][0].end : mention.start]
            if not _own_clause(between):
                continue
        chosen.append((mention, day))
    return chosen


def _is_background(sentence: str, mention: Mention) -> bool:
    before = sentence[max(0, mention.start - 60) : mention.start]
    after = sentence[mention.end : mention.end + 16]
    if _OPENING_START.match(sentence[: mention.start]):
        return False
    return bool(
        _BACKGROUND_BEFORE.search(before[-30:])
        or _BACKGROUND_VERB.search(before)
        or _BACKGROUND_AFTER_JA.match(after)
    )


def _is_range(sentence: str, start: Mention, end: Mention) -> bool:
    """Two dates joined as one span ("from June 3 to June 5", "6月3日から5日まで")."""
    between = sentence[start.end : end.start]
    if _RANGE_JOIN_JA.match(between):
        return True
    before = sentence[max(0, start.start - 12) : start.start]
    return bool(_RANGE_JOIN_EN.match(between) and _RANGE_START_EN.search(before))


def _ends_subject(after: str) -> bool:
    return bool(_SUBJECT_END_EN.match(after) or _SUBJECT_END_JA.match(after))


def _in_relative_clause(sentence: str, mention: Mention) -> bool:
    """Whether a date sits in an aside about the subject ("The firm, which began … on June 3,").

    The aside must follow a bare noun phrase: after a verb ("officials met the mayor, who
    arrived on June 3, and …") it belongs to the object, not the subject.
    """
    before = sentence[: mention.start]
    opening = before.rfind(",")
    if opening < 0 or not _RELATIVE_OPEN.match(before[opening + 1 :]):
        return False
    head = before[:opening]
    head = head[head.rfind(",") + 1 :]
    return bool(_RELATIVE_CLOSE.match(sentence[mention.end :])) and not has_finite_verb(head)


def _own_clause(between: str) -> bool:
    if _CJK.search(between):
        # Japanese clauses chain without a conjunction; only a verb's connective form
        # ("…を停止し、14日に…") is trusted to start a second clause.
        return bool(_CHAIN_JA.search(between))
    if FUTURE_EN.search(between):
        return True  # "said on Monday it will meet on Thursday": the plan is its own event
    if _SUBORDINATE.search(between):
        return False
    return bool(_COORDINATE.search(between))


def _read(
    sentence: str, mentions: list[Mention], published: dt.date | None, memory: _Memory
) -> list[tuple[Mention, dt.date]]:
    """Resolve a sentence's mentions in order, each anchored on the dates read before it."""
    resolved: list[tuple[Mention, dt.date]] = []
    written: dt.date | None = None  # the last calendar date written in this sentence
    rough = memory.rough  # whether the last resolved date was only roughly known
    for index, mention in enumerate(mentions):
        nearby = resolved[-1][1] if resolved else memory.previous
        expression = mention.expression
        if isinstance(expression, Shift) and expression.target is None and rough:
            continue  # "two months later" after "two months ago": an error times two
        following = mentions[index + 1].start if index + 1 < len(mentions) else len(sentence)
        previous_end = mentions[index - 1].end if index else 0
        context = Context(
            published=published,
            nearby=nearby,
            month=written or memory.month,
            stated=memory.stated,
            future=looks_ahead(sentence, mention, previous_end, following),
        )
        day = resolve(mention.expression, context)
        if day is None:
            continue
        resolved.append((mention, day))
        rough = isinstance(expression, Ago) and expression.unit == "month"
        if isinstance(expression, Calendar):
            memory.stated = written = day
    memory.previous = resolved[-1][1] if resolved else None
    memory.rough = rough if resolved else False
    memory.month = written
    return resolved


def _without_mentions(sentence: str, mentions: list[Mention]) -> str:
    pieces: list[str] = []
    cursor = 0
    for mention in mentions:
        pieces.append(sentence[cursor : mention.start])
        cursor = mention.end
    pieces.append(sentence[cursor:])
    return " ".join(pieces)
