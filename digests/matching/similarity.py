"""Bag-of-features similarity between an item and seed or learned documents (pure, no I/O).

Features are content-word stems for Latin script and character bigrams of kanji/katakana runs
for Japanese (no segmenter needed; hiragana is mostly grammar and is dropped). Function words
and generic news words are dropped, so two unrelated news articles share little; what is left
is dominated by names and topic words, which synonym spinners keep.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from digests.text import may_hold_kana_or_kanji, normalize

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9\-']*[a-z0-9]|[a-z]")
_JA_RUN_RE = re.compile(r"[\u30a1-\u30fa\u30fc\u3400-\u9fff]{2,}")
MAX_TEXT = 20_000  # features of the first 20k characters: enough to place an article

# English function words and words every news article uses; they say nothing about a topic.
_STOPWORD_TEXT = """
    a about above across after again against all almost also although always am among an and
    another any are around as at away be became because become been before being below between
    both but by can cannot could did do does doing done down during each either else enough even
    ever every few for from further get gets got had has have having he her here hers him his
    how however i if in into is it its itself just last least less like made make makes many may
    me might more most much must my near need never new next no nor not now of off often on once
    one only or other others our out over own per perhaps put rather really said same say says
    see seen she should since so some still such than that the their them then there these they
    thing things this those though through thus to too two under until up upon us use used very
    via was way we well were what when where whether which while who whom whose why will with
    within without would yet you your year years week weeks day days time times today yesterday
    tomorrow monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december people company companies
    according told report reported reports news statement spokesperson added including first
    second three four five percent million billion three number part based going know think
    want wanted look looks took take takes come came went go goes back long high help called
    behind both given least made making end ends began begin still whose every
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A crude English stem: enough to fold "controls"/"control", "lifting"/"lifted".

    Words ending in "ss" are not plurals ("access", "business") and keep their ending, so
    reasons show a word a reader recognises.
    """
    if word.endswith("ss"):
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def features(text: str) -> Counter[str]:
    """Content-word stems and Japanese bigrams of a text, with counts."""
    return normalized_features(normalize(text[:MAX_TEXT]))


def normalized_features(normalized: str) -> Counter[str]:
    """`features` of text already through `normalize` (and cut at `MAX_TEXT` characters), for
    a caller that has normalised it anyway: normalising twice cost a tenth of matching."""
    # Every word through the cached `_feature` and counted, all in C: the stems arrive in the
    # order a loop over the distinct words would insert them (the weights are summed in order).
    found: Counter[str] = Counter(filter(None, map(_feature, _WORD_RE.findall(normalized))))
    if may_hold_kana_or_kanji(normalized):
        found.update(run[i : i + 2] for run in _JA_RUN_RE.findall(normalized)
                     for i in range(len(run) - 1))
    return found


@functools.lru_cache(maxsize=65_536)
def _feature(word: str) -> str:
    """The stem a word counts as, or "" for a word that says nothing about a topic."""
    if len(word) > 2 and word not in STOPWORDS and not word.isdigit():
        return stem(word)
    return ""


@functools.lru_cache(maxsize=4096)
def _weight(count: int) -> float:
    return 1.0 + math.log(count)


class Profile:
    """A document reduced to unit-length log-count weights, for cosine comparisons."""

    def __init__(self, counts: Counter[str]) -> None:
        # The same sums and quotients in the same order as a loop, without a frame per term.
        weights = list(map(_weight, counts.values()))
        norm = math.sqrt(sum(map(operator.mul, weights, weights))) or 1.0
        self.weights = dict(zip(counts, map(operator.truediv, weights,
                                            itertools.repeat(norm)), strict=True))

    def cosine(self, other: Profile) -> float:
        small, large = sorted((self.weights, other.weights), key=len)
        # The products summed in the same order as a loop would, without a Python frame each.
        shared = map(large.get, small, itertools.repeat(0.0))
        total: float = sum(map(operator.mul, small.values(), shared))
        return total


def learned_terms(
    texts: Sequence[str], known: Iterable[str], *, limit: int = 30, min_share: float = 0.3
) -> tuple[str, ...]:
    """Terms that recur across confidently matched items, minus what the definition says.

    A term must appear in at least two texts and in `min_share` of them, so one odd item
    cannot teach the profile; stopwords and already-known terms are dropped. Most frequent
    first, at most `limit`.
    """
    if len(texts) < 2:
        return ()
    known_set = set(known)
    document_frequency: Counter[str] = Counter()
    for text in texts:
        document_frequency.update(set(features(text)))
    needed = max(2, math.ceil(min_share * len(texts)))
    ranked = sorted(
        (
            (count, term)
            for term, count in document_frequency.items()
            if count >= needed and term not in known_set and len(term) >= 2
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return tuple(term for _, term in ranked[:limit])
