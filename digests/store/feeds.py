"""Per-feed polling state: validators for conditional GET, errors, backoff schedule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from digests.store.timestamps import from_iso, to_iso


@dataclass(frozen=True)
class FeedState:
    """What we remember about a feed between polls."""

    url: str
    title: str | None
    storyline_id: str | None
    etag: str | None
    last_modified: str | None
    last_status: int | None
    last_error: str | None
    error_count: int
    last_success: dt.datetime | None
    last_attempt: dt.datetime | None
    next_poll: dt.datetime | None
    id: int = 0  # the row's number, shown by `storyline feeds` (a short handle for removal)


def _row(row: dict[str, Any]) -> FeedState:
    return FeedState(
        id=int(row["rowid"]),
        url=row["url"],
        title=row["title"],
        storyline_id=row["storyline_id"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_status=row["last_status"],
        last_error=row["last_error"],
        error_count=row["error_count"],
        last_success=from_iso(row["last_success"]),
        last_attempt=from_iso(row["last_attempt"]),
        next_poll=from_iso(row["next_poll"]),
    )


class FeedStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(self, url: str, now: dt.datetime, storyline_id: str | None = None) -> None:
        """Register a feed (idempotent); a new feed is due immediately."""
        self.db.execute(
            "INSERT INTO feeds (url, storyline_id, added_at, next_poll) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET storyline_id = coalesce(excluded.storyline_id, "
            "feeds.storyline_id)",
            [url, storyline_id, to_iso(now), to_iso(now)],
        )

    def remove(self, url: str) -> bool:
        cursor = self.db.execute("DELETE FROM feeds WHERE url = ?", [url])
        return bool(cursor.rowcount)

    def get_by_id(self, feed_id: int) -> FeedState | None:
        row = next(self.db.query("SELECT rowid, * FROM feeds WHERE rowid = ?", [feed_id]), None)
        return _row(row) if row else None

    def get(self, url: str) -> FeedState | None:
        row = next(self.db.query("SELECT rowid, * FROM feeds WHERE url = ?", [url]), None)
        return _row(row) if row else None

    def all(self) -> list[FeedState]:
        return [_row(r) for r in self.db.query("SELECT rowid, * FROM feeds ORDER BY url")]

    def due(self, now: dt.datetime) -> list[FeedState]:
        return [
            _row(r)
            for r in self.db.query(
                "SELECT rowid, * FROM feeds WHERE next_poll IS NULL OR next_poll <= ? ORDER BY url",
                [to_iso(now)],
            )
        ]

    def record_success(
        self,
        url: str,
        *,
        now: dt.datetime,
        status: int,
        etag: str | None,
        last_modified: str | None,
        title: str | None,
        next_poll: dt.datetime,
    ) -> None:
        self.db.execute(
            "UPDATE feeds SET last_status = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified), title = coalesce(?, title), "
            "last_error = NULL, error_count = 0, last_success = ?, last_attempt = ?, "
            "next_poll = ? WHERE url = ?",
            [status, etag, last_modified, title, to_iso(now), to_iso(now), to_iso(next_poll), url],
        )

    def record_failure(
        self, url: str, *, now: dt.datetime, status: int | None, error: str,
        next_poll: dt.datetime,
    ) -> int:
        """Store the error and the backoff; returns the new consecutive error count."""
        self.db.execute(
            "UPDATE feeds SET last_status = ?, last_error = ?, error_count = error_count + 1, "
            "last_attempt = ?, next_poll = ? WHERE url = ?",
            [status, error[:500], to_iso(now), to_iso(next_poll), url],
        )
        state = self.get(url)
        return state.error_count if state else 0
