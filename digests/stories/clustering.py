"""Which story an item joins: candidates in, a decision out (pure, no store, no clock).

The pipeline finds the candidates (stored items sharing a band key with the new one) and
applies the decision (join that item's story, or start one); this module only judges, so
the rule can be tested on prints built in memory and read without any SQL beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from digests.stories.compare import judge
from digests.stories.stored import StoredPrint, shared_counts


@dataclass(frozen=True)
class ClusterCandidate:
    """A stored item that may be the same article: its print and when it was published."""

    item_id: str
    print_: StoredPrint
    published: dt.datetime | None


@dataclass(frozen=True)
class ClusterDecision:
    """Join the story of `same_as` (the most similar duplicate), or none: a story of its own."""

    same_as: str | None
    similarity: float = 0.0


def _hours_between(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return abs((a - b).total_seconds()) / 3600


def decide_cluster(
    mine: StoredPrint, published: dt.datetime | None, candidates: Sequence[ClusterCandidate]
) -> ClusterDecision:
    """The candidate judged a duplicate with the highest similarity (the first of equals,
    in candidate order), else a decision to start a new story."""
    shared = shared_counts(mine.shingles, [c.print_ for c in candidates])
    best: tuple[float, str] | None = None
    for candidate, common in zip(candidates, shared, strict=True):
        duplicate, similarity, _ = judge(
            mine, candidate.print_, common,
            hours_apart=_hours_between(published, candidate.published),
        )
        if duplicate and (best is None or similarity > best[0]):
            best = (similarity, candidate.item_id)
    if best is None:
        return ClusterDecision(same_as=None)
    return ClusterDecision(same_as=best[1], similarity=best[0])
