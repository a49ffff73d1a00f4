"""Schema v8: each distinct quote wording is indexed once, and `who-said` reads through it.

Writers only insert and delete `quotes`; these tests check that the triggers keep
`quote_texts` (and its full-text index) exactly in step, from an empty file and from v7.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from digests.models import ExtractedQuote, ParsedEntry
from digests.pipeline import process_items
from digests.reading.lookups import Lookups
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.derived import DerivedStore
from digests.store.migrations import current_version
from tests.support.old_store import process_as_before
from tests.support.storylines import RAIL_WITH_OKAFOR

NOW = dt.datetime(2026, 3, 5, tzinfo=dt.UTC)
RAIL = RAIL_WITH_OKAFOR
LINE = "We will keep the picket lines up until the night rosters are withdrawn in full"


def report(n: int, line: str = LINE) -> ParsedEntry:
    """A distinct report on the strike (own wording around it) quoting `line`."""
    return ParsedEntry(
        guid=f"r{n}", url=f"https://news.example/r{n}", title=f"Northwind Rail strike, day {n}",
        text=(
            f"Drivers at Northwind Rail stayed out for day {n} of the rail strike, with "
            f"{100 + n} trains cancelled on route {n} and depot {n * 7} closed.\n"
            f"“{line},” Okafor said on Tuesday."
        ),
        published=NOW - dt.timedelta(days=30 - n),
    )


def texts(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT quote FROM quote_texts ORDER BY quote").fetchall()]


def indexed(db: sqlite_utils.Database, needle: str) -> int:
    return int(db.execute(
        "SELECT count(*) FROM quote_texts_fts WHERE quote_texts_fts MATCH ?", [f'"{needle}"']
    ).fetchone()[0])


def test_an_empty_file_indexes_wordings_not_quotes(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    assert current_version(db) == SCHEMA_VERSION >= 8
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master").fetchall()}
    assert {"quote_texts", "quote_texts_fts"} <= tables and "quotes_fts" not in tables


def test_a_line_quoted_by_many_items_is_one_wording_and_one_hit(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    ids = ItemStore(db).ingest("http://f", [report(n) for n in range(1, 31)], NOW).new
    process_items(db, [RAIL], ids, NOW, workers=1)
    assert db.execute("SELECT count(*) FROM quotes").fetchone()[0] == 30
    assert texts(db) == [LINE]
    assert indexed(db, "picket lines") == 1
    # Thirty reports, not copies of one article: thirty stories, each with its own quote.
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 30
    assert db.execute("SELECT count(*) FROM quotes WHERE text_id IS NULL").fetchone()[0] == 0

    hits = Lookups(db, [RAIL]).who_said("keep the picket lines up", storyline_id="rail")
    assert [(h.speaker, h.quote) for h in hits] == [("Maren Okafor", LINE)]
    # The newest quote of the wording is the one shown.
    assert hits[0].source.item_id == ids[-1]


def test_wordings_follow_quotes_as_they_are_replaced_and_deleted(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    ids = ItemStore(db).ingest("http://f", [report(1), report(2)], NOW).new
    process_items(db, [RAIL], ids, NOW, workers=1)
    derived = DerivedStore(db)
    other = "The night rosters were never part of the offer we signed"
    derived.replace_quotes(ids[0], [ExtractedQuote(quote=other, speaker="Maren Okafor")])
    assert texts(db) == [other, LINE]  # LINE is still quoted by the second item
    db.execute("DELETE FROM items WHERE id = ?", [ids[1]])  # cascades to its quotes
    assert texts(db) == [other]
    assert indexed(db, "picket lines") == 0 and indexed(db, "never part") == 1
    db.execute("UPDATE quotes SET quote = ? WHERE item_id = ?", [LINE, ids[0]])
    assert texts(db) == [LINE] and indexed(db, "never part") == 0
    assert Lookups(db, [RAIL]).who_said("picket lines")[0].quote == LINE


def test_a_version_7_file_gets_its_quotes_indexed_by_wording(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=7)
    entries = [report(1), report(2), report(3, "Nobody at the depots was consulted on this")]
    ids = ItemStore(old).ingest("http://f", entries, NOW).new
    process_as_before(old, [RAIL], ids, NOW)
    assert old.execute("SELECT count(*) FROM quotes").fetchone()[0] == 3
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION
    assert texts(db) == ["Nobody at the depots was consulted on this", LINE]
    assert db.execute("SELECT count(*) FROM quotes WHERE text_id IS NULL").fetchone()[0] == 0
    lookups = Lookups(db, [RAIL])
    assert [h.quote for h in lookups.who_said("consulted at the depots")] == [
        "Nobody at the depots was consulted on this"
    ]
    assert [h.quote for h in lookups.who_said("picket lines up")] == [LINE]
