"""Fetching and storing the article page behind each teaser item (wiring, issue 11).

Pages go through the feeds' own `Fetcher`, so the private-address refusal and allow-list,
redirect re-checks, size and time limits, per-host concurrency and the user agent all apply.
robots.txt is fetched the same way and asked about every URL requested, redirect hops
included; it is kept across polls for a day (RFC 9309 §2.4, `store.robots_files`), then
checked with a conditional GET, and a kept copy stands in while a site cannot serve it. Page
requests to one site start at least `full_text_delay_seconds` apart. A site that keeps
failing is left alone for a growing interval remembered across polls (`store.page_sites`).
An item whose feed entry changed gets its page checked again with the validators it was
served with (RFC 9110 §13.1): a 304 keeps the stored text. A page that cannot be fetched or
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
from digests.fetching.backoff import site_retry_at
from digests.fetching.fetcher import PAGE_ACCEPT, TEXT_ACCEPT, FetchResult
from digests.fetching.url_safety import redact
from digests.fulltext.extraction import extract_page
from digests.fulltext.need import page_need
from digests.fulltext.robots import RobotsRules, fresh, origin, robots_url
from digests.store import ItemStore
from digests.store.page_sites import PageSiteStore, SiteState
from digests.store.pages import PageRecord, PageStore
from digests.store.robots_files import RobotsFile, RobotsFileStore

log = logging.getLogger(__name__)

# After this many failed pages in a row on one site, its other pages wait for a later poll,
# longer after each further failure: a site that is down should not cost a timeout per
# article, poll after poll.
SITE_FAILURES_TOLERATED = 3
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
    """One per poll: holds the robots.txt rules read in this poll and the polite spacing per
    site."""

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
        self._checked: set[str] = set()  # page URLs checked again in this poll

    async def fill(
        self, db: sqlite_utils.Database, feed_url: str, item_ids: Sequence[str],
        updated_ids: Sequence[str] = (),
    ) -> PageReport:
        """Fetch the page of each new item that needs one, one at a time per feed (polite),
        check again the page of each updated item, then retry earlier pages of this feed
        whose failure may have passed."""
        items, pages = ItemStore(db), PageStore(db)
        sites = PageSiteStore(db)
        report = PageReport()
        seen = {*item_ids, *updated_ids}
        retries = [i for i in pages.retry_ids(feed_url, PAGE_ATTEMPTS, RETRIES_PER_POLL)
                   if i not in seen]
        mode = self._settings.full_text_for(feed_url)
        work = [*((i, False) for i in [*item_ids, *retries]),
                *((i, True) for i in updated_ids)]
        for ident, changed in work:
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
            record = await self._page(pages, sites, feed_url, ident, item.url, changed=changed)
            pages.record(feed_url, record, self._clock())
            if record.outcome == "fetched":
                report.fetched += 1
            elif record.outcome == "robots":
                report.robots += 1
            else:
                report.failed += 1
                report.reasons.append(record.reason or "")
        return report

    async def _page(
        self, pages: PageStore, sites: PageSiteStore, feed_url: str, ident: str, url: str,
        *, changed: bool,
    ) -> PageRecord:
        earlier = pages.by_url(url)
        stored = earlier if earlier is not None and earlier.outcome == "fetched" else None
        if stored is not None and (not changed or url in self._checked):
            # Fetched before (by this item or another that links it): never twice, except
            # that an updated item's page is checked again, once per poll.
            return replace(stored, item_id=ident)
        record = await self._request(sites, feed_url, ident, url, stored)
        if stored is not None and record.outcome != "fetched":
            # Checking an updated item's page again failed: the text read before stays.
            log.info("page %s kept as read before: %s", redact(url), record.reason)
            return replace(stored, item_id=ident)
        return record

    async def _request(
        self, sites: PageSiteStore, feed_url: str, ident: str, url: str,
        stored: PageRecord | None,
    ) -> PageRecord:
        site = origin(url)
        backing_off = sites.get(site)
        if backing_off is not None and backing_off.waiting(self._clock()):
            return PageRecord(ident, url, "failed", _waiting_reason(backing_off), retry=True,
                              counted=False)
        rules = await self._rules(sites, feed_url, site, url)
        if not rules.allows(self._settings.http.user_agent, url):
            return PageRecord(ident, url, "robots", rules.refusal)
        await self._polite(site)
        self._checked.add(url)
        try:
            result = await self._fetcher.fetch(
                url, accept=PAGE_ACCEPT,
                etag=stored.etag if stored else None,
                last_modified=stored.last_modified if stored else None,
                before_redirect=lambda hop: self._redirect_refusal(sites, feed_url, hop),
            )
        except FetchError as exc:
            return self._failed(sites, feed_url, ident, url, exc)
        sites.record_success(site)
        return _record(ident, url, result, stored)

    def _failed(
        self, sites: PageSiteStore, feed_url: str, ident: str, url: str, exc: FetchError
    ) -> PageRecord:
        if exc.kind == "refused-redirect":
            return PageRecord(ident, url, "robots", str(exc))
        log.info("page %s not fetched (%s): %s", redact(url), exc.kind, exc)
        passing = _passing(exc)
        if passing:
            self._site_failed(sites, feed_url, origin(url), exc)
        else:
            sites.record_success(origin(url))  # it answered: the page, not the site, failed
        return PageRecord(ident, url, "failed", f"{exc.kind}: {exc}"[:300], retry=passing)

    def _site_failed(
        self, sites: PageSiteStore, feed_url: str, site: str, exc: FetchError
    ) -> None:
        now = self._clock()
        failures = sites.failures_after(site)
        next_try = site_retry_at(now, failures, SITE_FAILURES_TOLERATED,
                                 self._settings.poll_interval_minutes,
                                 self._settings.max_backoff_minutes)
        sites.record_failure(site, feed_url=feed_url, error=f"{exc.kind}: {exc}", now=now,
                             next_try=next_try)

    async def _redirect_refusal(
        self, sites: PageSiteStore, feed_url: str, hop: str
    ) -> str | None:
        """A redirect hop must be allowed by its own site's robots.txt; requests to that
        site are spaced like any other."""
        site = origin(hop)
        rules = await self._rules(sites, feed_url, site, hop)
        if not rules.allows(self._settings.http.user_agent, hop):
            return f"redirected to {redact(hop)}: {rules.refusal}"
        await self._polite(site)
        return None

    async def _polite(self, site: str) -> None:
        """At most one page request starts per site per `full_text_delay_seconds`."""
        async with self._site_locks.setdefault(site, asyncio.Lock()):
            wait = self._next_at.get(site, 0.0) - self._monotonic()
            if wait > 0:
                await self._sleep(wait)
            self._next_at[site] = self._monotonic() + self._settings.full_text_delay_seconds

    async def _rules(
        self, sites: PageSiteStore, feed_url: str, site: str, url: str
    ) -> RobotsRules:
        lock = self._robots_locks.setdefault(site, asyncio.Lock())
        async with lock:
            rules = self._robots.get(site)
            if rules is None:
                rules = self._robots[site] = await self._read_rules(sites, feed_url, site, url)
            return rules

    async def _read_rules(
        self, sites: PageSiteStore, feed_url: str, site: str, url: str
    ) -> RobotsRules:
        """The site's rules from the file kept within the day, else from asking the site
        (conditionally when a file is kept); a kept file stands in while the site fails."""
        now = self._clock()
        files = RobotsFileStore(sites.db)
        kept = files.get(site)
        if kept is not None and fresh(kept.fetched_at, now):
            return RobotsRules.for_status(kept.status, kept.body)
        with_text = kept is not None and 200 <= kept.status < 300
        try:
            result = await self._fetcher.fetch(
                robots_url(url), accept=TEXT_ACCEPT,
                etag=kept.etag if kept is not None and with_text else None,
                last_modified=kept.last_modified if kept is not None and with_text else None,
            )
        except FetchError as exc:
            if _passing(exc):
                self._site_failed(sites, feed_url, site, exc)
                if kept is not None:
                    log.info("robots.txt of %s not read (%s): using the copy of %s", site,
                             exc.kind, kept.fetched_at.isoformat(timespec="minutes"))
                    return RobotsRules.for_status(kept.status, kept.body)
            elif exc.status is not None and 400 <= exc.status < 500:
                files.put(RobotsFile(site, exc.status, None, None, None, now))
            return RobotsRules.for_status(exc.status, None)
        if result.status == 304 and kept is not None:
            files.put(replace(kept, etag=result.etag or kept.etag,
                              last_modified=result.last_modified or kept.last_modified,
                              fetched_at=now))
            return RobotsRules.for_status(kept.status, kept.body)
        text = (result.body or b"").decode("utf-8", errors="replace")
        if 200 <= result.status < 300:
            files.put(RobotsFile(site, result.status, text, result.etag, result.last_modified,
                                 now))
        return RobotsRules.for_status(result.status, text)


def _passing(exc: FetchError) -> bool:
    """A timeout, a network error, a server error or 429: the site may answer later."""
    return exc.kind in _PASSING_KINDS or (exc.status or 0) >= 500 or exc.status == 429


def _waiting_reason(state: SiteState) -> str:
    when = state.next_try.isoformat(timespec="minutes") if state.next_try else "later"
    return (f"the site failed {state.failures} times in a row (last: "
            f"{(state.last_error or '')[:120]}); next try after {when}")


def _record(ident: str, url: str, result: FetchResult, stored: PageRecord | None) -> PageRecord:
    """The page's text, or the stored text when the server says it has not changed."""
    etag, modified = result.etag, result.last_modified
    if result.status == 304 and stored is not None:
        return replace(stored, item_id=ident, etag=etag or stored.etag,
                       last_modified=modified or stored.last_modified)
    kind = result.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if result.body is None or kind not in _HTML_TYPES:
        return PageRecord(ident, url, "failed", f"not an HTML page ({kind or 'no type'})")
    page = extract_page(result.body, result.url)
    if page.problem is not None:
        return PageRecord(ident, url, "failed", page.problem)
    return PageRecord(ident, url, "fetched", None, text=page.text, author=page.author,
                      published=page.published, language=page.language, etag=etag,
                      last_modified=modified)
