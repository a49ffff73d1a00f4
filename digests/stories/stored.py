"""Candidates as clustering compares them: shingles as a sorted array, names split (pure).

An item is compared with up to 50 stored candidates. Turning each candidate's stored
shingles back into a Python set and intersecting sets one pair at a time was a third of the
engine's single-threaded part on a large store. Kept as sorted 64-bit arrays (exactly the
stored bytes), one vectorised pass counts the shared shingles of every candidate at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from digests.stories.fingerprint import Fingerprint

Shingles = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class StoredPrint:
    """The comparable part of a fingerprint; `shingles` sorted ascending, no repeats."""

    shingles: Shingles
    single_names: frozenset[str]
    name_pairs: frozenset[str]
    length: int

    @property
    def size(self) -> int:
        return int(self.shingles.size)


def sorted_shingles(fp: Fingerprint) -> Shingles:
    return np.array(sorted(fp.shingles), dtype=np.uint64)


def stored_print(fp: Fingerprint) -> StoredPrint:
    return StoredPrint(
        shingles=sorted_shingles(fp), single_names=fp.single_names,
        name_pairs=fp.name_pairs, length=fp.length,
    )


def shared_counts(mine: Shingles, others: Sequence[StoredPrint]) -> list[int]:
    """How many shingles each of `others` shares with `mine` (sorted, no repeats)."""
    if not others:
        return []
    if mine.size == 0:
        return [0] * len(others)
    sizes = np.array([o.shingles.size for o in others])
    together = np.concatenate([o.shingles for o in others])
    positions = np.minimum(np.searchsorted(mine, together), mine.size - 1)
    found = (mine[positions] == together).astype(np.int64)
    # Per candidate: the cumulative count at its end minus at its start (empty ones give 0).
    ends = np.cumsum(sizes)
    running = np.concatenate(([0], np.cumsum(found)))
    counts: list[int] = (running[ends] - running[ends - sizes]).tolist()
    return counts
