"""What the read side needs of an open store, whoever opened it.

The service and the engine hold a `sqlite_utils.Database`; a lookup command holds a plain
`sqlite3` connection, because importing sqlite_utils (numpy, click and pluggy with it) cost a
`who-said` process twice its own work (issue 14). Both give `execute` and `conn`, which is
all the read side and its stored timelines use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, Protocol


class StoreHandle(Protocol):
    """An open store: `sqlite_utils.Database` is one, and so is `Connected`."""

    @property
    def conn(self) -> sqlite3.Connection: ...

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor: ...


class Connected:
    """A plain connection seen as a `StoreHandle`."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)


def as_handle(store: sqlite3.Connection | StoreHandle) -> StoreHandle:
    return Connected(store) if isinstance(store, sqlite3.Connection) else store
