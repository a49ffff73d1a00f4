"""Storing and reading items; ingesting the same article twice keeps one row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from digests.identity import (
    canonical_url,
    clean_guid,
    content_hash,
    item_id,
    links_differ,
    qualified_item_id,
)
from digests.models import Item, ParsedEntry
from digests.store.id_batches import rows_for_ids
from digests.store.timestamps import from_iso, to_iso
from digests.store.transaction import transaction


@dataclass
class IngestOutcome:
    """Counts for one ingest call, plus the ids the engine should look at next."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # entries the feed held with no title, text or link (set by the caller)

    def merge(self, other: IngestOutcome) -> None:
        self.new.extend(other.new)
        self.updated.extend(other.updated)
        self.unchanged += other.unchanged
        self.skipped += other.skipped

    @property
    def changed_ids(self) -> list[str]:
        return [*self.new, *self.updated]


def _row_to_item(row: dict[str, Any]) -> Item:
    published = from_iso(row["published"])
    fetched = from_iso(row["fetched"])
    assert fetched is not None
    return Item(
        id=row["id"],
        feed_url=row["feed_url"],
        guid=row["guid"],
        url=row["url"],
        title=row["title"],
        text=row["text"],
        language=row["language"],
        published=published,
        fetched=fetched,
        content_hash=row["content_hash"],
        page_text=row.get("page_text") or "",
    )


