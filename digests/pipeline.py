"""The engine over stored items: cluster → match → extract → store.

This is the one place that wires the pure stages (`stories`, `matching`, `timeline`, `quotes`)
to the store. It is called after every ingest with the ids of new and updated items.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from digests.analysis import Analyzer, ItemAnalysis
from digests.analysis_pool import analysed_batches, worker_count
from digests.config.seeds import read_seed_texts
from digests.matching import Matcher
from digests.memory_step import MemoryStep
from digests.models import Item, StorylineDefinition
from digests.store import ItemStore
from digests.store.derived import DerivedStore
from digests.store.page_cache import larger_page_cache
from digests.store.timestamps import day_number
from digests.store.transaction import transaction
from digests.stories import Fingerprint, LeadCandidate, fingerprint, pick_lead
from digests.stories.clustering import ClusterCandidate, decide_cluster
from digests.stories.encoding import decode_for_comparison, encode
from digests.stories.lead import SAME_TIME
from digests.stories.print_cache import PrintCache, through_cache
from digests.stories.stored import stored_print

log = logging.getLogger(__name__)

# Items matched at or above this score teach the storyline's profile (bounded, see matching).
LEARN_MIN_SCORE = 0.8
LEARN_LIMIT = 40
BATCH_ITEMS = 25
# Stored with every processed item (`item_processing`). Bump it when a change to analysis,
# clustering or extraction must be applied to items already stored: every command that runs the
# engine then says so and processes them again, oldest first (see `backlog`).
# 2: keywords as weighted alternatives and learned names (matching), publication-dated
# leads and merged retellings (timeline).
ENGINE_VERSION = 2


@dataclass
class ProcessReport:
    items: int = 0
    matched: dict[str, int] = field(default_factory=dict)
    joined_story: int = 0
    events: int = 0
    quotes: int = 0
    workers: int = 1  # processes that analysed the items (1: this one alone)

    @property
    def workers_note(self) -> str:
        return f" (analysed in {self.workers} worker processes)" if self.workers > 1 else ""


SeedReader = Callable[[StorylineDefinition], list[str]]


def build_matchers(
    db: sqlite_utils.Database, storylines: Sequence[StorylineDefinition],
    *, seed_texts: SeedReader = read_seed_texts,
) -> dict[str, Matcher]:
    """Each storyline's matcher from its definition, its seed documents (read by
    `seed_texts`, the files on disk by default) and the texts it matched confidently."""
    derived = DerivedStore(db)
    return {
        d.id: Matcher.from_definition(
            d,
            seed_texts=seed_texts(d),
            learned_texts=derived.confident_texts(d.id, LEARN_MIN_SCORE, LEARN_LIMIT),
        )
        for d in storylines
    }


def _start_story(derived: DerivedStore, item_id: str, title: str, now: dt.datetime) -> str:
    story_id = "s" + hashlib.sha256(item_id.encode()).hexdigest()[:16]
    derived.create_story(story_id, item_id, title, now)
    derived.join_story(item_id, story_id, 1.0, now)
    return story_id


def _candidates(
    db: sqlite_utils.Database, candidate_ids: Sequence[str], cache: PrintCache
) -> list[ClusterCandidate]:
    """Candidates' prints and publication times: from the cache, else from the store.

    A candidate without a stored fingerprint (clustered before fingerprints were stored) gets
    one computed and saved now, so each item is fingerprinted once in its life.
    """
    cached = cache.lookup(candidate_ids)
    missing = [i for i in candidate_ids if i not in cached]
    if not missing:
        return through_cache(candidate_ids, cached, cache, {}, {})
    items, derived = ItemStore(db), DerivedStore(db)
    read = derived.comparable_prints(missing)
    stored = {i: decode_for_comparison(e) for i, (e, _) in read.items()}
    published = {i: at for i, (_, at) in read.items()}
    unprinted = [i for i in missing if i not in read]
    if unprinted:
        published.update(items.published_times(unprinted))
    for candidate_id in missing:
        if candidate_id in published and candidate_id not in stored:
            other = items.get(candidate_id)
            if other is None:
                continue
            fp = fingerprint(other.title, other.text)
            derived.save_fingerprint(candidate_id, encode(fp))
            stored[candidate_id] = stored_print(fp)
    return through_cache(candidate_ids, cached, cache, stored, published)


def cluster_item(
    db: sqlite_utils.Database,
    item: Item,
    now: dt.datetime,
    cache: PrintCache | None = None,
    *,
    fp: Fingerprint | None = None,
) -> bool:
    """Put the item in a story; returns True when it joined an existing one. `fp` is the
    item's fingerprint when already computed (by an analysis worker). The pure
    `decide_cluster` judges; this applies its decision to the store."""
    derived = DerivedStore(db)
    cache = cache if cache is not None else PrintCache()
    fp = fp if fp is not None else fingerprint(item.title, item.body)
    mine = stored_print(fp)
    day = day_number(item.published or item.fetched)
    candidate_ids = derived.band_candidates(fp.band_keys, exclude=item.id, day=day)
    candidates = _candidates(db, candidate_ids, cache)
    decision = decide_cluster(mine, item.published, candidates)
    derived.save_bands(item.id, fp.band_keys, day)
    derived.save_fingerprint(item.id, encode(fp))
    cache.put(item.id, (mine, item.published))
    if decision.same_as is None:
        if derived.story_of(item.id) is None:
            _start_story(derived, item.id, item.title, now)
        return False
    similarity, other_id = decision.similarity, decision.same_as
    story_id = derived.story_of(other_id) or _start_story(derived, other_id, item.title, now)
    previous = derived.story_of(item.id)
    derived.join_story(item.id, story_id, similarity, now)
    if previous and previous != story_id and not derived.story_members(previous):
        derived.delete_story(previous)
    _refresh_lead(db, story_id)
    return True


def _refresh_lead(db: sqlite_utils.Database, story_id: str) -> None:
    items, derived = ItemStore(db), DerivedStore(db)
    candidates = []
    for row in derived.lead_pool(story_id, SAME_TIME):
        length = row.length
        if length is None:
            member = items.get(row.item_id)
            if member is None:
                continue
            fp = fingerprint(member.title, member.text)
            derived.save_fingerprint(member.id, encode(fp))
            length = fp.length
        candidates.append(
            LeadCandidate(
                item_id=row.item_id, published=row.published, clean_length=length,
                is_wrapper=False,
            )
        )
    if not candidates:
        return
    lead = items.get(pick_lead(candidates))
    if lead is not None:
        derived.set_lead(story_id, lead.id, lead.title)


def _store_one(
    db: sqlite_utils.Database,
    analysis: ItemAnalysis,
    now: dt.datetime,
    report: ProcessReport,
    cache: PrintCache,
) -> None:
    derived = DerivedStore(db)
    item = analysis.item
    report.items += 1
    if cluster_item(db, item, now, cache, fp=analysis.fingerprint):
        report.joined_story += 1
    for decision in analysis.decisions:
        derived.save_match(item.id, decision, now)
    matched = analysis.matched
    if not matched:
        derived.clear_extracts(item.id)
        return
    for decision in matched:
        report.matched[decision.storyline_id] = report.matched.get(decision.storyline_id, 0) + 1
    derived.replace_events(item.id, analysis.events)
    derived.replace_quotes(item.id, analysis.quotes)
    report.events += len(analysis.events)
    report.quotes += len(analysis.quotes)


def batches_of(items: ItemStore, item_ids: Sequence[str]) -> Iterator[list[Item]]:
    """The stored items among `item_ids`, `BATCH_ITEMS` at a time (deleted ones left out)."""
    for start in range(0, len(item_ids), BATCH_ITEMS):
        batch = [items.get(i) for i in item_ids[start : start + BATCH_ITEMS]]
        yield [item for item in batch if item is not None]


def process_items(
    db: sqlite_utils.Database,
    storylines: Sequence[StorylineDefinition],
    item_ids: Sequence[str],
    now: dt.datetime,
    *,
    matchers: dict[str, Matcher] | None = None,
    workers: int = 0,
    on_progress: Callable[[int], None] | None = None,
) -> ProcessReport:
    """Run the engine over the given stored items, oldest first (see `process_batches`)."""
    # Oldest first, so each item is judged with what the storylines matched before it.
    times = ItemStore(db).published_times(item_ids)
    ordered = sorted(item_ids, key=lambda i: (times.get(i) or now, i))
    return process_batches(
        db, storylines, batches_of(ItemStore(db), ordered), len(item_ids), now,
        matchers=matchers, workers=workers, on_progress=on_progress,
    )


def process_batches(
    db: sqlite_utils.Database,
    storylines: Sequence[StorylineDefinition],
    batches: Iterable[list[Item]],
    count: int,
    now: dt.datetime,
    *,
    matchers: dict[str, Matcher] | None = None,
    workers: int = 0,
    on_progress: Callable[[int], None] | None = None,
) -> ProcessReport:
    """Run the engine over about `count` stored items (idempotent: re-running replaces
    derived rows).

    The pure analysis of each item (fingerprint, match, extraction) runs in `workers`
    processes when the batch is large enough to repay starting them (0: one per usable core;
    1: never), while this process clusters and writes, which needs the store and so stays
    sequential, with a larger page cache for the run (`store.page_cache`). Items are written
    in batches of `BATCH_ITEMS`, one transaction each: a commit costs a few milliseconds (the
    WAL append and, now and then, a checkpoint), as much as clustering an item, while a batch
    still holds the write lock for well under a second.
    The same transaction records the items as processed at `ENGINE_VERSION`, so a process
    killed at any point leaves each item either fully processed and marked, or owed.
    `on_progress` hears how many items each committed batch held. Workers are spawned, so a
    script of its own that calls this must keep its top level behind
    `if __name__ == "__main__":` (workers import the script; the `storyline` command does).
    """
    report = ProcessReport()
    if count <= 0:
        return report
    matchers = matchers if matchers is not None else build_matchers(db, storylines)
    analyzer = Analyzer([matchers[d.id] for d in storylines if d.id in matchers])
    cache = PrintCache()
    items = ItemStore(db)
    memory: MemoryStep | None = None
    report.workers = worker_count(workers, count)
    with larger_page_cache(db):
        for analyses in analysed_batches(analyzer, batches, report.workers):
            if memory is None:
                # Batches come oldest first: the memory holds what the store had before them.
                start = min((a.item.published or now for a in analyses), default=now)
                memory = MemoryStep.primed(db, analyzer, start, [a.item.id for a in analyses])
            with transaction(db):
                for analysis in analyses:
                    _store_one(db, memory.review(analysis, now), now, report, cache)
                items.mark_processed([a.item.id for a in analyses], ENGINE_VERSION, now)
            if on_progress is not None:
                on_progress(len(analyses))
    return report
