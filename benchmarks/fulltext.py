"""Article pages: pages extracted per second, and a poll of 50 teaser items whose pages are
fetched from 127.0.0.1 (time, pages fetched, peak memory).

Run with `.venv/bin/python benchmarks/fulltext.py [ITEMS]` (default 50). Offline: the feed and
its article pages are generated and served by the tests' local server. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digests.config import HttpSettings, Settings  # noqa: E402
from digests.fetching import Fetcher  # noqa: E402
from digests.fulltext.extraction import extract_page  # noqa: E402
from digests.fulltext.pages import PageFetcher  # noqa: E402
from digests.polling import poll_feeds  # noqa: E402
from digests.store import FeedStore, open_database  # noqa: E402
from digests.text import html_to_text  # noqa: E402
from tests.support.article_pages import STRIKE_PARAGRAPHS, article_page  # noqa: E402
from tests.support.feed_server import Route, serve  # noqa: E402

NOW = dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)
HTML = {"content-type": "text/html; charset=utf-8"}


def page(number: int) -> str:
    paragraphs = [f"{p} (report {number})" for p in STRIKE_PARAGRAPHS] * 3
    return article_page(f"Rail strike report {number}", paragraphs)


def teaser_feed(base: str, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Northwind Rail strike, report {n}</title><guid>r{n}</guid>"
        f"<link>{base}/news/{n}</link><description>Drivers walked out again…</description>"
        "<pubDate>Wed, 04 Mar 2026 08:30:00 GMT</pubDate></item>"
        for n in range(items)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{entries}'
            "</channel></rss>").encode()


def extraction_rate(pages: list[str]) -> None:
    extract_page(pages[0])  # the import and first-call cost are not the rate
    start = time.perf_counter()
    for markup in pages:
        extract_page(markup)
    spent = time.perf_counter() - start
    start = time.perf_counter()
    for markup in pages:
        html_to_text(markup)
    plain = time.perf_counter() - start
    print(f"extraction: {len(pages) / spent:.0f} pages/s with trafilatura "
          f"({1000 * spent / len(pages):.1f} ms a page, {len(pages[0]) // 1024} KiB pages); "
          f"html_to_text {len(pages) / plain:.0f} pages/s")


async def poll(items: int) -> None:
    # No polite delay: this measures fetching and extraction, not the wait between pages.
    settings = Settings(http=HttpSettings(allow_private_hosts=("127.0.0.1",)),
                        full_text_delay_seconds=0.0)
    with serve() as server, tempfile.TemporaryDirectory() as folder:
        base = server.url("")
        feed = server.route("/feed.xml", Route(body=teaser_feed(base, items)))
        for n in range(items):
            server.route(f"/news/{n}", Route(body=page(n).encode(), headers=HTML))
        db = open_database(Path(folder) / "bench.db")
        FeedStore(db).add(feed, NOW)

        def clock() -> dt.datetime:
            return NOW

        start = time.perf_counter()
        async with Fetcher(settings.http) as fetcher:
            pages = PageFetcher(fetcher, settings, lambda _t, _x: True, clock)
            [result] = await poll_feeds(db, fetcher, FeedStore(db).all(), settings, clock,
                                        pages=pages)
        spent = time.perf_counter() - start
        print(f"poll of {items} teaser items: {spent:.2f} s, "
              f"{result.pages.fetched} pages fetched, {result.pages.failed} failed, "
              f"{len(server.requests)} requests (feed + robots.txt + pages)")


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(f"{os.cpu_count()} cores, Python {platform.python_version()}")
    extraction_rate([page(n) for n in range(200)])
    asyncio.run(poll(items))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
