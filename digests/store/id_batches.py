"""Reading rows for a list of ids in `IN (...)` queries of bounded size.

SQLite limits bound parameters per statement, and one statement per id costs a round trip
each; batches of 500 ids keep well under the limit with few statements.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

BATCH = 500


def rows_for_ids(
    db: sqlite_utils.Database, select: str, ids: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """Rows of `select`, whose `{marks}` stands for the placeholders of one batch of `ids`."""
    for start in range(0, len(ids), BATCH):
        batch = list(ids[start : start + BATCH])
        marks = ",".join("?" for _ in batch)
        yield from db.execute(select.format(marks=marks), batch).fetchall()
