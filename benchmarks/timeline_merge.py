"""Timeline merge benchmark: `merge_events` on a worst case, and a poll's refresh of a store.

`.venv/bin/python benchmarks/timeline_merge.py [EVENTS]` (default 5000) times `merge_events`
on the synthetic worst case below. `--store ITEMS` (e.g. 50000) instead fills a temporary
store with that many matched items, two reports each (a development retold on its publication
day, and often one the text dates a day or two earlier), refreshes the stored timelines once
(not timed as a poll: a first build) while another connection writes every quarter second,
as the poller or `/follow` would (how long those writes waited for the lock, and how many
gave up after the store's busy timeout), then adds `--new 5` items and times the refresh a
poll would run, then times a new process's first read of a one-week page and of the whole
timeline.
The store is written with plain SQL (no engine), so only the timeline is measured; the same
script runs against older code (`PYTHONPATH=OLD_TREE`: it prints which code it ran). Prints
CPU seconds beside wall seconds; nothing is asserted.

The synthetic coverage of the merge case is the hard case for the merge: every description
shares the storyline's names and verbs ("Commerce", "export controls", "Fable 5"), events
crowd a few days, each event is retold by many items in English and Japanese with reworded
filler, and some items give a date a day or two off (conflicts to flag).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from digests.models import ExtractedEvent, SourceRef
from digests.timeline import merge_events

NAMES = ["Commerce", "Anthropic", "Fable 5", "Mythos 5", "the White House", "Sacks", "Lutnick"]
VERBS = ["lifted", "ordered", "disabled", "restored", "reviewed", "defended", "criticised"]
OBJECTS = ["the export controls", "access for customers", "the classifiers", "the directive"]
# Reworded filler: a few hundred plain words, as varied as a week of news prose.
FILLER = [
    "".join(random.Random(seed).choices("abcdefghijklmnopqrstuvwxyz", k=4 + seed % 5))
    for seed in range(300)
]
JA_NAMES = ["商務省", "アンソロピック", "Fable 5", "Mythos 5", "ホワイトハウス"]
# Japanese filler: two-kanji words of their own, so a development's Japanese retelling shares
# its bigrams with its own retellings, not with every other development's.
JA_FILLER = [
    "".join(chr(0x4E00 + random.Random(f"ja{seed}-{place}").randrange(5000)) for place in (0, 1))
    for seed in range(300)
]
JA_VERBS = ["輸出規制を解除した", "提供を停止した", "アクセスを再開した", "分類器を審査した"]
START = dt.date(2026, 6, 8)
DAYS = 6  # a crowded week: the worst case is many events per day


def storyline_events(count: int, seed: int = 11) -> list[tuple[ExtractedEvent, SourceRef]]:
    """`count` reports of about count/12 distinct events; deterministic for a seed."""
    rng = random.Random(seed)
    bases = []
    for number in range(max(1, count // 12)):
        english = " ".join(
            [
                rng.choice(NAMES),
                rng.choice(VERBS),
                rng.choice(OBJECTS),
                *rng.sample(FILLER, 5),
                f"case {number}",
            ]
        )
        japanese = f"{rng.choice(JA_NAMES)}は案件{number}で{rng.choice(JA_VERBS)}。"
        bases.append((START + dt.timedelta(days=rng.randrange(DAYS)), english, japanese))
    pairs = []
    for order in range(count):
        day, english, japanese = rng.choice(bases)
        if rng.random() < 0.25:
            text = japanese
        else:
            words = english.split()
            words[rng.randrange(3, len(words) - 2)] = rng.choice(FILLER)
            text = " ".join(words) + "."
        if rng.random() < 0.05:
            day += dt.timedelta(days=rng.choice((-2, -1, 1, 2)))
        item = f"item{order}"
        pairs.append(
            (
                ExtractedEvent(day, text),
                SourceRef(item, f"Report {order}", f"https://x.test/{item}"),
            )
        )
    return pairs


def merge_figures(count: int) -> None:
    pairs = storyline_events(count)
    for size in sorted({count // 4, count // 2, count}):
        started = time.perf_counter()
        merged = merge_events(pairs[:size])
        elapsed = time.perf_counter() - started
        flagged = sum(1 for event in merged if event.other_dates)
        print(
            f"{size:>6} events -> {len(merged):>5} merged ({flagged} with conflicting dates): "
            f"{elapsed:6.2f} s, {size / elapsed:8.0f} events/s"
        )


STORE_START = dt.datetime(2026, 1, 5, 6, tzinfo=dt.UTC)
STORE_MINUTES = 7  # one item every seven minutes: 50k items span eight months


Reports = list[tuple[str, str, int]]
T = TypeVar("T")


def _store_reports(number: int, rng: random.Random) -> tuple[dt.datetime, Reports]:
    """An item's publication time and its reports (date, text, inferred): the day's
    developments retold with filler of its own, about 35 distinct ones a day."""
    published = STORE_START + dt.timedelta(minutes=STORE_MINUTES * number)
    reports = []
    for back, inferred in ((0, 1), (rng.choice((1, 1, 2)), 0)):
        if not inferred and rng.random() < 0.4:
            continue
        day = (published - dt.timedelta(days=back)).date()
        development = rng.randrange(35)
        local = random.Random(day.toordinal() * 100 + development)
        words = [
            local.choice(NAMES), local.choice(VERBS), local.choice(OBJECTS),
            *local.sample(FILLER, 6), f"case {day.toordinal() % 1000}x{development}",
        ]
        words[rng.randrange(3, len(words) - 2)] = rng.choice(FILLER)
        if rng.random() < 0.2:
            place, matter, *said = local.sample(JA_FILLER, 8)
            # no Latin name: a Japanese line whose only Latin words are "Fable 5" agrees with
            # every English line naming it, and would chain the whole storyline into one event
            name = local.choice([name for name in JA_NAMES if not name.isascii()])
            text = f"{name}は{place}の{matter}で{''.join(said)}と述べた。"
        else:
            text = " ".join(words) + "."
        reports.append((day.isoformat(), text, inferred))
    return published, reports


def _add_items(
    db: sqlite_utils.Database, first: int, count: int, storyline_id: str, rng: random.Random
) -> None:
    """Items, matches and events written directly (what the engine would have stored)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    for number in range(first, first + count):
        published, reports = _store_reports(number, rng)
        item = f"item{number}"
        when = published.isoformat()
        conn.execute(
            "INSERT INTO items (id, feed_url, guid, url, title, text, published, fetched, "
            "updated, content_hash) VALUES (?, 'http://feed.test/', ?, ?, ?, '', ?, ?, ?, ?)",
            [item, item, f"https://news.test/{number}", f"Report {number}", when, when, when,
             item],
        )
        conn.execute(
            "INSERT INTO matches (item_id, storyline_id, match, score, reasons, decided_at) "
            "VALUES (?, ?, 1, 1.0, '[]', ?)", [item, storyline_id, when],
        )
        conn.executemany(
            "INSERT INTO events (item_id, date, text, inferred) VALUES (?, ?, ?, ?)",
            [(item, day, text, inferred) for day, text, inferred in reports],
        )
    conn.execute("COMMIT")


