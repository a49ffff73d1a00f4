"""Article pages behind teaser items, fetched from a real local server through the feeds'
own fetcher: robots.txt, unsafe redirects, size and time limits, paywalls, no page twice."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from digests.config import HttpSettings, Settings
from digests.fetching import Fetcher
from digests.fulltext.pages import RETRIES_PER_POLL, PageFetcher
from digests.fulltext.robots import origin
from digests.models import ParsedEntry
from digests.polling import poll_feeds
from digests.store import FeedStore, ItemStore, open_database
from digests.store.page_sites import PageSiteStore
from digests.store.pages import PageStore
from digests.store.robots_files import RobotsFileStore
from tests.support.article_pages import (
    JAPANESE_PARAGRAPHS,
    PAYWALL_STUB,
    STRIKE_PARAGRAPHS,
    article_page,
)
from tests.support.feed_server import FeedServer, RecordedRequest, Route, conditional, serve

NOW = dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)
FEED = "https://gazette.example/feed.xml"
HTML = {"content-type": "text/html; charset=utf-8"}
SETTINGS = Settings(http=HttpSettings(
    connect_timeout=1.0, read_timeout=0.5, max_bytes=64_000,
    allow_private_hosts=("127.0.0.1",),
), full_text_delay_seconds=0.0)
PAGE = article_page("Rail drivers strike", STRIKE_PARAGRAPHS).encode()
TEASER = "Drivers at Northwind Rail walked out on Monday…"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_database(tmp_path / "s.db")


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(SETTINGS.http) as client:
        yield client


def store_teasers(db: sqlite_utils.Database, *urls: str, text: str = TEASER) -> list[str]:
    entries = [ParsedEntry(guid=f"g{i}", url=url, title="Rail strike", text=text,
                           published=NOW) for i, url in enumerate(urls)]
    return ItemStore(db).ingest(FEED, entries, NOW).new


async def fill(db: sqlite_utils.Database, fetcher: Fetcher, ids: list[str],
               settings: Settings = SETTINGS, *, matters: bool = True,
               updated: list[str] | None = None, now: dt.datetime = NOW) -> PageStore:
    """One poll's pages (a new `PageFetcher`, as each poll makes)."""
    pages = PageFetcher(fetcher, settings, lambda _t, _x: matters, lambda: now)
    await pages.fill(db, FEED, ids, updated or [])
    return PageStore(db)


def page_paths(server: FeedServer) -> list[str]:
    return [r.path for r in server.requests if r.path != "/robots.txt"]


