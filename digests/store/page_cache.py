"""A larger SQLite page cache for the length of one engine run.

SQLite's default page cache is about 2 MB. Clustering an item probes the band-key index at
~40 random places and writes as many rows into it; once the store holds tens of thousands of
items that index alone is far larger than the cache, so its upper pages were evicted by the
run's other reads and every probe re-read and re-decoded them: the main cause of the engine's
CPU per item growing with the store. A run gets a larger cache for its duration; afterwards
the connection's own setting is restored and the pages beyond it are handed back, so a
service idling between polls holds no more than before. SQLite frees them, but glibc keeps
freed memory in the process's heap for reuse (a 20k-item store's run left the process 33 MB
larger), so the heap's free pages are then returned to the system as well (`malloc_trim`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

ENGINE_CACHE_KIB = 32 * 1024


def _kib(db: sqlite_utils.Database, setting: int) -> int:
    """A `cache_size` value in KiB (negative values are KiB already, positive are pages)."""
    if setting < 0:
        return -setting
    page_size = int(db.execute("PRAGMA page_size").fetchone()[0])
    return setting * page_size // 1024


@contextmanager
def larger_page_cache(db: sqlite_utils.Database, kib: int = ENGINE_CACHE_KIB) -> Iterator[None]:
    """At least `kib` KiB of page cache inside the block; the previous setting after it."""
    previous = int(db.execute("PRAGMA cache_size").fetchone()[0])
    if _kib(db, previous) >= kib:
        yield
        return
    db.execute(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {previous}")
        db.execute("PRAGMA shrink_memory")
        return_free_heap()


def return_free_heap() -> None:
    """Ask the C library to give the heap's free pages back to the system: glibc's
    `malloc_trim`. Elsewhere (musl, macOS, Windows) there is nothing to ask, and nothing done."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # only here: a lookup's start-up never needs it

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # a C library without it
        return
    trim(0)
