"""Nothing lost, nothing doubled: items a killed process stored but did not process are
processed by the next `ingest`, `poll` or `run`, once, oldest first.

The last test kills real `storyline` processes with SIGKILL at random moments and then runs
once more, as an operator would after a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digests.backlog import backlog, owed_batches
from digests.cli.context import CliContext
from digests.config import load_settings, load_storylines
from digests.feeds import parse_feed
from digests.pipeline import ENGINE_VERSION
from digests.service.runtime import Service
from digests.store import ItemStore, open_database
from tests.support.cli import run_cli
from tests.support.crowd_feed import crowd_entries, rss
from tests.support.feed_server import Route, serve
from tests.support.store_audit import assert_whole, audit

NOW = dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parents[2]
STORYLINE = [sys.executable, "-m", "digests.cli.main"]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    (folder / "storylines").mkdir(parents=True)
    (folder / "storylines" / "rail.toml").write_text(
        'id = "rail"\nname = "Rail strike"\ndescription = "The Northwind Rail drivers\' strike."\n'
        'keywords = ["Northwind Rail", "rail strike", "Halvik", "drivers"]\n',
        encoding="utf-8",
    )
    (folder / "storyline.toml").write_text(
        'engine_workers = 1\n[http]\nallow_private_hosts = ["127.0.0.1"]\n', encoding="utf-8"
    )
    return folder


def store_without_processing(db_path: Path, feed: Path) -> None:
    """What a process killed between storing items and the engine leaves behind."""
    db = open_database(db_path)
    entries = parse_feed(feed.read_bytes(), url=feed.resolve().as_uri()).entries
    ItemStore(db).ingest(feed.resolve().as_uri(), entries, NOW)
    db.conn.close()


def test_items_stored_but_never_processed_are_processed_by_the_next_ingest(
    tmp_path: Path, config: Path
) -> None:
    feed, db = tmp_path / "crowd.xml", tmp_path / "s.db"
    feed.write_bytes(rss(crowd_entries(40, prefix="a")))
    store_without_processing(db, feed)
    assert audit(db).owed == 40

    status, out, _ = run_cli("--config", str(config), "--db", str(db), "ingest", str(feed))
    assert status == 0
    assert "unchanged: 40" in out and "engine: 40 items processed" in out
    assert_whole(db, items=40, storylines=1)

    status, out, _ = run_cli("--config", str(config), "--db", str(db), "ingest", str(feed))
    assert status == 0 and "engine:" not in out  # processed once, not again


def test_a_poll_processes_items_an_earlier_command_left(tmp_path: Path, config: Path) -> None:
    feed, db = tmp_path / "crowd.xml", tmp_path / "s.db"
    feed.write_bytes(rss(crowd_entries(30, prefix="b")))
    store_without_processing(db, feed)
    status, out, _ = run_cli("--config", str(config), "--db", str(db), "poll")
    assert status == 0 and "30 stored items processed" in out
    assert_whole(db, items=30, storylines=1)


def test_owed_items_come_oldest_first_in_bounded_pages(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    items = ItemStore(db)
    entries = parse_feed(rss(crowd_entries(60, prefix="c")), url="file:///c").entries
    for start in range(0, 60, 20):  # three arrivals
        items.ingest("file:///c", entries[start : start + 20], NOW)
    items.mark_processed([items.recent(limit=60)[0].id], ENGINE_VERSION, NOW)  # one done
    batches = list(owed_batches(db, page=7))
    owed = [item for batch in batches for item in batch]
    done = items.recent(limit=60)[0].guid
    assert sorted(i.guid for i in owed) == sorted(e.guid for e in entries if e.guid != done)
    # Oldest first by publication time, whatever order they arrived in.
    times = [i.published or i.fetched for i in owed]
    assert times == sorted(times)
    assert max(len(b) for b in batches) <= 7


def test_a_changed_item_is_owed_again(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    items = ItemStore(db)
    [entry] = parse_feed(rss(crowd_entries(1, prefix="d")), url="file:///d").entries
    [ident] = items.ingest("file:///d", [entry], NOW).new
    items.mark_processed([ident], ENGINE_VERSION, NOW)
    assert backlog(db).total == 0
    changed = entry.__class__(**{**entry.__dict__, "text": entry.text + " A late correction."})
    assert items.ingest("file:///d", [changed], NOW).updated == [ident]
    assert backlog(db).unprocessed == 1


def test_items_of_an_older_engine_are_announced_and_processed_again(
    tmp_path: Path, config: Path
) -> None:
    feed, db = tmp_path / "crowd.xml", tmp_path / "s.db"
    feed.write_bytes(rss(crowd_entries(12, prefix="e")))
    run_cli("--config", str(config), "--db", str(db), "ingest", str(feed))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE item_processing SET engine_version = 0")
    status, out, err = run_cli("--config", str(config), "--db", str(db), "ingest", str(feed))
    assert status == 0
    assert "12 items were processed by an older engine" in err
    assert "engine: 12 items processed" in out
    assert_whole(db, items=12, storylines=1)


async def test_run_without_a_first_poll_still_processes_what_a_killed_run_left(
    tmp_path: Path, config: Path
) -> None:
    feed, db = tmp_path / "crowd.xml", tmp_path / "s.db"
    feed.write_bytes(rss(crowd_entries(25, prefix="h")))
    store_without_processing(db, feed)
    settings = dataclasses.replace(load_settings(config, {}), database=db)
    ctx = CliContext(settings=settings, storylines=load_storylines(settings.storylines_dir),
                     out=io.StringIO(), err=io.StringIO())
    service = Service(ctx, console=True)
    service.start(poll_now=False)
    try:
        async with asyncio.timeout(60):  # a bound for a stuck service, not a speed claim
            while audit(db).owed:  # noqa: ASYNC110 - written by the service's thread
                await asyncio.sleep(0.05)
        await service.drain()
    finally:
        service.stop()
        ctx.close()
    assert_whole(db, items=25, storylines=1)


# ------------------------------------------------------------------ real processes, SIGKILL
KILLS = 10
FILE_ITEMS = 60  # per file: each ingest brings a new file, so each kill has new work to cut
SERVED_ITEMS = 120


def _environment() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR")
    return {k: v for k, v in os.environ.items() if k in keep}


def _stored_items(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet
    finally:
        conn.close()


def _wait_for_new_items(db: Path, before: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while _stored_items(db) <= before and time.monotonic() < deadline:
        time.sleep(0.05)


def _commands(config: Path, db: Path, files: list[Path], url: str) -> Iterator[list[str]]:
    base = [*STORYLINE, "--config", str(config), "--db", str(db)]
    for n, feed in enumerate(files):
        yield [*base, "ingest", str(feed), url]
        yield [*base, "poll", "--all"] if n % 2 == 0 else [*base, "run", "--console"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_at_random_points_then_one_more_run_loses_and_doubles_nothing(
    tmp_path: Path, config: Path
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    db = tmp_path / "s.db"
    files = [tmp_path / f"crowd-{n}.xml" for n in range(KILLS)]
    for n, feed in enumerate(files):
        feed.write_bytes(rss(crowd_entries(FILE_ITEMS, prefix=f"f{n}", seed=n)))
    owed_after_kill = []
    with serve() as server:
        url = server.route("/served.xml", Route(body=rss(crowd_entries(SERVED_ITEMS, prefix="g"))))
        commands = _commands(config, db, files, url)
        for _ in range(KILLS):
            argv = next(commands)
            before = _stored_items(db)
            process = subprocess.Popen(argv, cwd=ROOT, env=_environment(),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if "ingest" in argv:
                # Ingests are cut soon after their items are committed, where a crash used to
                # lose them for good; polls and runs at any moment of their life.
                _wait_for_new_items(db, before)
                # The first right away (so even a fast machine is caught mid-engine once).
                time.sleep(rng.uniform(0.0, 0.05 if before == 0 else 1.5))
            else:
                time.sleep(rng.uniform(1.0, 8.0))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            with contextlib.suppress(sqlite3.OperationalError):  # killed before the schema
                owed_after_kill.append(audit(db).owed)
        final = subprocess.run(
            [*STORYLINE, "--config", str(config), "--db", str(db), "ingest",
             *map(str, files), url],
            cwd=ROOT, env=_environment(), capture_output=True, text=True, timeout=300,
        )
    assert final.returncode == 0, (seed, final.stderr[-2000:])
    assert_whole(db, items=KILLS * FILE_ITEMS + SERVED_ITEMS, storylines=1)
    # The kills did land between storing and processing (else this test proves nothing).
    assert any(owed_after_kill), (seed, owed_after_kill)
