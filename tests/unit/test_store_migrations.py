"""Versions 5 (stored fingerprints), 6 (newest-first index) and 7 (stored timelines), from an
empty file and from the version before each.

A version-4 file already holds clustered items (bands, stories) but no fingerprints; after the
upgrade those items must still be found as candidates and fold copies into their stories.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from digests.backlog import Backlog, backlog, owed_batches, process_backlog
from digests.config import parse_storyline
from digests.models import ParsedEntry
from digests.pipeline import ENGINE_VERSION, process_items
from digests.reading import timeline_cache
from digests.reading.lookups import Lookups
from digests.reading.merged_timelines import MergedTimelines
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.derived import DerivedStore
from digests.store.migrations import current_version
from digests.store.page_sites import PageSiteStore
from digests.store.pages import PageRecord, PageStore
from digests.store.robots_files import RobotsFile, RobotsFileStore
from digests.stories import fingerprint
from digests.stories.encoding import decode
from tests.support.old_store import process_as_before, save_bands_as_before
from tests.support.story_fixtures import fixture_entry

NOW = dt.datetime(2026, 3, 5, tzinfo=dt.UTC)


def columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}


def test_empty_file_gets_the_fingerprint_table(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    assert current_version(db) == SCHEMA_VERSION >= 5
    assert columns(db, "item_fingerprints") == {
        "item_id", "band_keys", "shingles", "names", "length"
    }


def test_version_4_file_keeps_clustering_its_old_items(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=4)
    article = fixture_entry("article")
    [article_id] = ItemStore(old).ingest("http://f", [article], NOW).new
    # What the version-4 engine left behind: bands and a story, no fingerprint.
    save_bands_as_before(old, article_id, fingerprint(article.title, article.text).band_keys)
    derived = DerivedStore(old)
    derived.create_story("s-old", article_id, article.title, NOW)
    derived.join_story(article_id, "s-old", 1.0, NOW)
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM item_fingerprints").fetchone()[0] == 0
    [copy_id] = ItemStore(db).ingest("http://g", [fixture_entry("syndicated")], NOW).new
    report = process_items(db, [], [copy_id], NOW)
    derived = DerivedStore(db)
    assert report.joined_story == 1
    assert derived.story_of(copy_id) == "s-old"
    assert set(derived.story_members("s-old")) == {article_id, copy_id}
    # The old item was fingerprinted on demand, exactly as from its text.
    stored = derived.fingerprints([article_id, copy_id])
    assert decode(stored[article_id]) == fingerprint(article.title, article.text)
    assert set(stored) == {article_id, copy_id}


def recent_plan(db: sqlite_utils.Database) -> str:
    sql = "SELECT * FROM items ORDER BY coalesce(published, fetched) DESC, id LIMIT 5"
    return " ".join(str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall())


def test_empty_file_lists_newest_items_through_the_index(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    assert "items_recent" in recent_plan(db) and "TEMP B-TREE" not in recent_plan(db)


def test_version_5_file_gets_the_index_and_keeps_its_order(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=5)
    names = ["article", "spun", "unrelated", "follow-up"]
    ItemStore(old).ingest("http://f", [fixture_entry(name) for name in names], NOW)
    before = [item.id for item in ItemStore(old).recent()]
    assert "items_recent" not in recent_plan(old)
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 6
    assert "items_recent" in recent_plan(db)
    assert [item.id for item in ItemStore(db).recent()] == before
    assert [i.title for i in ItemStore(db).recent(limit=2, offset=1)] == [
        fixture_entry(name).title for name in ("spun", "unrelated")
    ]


def test_empty_file_gets_stored_timelines(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    assert current_version(db) == SCHEMA_VERSION >= 7
    assert columns(db, "timelines") == {"storyline_id", "generation", "events"}
    assert timeline_cache.generation(db) == 0


RAIL = parse_storyline(
    {"id": "rail", "name": "Rail strike", "description": "The Northwind Rail drivers' strike.",
     "keywords": ["Northwind Rail", "rail strike", "Halvik", "drivers"]},
    "test",
)


def test_version_6_file_stores_its_timeline_and_notices_changes(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=6)
    ids = ItemStore(old).ingest("http://f", [fixture_entry("article")], NOW).new
    process_as_before(old, [RAIL], ids, NOW)
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 7
    assert db.execute("SELECT count(*) FROM timelines").fetchone()[0] == 0
    lookups = Lookups(db, [RAIL])
    assert lookups.refresh_timelines() == ["rail"]
    stored = MergedTimelines(db, lambda *_: [], lambda events, _: list(events)).page("rail")
    assert stored and stored == Lookups(db, [RAIL]).timeline("rail")

    # Each thing a timeline is made of moves the generation; an unrelated column does not.
    [item_id] = ids
    changes = [
        ("UPDATE matches SET match = 0 WHERE item_id = ?", [item_id], True),
        ("UPDATE matches SET match = 1 WHERE item_id = ?", [item_id], True),
        ("UPDATE events SET text = text || '.' WHERE item_id = ?", [item_id], True),
        ("UPDATE items SET title = 'Renamed' WHERE id = ?", [item_id], True),
        ("UPDATE items SET updated = 'later' WHERE id = ?", [item_id], False),
        ("UPDATE stories SET updated = 'later'", [], False),
    ]
    for sql, args, moves in changes:
        start = timeline_cache.generation(db)
        db.execute(sql, args)
        assert (timeline_cache.generation(db) > start) is moves, sql
    assert lookups.refresh_timelines() == ["rail"]
    [renamed] = {ref.title for event in lookups.timeline("rail") for ref in event.sources}
    assert renamed == "Renamed"


def test_version_10_file_gets_inferred_event_dates(tmp_path: Path) -> None:
    """Events stored before are dated by their text; items processed after the upgrade add
    their news leads dated by publication, and the timeline says which is which."""
    path = tmp_path / "v10.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=10)
    ids = ItemStore(old).ingest("http://f", [fixture_entry("article")], NOW).new
    process_as_before(old, [RAIL], ids, NOW)
    before = old.execute("SELECT count(*) FROM events").fetchone()[0]
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 11
    assert "inferred" in columns(db, "events")
    assert db.execute("SELECT count(*), sum(inferred) FROM events").fetchone() == (before, 0)
    walkout = ParsedEntry(
        guid="walkout", url="https://rail.example/walkout",
        title="Northwind Rail drivers walk out",
        text="Northwind Rail drivers walked out across the network, halting most trains.\n"
             "The union said the rail strike would last until pay talks resume.",
        published=NOW,
    )
    [new_id] = ItemStore(db).ingest("http://f", [walkout], NOW).new
    process_items(db, [RAIL], [new_id], NOW)
    [(date, inferred)] = db.execute(
        "SELECT date, inferred FROM events WHERE item_id = ?", [new_id]
    ).fetchall()
    assert (date, inferred) == (NOW.date().isoformat(), 1)
    timeline = Lookups(db, [RAIL]).timeline("rail")
    assert [event.inferred for event in timeline if event.sources[0].item_id == new_id] == [True]


def test_version_10_file_keeps_what_its_engine_processed_and_owes_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v10.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=10)
    items = ItemStore(old)
    [done] = items.ingest("http://f", [fixture_entry("article")], NOW).new
    process_as_before(old, [], [done], NOW + dt.timedelta(minutes=1))
    # Stored, then the process died before the engine reached it.
    [left] = items.ingest("http://g", [fixture_entry("unrelated")], NOW).new
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 12
    # The old release processed `done` (recorded as engine 1); `left` it never reached.
    assert db.execute("SELECT item_id, engine_version FROM item_processing").fetchall() == [
        (done, 1)
    ]
    expected = Backlog(unprocessed=1, older_engine=int(ENGINE_VERSION > 1))
    assert backlog(db) == expected
    owed = {item.id for batch in owed_batches(db) for item in batch}
    assert owed == ({left, done} if ENGINE_VERSION > 1 else {left})
    process_backlog(db, [], NOW)
    assert backlog(db).total == 0


def test_version_12_file_gets_item_pages_and_its_items_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "v12.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=12)
    [ident] = ItemStore(old).ingest("http://f", [fixture_entry("article")], NOW).new
    before = ItemStore(old).get(ident)
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 13
    assert ItemStore(db).get(ident) == before  # no page yet: the feed's text alone
    PageStore(db).record("http://f", PageRecord(ident, "https://a.example/1", "fetched", None,
                                                text="The article's own words."), NOW)
    item = ItemStore(db).get(ident)
    assert item is not None and item.text == before.text  # type: ignore[union-attr]
    assert item.body.endswith("The article's own words.")


def test_version_13_file_gets_page_validators_and_site_backoff(tmp_path: Path) -> None:
    path = tmp_path / "v13.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=13)
    [ident] = ItemStore(old).ingest("http://f", [fixture_entry("article")], NOW).new
    old.execute(
        "INSERT INTO item_pages (item_id, feed_url, url, outcome, text, attempted_at) "
        "VALUES (?, 'http://f', 'https://a.example/1', 'fetched', 'Page words.', ?)",
        [ident, NOW.isoformat()])
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 14
    page = PageStore(db).get(ident)
    # A page stored before has no validators: its next check is a plain GET.
    assert page is not None and (page.text, page.etag, page.last_modified) == (
        "Page words.", None, None)
    assert columns(db, "page_sites") == {
        "site", "failures", "last_error", "feed_url", "failed_at", "next_try"}
    sites = PageSiteStore(db)
    sites.record_failure("https://a.example", feed_url="http://f", error="timeout", now=NOW,
                         next_try=None)
    state = sites.get("https://a.example")
    assert state is not None and state.failures == 1 and not state.waiting(NOW)



def test_version_15_file_builds_its_merge_once_then_follows_the_change_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v15.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=15)
    ids = ItemStore(old).ingest("http://f", [fixture_entry("article")], NOW).new
    process_as_before(old, [RAIL], ids, NOW)
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 16
    assert db.execute("SELECT count(*) FROM timeline_changes").fetchone()[0] == 0
    lookups = Lookups(db, [RAIL])
    assert lookups.refresh_timelines() == ["rail"]  # no state yet: every report merged
    first = lookups.timeline("rail")
    assert first == lookups._story_events("rail")

    later = ItemStore(db).ingest("http://f", [fixture_entry("follow-up")], NOW).new
    process_items(db, [RAIL], later, NOW)
    logged = {row[0] for row in db.execute("SELECT item_id FROM timeline_changes")}
    assert set(later) <= logged
    assert lookups.refresh_timelines() == ["rail"]
    assert lookups.timeline("rail") == lookups._story_events("rail") != first


def test_version_16_file_gets_kept_robots_files(tmp_path: Path) -> None:
    path = tmp_path / "v16.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=16)
    [ident] = ItemStore(old).ingest("http://f", [fixture_entry("article")], NOW).new
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 17
    assert ItemStore(db).get(ident) is not None
    files = RobotsFileStore(db)
    assert files.get("https://a.example") is None  # nothing kept: the first poll asks
    files.put(RobotsFile("https://a.example", 200, "User-agent: *\nDisallow: /x\n", '"e"',
                         None, NOW))
    files.put(RobotsFile("https://a.example", 404, None, None, None, NOW))  # replaced
    assert files.get("https://a.example") == RobotsFile(
        "https://a.example", 404, None, None, None, NOW)
