"""Article pages behind teaser items: their text, or why none was fetched (schema v13)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from digests.store.timestamps import from_iso, to_iso
from digests.store.transaction import transaction

OUTCOMES = ("fetched", "failed", "robots", "skipped")


@dataclass(frozen=True)
class PageRecord:
    """One item's page attempt, as `storyline explain` shows it."""

    item_id: str
    url: str
    outcome: str  # one of OUTCOMES
    reason: str | None
    text: str = ""
    author: str | None = None
    published: dt.datetime | None = None
    language: str | None = None
    retry: bool = False  # a failure that may pass (timeout, network, server error)
    attempts: int = 1
    # The validators the page was served with, sent back when it is checked again (v14).
    etag: str | None = None
    last_modified: str | None = None
    # False when no request was made (its site is backing off): not one of its attempts.
    counted: bool = True


@dataclass(frozen=True)
class PageCounts:
    """Per feed, for `storyline feeds`."""

    fetched: int = 0
    failed: int = 0
    robots: int = 0


class PageStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def record(self, feed_url: str, page: PageRecord, now: dt.datetime) -> None:
        """Store the attempt; a fetched page makes its item owed to the engine again, in the
        same transaction, so the engine never misses the text it now has, and gives an item
        whose feed stated no date or language the page's. The feed's own values win."""
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO item_pages (item_id, feed_url, url, outcome, reason, text, author, "
                "published, language, attempted_at, retry, attempts, etag, last_modified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(item_id) DO UPDATE SET feed_url = excluded.feed_url, "
                "url = excluded.url, outcome = excluded.outcome, reason = excluded.reason, "
                "text = excluded.text, author = excluded.author, "
                "published = excluded.published, language = excluded.language, "
                "attempted_at = excluded.attempted_at, retry = excluded.retry, "
                "attempts = item_pages.attempts + excluded.attempts, "
                "etag = excluded.etag, last_modified = excluded.last_modified",
                [page.item_id, feed_url, page.url, page.outcome, page.reason, page.text,
                 page.author, to_iso(page.published), page.language, to_iso(now),
                 int(page.retry), int(page.counted), page.etag, page.last_modified],
            )
            if page.outcome == "fetched":
                # What the feed left out, the page may state: its day and its language.
                self.db.execute(
                    "UPDATE items SET published = coalesce(published, ?), "
                    "language = coalesce(language, ?) WHERE id = ?",
                    [to_iso(page.published), page.language, page.item_id],
                )
                self.db.execute(
                    "DELETE FROM item_processing WHERE item_id = ?", [page.item_id]
                )

    def get(self, item_id: str) -> PageRecord | None:
        row = next(self.db.query("SELECT * FROM item_pages WHERE item_id = ?", [item_id]), None)
        if row is None:
            return None
        return PageRecord(
            item_id=row["item_id"], url=row["url"], outcome=row["outcome"],
            reason=row["reason"], text=row["text"], author=row["author"],
            published=from_iso(row["published"]), language=row["language"],
            retry=bool(row["retry"]), attempts=int(row["attempts"]),
            etag=row["etag"], last_modified=row["last_modified"],
        )

    def retry_ids(self, feed_url: str, max_attempts: int, limit: int) -> list[str]:
        """Items of this feed whose page failed in a way that may pass, not yet tried
        `max_attempts` times: oldest attempt first."""
        return [row["item_id"] for row in self.db.query(
            "SELECT item_id FROM item_pages WHERE feed_url = ? AND outcome = 'failed' "
            "AND retry = 1 AND attempts < ? ORDER BY attempted_at LIMIT ?",
            [feed_url, max_attempts, limit],
        )]

    def by_url(self, url: str) -> PageRecord | None:
        """The latest attempt at this page URL by any item (skips aside): no page is fetched
        twice, whether two feeds link it or a feed re-lists it under another guid."""
        row = next(self.db.query(
            "SELECT item_id FROM item_pages WHERE url = ? AND outcome != 'skipped' "
            "ORDER BY attempted_at DESC LIMIT 1", [url]
        ), None)
        return None if row is None else self.get(row["item_id"])

    def counts_by_feed(self) -> dict[str, PageCounts]:
        counts: dict[str, dict[str, int]] = {}
        for row in self.db.query(
            "SELECT feed_url, outcome, count(*) AS n FROM item_pages GROUP BY feed_url, outcome"
        ):
            counts.setdefault(row["feed_url"], {})[row["outcome"]] = int(row["n"])
        return {
            url: PageCounts(c.get("fetched", 0), c.get("failed", 0), c.get("robots", 0))
            for url, c in counts.items()
        }
