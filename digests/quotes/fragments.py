"""Does a stored quotation contain a remembered fragment, within a word or two? (pure)

"Who said …" must name the speaker of the words asked about or say nothing: the nearest
*other* quotation is a wrong answer, not a near miss. So the test is containment, not
resemblance. Both texts are reduced to tokens (NFKC, case-folded, curly and straight quotes
alike, punctuation dropped, contractions spelled out; words for English, characters for
Japanese, which has no spaces), and the fragment is aligned anywhere inside the quotation
(semi-global edit distance). Each changed or missing fragment word costs one edit, and so does
each short run of quotation words the fragment leaves out ("the government's" forgotten from
"with the government's legal directive"). A fragment matches when the edits stay within what a
person's memory plausibly drops: none for two or three words, one up to nine, two up to twenty.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from digests.text import is_japanese

T = TypeVar("T")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# Spelled out so "can't" finds "can not" and "it's" finds "it is"; other 's is possessive.
_CONTRACTIONS = (
    (re.compile(r"\b(can)'t\b"), r"\1 not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"\b(it|that|he|she|there|here|what|who|where)'s\b"), r"\1 is"),
    (re.compile(r"\blet's\b"), "let us"),
    (re.compile(r"'s?\b"), ""),
)
_NOT_WORD_RE = re.compile(r"[^\w]+")
# Quotation words a fragment may skip for the cost of one edit ("an [AI] model").
_SKIP_WORDS = 3
_SKIP_CHARS = 8


@dataclass(frozen=True)
class FragmentMatch:
    """How a quotation holds a fragment: 0 edits is the exact phrase."""

    edits: int
    tokens: int

    @property
    def score(self) -> float:
        """1.0 for the exact phrase, lower for each edit (for display and ordering)."""
        return round(1.0 - self.edits / (self.tokens + 1), 4)


def tokens(text: str, japanese: bool | None = None) -> list[str]:
    """Words (English) or characters (Japanese) after normalising marks, case and width."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    if japanese is None:
        japanese = is_japanese(folded)
    if japanese:
        return [ch for ch in _NOT_WORD_RE.sub("", folded)]
    for pattern, replacement in _CONTRACTIONS:
        folded = pattern.sub(replacement, folded)
    return [w for w in _NOT_WORD_RE.sub(" ", folded).split() if w and w != "_"]


def allowed_edits(count: int, japanese: bool) -> int:
    """A word or two of difference, never enough to turn a short phrase into another."""
    if japanese:
        return 0 if count < 5 else 1 if count < 10 else 2 if count < 25 else count // 12
    return 0 if count <= 3 else 1 if count <= 9 else 2 if count <= 20 else count // 10


class Fragment:
    """A fragment prepared once, so checking hundreds of candidate quotations stays cheap."""

    def __init__(self, text: str) -> None:
        self.japanese = is_japanese(unicodedata.normalize("NFKC", text))
        self.tokens = tokens(text, self.japanese)
        self.allowed = allowed_edits(len(self.tokens), self.japanese)
        self._skip = _SKIP_CHARS if self.japanese else _SKIP_WORDS

    def match(self, quote: str) -> FragmentMatch | None:
        """The fewest edits placing the fragment inside the quotation, if within allowance."""
        if not self.tokens:
            return None
        quoted = tokens(quote, self.japanese)
        present = set(quoted)
        missing = sum(token not in present for token in self.tokens)
        if missing > self.allowed:
            return None  # each absent token costs an edit: no alignment can do better
        edits = self._align(quoted)
        return FragmentMatch(edits, len(self.tokens)) if edits <= self.allowed else None

    def _align(self, quoted: Sequence[str]) -> int:
        """Semi-global edit distance: the fragment may start and end anywhere in the quote."""
        frag = self.tokens
        width = len(quoted) + 1
        limit = self.allowed + 1
        previous = [0] * width  # an empty fragment sits anywhere for free
        for i in range(1, len(frag) + 1):
            row = [i] * width
            token = frag[i - 1]
            for j in range(1, width):
                best = min(previous[j - 1] + (token != quoted[j - 1]), previous[j] + 1)
                for k in range(1, min(self._skip, j) + 1):
                    best = min(best, row[j - k] + 1)
                row[j] = best
            previous = row
            if min(previous) >= limit:
                return limit  # already beyond the allowance: stop early
        return min(previous)


def best_containing(
    fragment: str, quotes: Sequence[T], key: Callable[[T], str], limit: int = 5
) -> list[tuple[FragmentMatch, T]]:
    """Candidates whose text holds the fragment, exact phrase first, then fewest edits;
    candidates that do not hold it are left out, however similar."""
    prepared = Fragment(fragment)
    found = [(m, i, q) for i, q in enumerate(quotes) if (m := prepared.match(key(q)))]
    found.sort(key=lambda item: (item[0].edits, item[1]))
    return [(m, q) for m, _, q in found[:limit]]
