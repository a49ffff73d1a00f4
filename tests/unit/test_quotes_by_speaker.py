"""Schema v10: a speaker's quotes come newest first from one index, whatever the case of
the name, and each quote's date follows its item's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from digests.models import ParsedEntry
from digests.pipeline import process_items
from digests.reading.lookups import Lookups
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.migrations import current_version
from tests.support.old_store import process_as_before
from tests.support.storylines import RAIL_WITH_OKAFOR

NOW = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
RAIL = RAIL_WITH_OKAFOR
LINES = [
    "Our members voted for this strike and they will decide when it ends",
    "The night rosters were never part of the offer we signed last spring",
    "We asked for a meeting every single day this week and heard nothing back",
]


def report(n: int, day: int) -> ParsedEntry:
    return ParsedEntry(
        guid=f"r{n}", url=f"https://news.example/r{n}", title=f"Northwind Rail strike, part {n}",
        text=(
            f"Drivers at Northwind Rail stayed out as the rail strike reached depot {n * 11}, "
            f"where {n * 40 + 3} trains sat idle.\n“{LINES[n]},” Okafor said."
        ),
        published=dt.datetime(2026, 3, day, tzinfo=dt.UTC),
    )


def plan(db: sqlite_utils.Database) -> str:
    rows = db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM quotes WHERE speaker = ? COLLATE NOCASE "
        "ORDER BY said_at DESC LIMIT 5", ["maren okafor"]
    ).fetchall()
    return " ".join(str(r[3]) for r in rows)


def test_quotes_by_reads_the_speaker_index_newest_first(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    entries = [report(0, 3), report(1, 9), report(2, 6)]
    ids = ItemStore(db).ingest("http://f", entries, NOW).new
    process_items(db, [RAIL], ids, NOW, workers=1)
    assert "INDEX quotes_speaker_time" in plan(db) and "TEMP B-TREE" not in plan(db)
    hits = Lookups(db, [RAIL]).quotes_by("OKAFOR", storyline_id="rail")
    assert [h.quote for h in hits] == [LINES[1], LINES[2], LINES[0]]
    assert [h.date for h in hits] == [dt.date(2026, 3, 9), dt.date(2026, 3, 6), dt.date(2026, 3, 3)]

    # A corrected publication date moves the item's quotes with it.
    db.execute("UPDATE items SET published = ? WHERE id = ?", ["2026-03-12T00:00:00+00:00", ids[0]])
    hits = Lookups(db, [RAIL]).quotes_by("Maren Okafor", storyline_id="rail")
    assert [h.quote for h in hits] == [LINES[0], LINES[1], LINES[2]]


def test_a_version_9_file_gets_dated_quotes(tmp_path: Path) -> None:
    path = tmp_path / "v9.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=9)
    ids = ItemStore(old).ingest("http://f", [report(0, 3), report(1, 9)], NOW).new
    process_as_before(old, [RAIL], ids, NOW)
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 10
    dates = db.execute("SELECT said_at FROM quotes ORDER BY said_at").fetchall()
    assert [d[0][:10] for d in dates] == ["2026-03-03", "2026-03-09"]
    assert "INDEX quotes_speaker_time" in plan(db)
    hits = Lookups(db, [RAIL]).quotes_by("Okafor", storyline_id="rail")
    assert [h.quote for h in hits] == [LINES[1], LINES[0]]
