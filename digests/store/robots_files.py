"""Sites' robots.txt files as last fetched, kept across polls (schema v17).

The file is stored as served (status and text), not as parsed rules: parsing is the
fulltext layer's job (`fulltext.robots`), and a stored text can be parsed again by a newer
parser. The validators let the next check after the freshness window be a conditional GET.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from digests.store.timestamps import from_iso, to_iso


@dataclass(frozen=True)
class RobotsFile:
    """One site's robots.txt answer: `status` 2xx with its `body`, or a 4xx (no rules)."""

    site: str
    status: int
    body: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: dt.datetime


def _file(row: dict[str, Any]) -> RobotsFile:
    fetched_at = from_iso(row["fetched_at"])
    assert fetched_at is not None  # NOT NULL column
    return RobotsFile(row["site"], int(row["status"]), row["body"], row["etag"],
                      row["last_modified"], fetched_at)


class RobotsFileStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, site: str) -> RobotsFile | None:
        row = next(self.db.query("SELECT * FROM robots_files WHERE site = ?", [site]), None)
        return None if row is None else _file(row)

    def put(self, robots: RobotsFile) -> None:
        self.db.execute(
            "INSERT INTO robots_files (site, status, body, etag, last_modified, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(site) DO UPDATE SET "
            "status = excluded.status, body = excluded.body, etag = excluded.etag, "
            "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
            [robots.site, robots.status, robots.body, robots.etag, robots.last_modified,
             to_iso(robots.fetched_at)],
        )
