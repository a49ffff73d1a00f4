"""The engine's analysis in worker processes: same results as one process, and what happens
when a worker fails. These tests start real (spawned) processes."""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digests import analysis_pool
from digests.analysis import Analyzer, ItemAnalysis
from digests.analysis_pool import POOL_MIN_ITEMS, analysed_batches, usable_cores, worker_count
from digests.config import parse_storyline
from digests.matching import Matcher
from digests.models import Item
from tests.support.cli import run_cli
from tests.support.story_fixtures import FIXTURES, load_fixture

ROOT = Path(__file__).resolve().parents[2]
RAIL = parse_storyline(
    {"id": "rail", "name": "Rail strike", "description": "The Northwind Rail drivers' strike.",
     "keywords": ["Northwind Rail", "rail strike", "Halvik", "drivers"]},
    "test",
)


def fixture_items() -> list[Item]:
    items = []
    for path in sorted(FIXTURES.glob("*.txt")):
        meta, body = load_fixture(path.stem)
        items.append(Item(
            id=path.stem, feed_url="http://f", guid=path.stem, url=None, title=meta["title"],
            text=body, language=None, published=dt.datetime.fromisoformat(meta["published"]),
            fetched=dt.datetime(2026, 3, 7, tzinfo=dt.UTC), content_hash=path.stem,
        ))
    return items


class FailingAnalyzer(Analyzer):
    """Raises on the item called "spun", wherever it runs."""

    def __call__(self, item: Item) -> ItemAnalysis:
        if item.id == "spun":
            raise ValueError("cannot analyse spun")
        return super().__call__(item)


class DyingAnalyzer(Analyzer):
    """Kills the worker process it runs in (as the OOM killer would); works in the parent."""

    def __call__(self, item: Item) -> ItemAnalysis:
        if multiprocessing.parent_process() is not None:
            os._exit(3)
        return super().__call__(item)


def test_workers_return_what_one_process_computes_in_the_same_order() -> None:
    items = fixture_items()
    analyzer = Analyzer([Matcher.from_definition(RAIL)])
    batches = [items[i:] + items[:i] for i in range(len(items))]  # each batch in another order
    inline = list(analysed_batches(analyzer, batches, workers=1))
    pooled = list(analysed_batches(analyzer, batches, workers=2))
    assert pooled == inline
    assert [[a.item.id for a in batch] for batch in pooled] == [
        [i.id for i in batch] for batch in batches
    ]
    assert any(a.events for batch in pooled for a in batch)


def test_an_error_in_the_analysis_reaches_the_caller_as_it_would_without_workers() -> None:
    analyzer = FailingAnalyzer([Matcher.from_definition(RAIL)])
    items = fixture_items()
    with pytest.raises(ValueError, match="cannot analyse spun"):
        list(analysed_batches(analyzer, [items], workers=1))
    with pytest.raises(ValueError, match="cannot analyse spun"):
        list(analysed_batches(analyzer, [items[:1], items], workers=2))


def test_a_dead_worker_costs_speed_not_items(caplog: pytest.LogCaptureFixture) -> None:
    analyzer = DyingAnalyzer([Matcher.from_definition(RAIL)])
    items = fixture_items()
    batches = [items[:3], items[3:], items]
    with caplog.at_level(logging.WARNING, logger="digests.analysis_pool"):
        results = list(analysed_batches(analyzer, batches, workers=2))
    expected = [[Analyzer([Matcher.from_definition(RAIL)])(i) for i in b] for b in batches]
    assert results == expected
    assert "engine workers stopped" in caplog.text
    assert caplog.text.count("engine workers stopped") == 1


def test_worker_count_starts_a_pool_only_when_it_pays() -> None:
    assert worker_count(1, 10_000) == 1
    assert worker_count(3, POOL_MIN_ITEMS) == 3
    assert worker_count(3, POOL_MIN_ITEMS - 1) == 1
    assert worker_count(0, 10_000) == (usable_cores() if usable_cores() > 1 else 1)


def derived_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        return {
            "matches": conn.execute(
                "SELECT item_id, storyline_id, match, score, reasons FROM matches ORDER BY 1, 2"
            ).fetchall(),
            "events": conn.execute(
                "SELECT item_id, date, text, evidence FROM events ORDER BY 1, 2, 3"
            ).fetchall(),
            "quotes": conn.execute(
                "SELECT item_id, speaker, quote FROM quotes ORDER BY 1, 3"
            ).fetchall(),
            "stories": conn.execute(
                "SELECT sm.item_id, s.lead_item_id FROM story_members sm "
                "JOIN stories s ON s.id = sm.story_id ORDER BY 1"
            ).fetchall(),
            "bands": conn.execute("SELECT count(*) FROM item_bands").fetchall(),
        }


def test_the_demo_stores_the_same_with_and_without_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(analysis_pool, "POOL_MIN_ITEMS", 1)  # the demo's 37 items are few
    single, pooled = tmp_path / "single.db", tmp_path / "pooled.db"
    status, out_single, err_single = run_cli(
        "--db", str(single), "demo", env={"STORYLINE_ENGINE_WORKERS": "1"}
    )
    assert status == 0, err_single
    status, out_pooled, err_pooled = run_cli(
        "--db", str(pooled), "demo", env={"STORYLINE_ENGINE_WORKERS": "2"}
    )
    assert status == 0, err_pooled
    assert "2 worker processes" in err_pooled and "worker processes" not in err_single
    assert derived_rows(pooled) == derived_rows(single)
    assert derived_rows(single)["events"], "the demo extracts events"
    assert out_pooled == out_single


def _alive(pid: int) -> bool:
    """Running and not a zombie (an orphan's zombie may wait long for a reaper)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_with_their_parent_killed_by_sigkill() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.support.orphan_probe"], cwd=ROOT,
        stdout=subprocess.PIPE, text=True,
    ) as probe:
        try:
            assert probe.stdout is not None
            started = json.loads(probe.stdout.readline())
        finally:
            probe.send_signal(signal.SIGKILL)
    children = [*started["workers"], *filter(None, [started["tracker"]])]
    assert len(started["workers"]) == 2
    deadline = time.monotonic() + 20  # a bound for the test, not a speed claim
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in children if _alive(pid)] == []
