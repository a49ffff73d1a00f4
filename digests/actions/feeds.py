"""Adding and removing polled feeds (`storyline ingest URL`, `/feeds add`, `/feeds remove`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from digests.sources import checked_feed_url
from digests.store import FeedState, FeedStore


@dataclass(frozen=True)
class FeedAdded:
    """The URL as stored (cleaned), and whether it was not polled before."""

    url: str
    new: bool


def add_feed(
    db: sqlite_utils.Database, url: str, *, now: dt.datetime,
    allow_private_hosts: tuple[str, ...],
) -> FeedAdded:
    """Store a feed to poll, or raise `sources.SourceError` with the fetcher's reason for
    refusing the URL: one that can never be fetched is not remembered and polled."""
    clean = checked_feed_url(url, allow_private_hosts)
    feeds = FeedStore(db)
    new = feeds.get(clean) is None
    feeds.add(clean, now)
    return FeedAdded(url=clean, new=new)


def list_feeds(db: sqlite_utils.Database) -> list[FeedState]:
    """Every polled feed with its health (`/feeds list`), as the store keeps it."""
    return FeedStore(db).all()


def remove_feed(db: sqlite_utils.Database, url: str) -> bool:
    """Stop polling a feed given as listed; False when no such feed is known."""
    return FeedStore(db).remove(url.strip())
