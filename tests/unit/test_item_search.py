"""`storyline items --search` without the trigram index: the same items as the index found."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from digests.models import ParsedEntry
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.migrations import current_version

NOW = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)

# Our own sentences: mixed case, accents, full-width letters, Greek and Cyrillic capitals,
# Japanese without spaces, a phrase across a line break.
TEXTS = [
    ("Export controls lifted", "The Commerce Department LIFTED the order on Fable 5 today."),
    ("輸出管理の解除", "米政府は6月26日、Fable 5の輸出管理を解除したと発表した。"),
    ("Café reopens", "The CAFÉ near the Élysée reopened; its owner said “we are back”."),
    ("Ｆａｂｌｅ ５ in full width", "Ｆａｂｌｅ ５ access returned for ＵＳＥＲＳ in Japan."),
    ("Mixed scripts", "ΑΘΗΝΑ and МОСКВА reported the Mythos 5 decision.\nNew rules follow."),
    ("Line break", "Officials said the rules\nwould change next week."),
    ("Nothing relevant", "The city council approved a new bus lane on Monday."),
]
QUERIES = [
    "fable 5", "FABLE", "輸出管理", "解除した", "café", "élysée", "ｆａｂｌｅ", "ｕｓｅｒｓ",
    "αθηνα", "москва", "rules\nwould", "rules would", "new bus lane", "mythos 5 decision",
    '"NEAR" OR *', "zzz", "the", "6月26日",
]


def entries() -> list[ParsedEntry]:
    return [
        ParsedEntry(guid=f"g{n}", url=f"https://x.example/{n}", title=title, text=text,
                    published=NOW - dt.timedelta(hours=n))
        for n, (title, text) in enumerate(TEXTS)
    ]


def trigram_reference(query: str) -> list[str]:
    """What the trigram index of schema v1–v13 found for the query, newest first."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE ref USING fts5(title, text, n, tokenize='trigram')")
    db.executemany("INSERT INTO ref VALUES (?, ?, ?)",
                   [(title, text, n) for n, (title, text) in enumerate(TEXTS)])
    rows = db.execute("SELECT title FROM ref WHERE ref MATCH ? ORDER BY n",
                      ['"' + query.replace('"', '""') + '"']).fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_the_trigram_index_found(query: str) -> None:
    store = ItemStore(open_database(None))
    store.ingest("http://f", entries(), NOW)
    assert [item.title for item in store.search(query)] == trigram_reference(query)


def test_search_stops_at_the_limit_newest_first() -> None:
    store = ItemStore(open_database(None))
    store.ingest("http://f", entries(), NOW)
    assert [item.title for item in store.search("the", limit=2)] == [
        "Export controls lifted", "Café reopens"]


def test_a_version_13_file_drops_the_index_and_finds_the_same_items(tmp_path: Path) -> None:
    path = tmp_path / "v13.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=13)
    ItemStore(old).ingest("http://f", entries(), NOW)
    before = {
        query: sorted(row[0] for row in old.execute(
            "SELECT items.title FROM items_fts JOIN items ON items.rowid = items_fts.rowid "
            "WHERE items_fts MATCH ?", ['"' + query.replace('"', '""') + '"']).fetchall())
        for query in QUERIES
    }
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 15
    assert "items_fts" not in db.table_names()
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                      "AND name IN ('items_ai', 'items_ad', 'items_au')").fetchone()[0] == 0
    store = ItemStore(db)
    assert {query: sorted(i.title for i in store.search(query)) for query in QUERIES} == before
    # Items stored, changed and deleted afterwards need no index upkeep.
    store.ingest("http://f", [ParsedEntry(guid="late", url="https://x.example/late",
                                          title="Late", text="Fable 5 again", published=NOW)],
                 NOW)
    db.execute("DELETE FROM items WHERE title = 'Nothing relevant'")
    assert "Late" in [i.title for i in store.search("fable 5")]
    assert store.search("bus lane") == []
