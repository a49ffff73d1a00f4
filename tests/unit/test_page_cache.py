"""The engine's larger page cache lasts one run: the connection's own setting comes back."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import sqlite_utils

from digests.models import ParsedEntry
from digests.pipeline import process_items
from digests.store import ItemStore, open_database
from digests.store.page_cache import ENGINE_CACHE_KIB, larger_page_cache

NOW = dt.datetime(2026, 3, 5, tzinfo=dt.UTC)


def cache_size(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA cache_size").fetchone()[0])


def test_the_cache_is_larger_inside_and_restored_after(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    before = cache_size(db)
    assert -before < ENGINE_CACHE_KIB  # SQLite's default, about 2 MB
    with larger_page_cache(db):
        assert cache_size(db) == -ENGINE_CACHE_KIB
    assert cache_size(db) == before


def test_the_setting_is_restored_when_the_run_fails(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    db.execute("PRAGMA cache_size = 500")  # pages, not KiB
    with pytest.raises(RuntimeError), larger_page_cache(db):
        raise RuntimeError("a batch failed")
    assert cache_size(db) == 500


def test_a_connection_with_a_larger_cache_keeps_it(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    db.execute(f"PRAGMA cache_size = {-2 * ENGINE_CACHE_KIB}")
    with larger_page_cache(db):
        assert cache_size(db) == -2 * ENGINE_CACHE_KIB
    assert cache_size(db) == -2 * ENGINE_CACHE_KIB


def test_an_engine_run_leaves_the_setting_as_it_found_it(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    before = cache_size(db)
    entries = [
        ParsedEntry(guid=f"g{n}", url=f"https://news.example/{n}", title=f"Item {n}",
                    text=f"Body of item {n}, which says something of its own.", published=NOW)
        for n in range(3)
    ]
    ids = ItemStore(db).ingest("http://f", entries, NOW).new
    report = process_items(db, [], ids, NOW, workers=1)
    assert report.items == 3
    assert cache_size(db) == before


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
def test_the_larger_cache_is_given_back_to_the_system_after_the_run(tmp_path: Path) -> None:
    # SQLite frees the cache's pages; the process must not keep them (glibc would, for reuse).
    db = open_database(tmp_path / "s.db")
    db.execute("CREATE TABLE filler (body BLOB)")
    db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
               "INSERT INTO filler SELECT randomblob(4000) FROM n")  # ~16 MB
    kib = 12 * 1024
    with larger_page_cache(db, kib):
        db.execute("SELECT sum(length(body)) FROM filler").fetchone()
        holding = resident_bytes()
    released = holding - resident_bytes()
    assert released > kib * 1024 // 2, f"only {released / 1e6:.1f} MB given back"
