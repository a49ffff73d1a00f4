"""Engine benchmark: items/s through cluster + match + extract, and lookup latency at 100k items.

Run with `.venv/bin/python benchmarks/engine.py [ITEMS_FOR_THROUGHPUT] [STORE_SIZE]`.
Prints figures; targets (≥ 100 items/s end to end, lookups p99 < 50 ms) are read, not asserted.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from digests.config import StorylineDefinition, load_storylines, parse_storyline
from digests.models import ParsedEntry
from digests.pipeline import build_matchers, process_items
from digests.store import ItemStore, open_database
from digests.store.lookups import Lookups

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


def synthetic_entry(n: int, rng: random.Random, start: dt.datetime) -> ParsedEntry:
    on_topic = rng.random() < 0.4
    templates = ON_TOPIC if on_topic else OFF_TOPIC
    sentences = [
        rng.choice(templates).format(
            speaker=rng.choice(SPEAKERS), day=rng.choice(DAYS), d=rng.randint(1, 28)
        )
        for _ in range(rng.randint(4, 10))
    ]
    sentences.append(f"Reference number {n} for item {rng.random():.6f}.")
    return ParsedEntry(
        guid=f"bench-{n}", url=f"https://bench.example/{n}",
        title=("Fable 5 update " if on_topic else "Local news ") + str(n),
        text=" ".join(sentences), published=start + dt.timedelta(minutes=7 * n),
    )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def main() -> None:
    throughput_items = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    store_size = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    rng = random.Random(7)
    start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    definition = storyline()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "engine.db")
        now = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
        entries = [synthetic_entry(n, rng, start) for n in range(store_size)]
        t0 = time.perf_counter()
        outcome = ItemStore(db).ingest("https://bench.example/feed", entries, now)
        print(f"stored {store_size:,} items in {time.perf_counter() - t0:.1f} s")
        matchers = build_matchers(db, [definition])
        sample = outcome.new[:throughput_items]
        t0 = time.perf_counter()
        report = process_items(db, [definition], sample, now, matchers=matchers)
        elapsed = time.perf_counter() - t0
        print(f"engine (cluster + match + extract + store): {len(sample):,} items in "
              f"{elapsed:.1f} s = {len(sample) / elapsed:,.0f} items/s; matched "
              f"{report.matched.get(definition.id, 0)}, {report.events} events, "
              f"{report.quotes} quotes")
        # The rest of the store is processed too, so lookups run over the full size.
        t0 = time.perf_counter()
        process_items(db, [definition], outcome.new[throughput_items:], now, matchers=matchers)
        print(f"processed the remaining {store_size - len(sample):,} items in "
              f"{time.perf_counter() - t0:.0f} s")
        lookups = Lookups(db, [definition])
        fragments = ["ship a model anyone can turn into a weapon", "classifiers pass review",
                     "輸出管理を一部解除", "new bus lane", "weapon model ship"]
        timings: dict[str, list[float]] = {"timeline": [], "who-said": []}
        for n in range(200):
            t0 = time.perf_counter()
            lookups.timeline(definition.id, about=None if n % 2 else "Fable")
            timings["timeline"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            lookups.who_said(fragments[n % len(fragments)], storyline_id=definition.id)
            timings["who-said"].append((time.perf_counter() - t0) * 1000)
        for name, values in timings.items():
            print(f"{name} over {store_size:,} items: p50 {statistics.median(values):.1f} ms, "
                  f"p99 {percentile(values, 99):.1f} ms")


if __name__ == "__main__":
    main()
