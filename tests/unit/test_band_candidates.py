"""Duplicate candidates from the band index (schema v9): each key's newest items, most shared
keys first, and the same rows after an upgrade from v8."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from digests.models import ParsedEntry
from digests.pipeline import process_items
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.derived import BAND_FANOUT, DerivedStore
from digests.store.migrations import current_version
from tests.support.old_store import process_as_before
from tests.support.story_fixtures import fixture_entry

NOW = dt.datetime(2026, 3, 5, tzinfo=dt.UTC)


def stored_items(db: sqlite_utils.Database, count: int) -> list[str]:
    entries = [
        ParsedEntry(guid=f"g{n}", url=f"https://news.example/{n}", title=f"Item {n}",
                    text=f"Body of item {n}.", published=NOW)
        for n in range(count)
    ]
    return ItemStore(db).ingest("http://f", entries, NOW).new


def test_a_key_shared_by_many_items_offers_only_its_newest(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    ids = stored_items(db, BAND_FANOUT * 2)
    derived = DerivedStore(db)
    for item_id in ids:  # written in arrival order, as the engine does
        derived.save_bands(item_id, ["t0:stock-sentence", f"t1:{item_id}", f"t2:{item_id}"])
    found = derived.band_candidates(["t0:stock-sentence"], exclude="none")
    assert sorted(found) == sorted(ids[-BAND_FANOUT:])
    # An old item sharing rarer keys is still found, and ranks first.
    old = ids[3]
    found = derived.band_candidates(
        ["t0:stock-sentence", f"t1:{old}", f"t2:{old}"], exclude="none"
    )
    assert found[0] == old and set(found) == {old, *ids[-BAND_FANOUT:]}
    # The item being clustered is never its own candidate.
    assert ids[-1] not in derived.band_candidates(["t0:stock-sentence"], exclude=ids[-1])


def test_rewriting_an_items_bands_moves_it_to_the_newest(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    ids = stored_items(db, BAND_FANOUT + 1)
    derived = DerivedStore(db)
    for item_id in ids:
        derived.save_bands(item_id, ["t0:stock-sentence"])
    assert ids[0] not in derived.band_candidates(["t0:stock-sentence"], exclude="none")
    derived.save_bands(ids[0], ["t0:stock-sentence", "t0:stock-sentence"])  # re-processed
    found = derived.band_candidates(["t0:stock-sentence"], exclude="none")
    assert ids[0] in found and ids[1] not in found
    assert db.execute(
        "SELECT count(*) FROM item_bands WHERE item_id = ?", [ids[0]]
    ).fetchone()[0] == 1


def test_a_version_8_file_keeps_its_bands_in_arrival_order(tmp_path: Path) -> None:
    path = tmp_path / "v8.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=8)
    ids = ItemStore(old).ingest(
        "http://f", [fixture_entry("article"), fixture_entry("follow-up")], NOW
    ).new
    process_as_before(old, [], ids, NOW)
    before = set(old.execute("SELECT band_key, item_id FROM item_bands").fetchall())
    story = DerivedStore(old).story_of(ids[0])
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 9
    assert set(db.execute("SELECT band_key, item_id FROM item_bands").fetchall()) == before
    order = [r[0] for r in db.execute("SELECT item_id FROM item_bands ORDER BY id").fetchall()]
    assert order == sorted(order, key=ids.index), "rows follow the items' arrival"
    # A syndicated copy arriving after the upgrade still finds the article's story.
    [copy_id] = ItemStore(db).ingest("http://g", [fixture_entry("syndicated")], NOW).new
    report = process_items(db, [], [copy_id], NOW, workers=1)
    assert report.joined_story == 1
    assert DerivedStore(db).story_of(copy_id) == story


def lookup_plan(db: sqlite_utils.Database) -> str:
    rows = db.execute(
        "EXPLAIN QUERY PLAN SELECT item_id FROM item_bands WHERE band_key = ? "
        "ORDER BY id DESC LIMIT ?", ["t0:stock-sentence", BAND_FANOUT]
    ).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


def test_a_lookup_reads_the_band_index_alone(tmp_path: Path) -> None:
    # Newest first straight from the index: no table seek per row, no sort.
    plan = lookup_plan(open_database(tmp_path / "s.db"))
    assert "COVERING INDEX item_bands_newest" in plan and "B-TREE" not in plan


def test_a_version_17_file_finds_the_same_candidates_from_the_index(tmp_path: Path) -> None:
    path = tmp_path / "v17.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=17)
    ids = stored_items(old, BAND_FANOUT + 5)
    for item_id in ids:
        DerivedStore(old).save_bands(item_id, ["t0:stock-sentence", f"t1:{item_id}"])
    keys = ["t0:stock-sentence", f"t1:{ids[10]}"]
    before = DerivedStore(old).band_candidates(keys, exclude=ids[-1])
    assert "COVERING" not in lookup_plan(old)
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 18
    assert "COVERING INDEX item_bands_newest" in lookup_plan(db)
    assert DerivedStore(db).band_candidates(keys, exclude=ids[-1]) == before
    assert before[0] == ids[10] and len(before) == BAND_FANOUT - 1  # the newest, less itself
