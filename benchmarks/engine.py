"""Engine benchmark: items/s through cluster + match + extract, and lookup latency at 100k items.

Run with `.venv/bin/python benchmarks/engine.py [ITEMS_FOR_THROUGHPUT] [STORE_SIZE]` (defaults
2000 and 100000; see `--help`). Offline: synthetic items, a temporary SQLite file.
Prints figures; targets (≥ 100 items/s end to end, lookups p99 < 50 ms) are read, not asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import itertools
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import sqlite_utils

from digests.config import StorylineDefinition, load_storylines, parse_storyline
from digests.models import ParsedEntry
from digests.pipeline import build_matchers, process_items
from digests.reading import timeline_cache
from digests.reading.lookups import Lookups
from digests.store import IngestOutcome, ItemStore, open_database

SPEAKERS = ["David Sacks", "Howard Lutnick", "Dario Amodei", "Tom Brown", "Katie Moussouris"]
ON_TOPIC = [
    "“We will not ship a model that anyone can turn into a weapon,” {speaker} said on {day}.",
    "On June {d}, the Commerce Department extended the export control directive on Fable 5.",
    "{speaker} said the Mythos 5 restrictions could be lifted once new classifiers pass review.",
    "Access to Fable 5 returned in Europe and Japan on July {d}, according to {speaker}.",
    "米政府は6月{d}日、Fable 5の輸出管理を一部解除したと発表した。",
]
OFF_TOPIC = [
    "The city council approved a new bus lane on {day}, officials said.",
    "A children's book called A Fable won a regional prize this week.",
    "Chip export rules for advanced GPUs were tightened again, the ministry said.",
    "The game studio Mythos announced a sequel to its strategy title.",
]
DAYS = ["Monday", "Tuesday", "Saturday", "Sunday"]


def storyline() -> StorylineDefinition:
    configured = load_storylines(Path("config/storylines"))
    if configured:
        return configured[0]
    return parse_storyline(
        {"id": "fable", "name": "Fable", "description": "Export controls on Fable 5.",
         "keywords": ["Fable 5", "Mythos 5", "export control", "輸出管理"]},
        "benchmark",
    )


# Filler prose: every article says something of its own, as real coverage does. Without it
# every synthetic item would be a near-copy of every other (the templates above are few) and
# the store would hold a handful of stories with thousands of copies each, which no feed does.
VOCABULARY = [
    "".join(random.Random(i).choices("abcdefghijklmnopqrstuvwxyz", k=3 + i % 7))
    for i in range(20_000)
]
ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
COPY_SHARE = 0.1
FILL_BATCH = 5_000  # share of items that are a syndicated copy of an earlier item


def synthetic_entry(
    n: int, rng: random.Random, start: dt.datetime, earlier: list[ParsedEntry] | None = None
) -> ParsedEntry:
    """One item: template sentences (on or off topic) mixed with prose of its own; now and
    then a re-wrapped copy of an earlier item, so clustering has real work to do."""
    published = start + dt.timedelta(minutes=7 * n)
    if earlier and rng.random() < COPY_SHARE:
        original = rng.choice(earlier[-500:])
        return ParsedEntry(
            guid=f"bench-{n}", url=f"https://copies.example/{n}", title=original.title,
            text=f"Daily Brief · 2h ago\n{original.text}\nShare this\nComments (3)",
            published=published,
        )
    on_topic = rng.random() < 0.4
    templates = ON_TOPIC if on_topic else OFF_TOPIC
    sentences = [
        rng.choice(templates).format(
            speaker=rng.choice(SPEAKERS), day=rng.choice(DAYS), d=rng.randint(1, 28)
        )
        for _ in range(rng.randint(4, 10))
    ]
    for _ in range(rng.randint(8, 14)):
        words = rng.choices(VOCABULARY, cum_weights=ZIPF, k=rng.randint(12, 20))
        sentences.insert(rng.randrange(len(sentences) + 1), " ".join(words).capitalize() + ".")
    sentences.append(f"Reference number {n} for item {rng.random():.6f}.")
    return ParsedEntry(
        guid=f"bench-{n}", url=f"https://bench.example/{n}",
        title=("Fable 5 update " if on_topic else "Local news ") + str(n),
        text=" ".join(sentences), published=published,
    )


# The timed items (the last ones) come from a stream of their own, so they are the same
# articles whatever the store's size: with one stream, a 20k store's last 1,000 items held
# fewer on-topic ones than a 5k store's (339 matched against 420), and the CPU-per-item ratio
# between sizes mixed the store's growth with a different mix of work.
TIMED_SEED = 11


def synthetic_entries(
    count: int, rng: random.Random, start: dt.datetime, timed: int = 0
) -> list[ParsedEntry]:
    entries: list[ParsedEntry] = []
    timed_rng = random.Random(TIMED_SEED)
    for n in range(count):
        stream = timed_rng if n >= count - timed else rng
        entries.append(synthetic_entry(n, stream, start, entries))
    return entries


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def machine() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (f"machine: {os.cpu_count()} cores ({usable} usable by this process), "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.system()} {platform.machine()}")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("items", nargs="?", type=int, default=2000,
                        help="items timed through the engine: the last ones of the store, "
                        "processed after all the others (default 2000)")
    parser.add_argument("store", nargs="?", type=int, default=100_000,
                        help="items in the store the lookups run over (default 100000)")
    parser.add_argument("--lookups", type=int, default=200, help="timed calls of each lookup")
    parser.add_argument("--db", type=Path, help="keep the store in this file (default: temporary)")
    parser.add_argument("--lookups-only", action="store_true",
                        help="with --db: time the lookups on a store an earlier run kept "
                        "(opening it applies any newer schema migration)")
    parser.add_argument("--no-lookups", action="store_true",
                        help="stop after the engine's figures (no timeline refresh, no lookups)")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="write a cProfile of the timed items alone to FILE "
                        "(with --workers 1 it covers their analysis too)")
    parser.add_argument("--workers", type=int, default=0,
                        help="engine worker processes (default 0: one per usable core; "
                        "1: analyse in the benchmark's own process)")
    parser.add_argument("--untimed-workers", type=int, metavar="N",
                        help="worker processes for the items before the timed ones (default: "
                        "--workers); the store they leave is the same, so `--workers 1 "
                        "--untimed-workers 2` fills a large store sooner and still times the "
                        "last items with all their CPU in one process")
    return parser.parse_args()


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the engine's workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def fill(
    db: sqlite_utils.Database, store_size: int, now: dt.datetime, timed: int = 0
) -> list[str]:
    """Store `store_size` synthetic items (set-up, not measured), the last `timed` of them
    the same at every size; returns their ids in order."""
    rng = random.Random(7)
    t0 = time.perf_counter()
    entries = synthetic_entries(store_size, rng, dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
                                timed)
    generated = time.perf_counter() - t0
    t0 = time.perf_counter()
    # A 256 MB page cache and 5,000 items per transaction keep the indexes out of the disk's
    # way while filling; then SQLite's default cache again, as the service opens the store
    # (the engine raises it for each run itself: `store.page_cache`).
    db.execute("PRAGMA cache_size = -262144")
    outcome = IngestOutcome()
    for offset in range(0, len(entries), FILL_BATCH):
        outcome.merge(ItemStore(db).ingest("https://bench.example/feed",
                                           entries[offset : offset + FILL_BATCH], now))
    db.execute("PRAGMA cache_size = -2000")
    stored = time.perf_counter() - t0
    print(f"generated {store_size:,} synthetic items in {generated:.1f} s; stored them in "
          f"{stored:.1f} s = {store_size / stored:,.0f} items/s", flush=True)
    return outcome.new


def process(
    db: sqlite_utils.Database, definition: StorylineDefinition, ids: list[str],
    timed_items: int, workers: int, now: dt.datetime, *, untimed_workers: int | None = None,
    profile: Path | None = None,
) -> None:
    """Run the engine over every stored item in arrival order; the last `timed_items` are
    the measured ones, so they go into a store that already holds all the others."""
    matchers = build_matchers(db, [definition])
    untimed, timed = ids[: len(ids) - timed_items], ids[len(ids) - timed_items :]
    began = time.perf_counter()
    step = 10_000
    for offset in range(0, len(untimed), step):
        chunk = untimed[offset : offset + step]
        t0 = time.perf_counter()
        process_items(db, [definition], chunk, now, matchers=matchers,
                      workers=workers if untimed_workers is None else untimed_workers)
        print(f"  processed {offset + len(chunk):,} items: these {len(chunk):,} at "
              f"{len(chunk) / (time.perf_counter() - t0):,.0f} items/s", flush=True)
    profiler = cProfile.Profile() if profile else None
    t0, c0 = time.perf_counter(), cpu_seconds()
    if profiler:
        profiler.enable()
    report = process_items(db, [definition], timed, now, matchers=matchers, workers=workers)
    if profiler:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    if profiler and profile:
        profiler.dump_stats(profile)
    print(f"engine (cluster + match + extract + store), last {len(timed):,} items into a store "
          f"of {len(untimed):,} processed items: {elapsed:.1f} s wall = "
          f"{len(timed) / elapsed:,.0f} items/s ({len(timed) / cpu:,.0f} items/s of CPU time, "
          f"{cpu / len(timed) * 1000:.1f} ms of CPU per item, "
          f"{report.workers} analysing process(es)); matched "
          f"{report.matched.get(definition.id, 0):,}, {report.events:,} events, "
          f"{report.quotes:,} quotes, {report.joined_story:,} joined a story", flush=True)
    total = time.perf_counter() - began
    print(f"engine over all {len(ids):,} items: {total / 60:.1f} min = "
          f"{len(ids) / total:,.0f} items/s", flush=True)


def measure_lookups(
    db: sqlite_utils.Database, definition: StorylineDefinition, lookups_count: int
) -> None:
    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    quotes = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
    size = ItemStore(db).count()
    print(f"store: {size:,} items in {stories:,} stories; {quotes:,} quotes", flush=True)
    # What `poll`/`ingest` do after processing: merge and store every stale timeline.
    t0 = time.perf_counter()
    Lookups(db, [definition]).refresh_timelines()
    print(f"timeline refresh after processing (merges every event, stores it): "
          f"{(time.perf_counter() - t0) * 1000:,.0f} ms")
    # A fresh instance, as the bot holds across polls: the first call reads the stored one.
    lookups = Lookups(db, [definition])
    t0 = time.perf_counter()
    lookups.timeline(definition.id)
    print(f"timeline, first call after the refresh, same process (the bot after a poll): "
          f"{(time.perf_counter() - t0) * 1000:,.1f} ms", flush=True)
    timeline_cache.forget()
    t0 = time.perf_counter()
    Lookups(db, [definition]).timeline(definition.id)
    print(f"timeline, first call in a new process (`storyline timeline`; decodes the stored "
          f"copy): {(time.perf_counter() - t0) * 1000:,.1f} ms", flush=True)
    fragments = ["ship a model anyone can turn into a weapon", "classifiers pass review",
                 "輸出管理を一部解除", "new bus lane", "weapon model ship"]
    timings: dict[str, list[float]] = {"timeline": [], "who-said": [], "quotes --person": []}
    for n in range(lookups_count):
        t0 = time.perf_counter()
        lookups.timeline(definition.id, about=None if n % 2 else "Fable")
        timings["timeline"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        lookups.who_said(fragments[n % len(fragments)], storyline_id=definition.id)
        timings["who-said"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        lookups.quotes_by(SPEAKERS[n % len(SPEAKERS)], storyline_id=definition.id)
        timings["quotes --person"].append((time.perf_counter() - t0) * 1000)
    for name, values in timings.items():
        print(f"{name} over {size:,} items ({len(values)} calls): "
              f"p50 {statistics.median(values):.1f} ms, p99 {percentile(values, 99):.1f} ms")


def run(db_path: Path, options: argparse.Namespace) -> None:
    definition = storyline()
    now = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    db = open_database(db_path)
    if not options.lookups_only:
        timed = min(options.items, options.store)
        ids = fill(db, options.store, now, timed)
        process(db, definition, ids, timed, options.workers, now,
                untimed_workers=options.untimed_workers, profile=options.profile)
    if options.no_lookups:
        return
    measure_lookups(db, definition, options.lookups)


def main() -> None:
    options = arguments()
    print(machine(), flush=True)
    if options.db:
        run(options.db, options)
        return
    if options.lookups_only:
        raise SystemExit("--lookups-only needs --db FILE, a store kept by an earlier run")
    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder) / "engine.db", options)


if __name__ == "__main__":
    main()
