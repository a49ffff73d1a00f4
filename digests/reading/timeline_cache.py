"""Merged timelines stored per storyline (schema v7), so lookups do not merge at request time.

A stored timeline carries the `timeline_generation` it was computed from; triggers bump the
generation whenever events, matches, story membership, leads or an item's title, address or
feed change, so a stored timeline is current exactly when its generation equals the store's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from digests.models import SourceRef, TimelineEvent

# Timelines already decoded or merged in this process, shared by every connection to the same
# file: the service's poll thread merges and stores a timeline after each poll, and the bot's
# lookups on the event loop find it here instead of decoding the stored copy (which took
# 0.2–0.4 s for a storyline of 200k reported events). Keyed by generation, so never stale.
_MEMORY: dict[tuple[str, str], tuple[int, list[TimelineEvent]]] = {}
_MEMORY_LOCK = threading.Lock()


def store_key(db: sqlite_utils.Database) -> str:
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


def generation(db: sqlite_utils.Database) -> int:
    """The store's timeline generation: one indexed row, cheap enough to read on every call."""
    row = db.execute("SELECT value FROM timeline_generation WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def encode(events: Sequence[TimelineEvent]) -> str:
    """Each source once, events naming theirs by item id: one item reports many events, and
    building its `SourceRef` once is most of what reading a stored timeline costs."""
    sources: dict[str, list[str | None]] = {}
    for event in events:
        for ref in event.sources:
            sources.setdefault(ref.item_id, [ref.title, ref.url, ref.feed])
    return json.dumps(
        {
            "sources": sources,
            "events": [
                {
                    "date": event.date.isoformat(),
                    "text": event.text,
                    "sources": [ref.item_id for ref in event.sources],
                    "other_dates": [d.isoformat() for d in event.other_dates],
                    "inferred": event.inferred,
                }
                for event in events
            ],
        },
        ensure_ascii=False,
    )


def decode(text: str) -> list[TimelineEvent]:
    data: dict[str, Any] = json.loads(text)
    refs = {
        item_id: SourceRef(item_id, title, url, feed)
        for item_id, (title, url, feed) in data["sources"].items()
    }
    return [
        TimelineEvent(
            date=dt.date.fromisoformat(event["date"]),
            text=event["text"],
            sources=tuple(refs[item_id] for item_id in event["sources"]),
            other_dates=tuple(dt.date.fromisoformat(d) for d in event["other_dates"]),
            # Timelines stored before v11 knew no inferred dates.
            inferred=bool(event.get("inferred", False)),
        )
        for event in data["events"]
    ]


def stored_generation(db: sqlite_utils.Database, storyline_id: str) -> int | None:
    row = db.execute(
        "SELECT generation FROM timelines WHERE storyline_id = ?", [storyline_id]
    ).fetchone()
    return int(row[0]) if row else None


def load(
    db: sqlite_utils.Database, storyline_id: str, current: int
) -> list[TimelineEvent] | None:
    """The stored timeline if it was computed from the `current` generation, else None (also
    when it cannot be read: it is merged again and overwritten)."""
    row = db.execute(
        "SELECT events FROM timelines WHERE storyline_id = ? AND generation = ?",
        [storyline_id, current],
    ).fetchone()
    if row is None:
        return None
    try:
        return decode(row[0])
    except (ValueError, KeyError, TypeError):
        return None


def save(
    db: sqlite_utils.Database, storyline_id: str, computed_from: int,
    events: Sequence[TimelineEvent],
) -> None:
    """Store a timeline unless a newer one is already there (two writers may race)."""
    db.execute(
        "INSERT INTO timelines (storyline_id, generation, events) VALUES (?, ?, ?) "
        "ON CONFLICT (storyline_id) DO UPDATE SET generation = excluded.generation, "
        "events = excluded.events WHERE excluded.generation >= timelines.generation",
        [storyline_id, computed_from, encode(events)],
    )
