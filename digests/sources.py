"""`storyline ingest SOURCE`: a feed URL, a local RSS/Atom file, or a local article file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from digests.feeds import parse_article, parse_feed
from digests.store import IngestOutcome, ItemStore

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".feed"}


class SourceError(Exception):
    """A local source that cannot be ingested (missing, unreadable, not a feed)."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://")) or "://" in source


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
    return ItemStore(db).ingest(feed_url, parsed.entries, now)
