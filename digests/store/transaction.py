"""Explicit transactions on an autocommit connection."""

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
