"""The SQLite store: migrations, identity and full-text search on a real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils

from digests.identity import canonical_url
from digests.models import ParsedEntry
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.database import WAL_CHECKPOINT_PAGES
from digests.store.migrations import current_version

NOW = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)


def entry(guid: str | None, url: str | None, title: str, text: str = "body") -> ParsedEntry:
    return ParsedEntry(guid=guid, url=url, title=title, text=text, published=NOW)


def test_empty_file_migrates_to_current(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    assert current_version(db) == SCHEMA_VERSION
    assert {"feeds", "items", "item_sources"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_CHECKPOINT_PAGES


def test_previous_version_migrates_forward_keeping_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=1)
    old.execute(
        "INSERT INTO items (id, feed_url, title, text, fetched, updated, content_hash) "
        "VALUES ('x', 'http://f', 't', 'b', '2026-01-01T00:00:00+00:00', "
        "'2026-01-01T00:00:00+00:00', 'h')"
    )
    old.conn.close()
    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION
    assert ItemStore(db).sources("x") == ["http://f"]


def test_newer_file_is_refused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    db.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION + 1])
    with pytest.raises(RuntimeError, match="newer than this Storyline"):
        migrate(db)


def test_same_item_twice_is_stored_once_and_updates_in_place() -> None:
    store = ItemStore(open_database(None))
    first = store.ingest("http://a/feed", [entry("g1", "http://x/1", "Title")], NOW)
    again = store.ingest("http://a/feed", [entry("g1", "http://x/1", "Title")], NOW)
    changed = store.ingest("http://a/feed", [entry("g1", "http://x/1", "Title", "new")], NOW)
    assert (len(first.new), again.unchanged, len(changed.updated)) == (1, 1, 1)
    assert store.count() == 1
    stored = store.get(first.new[0])
    assert stored is not None and stored.text == "new"


def test_two_feeds_with_same_link_store_it_once_with_both_sources() -> None:
    store = ItemStore(open_database(None))
    store.ingest("http://a/feed", [entry(None, "https://news.example/a?utm_source=x", "T")], NOW)
    out = store.ingest("http://b/feed", [entry(None, "https://NEWS.example/a", "T")], NOW)
    assert out.unchanged == 1 and store.count() == 1
    item_id = store.recent()[0].id
    assert store.sources(item_id) == ["http://a/feed", "http://b/feed"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Two episodes with the same title and boilerplate text: guids and links differ.
        (entry("p1", "https://pod.example/p1", "Podcast episode"),
         entry("p2", "https://pod.example/p2", "Podcast episode")),
        # Different guids, no links.
        (entry("p1", None, "Podcast episode"), entry("p2", None, "Podcast episode")),
        # No guids, different links.
        (entry(None, "https://pod.example/p1", "Podcast episode"),
         entry(None, "https://pod.example/p2", "Podcast episode")),
        # Different guids on the same link (a page that hosts many entries).
        (entry("p1", "https://pod.example/", "Morning"),
         entry("p2", "https://pod.example/", "Noon")),
        # A feed-local guid ("1") reused by another feed for another article.
        (entry("1", "https://a.example/x", "Same words"),
         entry("1", "https://b.example/y", "Same words")),
    ],
)
def test_items_whose_guids_or_links_differ_are_never_merged(
    first: ParsedEntry, second: ParsedEntry
) -> None:
    store = ItemStore(open_database(None))
    store.ingest("http://a/feed", [first], NOW)
    out = store.ingest("http://b/feed", [second], NOW)
    assert (len(out.new), out.unchanged) == (1, 0)
    assert {i.url for i in store.recent()} == {first.url and canonical_url(first.url),
                                               second.url and canonical_url(second.url)}
    # And each is still itself when ingested again.
    again = store.ingest("http://b/feed", [second, first], NOW)
    assert (again.new, again.unchanged, store.count()) == ([], 2, 2)


def test_the_content_hash_joins_only_entries_with_neither_guid_nor_link() -> None:
    store = ItemStore(open_database(None))
    store.ingest("http://a/feed", [entry("g1", "https://x.example/1", "Notice", "Same text")],
                 NOW)
    out = store.ingest("http://b/feed", [entry(None, None, "Notice", "Same text")], NOW)
    assert out.unchanged == 1 and store.count() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [("export", ["English"]), ("輸出管理", ["Japanese"]), ("Fable", ["English", "Japanese"])],
)
def test_full_text_search_handles_english_and_japanese(query: str, expected: list[str]) -> None:
    store = ItemStore(open_database(None))
    store.ingest(
        "http://f",
        [
            entry("1", None, "English", "Fable 5 export controls lifted"),
            entry("2", None, "Japanese", "米政府はFable 5の輸出管理を解除した"),
        ],
        NOW,
    )
    assert sorted(i.title for i in store.search(query)) == expected


def test_search_input_cannot_inject_fts_syntax() -> None:
    store = ItemStore(open_database(None))
    store.ingest("http://f", [entry("1", None, "a", 'he said "NEAR" OR *')], NOW)
    assert [i.title for i in store.search('"NEAR" OR *')] == ["a"]
    assert store.search("zz") == []
