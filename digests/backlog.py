"""The items the engine still owes, processed oldest first, so nothing stored is left behind.

Items are committed before the engine runs over them, and a process can die in between (a
`kill -9`, the OOM killer, a power cut). Which items are processed is therefore stored
(`item_processing`, written in the same transaction as an item's derived rows), and every
command that runs the engine processes everything owed: items never processed, changed since,
or processed by an older `ENGINE_VERSION`. The owed ids are read a page at a time in
publication order, so memory stays bounded however large the backlog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import sqlite_utils

from digests.models import Item, StorylineDefinition
from digests.pipeline import ENGINE_VERSION, ProcessReport, batches_of, process_batches
from digests.store import ItemStore

PAGE_ITEMS = 500


@dataclass(frozen=True)
class Backlog:
    """How many items the engine owes, and why."""

    unprocessed: int  # never processed, or changed since they were
    older_engine: int  # processed by an engine older than `ENGINE_VERSION`

    @property
    def total(self) -> int:
        return self.unprocessed + self.older_engine


def backlog(db: sqlite_utils.Database) -> Backlog:
    unprocessed, older = ItemStore(db).unprocessed_counts(ENGINE_VERSION)
    return Backlog(unprocessed=unprocessed, older_engine=older)


def owed_batches(db: sqlite_utils.Database, page: int = PAGE_ITEMS) -> Iterator[list[Item]]:
    """Owed items oldest first, a page of ids at a time, in the pipeline's batches."""
    items = ItemStore(db)
    after: tuple[str, str] | None = None
    while True:
        rows = items.unprocessed_page(ENGINE_VERSION, after, page)
        if not rows:
            return
        after = rows[-1][0]
        yield from batches_of(items, [ident for _, ident in rows])


def process_backlog(
    db: sqlite_utils.Database,
    storylines: Sequence[StorylineDefinition],
    now: dt.datetime,
    *,
    owed: Backlog | None = None,
    workers: int = 0,
    on_progress: Callable[[int], None] | None = None,
) -> ProcessReport:
    """Process every owed item; `owed` is `backlog(db)` when the caller already counted it."""
    owed = owed if owed is not None else backlog(db)
    return process_batches(
        db, storylines, owed_batches(db), owed.total, now,
        workers=workers, on_progress=on_progress,
    )
