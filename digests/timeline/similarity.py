"""Whether two event descriptions tell the same event, in English, Japanese or across both.

Two kinds of evidence, both cheap: Latin-script words and numbers (which Japanese coverage
keeps as written — "Fable 5", "5:21", "30") and Japanese character bigrams (no segmenter
needed). Overlap is measured as containment blended with Jaccard, so a short Japanese line
that repeats an English report's names matches it, while two long English sentences that
merely share the storyline's names do not (pure, no I/O).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from digests.text import normalize
from digests.timeline.vocabulary import MONTHS, WEEKDAYS, words

_LATIN = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_LATIN_RUN = re.compile(r"[a-z0-9][a-z0-9.\s'’-]*")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")
_HIRAGANA = re.compile(r"^[\u3040-\u309f]+$")
_STOPWORDS = (
    words(
        """a an the and or but of to in on at by for from with as is are was were be been being
    it its this that these those he she they we you i his her their our them him after before
    over into about than then so not no yes has have had do does did will would can could
    should may might must also just only more most said says say told according which who
    whom what when where while there here all any some such said early late last next today
    yesterday day days week weeks month months ago later earlier morning night evening"""
    )
    | frozenset(MONTHS)
    | frozenset(WEEKDAYS)
)


@dataclass(frozen=True)
class Features:
    """The comparable pieces of one description.

    `names` are adjacent Latin word pairs ("fable 5"): a Japanese text shares them with an
    English one only when it writes the same name, where single tokens ("anthropic", "5")
    coincide far too easily. The derived views are cached: a merge asks for them millions
    of times.
    """

    latin: frozenset[str]
    names: frozenset[str]
    cjk: frozenset[str]

    @cached_property
    def japanese(self) -> bool:
        """Judged by Japanese bigrams when there are enough of them to judge by."""
        return len(self.cjk) >= MIN_CJK_BIGRAMS

    @cached_property
    def keys(self) -> frozenset[str]:
        """Every piece, for inverted-index candidate search."""
        return self.latin | self.names | self.cjk

    @cached_property
    def mixed(self) -> frozenset[str]:
        """What a comparison across the two languages goes by: Latin words and name pairs."""
        return self.latin | self.names


MIN_CJK_BIGRAMS = 4


def features(text: str) -> Features:
    """Latin words (lightly stemmed, no stopwords), name pairs and Japanese bigrams."""
    normal = normalize(text)
    latin: set[str] = set()
    names: set[str] = set()
    for run in _LATIN_RUN.findall(normal):
        tokens = [_stem(word) for word in _LATIN.findall(run) if word not in _STOPWORDS]
        latin.update(tokens)
        names.update(f"{first} {second}" for first, second in itertools.pairwise(tokens))
    cjk: set[str] = set()
    for run in _CJK_RUN.findall(normal):
        for index in range(len(run) - 1):
            bigram = run[index : index + 2]
            if not _HIRAGANA.match(bigram):  # particles and endings say nothing
                cjk.add(bigram)
    return Features(frozenset(latin), frozenset(names), frozenset(cjk))


def _stem(word: str) -> str:
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def similarity(first: Features, second: Features) -> float:
    """0..1 by the evidence both texts can carry.

    Two Japanese texts: their bigrams. Two English texts: their words. One of each: the
    Latin words and name pairs the Japanese one writes as the English one does, at least
    three of them ("Fable", "5", "Fable 5").
    """
    if first.japanese and second.japanese:
        return _overlap(first.cjk, second.cjk, minimum=3)
    if first.japanese or second.japanese:
        return _overlap(first.mixed, second.mixed, minimum=3)
    return _overlap(first.latin, second.latin, minimum=2)


def _overlap(first: frozenset[str], second: frozenset[str], *, minimum: int) -> float:
    shared = len(first & second)
    if shared < minimum:
        return 0.0
    size, other = len(first), len(second)
    containment = shared / min(size, other)
    jaccard = shared / (size + other - shared)  # the union's size, without building it
    return (containment + jaccard) / 2
