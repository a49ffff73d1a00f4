"""Opening the one SQLite file every part of Storyline shares."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from digests.store.migrations import migrate

BUSY_TIMEOUT_MS = 5_000


def open_database(path: Path | str | None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database; `None` means in memory.

    WAL lets the bot read while the poller writes; the busy timeout turns brief writer
    contention into a short wait instead of "database is locked"; foreign keys are off by
    default in SQLite and we rely on them for cascades. Autocommit mode (isolation_level None)
    means every multi-statement write opens its own explicit transaction (`store.transaction`).
    """
    if path is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    else:
        target = Path(path)
        if target.parent and not target.parent.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(target), check_same_thread=False, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    db = sqlite_utils.Database(conn)
    migrate(db)
    return db
