"""The engine's larger page cache lasts one run: the connection's own setting comes back."""

from __future__ import annotations

import datetime as dt
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
