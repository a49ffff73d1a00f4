"""`storyline ingest SOURCE`: a feed URL, a local RSS/Atom file, or a local article file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from digests.feeds import parse_article, parse_feed
from digests.fetching import FetchError
from digests.fetching.url_safety import PrivateHostAllowance, check_address, parse_target
from digests.store import IngestOutcome, ItemStore

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".feed"}


class SourceError(Exception):
    """A local source that cannot be ingested (missing, unreadable, not a feed)."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://")) or "://" in source


def checked_feed_url(url: str, allow_private_hosts: tuple[str, ...]) -> str:
    """The URL to store as a feed, or `SourceError` with the fetcher's reason for refusing it
    (not http(s), credentials, a malformed or literal private address), so a URL that can
    never be fetched is not remembered and polled. A host *name* on a private network is
    refused by the fetcher after resolving it (`FeedResult.error_kind == "blocked-url"`)."""
    try:
        target = parse_target(url.strip())
        if target.address is not None:
            check_address(target, target.address,
                          PrivateHostAllowance.from_entries(allow_private_hosts))
    except FetchError as exc:
        raise SourceError(str(exc)) from None
    return str(target.url)


def ingest_local_file(
    db: sqlite_utils.Database, path: Path, *, now: dt.datetime, published: dt.datetime | None
) -> IngestOutcome:
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    feed_url = path.resolve().as_uri()
    suffix = path.suffix.lower()
    if suffix in ARTICLE_SUFFIXES:
        text = data.decode("utf-8", errors="replace")
        entry = parse_article(text, name=path.name, published=published)
        return ItemStore(db).ingest(feed_url, [entry], now)
    parsed = parse_feed(data, url=feed_url)
    if parsed.problem:
        hint = "" if suffix in FEED_SUFFIXES else " (articles must end in .txt, .md or .html)"
        raise SourceError(f"{path}: {parsed.problem}{hint}")
    outcome = ItemStore(db).ingest(feed_url, parsed.entries, now)
    outcome.skipped = parsed.skipped
    return outcome
