"""Date expressions in a sentence: which patterns to run, and the mentions they find (pure).

Most sentences of an article name no date, so each pattern runs only on sentences holding one
of its gate words (`patterns`), and a line is scanned whole for a timeline entry only when a
date could open it. Both shortcuts are exact: they skip only scans that cannot match.
"""

from __future__ import annotations

import re

from digests.text import holds_japanese_script
from digests.timeline.expressions import Ago, Calendar, Mention, Shift
from digests.timeline.patterns import (
    ENGLISH_PATTERNS,
    IGNORECASE_TWINS,
    JAPANESE_PATTERNS,
    Builder,
    Gate,
)

_DIGIT = re.compile(r"\d")
# Characters `(?i)` matches to an ASCII letter that `str.lower()` does not turn into it
# (İ, ı, ſ and the Kelvin sign; see `re._casefix`). A sentence holding one is scanned as its
# ASCII twin (one character for one, so offsets hold): "Aprıl 14" and "last nıght" are dates
# whether or not the pattern is case-insensitive, and every gate word can be looked for.
_CASE_ODDITIES = ("\u0130", "\u0131", "\u017f", "\u212a")


def _as_scanned(text: str) -> str:
    return text.translate(IGNORECASE_TWINS) if any(odd in text for odd in _CASE_ODDITIES) else text


# Every gate word of the English and of the Japanese patterns: a sentence is searched for
# each once (in C), and a pattern runs when its gate shares a word with those found.
_ENGLISH_WORDS = tuple(sorted({w for _, _, gate in ENGLISH_PATTERNS for w in gate.words}))
_JAPANESE_WORDS = tuple(sorted({w for _, _, gate in JAPANESE_PATTERNS for w in gate.words}))


def _passes(gate: Gate, present: set[str], has_digit: bool) -> bool:
    return (has_digit or not gate.digit) and (not gate.words or not present.isdisjoint(gate.words))


def _worth_running(sentence: str) -> list[tuple[re.Pattern[str], Builder]]:
    """The patterns whose gate words the sentence contains, in their fixed order."""
    has_digit = bool(_DIGIT.search(sentence))
    folded = sentence.lower()
    present = set(filter(folded.__contains__, _ENGLISH_WORDS))
    chosen = [
        (pattern, build)
        for pattern, build, gate in ENGLISH_PATTERNS
        if _passes(gate, present, has_digit)
    ]
    if holds_japanese_script(sentence):
        present = set(filter(sentence.__contains__, _JAPANESE_WORDS))
        chosen += [
            (pattern, build)
            for pattern, build, gate in JAPANESE_PATTERNS
            if _passes(gate, present, has_digit)
        ]
    return chosen


def find_mentions(sentence: str) -> list[Mention]:
    """Every date expression in a sentence, longest first where they overlap, in text order."""
    scanned = _as_scanned(sentence)
    return mentions_by(_worth_running(scanned), scanned)


def every_pattern() -> list[tuple[re.Pattern[str], Builder]]:
    """All patterns, ungated: what `find_mentions` must agree with (the tests compare)."""
    return [(pattern, build) for pattern, build, _ in ENGLISH_PATTERNS + JAPANESE_PATTERNS]


def mentions_by(
    patterns: list[tuple[re.Pattern[str], Builder]], sentence: str
) -> list[Mention]:
    found: list[Mention] = []
    for pattern, build in patterns:
        for match in pattern.finditer(sentence):
            expression = build(match, sentence)
            if expression is not None:
                found.append(Mention(match.start(), match.end(), expression))
    found.sort(key=lambda mention: (mention.start, mention.start - mention.end))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return _attach_targets(kept, sentence)


# What may come before a timeline entry's date: spaces and one bullet.
_ENTRY_LEAD = re.compile(r"[\s\-*•・●■▪]*")


def may_open_with_mention(line: str) -> bool:
    """Whether a date expression could start the line after nothing but spaces and a bullet.

    A necessary condition for `find_mentions(line)[0]` to open the line, found by trying each
    pattern only where the line begins (the match at a position is the one `finditer` would
    find there), so a line that cannot be a timeline entry is not scanned whole.
    """
    line = _as_scanned(line)
    lead = _ENTRY_LEAD.match(line)
    last = lead.end() if lead else 0
    for pattern, build, _ in ENGLISH_PATTERNS + JAPANESE_PATTERNS:
        for position in range(last + 1):
            match = pattern.match(line, position)
            if match is not None and build(match, line) is not None:
                return True
    return False


def _attach_targets(mentions: list[Mention], sentence: str) -> list[Mention]:
    """Join "three days after June 12" and "6月12日の3日後" into one counted mention."""
    joined: list[Mention] = []
    index = 0
    while index < len(mentions):
        mention = mentions[index]
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        expression = mention.expression
        if (
            isinstance(expression, Shift)
            and expression.explicit_only
            and following is not None
            and isinstance(following.expression, Calendar)
            and re.fullmatch(r"\s*(?:on\s+)?", sentence[mention.end : following.start])
        ):
            target = following.expression
            shift = Shift(expression.amount, expression.unit, expression.sign, target)
            joined.append(Mention(mention.start, following.end, shift))
            index += 2
            continue
        if (
            isinstance(expression, Ago | Shift)
            and joined
            and isinstance(joined[-1].expression, Calendar)
            and sentence[joined[-1].end : mention.start] == "の"
        ):
            stated = joined.pop()
            assert isinstance(stated.expression, Calendar)
            sign = -1 if isinstance(expression, Ago) else expression.sign
            shift = Shift(expression.amount, expression.unit, sign, stated.expression)
            joined.append(Mention(stated.start, mention.end, shift))
            index += 1
            continue
        if isinstance(expression, Shift) and expression.explicit_only:
            index += 1  # "three days after the launch": no stated date to count from
            continue
        joined.append(mention)
        index += 1
    return joined
