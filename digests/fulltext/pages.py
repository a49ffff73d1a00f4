"""Fetching and storing the article page behind each new teaser item (wiring, issue 11).

Pages go through the feeds' own `Fetcher`, so the private-address refusal and allow-list,
redirect re-checks, size and time limits, per-host concurrency and the user agent all apply.
robots.txt is fetched the same way once per site per poll, and page requests to one site
start at least `full_text_delay_seconds` apart. A page that cannot be fetched or
holds no article leaves its item as the feed gave it; the reason is stored for `explain`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

import sqlite_utils

from digests.config import Settings
from digests.fetching import Fetcher, FetchError
from digests.fetching.fetcher import PAGE_ACCEPT, TEXT_ACCEPT
from digests.fetching.url_safety import redact
from digests.fulltext.extraction import extract_page
from digests.fulltext.need import page_need
from digests.fulltext.robots import RobotsRules, origin, robots_url
from digests.store import ItemStore
from digests.store.pages import PageRecord, PageStore

log = logging.getLogger(__name__)

# After this many failed pages on one site in one poll, its other pages wait for the next
# poll: a site that is down should not cost a timeout per article.
HOST_FAILURES_PER_POLL = 3
# A page that timed out or met a server error is tried at the next polls, this often in all,
# a few per feed per poll so old failures never crowd out new items.
PAGE_ATTEMPTS = 3
RETRIES_PER_POLL = 5
_PASSING_KINDS = ("timeout", "network")
_HTML_TYPES = ("text/html", "application/xhtml+xml")

CanMatter = Callable[[str, str], bool]


@dataclass
class PageReport:
    """Counts for one feed's pages in one poll."""

    fetched: int = 0
    failed: int = 0
    robots: int = 0
    reused: int = 0
    skipped: int = 0
    reasons: list[str] = field(default_factory=list)


class PageFetcher:
    """One per poll: holds the robots.txt cache and the per-site failure counts."""

    def __init__(
        self, fetcher: Fetcher, settings: Settings, can_matter: CanMatter,
        clock: Callable[[], dt.datetime],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._fetcher = fetcher
        self._monotonic = monotonic
        self._sleep = sleep
        self._site_locks: dict[str, asyncio.Lock] = {}
        self._next_at: dict[str, float] = {}
        self._settings = settings
        self._can_matter = can_matter
        self._clock = clock
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._host_failures: dict[str, int] = {}

    async def fill(
        self, db: sqlite_utils.Database, feed_url: str, item_ids: Sequence[str]
    ) -> PageReport:
        """Fetch the page of each item that needs one, one at a time per feed (polite), then
        retry earlier pages of this feed whose failure may have passed."""
        items, pages = ItemStore(db), PageStore(db)
        report = PageReport()
        retries = [i for i in pages.retry_ids(feed_url, PAGE_ATTEMPTS, RETRIES_PER_POLL)
                   if i not in item_ids]
        item_ids = [*item_ids, *retries]
        mode = self._settings.full_text_for(feed_url)
        for ident in item_ids:
            item = items.get(ident)
            if item is None:
                continue
            need = page_need(mode, item.url, item.text,
                             can_matter=mode == "auto" and self._can_matter(item.title, item.text))
            if not need.fetch or item.url is None:
                report.skipped += 1
                pages.record(feed_url, PageRecord(ident, item.url or "", "skipped", need.reason),
                             self._clock())
                continue
            record = await self._page(pages, ident, item.url)
            pages.record(feed_url, record, self._clock())
            if record.outcome == "fetched":
                report.fetched += 1
            elif record.outcome == "robots":
                report.robots += 1
            else:
                report.failed += 1
                report.reasons.append(record.reason or "")
        return report

    async def _page(self, pages: PageStore, ident: str, url: str) -> PageRecord:
        earlier = pages.by_url(url)
        if earlier is not None and earlier.outcome == "fetched":
            return replace(earlier, item_id=ident)
        site = origin(url)
        if self._host_failures.get(site, 0) >= HOST_FAILURES_PER_POLL:
            return PageRecord(ident, url, "failed", "the site failed repeatedly in this poll",
                              retry=True)
        rules = await self._rules(site, url)
        if not rules.allows(self._settings.http.user_agent, url):
            return PageRecord(ident, url, "robots", "robots.txt disallows this page")
        await self._polite(site)
        try:
            result = await self._fetcher.fetch(url, accept=PAGE_ACCEPT)
        except FetchError as exc:
            self._host_failures[site] = self._host_failures.get(site, 0) + 1
            log.info("page %s not fetched (%s): %s", redact(url), exc.kind, exc)
            passing = exc.kind in _PASSING_KINDS or (exc.status or 0) >= 500 or exc.status == 429
            return PageRecord(ident, url, "failed", f"{exc.kind}: {exc}"[:300], retry=passing)
        kind = result.headers.get("content-type", "text/html").split(";")[0].strip().lower()
        if result.body is None or kind not in _HTML_TYPES:
            return PageRecord(ident, url, "failed", f"not an HTML page ({kind or 'no type'})")
        page = extract_page(result.body, result.url)
        if page.problem is not None:
            return PageRecord(ident, url, "failed", page.problem)
        return PageRecord(ident, url, "fetched", None, text=page.text, author=page.author,
                          published=page.published, language=page.language)

    async def _polite(self, site: str) -> None:
        """At most one page request starts per site per `full_text_delay_seconds`."""
        async with self._site_locks.setdefault(site, asyncio.Lock()):
            wait = self._next_at.get(site, 0.0) - self._monotonic()
            if wait > 0:
                await self._sleep(wait)
            self._next_at[site] = self._monotonic() + self._settings.full_text_delay_seconds

    async def _rules(self, site: str, url: str) -> RobotsRules:
        lock = self._robots_locks.setdefault(site, asyncio.Lock())
        async with lock:
            rules = self._robots.get(site)
            if rules is None:
                rules = await self._fetch_rules(url)
                self._robots[site] = rules
            return rules

    async def _fetch_rules(self, url: str) -> RobotsRules:
        try:
            result = await self._fetcher.fetch(robots_url(url), accept=TEXT_ACCEPT)
        except FetchError as exc:
            return RobotsRules.for_status(exc.status, None)
        text = (result.body or b"").decode("utf-8", errors="replace")
        return RobotsRules.for_status(result.status, text)
