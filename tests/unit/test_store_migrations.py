"""Version 5 (stored fingerprints): from an empty file, and from a version-4 file in use.

A version-4 file already holds clustered items (bands, stories) but no fingerprints; after the
upgrade those items must still be found as candidates and fold copies into their stories.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import sqlite_utils

from digests.models import ParsedEntry
from digests.pipeline import process_items
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.derived import DerivedStore
from digests.store.migrations import current_version
from digests.stories import fingerprint

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
NOW = dt.datetime(2026, 3, 5, tzinfo=dt.UTC)


def fixture_entry(name: str) -> ParsedEntry:
    _, header, body = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").split("+++\n", 2)
    meta = tomllib.loads(header)
    return ParsedEntry(
        guid=name, url=f"https://news.example/{name}", title=meta["title"], text=body,
        published=dt.datetime.fromisoformat(meta["published"]),
    )


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
    derived = DerivedStore(old)
    derived.save_bands(article_id, fingerprint(article.title, article.text).band_keys)
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
    assert stored[article_id] == fingerprint(article.title, article.text)
    assert set(stored) == {article_id, copy_id}