async def test_a_teaser_gains_its_article_text_and_is_owed_to_the_engine_again(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    [ident] = store_teasers(db, server.route("/rail", Route(body=PAGE, headers=HTML)))
    ItemStore(db).mark_processed([ident], 1, NOW)
    store = await fill(db, fetcher, [ident])
    record = store.get(ident)
    assert record is not None and record.outcome == "fetched"
    item = ItemStore(db).get(ident)
    assert item is not None and item.text == TEASER  # the feed's summary is kept
    assert STRIKE_PARAGRAPHS[1] in item.body and "reader42" not in item.body
    assert record.author == "Dana Whitfield" and record.language == "en"
    assert ItemStore(db).unprocessed_counts(1) == (1, 0)
    assert store.counts_by_feed()[FEED].fetched == 1
    assert server.requests[-1].headers["user-agent"] == SETTINGS.http.user_agent


async def test_a_japanese_page_is_stored_as_japanese(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    body = article_page("北風鉄道でスト", JAPANESE_PARAGRAPHS, lang="ja").encode()
    [ident] = store_teasers(db, server.route("/ja", Route(body=body, headers=HTML)),
                            text="北風鉄道の運転士らがストに入った。")
    record = (await fill(db, fetcher, [ident])).get(ident)
    assert record is not None and record.outcome == "fetched" and record.language == "ja"
    assert "岡田真理書記長" in record.text


async def test_robots_txt_that_disallows_the_page_is_honoured_and_fetched_once(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    server.route("/robots.txt", Route(body=b"User-agent: *\nDisallow: /members/\n"))
    ids = store_teasers(db, server.route("/members/1", Route(body=PAGE, headers=HTML)),
                        server.route("/members/2", Route(body=PAGE, headers=HTML)),
                        server.route("/open", Route(body=PAGE, headers=HTML)))
    store = await fill(db, fetcher, ids)
    outcomes = [store.get(i).outcome for i in ids]  # type: ignore[union-attr]
    assert outcomes == ["robots", "robots", "fetched"]
    assert page_paths(server) == ["/open"]
    assert [r.path for r in server.requests].count("/robots.txt") == 1
    assert store.counts_by_feed()[FEED].robots == 2


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(status=302, headers={"location": "http://10.1.2.3/admin"}), "blocked-url"),
        (Route(body=b"<p>" + b"x" * 70_000 + b"</p>", headers=HTML), "too-large"),
        (Route(body=PAGE, headers=HTML, delay=2.0), "timeout"),
        (Route(body=PAYWALL_STUB.encode(), headers=HTML), "paywall"),
        (Route(status=404, body=b"gone"), "HTTP 404"),
        (Route(body=b"%PDF-1.7", headers={"content-type": "application/pdf"}), "not an HTML"),
    ],
    ids=["redirect-to-private", "oversized", "slow", "paywall", "missing", "pdf"],
)
async def test_a_page_that_cannot_be_used_leaves_the_item_as_it_was(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database, route: Route, reason: str
) -> None:
    [ident] = store_teasers(db, server.route("/page", route))
    store = await fill(db, fetcher, [ident])
    record = store.get(ident)
    assert record is not None and record.outcome == "failed"
    assert reason in (record.reason or "")
    item = ItemStore(db).get(ident)
    assert item is not None and item.body == TEASER
    assert store.counts_by_feed()[FEED].failed == 1


