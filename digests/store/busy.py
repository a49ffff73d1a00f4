"""Telling "another writer holds the store" apart from every other SQLite failure.

SQLite has one writer at a time. A connection waits up to its busy timeout for the write lock
and then fails with `sqlite3.OperationalError` ("database is locked"), the same class SQLite
uses for real faults (a corrupt file, a missing table). A shell that can wait longer than the
busy timeout (a deferred Discord command) or explain the wait (the CLI) needs to know which
of the two it got, without importing `sqlite3` itself.
"""

from __future__ import annotations

import sqlite3

_BUSY_MESSAGES = ("database is locked", "database is busy", "database table is locked")


def is_busy(error: BaseException) -> bool:
    """Whether `error` is SQLite giving up on a lock another connection held: nothing was
    written, so the same write may be tried again once that connection is done."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    message = str(error).lower()
    return any(text in message for text in _BUSY_MESSAGES)
