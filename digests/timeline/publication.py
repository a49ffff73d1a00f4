"""The development an item reports, dated by its publication when its lead names no date (pure).

News is written about the day it is published: "Rebels retake Port Brega after heavy
airstrikes" says what happened without saying when, because the reader knows it is today's
news. Such an item would yield no dated event at all, and a storyline's timeline would miss
most of its days. So the first sentence of news in the body (the lead) describes one event
dated by the publication day, marked `inferred` so readers are told the date is the
report's, not the text's.

Only news gets one: a labelled or first-person opinion piece, an analysis asking a question,
a lead spoken in the writer's own voice or asking a question dates no development. A lead
that names a date ("on Friday", "6月26日") already gave its event that date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from digests.models import ExtractedEvent
from digests.timeline.description import clean, has_substance
from digests.timeline.expressions import Deictic
from digests.timeline.layout import is_fragment
from digests.timeline.scanning import find_mentions
from digests.timeline.voice import in_first_person, reports_news

MAX_EVIDENCE = 500
# A wire dateline before the lead names a place or an agency, not news: "TRIPOLI (Reuters) - ",
# "WASHINGTON — ", "(AP) — ", "【ワシントン=共同】".
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][\w .]{1,30})?\s*(?:\([^)]{1,30}\))?"
    r"|\([A-Z][\w .]{1,30}\))\s*[-–—]+\s+"
    r"|^【[^】]{1,20}[=＝][^】]{1,12}】\s*"
)
# A time counted back, even roughly ("almost two months ago", "約2カ月前"), dates the lead's
# development before publication; our patterns leave vague amounts unplaced on purpose.
_COUNTED_BACK = re.compile(
    r"(?i)\b(?:days?|weeks?|months?|years?|decades?)\s+ago\b|"
    r"(?:\d+|[一二三四五六七八九十数]+)\s*(?:日|週間|カ月|ヶ月|か月|年)(?:ほど|余り)?前"
)
_QUESTION = re.compile(r"[?？][\"'”’」』)]*\s*$")
# A sentence ends with its punctuation; a short line without it is a heading, not the lead.
_FINISHED = re.compile(r"[.!。！…][\"'”’」』)]*\s*$")
HEADING_WORDS = 12
HEADING_CJK = 40
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass
class Lead:
    """The first sentence of news in an item's body, as extraction reads it."""

    sentence: str | None = None
    dated: bool = False  # it names a date (its own events carry it)

    def offer(
        self, sentence: str, *, dated: bool, list_entry: bool = False, headline: bool = False
    ) -> None:
        """Called for each sentence in order (`dated` when it yielded events); the first one
        that can lead is kept. A headline is offered last, for items whose body has no
        sentence of its own."""
        if self.sentence is not None:
            return
        if list_entry:  # a timeline page: its entries carry their own dates
            self.sentence, self.dated = sentence, True
        elif (
            not is_fragment(sentence)
            and (headline or not _is_heading(sentence))
            and has_substance(sentence)
        ):
            self.sentence = sentence
            self.dated = dated or _names_a_date(sentence)


def _names_a_date(sentence: str) -> bool:
    """Any date the lead names, even one we cannot place ("three days after the launch",
    "almost two months ago"), says its development is not the publication day's; a quoted
    "today" is the speaker's day, which the text does not give, so "today" does not count."""
    if _COUNTED_BACK.search(sentence):
        return True
    return any(
        not isinstance(mention.expression, Deictic) for mention in find_mentions(sentence)
    )


def _is_heading(sentence: str) -> bool:
    if _FINISHED.search(sentence):
        return False
    cjk = len(_CJK.findall(sentence))
    return cjk <= HEADING_CJK if cjk else len(sentence.split()) <= HEADING_WORDS


def publication_event(
    lead: Lead,
    published: dt.date | None,
    stated: Sequence[ExtractedEvent],
    *,
    title: str,
    text: str,
) -> ExtractedEvent | None:
    """The lead's development dated by publication, when the item is news and nothing else
    dates it; None otherwise.

    An item that states an event on its own publication day ("on Monday", published Monday)
    has told that day's development with its date; the lead is the same news in brief.
    """
    sentence = lead.sentence
    if sentence is None or lead.dated or published is None:
        return None
    if any(event.date == published for event in stated):
        return None
    if _QUESTION.search(sentence) or in_first_person(sentence):
        return None
    if not reports_news(title, text):
        return None
    description = clean(_DATELINE.sub("", sentence))
    if not description:
        return None
    return ExtractedEvent(
        published, description, sentence[:MAX_EVIDENCE], relative=True, inferred=True
    )
