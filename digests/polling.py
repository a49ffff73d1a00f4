"""Fetch → parse → store for every due feed, with conditional GET and capped backoff.

A failing feed records its error and backs off exponentially; other feeds are unaffected.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from digests.config import Settings
from digests.feeds import parse_feed
from digests.fetching import Fetcher, FetchError
from digests.fetching.backoff import next_poll_after_failure
from digests.fetching.retry_after import retry_at
from digests.fetching.url_safety import redact
from digests.fulltext.pages import PageFetcher, PageReport
from digests.models import StorylineDefinition
from digests.store import FeedState, FeedStore, IngestOutcome, ItemStore

log = logging.getLogger(__name__)


@dataclass
class FeedResult:
    """What one poll of one feed did."""

    url: str
    status: str  # "fetched", "not-modified" or "failed"
    outcome: IngestOutcome = field(default_factory=IngestOutcome)
    error: str | None = None
    http_status: int | None = None
    error_kind: str | None = None  # a `FetchError.kind` ("blocked-url", "timeout", ...)
    pages: PageReport = field(default_factory=PageReport)  # article pages behind new items


def register_configured_feeds(
    db: sqlite_utils.Database, storylines: Sequence[StorylineDefinition], now: dt.datetime
) -> None:
    feeds = FeedStore(db)
    for definition in storylines:
        for url in definition.feeds:
            feeds.add(url, now, storyline_id=definition.id)


async def poll_feed(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    state: FeedState,
    settings: Settings,
    clock: Callable[[], dt.datetime],
    pages: PageFetcher | None = None,
) -> FeedResult:
    feeds, items = FeedStore(db), ItemStore(db)
    interval = settings.poll_interval_minutes
    try:
        result = await fetcher.fetch(
            state.url, etag=state.etag, last_modified=state.last_modified
        )
    except FetchError as exc:
        now = clock()
        errors = state.error_count + 1
        next_poll = next_poll_after_failure(now, errors, interval, settings.max_backoff_minutes)
        asked = retry_at(exc.retry_after, now)
        if asked is not None and asked > next_poll:
            # The server said when to come back; within our own cap, do as it asks.
            cap = now + dt.timedelta(minutes=max(settings.max_backoff_minutes, interval))
            next_poll = min(asked, cap)
        feeds.record_failure(
            state.url, now=now, status=exc.status, error=str(exc), next_poll=next_poll
        )
        log.warning("feed %s failed (%s): %s; next try at %s", redact(state.url), exc.kind, exc,
                    next_poll.isoformat(timespec="minutes"))
        return FeedResult(state.url, "failed", error=str(exc), http_status=exc.status,
                          error_kind=exc.kind)
    now = clock()
    next_poll = now + dt.timedelta(minutes=interval)
    if result.status == 304 or result.body is None:
        feeds.record_success(
            state.url, now=now, status=result.status, etag=result.etag,
            last_modified=result.last_modified, title=None, next_poll=next_poll,
        )
        return FeedResult(state.url, "not-modified", http_status=result.status)
    parsed = parse_feed(result.body, url=result.url, headers=result.headers)
    if parsed.problem:
        errors = state.error_count + 1
        feeds.record_failure(
            state.url, now=now, status=result.status, error=parsed.problem,
            next_poll=next_poll_after_failure(now, errors, interval, settings.max_backoff_minutes),
        )
        log.warning("feed %s is not usable: %s", redact(state.url), parsed.problem)
        return FeedResult(state.url, "failed", error=parsed.problem, http_status=result.status)
    outcome = items.ingest(state.url, parsed.entries, now)
    outcome.skipped = parsed.skipped
    feeds.record_success(
        state.url, now=now, status=result.status, etag=result.etag,
        last_modified=result.last_modified, title=parsed.title, next_poll=next_poll,
    )
    report = PageReport()
    if pages is not None:
        # After the feed's own success is recorded: a page problem is never the feed's. Also
        # with no new entries: earlier pages that timed out are tried again. Updated entries
        # get their page checked again (conditionally: a 304 keeps the stored text).
        report = await pages.fill(db, state.url, outcome.new, outcome.updated)
    return FeedResult(state.url, "fetched", outcome=outcome, http_status=result.status,
                      pages=report)


def _record_unexpected(
    db: sqlite_utils.Database, state: FeedState, settings: Settings, now: dt.datetime,
    error: str,
) -> None:
    """Show an unexpected failure in `storyline feeds` and back off as for any failure,
    rather than leaving the feed looking healthy."""
    try:
        FeedStore(db).record_failure(
            state.url, now=now, status=None, error=f"unexpected error: {error}"[:500],
            next_poll=next_poll_after_failure(now, state.error_count + 1,
                                              settings.poll_interval_minutes,
                                              settings.max_backoff_minutes),
        )
    except Exception:
        log.exception("feed %s: cannot record the failure", redact(state.url))


async def poll_feeds(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    states: Sequence[FeedState],
    settings: Settings,
    clock: Callable[[], dt.datetime],
    on_done: Callable[[FeedResult], None] | None = None,
    pages: PageFetcher | None = None,
) -> list[FeedResult]:
    """Poll feeds concurrently (the fetcher enforces global and per-host limits); with
    `pages`, new teaser items get their article pages (`digests.fulltext`)."""

    async def one(state: FeedState) -> FeedResult:
        try:
            result = await poll_feed(db, fetcher, state, settings, clock, pages)
        except Exception as exc:  # a bug in one feed's handling must not stop the others
            log.exception("feed %s: unexpected error", redact(state.url))
            result = FeedResult(state.url, "failed", error=f"{type(exc).__name__}: {exc}")
            _record_unexpected(db, state, settings, clock(), result.error or "")
        if on_done is not None:
            on_done(result)
        return result

    return list(await asyncio.gather(*(one(s) for s in states)))
