"""Ingest benchmark: parse + store throughput, 304 poll throughput, peak memory.

Run with `make bench` (or `.venv/bin/python benchmarks/ingest.py [ITEMS]`, default 1000).
Offline: the feed is generated and the 200 feeds are served from 127.0.0.1. Prints figures;
asserts nothing — targets are judged by people reading the numbers, not by a flaky timed test.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

from digests.config import HttpSettings, Settings
from digests.feeds import parse_feed
from digests.fetching import Fetcher
from digests.polling import poll_feeds
from digests.store import FeedStore, ItemStore, open_database

PARAGRAPH = (
    "<p>The ministry said on Tuesday that the new rules would apply to shipments of "
    "advanced components, and officials expect talks with industry groups to continue "
    "through the summer. Analysts noted the change in tone.</p>"
)


def make_feed(items: int) -> bytes:
    start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Bench</title><link>https://bench.example/</link><description>b</description>"
    ]
    for n in range(items):
        when = format_datetime(start + dt.timedelta(minutes=17 * n))
        body = escape(PARAGRAPH * 4 + f"<p>Item number {n}.</p>")
        parts.append(
            f"<item><title>Bench item {n}</title><link>https://bench.example/a/{n}</link>"
            f"<guid>https://bench.example/a/{n}</guid><pubDate>{when}</pubDate>"
            f"<description>{body}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def bench_parse_and_store(items: int) -> None:
    body = make_feed(items)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        now = dt.datetime.now(dt.UTC)
        started = time.perf_counter()
        parsed = parse_feed(body, url="https://bench.example/feed")
        parsed_at = time.perf_counter()
        outcome = ItemStore(db).ingest("https://bench.example/feed", parsed.entries, now)
        done = time.perf_counter()
        again = ItemStore(db).ingest("https://bench.example/feed", parsed.entries, now)
        repeat = time.perf_counter() - done
    total = done - started
    print(f"parse+store {items} items ({len(body) / 1e6:.1f} MB): {total:.2f} s "
          f"= {items / total:,.0f} items/s (parse {parsed_at - started:.2f} s, "
          f"store {done - parsed_at:.2f} s); new={len(outcome.new)}")
    print(f"re-ingest same feed: {repeat:.2f} s = {items / repeat:,.0f} items/s, "
          f"unchanged={again.unchanged}")


async def bench_not_modified(feeds: int) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304, headers={"ETag": '"v1"'})
        return web.Response(body=make_feed(3), headers={"ETag": '"v1"'},
                            content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed/{n}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    settings = dataclasses.replace(
        Settings(), http=HttpSettings(allow_private_hosts=("127.0.0.1",), concurrency=16,
                                      per_host=16),
    )
    db = open_database(None)
    now = dt.datetime.now(dt.UTC)
    urls = [f"http://127.0.0.1:{port}/feed/{n}" for n in range(feeds)]
    store = FeedStore(db)
    for url in urls:
        store.add(url, now)

    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    async with Fetcher(settings.http) as fetcher:
        await poll_feeds(db, fetcher, store.all(), settings, clock)  # first poll: 200s
        started = time.perf_counter()
        results = await poll_feeds(db, fetcher, store.all(), settings, clock)
        elapsed = time.perf_counter() - started
    await runner.cleanup()
    not_modified = sum(1 for r in results if r.status == "not-modified")
    print(f"poll {feeds} local feeds answering 304: {elapsed:.2f} s = "
          f"{feeds / elapsed:,.0f} feeds/s ({not_modified} were 304)")


def machine() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (f"machine: {os.cpu_count()} cores ({usable} usable by this process), "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.system()} {platform.machine()}")


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(machine(), flush=True)
    bench_parse_and_store(items)
    asyncio.run(bench_not_modified(200))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory (max RSS of this process, both runs): {peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
