"""Candidates' prints for clustering, kept for one engine run and read through (pure).

On a storyline most items share a few names and phrases with the same popular items, so the
same candidates come back lookup after lookup; keeping the last `size` of them decoded saves
a query and a decode each time. The pipeline asks the store only for what the cache lacks
(`PrintCache.lookup`), then `through_cache` puts the answers in and returns every candidate it can
compare, in the order the candidates were found.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from digests.stories.clustering import ClusterCandidate
from digests.stories.stored import StoredPrint

CacheEntry = tuple[StoredPrint, dt.datetime | None]


class PrintCache:
    """Recently compared items' prints and publication times, for one engine run.

    It lives for one `process_items` call, during which only the pipeline's clustering writes
    fingerprints (and refreshes its entry), so it never goes stale.
    """

    def __init__(self, size: int = 4000) -> None:
        self.size = size
        self._entries: OrderedDict[str, CacheEntry] = OrderedDict()

    def get(self, item_id: str) -> CacheEntry | None:
        entry = self._entries.get(item_id)
        if entry is not None:
            self._entries.move_to_end(item_id)
        return entry

    def put(self, item_id: str, entry: CacheEntry) -> None:
        self._entries[item_id] = entry
        self._entries.move_to_end(item_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def lookup(self, item_ids: Sequence[str]) -> dict[str, CacheEntry]:
        """The entries the cache holds for `item_ids`; the others must come from the store."""
        return {i: entry for i in item_ids if (entry := self.get(i)) is not None}


def through_cache(
    candidate_ids: Sequence[str], cached: Mapping[str, CacheEntry], cache: PrintCache,
    stored: Mapping[str, StoredPrint], published: Mapping[str, dt.datetime | None],
) -> list[ClusterCandidate]:
    """Every candidate with a print, in order: `cached` (what `cache.lookup` found), else what
    the store gave for the ids the cache lacked (`stored` prints, `published` times: an id
    without a time was deleted since its bands were written, one without a print could not be
    fingerprinted); those are put in the cache."""
    found: list[ClusterCandidate] = []
    for candidate_id in candidate_ids:
        entry = cached.get(candidate_id)
        if entry is None:
            print_ = stored.get(candidate_id)
            if candidate_id not in published or print_ is None:
                continue
            entry = (print_, published[candidate_id])
            cache.put(candidate_id, entry)
        found.append(ClusterCandidate(item_id=candidate_id, print_=entry[0],
                                      published=entry[1]))
    return found
