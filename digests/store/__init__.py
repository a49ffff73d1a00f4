"""The SQLite store: the only package that imports sqlite_utils."""

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
