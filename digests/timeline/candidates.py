"""Finding every description that could be similar enough, without comparing all pairs (pure).

`similarity` blends containment with Jaccard, so a pair can only reach a bar when the
overlap covers at least that share of the smaller set (containment >= bar), and at least a
fixed number of tokens. That is what prefix filtering needs: with tokens ranked rarest first,
two sets sharing o tokens must share one among the smaller set's first `n - o + 1` tokens.
Indexing each set's full tokens and its prefix, and probing with the query's prefix and full
tokens, finds every pair that can pass, while the storyline's common words ("Fable",
"export") stay out of every probe but the shortest sets'. The caller still scores each
candidate exactly; this only decides which pairs are worth scoring.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

# Ratios are computed in floating point; a hair of slack keeps every true pair in.
_SLACK = 1e-9


def rarity(token_sets: Iterable[frozenset[str]]) -> dict[str, int]:
    """A rank per token, rarest first (ties by the token), shared by index and queries."""
    counts = Counter(token for tokens in token_sets for token in tokens)
    ordered = sorted(counts, key=lambda token: (counts[token], token))
    return {token: rank for rank, token in enumerate(ordered)}


class ContainmentIndex:
    """Sets, each with an integer label, found again by any set they could overlap enough.

    `bar` is the least containment (shared / smaller size) a pair must reach and `minimum`
    the least number of shared tokens; every pair meeting both is returned by `candidates`,
    along with some that do not.
    """

    def __init__(self, order: dict[str, int], bar: float, minimum: int) -> None:
        self._order = order
        self._bar = bar
        self._minimum = minimum
        self._full: dict[str, list[int]] = defaultdict(list)
        self._prefix: dict[str, list[int]] = defaultdict(list)

    def add(self, tokens: frozenset[str], label: int) -> None:
        """Index one set under a label (a label may be added with several sets)."""
        ranked = self._ranked(tokens)
        for token in ranked:
            self._full[token].append(label)
        for token in ranked[: self._prefix_length(len(ranked))]:
            self._prefix[token].append(label)

    def candidates(self, tokens: frozenset[str]) -> set[int]:
        """Labels of every indexed set that could meet the bar with `tokens`."""
        ranked = self._ranked(tokens)
        found: set[int] = set()
        for token in ranked[: self._prefix_length(len(ranked))]:
            found.update(self._full.get(token, ()))  # the query is the smaller set
        for token in ranked:
            found.update(self._prefix.get(token, ()))  # the indexed set is the smaller one
        return found

    def _ranked(self, tokens: frozenset[str]) -> list[str]:
        return sorted(tokens, key=lambda token: (self._order.get(token, -1), token))

    def _prefix_length(self, size: int) -> int:
        needed = max(self._minimum, math.ceil(self._bar * size - _SLACK))
        return max(0, size - needed + 1)
