"""Whether the words around a date look ahead or back (pure, no I/O).

"On Monday" means last Monday in "officials met on Monday" and next Monday in "officials will
meet on Monday"; the weekday alone cannot tell. English decides by the verb of the mention's
own clause: a future or scheduling word before the date wins, then a past verb before it
("who met the company on Monday, will decide …" is a past Monday), and only when the clause
has no verb before the date does the first tense word after it decide ("On Monday, officials
will meet …"). Japanese looks ahead with plan words, or a plain (non-past) verb before a
reporting verb for weekdays (回復すると述べた, "said it will recover").
"""

from __future__ import annotations

import re

from digests.timeline.expressions import Mention, WeekdayRef

FUTURE_EN = re.compile(
    r"(?i)\b(?:will|shall|won't|(?:is|are|was|were)\s+(?:expected|set|scheduled|slated|due|"
    r"poised|likely)\s+(?:to|for)|(?:expects?|hopes?|aims?|intends?|plans?|planning|vows?|"
    r"promises?|pledges?|wants?)\s+to|planned\s+for|scheduled|slated|is\s+due|are\s+due|"
    r"going\s+to|would|upcoming)\b|['’]ll\b"
)
# Finite past verbs: the regular "-ed" forms and the irregular ones news prose uses most.
# "-eed" is left out ("need", "speed"); participles after "be"/"being" have no tense of their
# own, so a future auxiliary before them ("will be lifted") has already decided.
_PAST_EN = re.compile(
    r"(?i)\b(?:was|were|had|has|have|did|said|told|met|wrote|came|went|began|took|made|gave|"
    r"held|saw|found|got|left|lost|brought|sent|spent|won|ran|rose|fell|led|spoke|struck|sold|"
    r"bought|thought|knew|became|broke|chose|drew|flew|grew|kept|paid|stood|taught|threw|"
    r"understood|wore|shut|[a-z]{2,}(?<![e])ed)\b"
)
_NOT_VERBS = frozenset({"united", "hundred", "red", "bed", "shed", "limited", "detailed"})
_CLAUSE_START = re.compile(r"[,;]|\bthat\b")
# Where a following clause starts to speak for itself ("said Friday that it will …").
_CLAUSE_BREAK = re.compile(
    r"(?i)\bthat\b|;|—|\b(?:said|says|told|announced|wrote|added|according)\b|、|。"
)
_FUTURE_JA = re.compile(r"予定|見通し|見込み|方針|計画")
_FUTURE_JA_VERB = re.compile(r"[るすくうつむぶぬぐ]と(?:述べ|発表|説明|明らか|し|い)")


def looks_ahead(sentence: str, mention: Mention, previous_end: int, following: int) -> bool:
    """Future wording in the clause around a mention ("will … on Monday", "月曜日に…予定").

    English looks back only to the start of the mention's own clause (the last comma or
    "that"), so "would return …, with classifiers it showed on Monday" stays in the past.
    """
    expression = mention.expression
    if isinstance(expression, WeekdayRef) and expression.relation != "plain":
        return expression.relation == "next"
    after = sentence[mention.end : following]
    if _FUTURE_JA.search(after) or (
        isinstance(expression, WeekdayRef) and _FUTURE_JA_VERB.search(after)
    ):
        return True
    before = _CLAUSE_START.split(sentence[previous_end : mention.start])[-1]
    if FUTURE_EN.search(before):
        return True
    if _past(before):
        return False
    clause_break = _CLAUSE_BREAK.search(after)
    english_after = after[: clause_break.start()] if clause_break else after
    future = FUTURE_EN.search(english_after)
    past = _first_past(english_after)
    return future is not None and (past is None or future.start() < past)


def has_finite_verb(text: str) -> bool:
    """Whether English text holds a past or future verb, i.e. is more than a noun phrase."""
    return _past(text) or FUTURE_EN.search(text) is not None


def _past(text: str) -> bool:
    return _first_past(text) is not None


def _first_past(text: str) -> int | None:
    for found in _PAST_EN.finditer(text):
        if found.group().casefold() not in _NOT_VERBS:
            return found.start()
    return None
