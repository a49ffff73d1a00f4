"""The SQLite store: persistence only. It imports no engine stage, no config and not the
read side (`digests.reading`), which sits above it (see the contracts in `.importlinter`).

The names below are loaded on first use: importing any `digests.store` module runs this
file, and a lookup that reads through a plain `sqlite3` connection (`store.reading_open`)
must not pay for sqlite_utils, which imports numpy, click and pluggy (issue 14).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digests.store.database import open_database
    from digests.store.feeds import FeedState, FeedStore
    from digests.store.items import IngestOutcome, ItemStore
    from digests.store.migrations import SCHEMA_VERSION, migrate

_HOMES = {
    "open_database": "database",
    "FeedState": "feeds",
    "FeedStore": "feeds",
    "IngestOutcome": "items",
    "ItemStore": "items",
    "SCHEMA_VERSION": "migrations",
    "migrate": "migrations",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"digests.store.{home}"), name)


__all__ = [
    "SCHEMA_VERSION",
    "FeedState",
    "FeedStore",
    "IngestOutcome",
    "ItemStore",
    "migrate",
    "open_database",
]
