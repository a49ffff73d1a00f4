"""How alike two wordings of one quotation are, to fold a copy's quote into its lead's (pure).

Aggregators and spinners reword quotations loosely: straight for curly quotes, different case
or width, a word missing or changed, only part of the sentence. Character n-grams (trigrams for
English, bigrams for Japanese, which has no spaces) tolerate all of that; the score is mostly
how much of the first wording the second contains. "Who said …" does not use it: resemblance
would answer with the nearest *other* quote (`fragments.py` asks for containment instead).
"""

from __future__ import annotations

import re
import unicodedata

from digests.text import is_japanese

_PUNCT_RE = re.compile(r"[^\w\s]+")
_SPACE_RE = re.compile(r"\s+")


def _canonical(text: str) -> str:
    """NFKC, case-folded, punctuation and quote marks removed, single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE_RE.sub(" ", _PUNCT_RE.sub(" ", folded)).strip()


def _grams(text: str, japanese: bool) -> set[str]:
    if japanese:
        compact = text.replace(" ", "")
        size = 2
    else:
        compact = f" {text} "
        size = 3
    if len(compact) <= size:
        return {compact} if compact.strip() else set()
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


def _words(text: str) -> set[str]:
    return {w for w in text.split() if len(w) > 2}


class _Fragment:
    """A fragment prepared once, so ranking hundreds of candidates stays cheap."""

    def __init__(self, fragment: str) -> None:
        self.text = _canonical(fragment)
        self.japanese = is_japanese(self.text)
        self.grams = _grams(self.text, self.japanese)
        self.words = _words(self.text)

    def score(self, quote: str) -> float:
        text = _canonical(quote)
        if not self.text or not text:
            return 0.0
        if self.text in text:
            return 1.0
        grams = _grams(text, self.japanese)
        shared = len(self.grams & grams)
        contained = shared / len(self.grams) if self.grams else 0.0
        # When the fragment is longer than the quotation, also ask how much of the quotation
        # the fragment covers, so extra words around a short quote cost little.
        covered = shared / min(len(self.grams), len(grams)) if grams else 0.0
        gram_score = 0.8 * contained + 0.2 * covered
        if self.japanese or not self.words:
            return round(min(1.0, gram_score), 4)
        word_score = len(self.words & _words(text)) / len(self.words)
        return round(min(1.0, 0.7 * gram_score + 0.3 * word_score), 4)


def quote_similarity(fragment: str, quote: str) -> float:
    """0..1: 1.0 when the fragment appears in the quote (ignoring case, width, punctuation)."""
    return _Fragment(fragment).score(quote)