class ItemStore:
    """Items table access; identity rules live in `digests.identity`."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        # A file below schema v13 (a test standing in for an older release) has no pages.
        self._pages = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'item_pages'"
        ).fetchone() is not None

    def _row(self, sql: str, arg: str) -> dict[str, Any] | None:
        return next(self.db.query(sql, [arg]), None)

    def _identify(
        self, entry: ParsedEntry, url: str | None, digest: str
    ) -> tuple[str, dict[str, Any] | None]:
        """The entry's id and the stored row it is, if any (see `digests.identity`)."""
        guid = clean_guid(entry.guid)
        ident = item_id(guid, url, entry.title, entry.text)
        row = self._row("SELECT * FROM items WHERE id = ?", ident)
        if row is not None and links_differ(row["url"], url):
            assert guid is not None and url is not None  # ids differ otherwise
            ident = qualified_item_id(guid, url)
            row = self._row("SELECT * FROM items WHERE id = ?", ident)
        if row is not None:
            return ident, row
        if url is not None:
            # The same page stored without a guid, or arriving now without one.
            any_guid = "" if guid is None else "AND (guid IS NULL OR trim(guid) = '') "
            row = self._row(
                f"SELECT * FROM items WHERE url = ? {any_guid}ORDER BY fetched LIMIT 1", url
            )
        elif guid is None:
            row = self._row(
                "SELECT * FROM items WHERE content_hash = ? ORDER BY fetched LIMIT 1", digest
            )
        return ident, row

    def ingest(
        self, feed_url: str, entries: Iterable[ParsedEntry], fetched: dt.datetime
    ) -> IngestOutcome:
        """Insert new entries, update changed ones in place, count the rest as unchanged."""
        outcome = IngestOutcome()
        now = to_iso(fetched)
        with transaction(self.db):
            for entry in entries:
                url = canonical_url(entry.url) if entry.url else None
                digest = content_hash(entry.title, entry.text)
                ident, existing = self._identify(entry, url, digest)
                if existing is None:
                    self.db.execute(
                        "INSERT INTO items (id, feed_url, guid, url, title, text, language, "
                        "published, fetched, updated, content_hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [ident, feed_url, entry.guid, url, entry.title, entry.text,
                         entry.language, to_iso(entry.published), now, now, digest],
                    )
                    outcome.new.append(ident)
                    target = ident
                else:
                    target = existing["id"]
                    if existing["content_hash"] != digest and existing["feed_url"] == feed_url:
                        self.db.execute(
                            "UPDATE items SET title = ?, text = ?, language = ?, "
                            "published = coalesce(?, published), updated = ?, content_hash = ? "
                            "WHERE id = ?",
                            [entry.title, entry.text, entry.language,
                             to_iso(entry.published), now, digest, target],
                        )
                        # Its derived rows describe the old text: owed to the engine again.
                        self.db.execute(
                            "DELETE FROM item_processing WHERE item_id = ?", [target]
                        )
                        outcome.updated.append(target)
                    else:
                        outcome.unchanged += 1
                self.db.execute(
                    "INSERT OR IGNORE INTO item_sources (item_id, feed_url, first_seen) "
                    "VALUES (?, ?, ?)",
                    [target, feed_url, now],
                )
        return outcome

    def mark_processed(
        self, idents: Sequence[str], engine_version: int, now: dt.datetime
    ) -> None:
        """Record that the engine at `engine_version` wrote these items' derived rows; called
        inside the transaction that wrote them, so a crash leaves both or neither."""
        self.db.conn.executemany(
            "INSERT INTO item_processing (item_id, engine_version, processed_at) "
            "VALUES (?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET "
            "engine_version = excluded.engine_version, processed_at = excluded.processed_at",
            [(ident, engine_version, to_iso(now)) for ident in idents],
        )

    def unprocessed_page(
        self, engine_version: int, after: tuple[str, str] | None, limit: int
    ) -> list[tuple[tuple[str, str], str]]:
        """((time, id), id) of the next `limit` items the engine at `engine_version` still
        owes (never processed, changed since, or processed by an older engine), oldest first
        by publication time (fetch time when undated), after the key `after`.

        Publication order, not arrival: a feed lists its newest entries first, and the engine
        judges each item with what its storylines matched before it (`memory_step`).
        """
        where = "" if after is None else "AND (coalesce(i.published, i.fetched), i.id) > (?, ?) "
        return [
            ((str(row[0]), str(row[1])), str(row[1]))
            for row in self.db.execute(
                "SELECT coalesce(i.published, i.fetched) AS at, i.id FROM items i "
                "WHERE NOT EXISTS (SELECT 1 FROM item_processing p WHERE p.item_id = i.id "
                "AND p.engine_version >= ?) " + where + "ORDER BY at, i.id LIMIT ?",
                [engine_version, *(after or ()), limit],
            ).fetchall()
        ]

    def unprocessed_counts(self, engine_version: int) -> tuple[int, int]:
        """Items owed to the engine: (never processed or changed since, processed by an older
        engine version)."""
        total = self.count()
        current, older = self.db.execute(
            "SELECT count(*) FILTER (WHERE engine_version >= ?), "
            "count(*) FILTER (WHERE engine_version < ?) FROM item_processing",
            [engine_version, engine_version],
        ).fetchone()
        return total - int(current) - int(older), int(older)

    def get(self, ident: str) -> Item | None:
        """The item with its article page's text, if one was fetched (`item_pages`)."""
        sql = (
            "SELECT items.*, p.text AS page_text FROM items "
            "LEFT JOIN item_pages p ON p.item_id = items.id AND p.outcome = 'fetched' "
            "WHERE items.id = ?" if self._pages else "SELECT * FROM items WHERE id = ?"
        )
        row = next(self.db.query(sql, [ident]), None)
        return _row_to_item(row) if row else None

    def published_times(self, idents: Sequence[str]) -> dict[str, dt.datetime | None]:
        """Publication times of the stored items among `idents` (absent ids are left out).

        Clustering needs only this of each candidate; reading whole rows (bodies included)
        for up to 50 candidates per item was most of a lookup's I/O.
        """
        return {
            row[0]: from_iso(row[1])
            for row in rows_for_ids(
                self.db, "SELECT id, published FROM items WHERE id IN ({marks})", idents
            )
        }

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    def first_fetched(self) -> dt.datetime | None:
        """When the oldest stored item was fetched; None for an empty store."""
        return from_iso(self.db.execute("SELECT min(fetched) FROM items").fetchone()[0])

    def sources(self, ident: str) -> list[str]:
        return [
            r["feed_url"]
            for r in self.db.query(
                "SELECT feed_url FROM item_sources WHERE item_id = ? ORDER BY first_seen",
                [ident],
            )
        ]

    def recent(self, limit: int = 50, offset: int = 0) -> list[Item]:
        """Newest first by publication date (fetch time when the feed gave none).

        The ORDER BY must stay exactly as the `items_recent` index spells it (migration v6).
        """
        rows = self.db.query(
            "SELECT * FROM items ORDER BY coalesce(published, fetched) DESC, id "
            "LIMIT ? OFFSET ?",
            [limit, offset],
        )
        return [_row_to_item(r) for r in rows]

    def search(self, text: str, limit: int = 50) -> list[Item]:
        """Items whose title or text contains `text`, case aside, newest first.

        Three characters or more are compared lower-cased, as the trigram full-text index
        (dropped in schema v15) compared them, in English and Japanese alike; shorter input
        keeps SQLite's LIKE. No index: the newest-first listing is walked until `limit` items
        match, so a common phrase stops early and a rare one reads every item once. Keeping
        a trigram index of every body cost 85% of storing an item and 2.4–2.8× the items table
        on disk, for this one diagnostic command (issue 14).
        """
        phrase = text.strip()
        if not phrase:
            return []
        order = "ORDER BY coalesce(published, fetched) DESC, id LIMIT ?"
        if len(phrase) < 3:
            like = "%" + phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self.db.query(
                "SELECT * FROM items WHERE title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\' "
                + order,
                [like, like, limit],
            )
            return [_row_to_item(r) for r in rows]
        self.db.conn.create_function(
            "storyline_contains", 2, contains_lowered, deterministic=True
        )
        rows = self.db.query(
            "SELECT * FROM items WHERE storyline_contains(title, ?) "
            "OR storyline_contains(text, ?) " + order,
            [phrase.lower(), phrase.lower(), limit],
        )
        return [_row_to_item(r) for r in rows]

    def iter_all(self, batch: int = 500) -> Iterator[Item]:
        offset = 0
        while True:
            rows = list(
                self.db.query(
                    "SELECT * FROM items ORDER BY rowid LIMIT ? OFFSET ?", [batch, offset]
                )
            )
            if not rows:
                return
            yield from (_row_to_item(r) for r in rows)
            offset += batch


def contains_lowered(value: str | None, lowered: str) -> bool:
    """Whether `value` lower-cased contains `lowered` (the trigram index's case folding)."""
    return value is not None and lowered in value.lower()
