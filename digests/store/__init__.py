"""The SQLite store: persistence only. It imports no engine stage, no config and not the
read side (`digests.reading`), which sits above it (see the contracts in `.importlinter`)."""

from digests.store.database import open_database
from digests.store.feeds import FeedState, FeedStore
from digests.store.items import IngestOutcome, ItemStore
from digests.store.migrations import SCHEMA_VERSION, migrate

__all__ = [
    "SCHEMA_VERSION",
    "FeedState",
    "FeedStore",
    "IngestOutcome",
    "ItemStore",
    "migrate",
    "open_database",
]
