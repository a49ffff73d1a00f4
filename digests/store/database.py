"""Opening the one SQLite file every part of Storyline shares.

`open_database` opens, creates and migrates, through sqlite_utils, for everything that writes.
`open_current` is the lookups' way in: the standard library's `sqlite3` alone, because
sqlite_utils imports numpy, click and pluggy and that cost a `who-said` process more than
its own work (issue 14).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from digests.store.migrations import SCHEMA_VERSION, migrate

if TYPE_CHECKING:
    import sqlite_utils

WAL_CHECKPOINT_PAGES = 10_000
BUSY_TIMEOUT_MS = 5_000


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting out other openers of a brand-new file.

    Changing the journal mode needs an exclusive lock and SQLite does not run the busy
    handler for it, so two processes opening a new file at once (the service and its health
    check) would otherwise fail with "database is locked". Once a file is in WAL mode the
    setting persists and this returns at the first try."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


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
    _enable_wal(conn)
    _set_up(conn)
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    migrate(db)
    return db


def _set_up(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    # Checkpoint the WAL every ~40 MB instead of every ~4 MB: the engine's index writes land
    # on scattered pages, and each checkpoint copies them back and syncs the file. Fewer,
    # larger checkpoints cut the engine's own CPU time per item by about a tenth (20k store).
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")


def open_current(path: Path | str, *, writable: bool = False) -> sqlite3.Connection | None:
    """A plain `sqlite3` connection to an existing store already at this code's schema
    version, read-only unless `writable` (a timeline lookup may store the merge it had to
    bring up to date); None when the file does not exist or is at another version.

    On None the caller takes `open_database` instead, once: that creates a missing file (as
    every command always has) and migrates an older one, and it imports sqlite_utils; the
    next lookup on the migrated file reads through here again. A newer file is left to
    `open_database` too, which refuses it with the same message as for every command.
    """
    target = Path(path)
    if not target.is_file():
        return None
    mode = "rw" if writable else "ro"
    uri = f"file:{quote(str(target.resolve()))}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            row = None  # a new or foreign file: open_database creates or refuses it
        if row is None or row[0] != SCHEMA_VERSION:
            conn.close()
            return None
        if writable:
            _set_up(conn)
    except BaseException:
        conn.close()
        raise
    return conn