async def test_a_page_already_fetched_for_another_item_is_not_fetched_again(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    url = server.route("/rail", Route(body=PAGE, headers=HTML))
    first = store_teasers(db, url)
    await fill(db, fetcher, first)
    [second] = ItemStore(db).ingest(
        FEED, [ParsedEntry(guid="other", url=url, title="Rail strike (update)", text=TEASER,
                           published=NOW)], NOW).new
    store = await fill(db, fetcher, [second])
    assert page_paths(server) == ["/rail"]
    record = store.get(second)
    assert record is not None and record.outcome == "fetched" and record.text


async def test_items_no_storyline_could_match_and_never_feeds_fetch_nothing(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    [ident] = store_teasers(db, server.route("/rail", Route(body=PAGE, headers=HTML)))
    store = await fill(db, fetcher, [ident], matters=False)
    assert store.get(ident).reason == "no storyline term in the title or summary"  # type: ignore[union-attr]
    never = Settings(http=SETTINGS.http, full_text_feeds=((FEED, "never"),))
    await fill(db, fetcher, [ident], never)
    assert "never" in (store.get(ident).reason or "")  # type: ignore[union-attr]
    assert server.requests == []


async def test_a_site_that_keeps_failing_is_left_alone_across_polls_for_longer_each_time(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    now = [NOW]
    healthy = [False]

    def answer(_request: RecordedRequest) -> Route:
        return Route(body=PAGE, headers=HTML) if healthy[0] else Route(status=500)

    ids = store_teasers(db, *(server.route(f"/p{i}", answer) for i in range(6)))
    pages = PageFetcher(fetcher, SETTINGS, lambda _t, _x: True, lambda: now[0])
    await pages.fill(db, FEED, ids)
    assert len(page_paths(server)) == 3  # then the site waits; the others are not requested
    waiting = PageStore(db).get(ids[-1])
    assert waiting is not None and waiting.retry and waiting.attempts == 0
    assert "the site failed 3 times in a row" in (waiting.reason or "")
    site = PageSiteStore(db).get(server.url("").lower())
    assert site is not None and site.next_try == NOW + dt.timedelta(minutes=30)

    # A later poll (a new PageFetcher) still inside the wait: nothing is requested.
    now[0] = NOW + dt.timedelta(minutes=20)
    await PageFetcher(fetcher, SETTINGS, lambda _t, _x: True, lambda: now[0]).fill(db, FEED, [])
    assert len(page_paths(server)) == 3
    # After it: one more try, which fails, and the wait doubles.
    now[0] = NOW + dt.timedelta(minutes=31)
    await PageFetcher(fetcher, SETTINGS, lambda _t, _x: True, lambda: now[0]).fill(db, FEED, [])
    assert len(page_paths(server)) == 4
    site = PageSiteStore(db).get(server.url("").lower())
    assert site is not None and site.failures == 4
    assert site.next_try == now[0] + dt.timedelta(minutes=60)
    # Once it answers again it is forgotten and its waiting pages are read.
    healthy[0] = True
    now[0] += dt.timedelta(minutes=61)
    report = await PageFetcher(fetcher, SETTINGS, lambda _t, _x: True,
                               lambda: now[0]).fill(db, FEED, [])
    assert report.fetched == RETRIES_PER_POLL and PageSiteStore(db).get(
        server.url("").lower()) is None


async def test_a_missing_page_is_the_page_s_failure_not_the_site_s(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    ids = store_teasers(db, *(server.route(f"/gone{i}", Route(status=404)) for i in range(5)))
    await fill(db, fetcher, ids)
    assert len(page_paths(server)) == 5
    assert PageSiteStore(db).get(server.url("").lower()) is None


async def test_pages_of_one_site_are_spaced_by_the_polite_delay(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    ids = store_teasers(db, *(server.route(f"/p{i}", Route(body=PAGE, headers=HTML))
                              for i in range(3)))
    polite = Settings(http=SETTINGS.http, full_text_delay_seconds=2.5)
    pages = PageFetcher(fetcher, polite, lambda _t, _x: True, lambda: NOW,
                        monotonic=lambda: now[0], sleep=sleep)
    report = await pages.fill(db, FEED, ids)
    assert report.fetched == 3
    assert slept == [2.5, 2.5]  # none before the first page, one gap before each other


async def test_the_page_dates_an_item_its_feed_left_undated_and_never_redates_one(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    url = server.route("/rail", Route(body=PAGE, headers=HTML))
    other = server.route("/rail-2", Route(body=PAGE, headers=HTML))
    undated, dated = ItemStore(db).ingest(FEED, [
        ParsedEntry(guid="u", url=url, title="Rail strike", text=TEASER, published=None),
        ParsedEntry(guid="d", url=other, title="Rail strike", text=TEASER, published=NOW,
                    language="en"),
    ], NOW).new
    await fill(db, fetcher, [undated, dated])
    first, second = ItemStore(db).get(undated), ItemStore(db).get(dated)
    assert first is not None and second is not None
    assert first.published == dt.datetime(2026, 3, 4, tzinfo=dt.UTC) and first.language == "en"
    assert second.published == NOW


async def test_a_page_that_met_a_server_error_is_tried_at_later_polls_a_few_times(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    answers = iter([Route(status=503), Route(body=PAGE, headers=HTML)])
    healing = store_teasers(db, server.route("/healing", lambda _request: next(answers)))
    [broken] = store_teasers(db, server.route("/broken", Route(status=500)))
    [gone] = ItemStore(db).ingest(FEED, [ParsedEntry(
        guid="gone", url=server.route("/gone", Route(status=404)), title="Rail strike",
        text=TEASER, published=NOW)], NOW).new
    store = await fill(db, fetcher, [*healing, broken, gone])
    assert [store.get(i).outcome for i in healing] == ["failed"]  # type: ignore[union-attr]
    for _poll in range(4):
        await fill(db, fetcher, [])  # later polls of the feed, with no new entries
    assert [store.get(i).outcome for i in healing] == ["fetched"]  # type: ignore[union-attr]
    assert page_paths(server).count("/healing") == 2
    assert page_paths(server).count("/broken") == 3  # PAGE_ATTEMPTS, then left alone
    assert page_paths(server).count("/gone") == 1  # a 404 will not pass


async def test_pages_and_robots_txt_ask_for_their_own_types_not_feed_types(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    [ident] = store_teasers(db, server.route("/rail", Route(body=PAGE, headers=HTML)))
    await fill(db, fetcher, [ident])
    accepts = {r.path: r.headers["accept"] for r in server.requests}
    assert accepts["/rail"].startswith("text/html")
    assert accepts["/robots.txt"].startswith("text/plain")
    assert "rss" not in accepts["/rail"] + accepts["/robots.txt"]


async def test_an_updated_teaser_has_its_page_checked_again_conditionally(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    versions = {"etag": '"v1"', "body": PAGE}

    def page(request: RecordedRequest) -> Route:
        headers = {**HTML, "etag": versions["etag"]}
        if request.headers.get("if-none-match") == versions["etag"]:
            return Route(status=304, headers=headers)
        return Route(body=versions["body"], headers=headers)

    url = server.route("/rail", page)
    [ident] = store_teasers(db, url)
    await fill(db, fetcher, [ident])
    first = PageStore(db).get(ident)
    assert first is not None and first.outcome == "fetched" and first.etag == '"v1"'

    def update(text: str) -> list[str]:
        entry = ParsedEntry(guid="g0", url=url, title="Rail strike", text=text, published=NOW)
        return ItemStore(db).ingest(FEED, [entry], NOW).updated

    # The feed's entry changed and is still a teaser: the page is asked for with its ETag;
    # the server says it has not changed, so the stored text stays.
    changed = update("Drivers at Northwind Rail walked out on Monday, the union said…")
    assert changed == [ident]
    await fill(db, fetcher, [], updated=changed)
    assert server.requests[-1].headers.get("if-none-match") == '"v1"'
    kept = PageStore(db).get(ident)
    assert kept is not None and kept.outcome == "fetched" and kept.text == first.text

    # The article itself changed: the new text replaces the old one.
    versions.update(etag='"v2"', body=article_page(
        "Rail drivers strike", [*STRIKE_PARAGRAPHS, "Talks resume on Friday, the union said."]
    ).encode())
    await fill(db, fetcher, [], updated=update("Drivers at Northwind Rail walked out again…"))
    fresh = PageStore(db).get(ident)
    assert fresh is not None and fresh.etag == '"v2"' and "Talks resume on Friday" in fresh.text
    item = ItemStore(db).get(ident)
    assert item is not None and "Talks resume on Friday" in item.body
    # A new item linking the same page does not ask for it again.
    requests = len(page_paths(server))
    [other] = ItemStore(db).ingest(FEED, [ParsedEntry(
        guid="again", url=url, title="Rail strike", text=TEASER, published=NOW)], NOW).new
    await fill(db, fetcher, [other])
    assert len(page_paths(server)) == requests


async def test_an_updated_entry_that_now_carries_the_article_drops_the_page(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    url = server.route("/rail", Route(body=PAGE, headers=HTML))
    [ident] = store_teasers(db, url)
    await fill(db, fetcher, [ident])
    whole = " ".join(STRIKE_PARAGRAPHS * 4)
    updated = ItemStore(db).ingest(FEED, [ParsedEntry(
        guid="g0", url=url, title="Rail strike", text=whole, published=NOW)], NOW).updated
    await fill(db, fetcher, [], updated=updated)
    item = ItemStore(db).get(ident)
    assert item is not None and item.body == whole  # the page's copy is not read twice
    assert page_paths(server) == ["/rail"]


async def test_a_redirect_is_followed_only_where_robots_txt_allows_it(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    with serve() as elsewhere:
        elsewhere.route("/robots.txt", Route(body=b"User-agent: *\nDisallow: /members/\n"))
        walled = elsewhere.route("/members/rail", Route(body=PAGE, headers=HTML))
        moved = elsewhere.route("/news/rail", Route(body=PAGE, headers=HTML))
        server.route("/robots.txt", Route(body=b"User-agent: *\nDisallow: /private/\n"))
        here = server.route("/private/rail", Route(body=PAGE, headers=HTML))
        ids = store_teasers(
            db,
            server.route("/a", Route(status=301, headers={"location": walled})),
            server.route("/b", Route(status=302, headers={"location": here})),
            server.route("/c", Route(status=301, headers={"location": moved})),
        )
        store = await fill(db, fetcher, ids)
        other_paths = [r.path for r in elsewhere.requests]
    outcomes = [store.get(i).outcome for i in ids]  # type: ignore[union-attr]
    assert outcomes == ["robots", "robots", "fetched"]
    assert "redirected to" in (store.get(ids[0]).reason or "")  # type: ignore[union-attr]
    assert "/private/rail" not in page_paths(server)
    assert other_paths == ["/robots.txt", "/news/rail"]


async def test_one_page_behind_links_that_differ_only_in_tracking_is_fetched_once(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    url = server.route("/rail", Route(body=PAGE, headers=HTML))
    first = store_teasers(db, f"{url}?utm_source=rss&utm_medium=feed")
    [second] = ItemStore(db).ingest("https://other.example/feed.xml", [ParsedEntry(
        guid="elsewhere", url=f"{url}?fbclid=abc", title="Rail strike", text=TEASER,
        published=NOW)], NOW).new
    store = await fill(db, fetcher, [*first, second])
    assert page_paths(server) == ["/rail"]
    assert [store.get(i).outcome for i in [*first, second]] == [  # type: ignore[union-attr]
        "fetched", "fetched"]


async def test_feeds_polled_together_keep_to_one_request_at_a_time_per_site(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    settings = Settings(http=HttpSettings(per_host=1, allow_private_hosts=("127.0.0.1",)),
                        full_text_delay_seconds=0.0)
    slow = Route(body=PAGE, headers=HTML, delay=0.1)
    feeds = ["https://a.example/feed.xml", "https://b.example/feed.xml"]
    ids = {feed: ItemStore(db).ingest(feed, [ParsedEntry(
        guid=f"{feed}-{n}", url=server.route(f"/{feed[8]}/{n}", slow), title="Rail strike",
        text=TEASER, published=NOW) for n in range(3)], NOW).new for feed in feeds}
    async with Fetcher(settings.http) as fetcher:
        pages = PageFetcher(fetcher, settings, lambda _t, _x: True, lambda: NOW)
        reports = await asyncio.gather(*(pages.fill(db, feed, ids[feed]) for feed in feeds))
    assert [r.fetched for r in reports] == [3, 3]
    assert server.max_in_flight == 1


async def test_a_failed_check_of_an_updated_item_s_page_keeps_the_text_read_before(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    answers = iter([Route(body=PAGE, headers=HTML), Route(status=503)])
    url = server.route("/rail", lambda _request: next(answers))
    [ident] = store_teasers(db, url)
    await fill(db, fetcher, [ident])
    updated = ItemStore(db).ingest(FEED, [ParsedEntry(
        guid="g0", url=url, title="Rail strike", text="Drivers stayed out on Tuesday…",
        published=NOW)], NOW).updated
    await fill(db, fetcher, [], updated=updated)
    assert page_paths(server) == ["/rail", "/rail"]
    record = PageStore(db).get(ident)
    assert record is not None and record.outcome == "fetched"
    item = ItemStore(db).get(ident)
    assert item is not None and STRIKE_PARAGRAPHS[1] in item.body


async def test_a_poll_that_brings_an_updated_teaser_checks_its_page_again(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    page = server.route("/rail", conditional(PAGE, etag='"p1"', content_type=HTML["content-type"]))
    summaries = iter(["Drivers walked out on Monday…", "Drivers walked out on Monday and Tuesday…"])

    def feed(_request: RecordedRequest) -> Route:
        return Route(body=(
            '<rss version="2.0"><channel><title>Gazette</title><item><title>Rail strike</title>'
            f"<guid>rail-1</guid><link>{page}</link><description>{next(summaries)}</description>"
            "</item></channel></rss>").encode(), headers={"content-type": "application/rss+xml"})

    url = server.route("/feed.xml", feed)
    FeedStore(db).add(url, NOW)
    results = []
    for _poll in range(2):
        pages = PageFetcher(fetcher, SETTINGS, lambda _t, _x: True, lambda: NOW)
        [result] = await poll_feeds(db, fetcher, FeedStore(db).all(), SETTINGS, lambda: NOW,
                                    pages=pages)
        results.append(result)
    assert [len(r.outcome.updated) for r in results] == [0, 1]
    assert [r.pages.fetched for r in results] == [1, 1]
    asked = [r for r in server.requests if r.path == "/rail"]
    assert [r.headers.get("if-none-match") for r in asked] == [None, '"p1"']


ROBOTS = b"User-agent: *\nDisallow: /members/\n"


def robots_asked(server: FeedServer) -> list[RecordedRequest]:
    return [r for r in server.requests if r.path == "/robots.txt"]


async def test_robots_txt_is_kept_for_a_day_then_checked_with_a_conditional_get(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    server.route("/robots.txt", conditional(ROBOTS, etag='"r1"', content_type="text/plain"))
    later = NOW + dt.timedelta(hours=23)
    next_day = NOW + dt.timedelta(hours=25)
    outcomes = []
    for n, when in enumerate([NOW, later, next_day]):
        ids = store_teasers(db, server.route(f"/members/{n}", Route(body=PAGE, headers=HTML)),
                            server.route(f"/open/{n}", Route(body=PAGE, headers=HTML)))
        store = await fill(db, fetcher, ids, now=when)
        outcomes.append([store.get(i).outcome for i in ids])  # type: ignore[union-attr]
    assert outcomes == [["robots", "fetched"]] * 3  # the rules hold in every poll
    asked = robots_asked(server)
    assert [r.headers.get("if-none-match") for r in asked] == [None, '"r1"']
    kept = RobotsFileStore(db).get(origin(server.url("/")))
    assert kept is not None and kept.fetched_at == next_day and kept.etag == '"r1"'


async def test_a_kept_robots_txt_stands_in_while_the_site_cannot_serve_it(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    answers = iter([Route(body=ROBOTS, headers={"content-type": "text/plain"}),
                    Route(status=503, body=b"down for maintenance")])
    server.route("/robots.txt", lambda _request: next(answers))
    for n, when in enumerate([NOW, NOW + dt.timedelta(days=2)]):
        ids = store_teasers(db, server.route(f"/members/{n}", Route(body=PAGE, headers=HTML)),
                            server.route(f"/open/{n}", Route(body=PAGE, headers=HTML)))
        store = await fill(db, fetcher, ids, now=when)
        # Without the kept copy, a robots.txt that fails means "disallow everything".
        assert [store.get(i).outcome for i in ids] == ["robots", "fetched"]  # type: ignore[union-attr]
    assert len(robots_asked(server)) == 2


async def test_a_missing_robots_txt_is_remembered_too(
    server: FeedServer, fetcher: Fetcher, db: sqlite_utils.Database
) -> None:
    for n in range(2):
        [ident] = store_teasers(db, server.route(f"/open/{n}", Route(body=PAGE, headers=HTML)))
        store = await fill(db, fetcher, [ident], now=NOW + dt.timedelta(hours=n))
        assert store.get(ident).outcome == "fetched"  # type: ignore[union-attr]
    assert len(robots_asked(server)) == 1  # the 404 of the first poll held for the second
