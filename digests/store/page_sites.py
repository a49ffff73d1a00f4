"""Sites whose article pages keep failing, remembered across polls (schema v14).

A site that times out or answers with server errors is left alone for a growing interval
(`fetching.backoff.site_retry_at`) instead of costing a timeout per article at every poll;
`storyline feeds` shows the sites a feed's pages are waiting for. One success forgets it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from digests.store.timestamps import from_iso, to_iso


@dataclass(frozen=True)
class SiteState:
    """One failing site: `next_try` is None while it has not failed often enough to wait."""

    site: str
    failures: int
    last_error: str | None
    feed_url: str | None  # the feed whose page last failed there
    failed_at: dt.datetime
    next_try: dt.datetime | None

    def waiting(self, now: dt.datetime) -> bool:
        return self.next_try is not None and self.next_try > now


def _state(row: dict[str, Any]) -> SiteState:
    failed_at = from_iso(row["failed_at"])
    assert failed_at is not None  # NOT NULL column
    return SiteState(row["site"], int(row["failures"]), row["last_error"], row["feed_url"],
                     failed_at, from_iso(row["next_try"]))


class PageSiteStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, site: str) -> SiteState | None:
        row = next(self.db.query("SELECT * FROM page_sites WHERE site = ?", [site]), None)
        return None if row is None else _state(row)

    def record_failure(
        self, site: str, *, feed_url: str, error: str, now: dt.datetime,
        next_try: dt.datetime | None,
    ) -> None:
        """Count one more failure in a row; `next_try` is computed by the caller from
        `failures_after(site)` (the backoff rule is pure and lives in `fetching.backoff`)."""
        self.db.execute(
            "INSERT INTO page_sites (site, failures, last_error, feed_url, failed_at, next_try) "
            "VALUES (?, 1, ?, ?, ?, ?) ON CONFLICT(site) DO UPDATE SET "
            "failures = page_sites.failures + 1, last_error = excluded.last_error, "
            "feed_url = excluded.feed_url, failed_at = excluded.failed_at, "
            "next_try = excluded.next_try",
            [site, error[:300], feed_url, to_iso(now), to_iso(next_try)],
        )

    def failures_after(self, site: str) -> int:
        """The count a failure recorded now would reach."""
        state = self.get(site)
        return 1 if state is None else state.failures + 1

    def record_success(self, site: str) -> None:
        self.db.execute("DELETE FROM page_sites WHERE site = ?", [site])

    def waiting_by_feed(self, now: dt.datetime) -> dict[str, list[SiteState]]:
        """Sites left alone until a later time, under the feed whose page last failed there."""
        waiting: dict[str, list[SiteState]] = {}
        for row in self.db.query(
            "SELECT * FROM page_sites WHERE next_try > ? ORDER BY site", [to_iso(now)]
        ):
            state = _state(row)
            waiting.setdefault(state.feed_url or "", []).append(state)
        return waiting
