"""`storyline ingest SOURCE...` — feed URLs, local feed files and local article files."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from pathlib import Path

from dateutil import parser as date_parser

from digests.actions.feeds import add_feed
from digests.cli.context import CliContext, CliError
from digests.fetching import Fetcher
from digests.fetching.url_safety import redact
from digests.polling import poll_feeds
from digests.service.engine_step import run_engine
from digests.service.poll import page_fetcher
from digests.service.progress import Progress
from digests.sources import SourceError, ingest_local_file, is_url
from digests.store import FeedStore, IngestOutcome


def _published(value: str) -> dt.datetime:
    try:
        parsed = date_parser.isoparse(value)
        aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        # Stored as UTC: a date at the calendar's very edge may not exist there.
        return aware.astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {value!r}") from exc


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ingest", parents=[common],
        help="store items from feed URLs, local feed files or local article files",
        description=(
            "Ingest each SOURCE: an http(s) feed URL (fetched now and remembered for `poll`), "
            "a local RSS/Atom file, or a local article (.txt, .md, .html: one item, title = "
            "first line). Ingesting the same thing twice changes nothing. New and updated "
            "items run through the engine (stories, matching, timeline, quotes)."
        ),
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument(
        "--published", type=_published, metavar="DATE",
        help="publication date for article files without their own (ISO, e.g. 2026-07-09)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    now = ctx.clock()
    total = IngestOutcome()
    failed = 0
    progress = Progress(len(args.sources), ctx.err, "ingest")
    urls = [s for s in args.sources if is_url(s)]
    for source in args.sources:
        if is_url(source):
            continue
        try:
            total.merge(ingest_local_file(ctx.db, Path(source), now=now, published=args.published))
        except SourceError as exc:
            failed += 1
            ctx.note(f"failed: {exc}")
        progress.advance(Path(source).name)
    if urls:
        feeds = FeedStore(ctx.db)
        added: set[str] = set()
        checked: list[str] = []
        for url in urls:
            try:
                feed = add_feed(ctx.db, url, now=now,
                                allow_private_hosts=ctx.settings.http.allow_private_hosts)
            except SourceError as exc:
                failed += 1
                ctx.note(f"failed: {exc}")
                progress.advance(redact(url))
                continue
            if feed.new:
                added.add(feed.url)
            checked.append(feed.url)
        states = [s for s in (feeds.get(u) for u in checked) if s is not None]

        async def fetch_all() -> None:
            nonlocal failed
            async with Fetcher(ctx.settings.http) as fetcher:
                results = await poll_feeds(
                    ctx.db, fetcher, states, ctx.settings, ctx.clock,
                    on_done=lambda r: progress.advance(redact(r.url)),
                    pages=page_fetcher(ctx, fetcher),
                )
            for result in results:
                if result.status == "failed":
                    failed += 1
                    ctx.note(f"failed: {redact(result.url)}: {result.error}")
                    if result.error_kind == "blocked-url" and result.url in added:
                        # Its host resolved to a refused address: not a feed to remember.
                        feeds.remove(result.url)
                total.merge(result.outcome)

        if states:
            asyncio.run(fetch_all())
    report = run_engine(ctx, now)
    skipped = f"  skipped: {total.skipped} (no title, text or link)" if total.skipped else ""
    ctx.say(
        f"new: {len(total.new)}  updated: {len(total.updated)}  "
        f"unchanged: {total.unchanged}  failed: {failed}{skipped}"
    )
    if report.items:
        matched = ", ".join(f"{k}: {v}" for k, v in sorted(report.matched.items())) or "none"
        ctx.say(
            f"engine: {report.items} items processed; matched {matched}; "
            f"{report.events} events, {report.quotes} quotes{report.workers_note}"
        )
    if failed and failed == len(args.sources):
        raise CliError("nothing could be ingested")
    return 1 if failed else 0
