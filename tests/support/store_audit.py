"""What the reliability tests check a store for after crashes: intact, nothing owed, no
duplicates, every item processed once into exactly one story with one decision per storyline."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from digests.pipeline import ENGINE_VERSION


@dataclass(frozen=True)
class Audit:
    integrity: str
    items: int
    distinct_guids: int
    processed: int
    story_members: int
    matches: int
    owed: int


def audit(path: Path) -> Audit:
    conn = sqlite3.connect(path)
    try:
        def one(sql: str, *args: object) -> int:
            return int(conn.execute(sql, args).fetchone()[0])

        items = one("SELECT count(*) FROM items")
        processed = one(
            "SELECT count(*) FROM item_processing WHERE engine_version = ?", ENGINE_VERSION
        )
        return Audit(
            integrity=str(conn.execute("PRAGMA integrity_check").fetchone()[0]),
            items=items,
            distinct_guids=one("SELECT count(DISTINCT guid) FROM items"),
            processed=processed,
            story_members=one("SELECT count(*) FROM story_members"),
            matches=one("SELECT count(*) FROM matches"),
            owed=items - processed,
        )
    finally:
        conn.close()


def assert_whole(path: Path, *, items: int, storylines: int) -> None:
    found = audit(path)
    assert found == Audit(
        integrity="ok", items=items, distinct_guids=items, processed=items,
        story_members=items, matches=items * storylines, owed=0,
    )
