"""A dict-backed band index for tests and benchmarks (pure, in memory).

It has the shape of the SQLite `item_bands` table (band key → item ids), so a lookup costs one
probe per band key — at most ~40 — whatever the number of stored items.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from digests.stories.fingerprint import Fingerprint


class StoryIndex:
    """Band key → item ids, plus each item's fingerprint and publication time."""

    def __init__(self) -> None:
        self._bands: defaultdict[str, set[str]] = defaultdict(set)
        self.fingerprints: dict[str, Fingerprint] = {}
        self.published: dict[str, dt.datetime | None] = {}

    def __len__(self) -> int:
        return len(self.fingerprints)

    def add(self, item_id: str, fp: Fingerprint, published: dt.datetime | None = None) -> None:
        """Index an item under each of its band keys."""
        self.fingerprints[item_id] = fp
        self.published[item_id] = published
        for key in fp.band_keys:
            self._bands[key].add(item_id)

    def candidates(self, fp: Fingerprint) -> set[str]:
        """Ids of stored items sharing at least one band key with `fp`."""
        found: set[str] = set()
        for key in fp.band_keys:
            found |= self._bands.get(key, set())
        return found
