"""Explicit transactions on an autocommit connection: writes, and reads that must see one state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from digests.store.handle import StoreHandle


@contextmanager
def transaction(db: StoreHandle) -> Iterator[None]:
    """Group writes so a crash leaves either all of them or none (nesting joins the outer one)."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def snapshot(db: StoreHandle) -> Iterator[None]:
    """One read transaction, so several queries see the same state of the store while the
    poller writes (WAL keeps it for us until the end); nesting joins the outer transaction."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")