class Writer(threading.Thread):
    """Another connection writing a row every quarter second, as the poller or a slash
    command would, recording how long each write waited and how many gave up."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.waits: list[float] = []
        self.failures = 0
        self.stop = threading.Event()

    def run(self) -> None:
        from digests.store import open_database

        conn = open_database(self.path).conn  # the store's own busy timeout
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                conn.execute("INSERT INTO bench_writes (at) VALUES (?)", [started])
                self.waits.append(time.perf_counter() - started)
            except sqlite3.OperationalError:
                self.failures += 1
            self.stop.wait(0.25)


class LockHeld:
    """A trace callback timing each write transaction (BEGIN IMMEDIATE to its COMMIT), in
    wall and CPU seconds."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float]] = []
        self._began: tuple[float, float] | None = None

    def __call__(self, statement: str) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            self._began = (time.perf_counter(), time.process_time())
        elif statement in ("COMMIT", "ROLLBACK") and self._began is not None:
            wall, cpu = self._began
            self.spans.append((time.perf_counter() - wall, time.process_time() - cpu))
            self._began = None


def store_figures(items: int, new: int) -> None:
    from digests.config import parse_storyline
    from digests.reading import timeline_cache
    from digests.reading.lookups import Lookups
    from digests.store import open_database

    definition = parse_storyline(
        {"id": "fable", "name": "Fable", "description": "Export controls on Fable 5.",
         "keywords": ["Fable 5", "Mythos 5", "export control"]},
        "benchmark",
    )
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timeline.db"
        db = open_database(path)
        started = time.perf_counter()
        for first in range(0, items, 5000):
            _add_items(db, first, min(5000, items - first), definition.id, rng)
        reports = db.execute("SELECT count(*) FROM events").fetchone()[0]
        print(f"store: {items} items, {reports} reports, filled in "
              f"{time.perf_counter() - started:.1f} s")

        def timed(label: str, call: Callable[[], T]) -> T:
            wall, cpu = time.perf_counter(), time.process_time()
            result = call()
            print(f"{label}: {time.process_time() - cpu:7.3f} s CPU, "
                  f"{time.perf_counter() - wall:7.3f} s wall")
            return result

        db.execute("CREATE TABLE bench_writes (at REAL)")
        writer = Writer(path)
        writer.start()
        held = LockHeld()
        db.conn.set_trace_callback(held)
        timed("first refresh (builds the stored timeline)",
              Lookups(db, [definition]).refresh_timelines)
        db.conn.set_trace_callback(None)
        writer.stop.set()
        writer.join()
        print("write transactions of the first refresh (wall/CPU s): "
              + ", ".join(f"{wall:.3f}/{cpu:.3f}" for wall, cpu in held.spans))
        print(f"writes from another connection meanwhile: {len(writer.waits)} done, longest "
              f"wait {max(writer.waits, default=0.0):.3f} s, {writer.failures} gave up busy")
        _add_items(db, items, new, definition.id, rng)
        timed(f"refresh after a poll of {new} new items",
              Lookups(db, [definition]).refresh_timelines)
        timeline_cache.forget()
        reader = Lookups(open_database(path), [definition])
        last = (STORE_START + dt.timedelta(minutes=STORE_MINUTES * items)).date()
        page = timed(
            "new process: one week's page",
            lambda: reader.timeline(definition.id, since=last - dt.timedelta(days=6), until=last),
        )
        timeline_cache.forget()
        reader = Lookups(open_database(path), [definition])
        whole = timed("new process: the whole timeline", lambda: reader.timeline(definition.id))
        sources = sum(len(event.sources) for event in whole)
        print(f"timeline: {len(whole)} entries, {sources} sources; the page {len(page)} entries")
        shape = json.dumps(
            [[event.date.isoformat(), event.text, [ref.item_id for ref in event.sources],
              [day.isoformat() for day in event.other_dates], event.inferred]
             for event in whole],
            ensure_ascii=False,
        )
        print(f"timeline fingerprint: {zlib.crc32(shape.encode()):08x} (equal: same timeline)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="?", type=int, default=5000)
    parser.add_argument("--store", type=int, help="fill a store with this many items instead")
    parser.add_argument("--new", type=int, default=5, help="items a poll brings (with --store)")
    options = parser.parse_args()
    import digests

    print(f"{os.cpu_count()} cores, Python {platform.python_version()}, "
          f"code in {Path(digests.__file__).parent.parent}")
    if options.store:
        store_figures(options.store, options.new)
    else:
        merge_figures(options.events)


if __name__ == "__main__":
    main()
