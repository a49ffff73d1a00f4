"""Merged timelines remembered per process and store file, keyed by the store's
`timeline_generation` (schema v7): triggers bump the generation whenever events, matches,
story membership, leads or an item's title, address or feed change, so a remembered timeline
is current exactly when its generation equals the store's. The merge itself is stored as rows
(`merged_timelines`, schema v16).
"""

from __future__ import annotations

import os
import threading

from digests.models import TimelineEvent
from digests.store.handle import StoreHandle

# Timelines already decoded or merged in this process, shared by every connection to the same
# file: the service's poll thread merges and stores a timeline after each poll, and the bot's
# lookups on the event loop find it here instead of decoding the stored copy (which took
# 0.2–0.4 s for a storyline of 200k reported events). Keyed by generation, so never stale.
_MEMORY: dict[tuple[str, str], tuple[int, list[TimelineEvent]]] = {}
_MEMORY_LOCK = threading.Lock()


def store_key(db: StoreHandle) -> str:
    """Names the store for the process-wide memory: its file (and inode, so a file deleted
    and recreated at the same path is another store), or the connection for in-memory ones."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return f"memory:{id(db.conn)}"
    try:
        return f"{path}#{os.stat(path).st_ino}"
    except OSError:
        return str(path)


def remembered(key: str, storyline_id: str, current: int) -> list[TimelineEvent] | None:
    with _MEMORY_LOCK:
        entry = _MEMORY.get((key, storyline_id))
    return entry[1] if entry is not None and entry[0] == current else None


def remember(key: str, storyline_id: str, computed_from: int, events: list[TimelineEvent]) -> None:
    with _MEMORY_LOCK:
        entry = _MEMORY.get((key, storyline_id))
        if entry is None or entry[0] <= computed_from:
            _MEMORY[(key, storyline_id)] = (computed_from, events)


def forget() -> None:
    """Drop every timeline this process remembers (what a fresh process starts with)."""
    with _MEMORY_LOCK:
        _MEMORY.clear()


def generation(db: StoreHandle) -> int:
    """The store's timeline generation: one indexed row, cheap enough to read on every call."""
    row = db.execute("SELECT value FROM timeline_generation WHERE id = 1").fetchone()
    return int(row[0]) if row else 0
