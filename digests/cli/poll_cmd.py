"""`storyline poll` — fetch every configured feed once and report per-feed results."""

from __future__ import annotations

import argparse
import asyncio

from digests.cli.context import CliContext
from digests.cli.engine_step import run_engine
from digests.cli.progress import Progress
from digests.fetching import Fetcher
from digests.fetching.url_safety import redact
from digests.fulltext.pages import PageFetcher
from digests.pipeline import build_matchers
from digests.polling import FeedResult, poll_feeds, register_configured_feeds
from digests.store import FeedStore, IngestOutcome


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "poll", parents=[common], help="fetch every feed once and report per-feed results",
        description=(
            "Fetch every feed (configured in storyline files or added with `ingest`/`/feeds "
            "add`) once, using conditional GET, and run new items through the engine. "
            "By default only feeds that are due are fetched; --all ignores backoff."
        ),
    )
    parser.add_argument("--all", action="store_true", help="poll feeds that are backing off too")
    parser.set_defaults(handler=run)


def describe(result: FeedResult) -> str:
    url = redact(result.url)  # a feed stored with a password (before they were refused)
    if result.status == "failed":
        return f"FAILED   {url}  {result.error}"
    if result.status == "not-modified":
        return f"304      {url}  not modified"
    o = result.outcome
    skipped = f", skipped {o.skipped} (no title, text or link)" if o.skipped else ""
    p = result.pages
    pages = (f", pages {p.fetched} fetched, {p.failed} failed, {p.robots} blocked by robots"
             if p.fetched or p.failed or p.robots else "")
    return (f"OK       {url}  new {len(o.new)}, updated {len(o.updated)}, "
            f"unchanged {o.unchanged}{skipped}{pages}")


def page_fetcher(ctx: CliContext, fetcher: Fetcher) -> PageFetcher:
    """Article pages for one poll, fetched only for items some storyline could match."""
    matchers = list(build_matchers(ctx.db, ctx.storylines).values())

    def can_matter(title: str, text: str) -> bool:
        """A storyline's term in the title or summary: worth the article's page."""
        return any(m.decide(title, text).score > 0 for m in matchers)

    return PageFetcher(fetcher, ctx.settings, can_matter, ctx.clock)


async def poll_once(
    ctx: CliContext, *, include_backing_off: bool
) -> tuple[list[FeedResult], int]:
    """Shared by `poll` and the scheduler job in `run`: returns results and items processed."""
    now = ctx.clock()
    register_configured_feeds(ctx.db, ctx.storylines, now)
    feeds = FeedStore(ctx.db)
    states = feeds.all() if include_backing_off else feeds.due(now)
    progress = Progress(len(states), ctx.err, "poll")

    async with Fetcher(ctx.settings.http) as fetcher:
        pages = page_fetcher(ctx, fetcher)
        results = await poll_feeds(
            ctx.db, fetcher, states, ctx.settings, ctx.clock,
            on_done=lambda r: progress.advance(redact(r.url)), pages=pages,
        )
    total = IngestOutcome()
    for result in results:
        total.merge(result.outcome)
    report = run_engine(ctx, ctx.clock())
    return results, report.items


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    results, processed = asyncio.run(poll_once(ctx, include_backing_off=args.all))
    if not results:
        ctx.say("no feeds are due (use --all to poll every feed, `storyline feeds` to list)")
        if processed:
            ctx.say(f"{processed} stored items processed")
        return 0
    for result in results:
        ctx.say(describe(result))
    failed = sum(1 for r in results if r.status == "failed")
    ctx.say(f"{len(results)} feeds polled, {failed} failed, {processed} items processed")
    return 1 if failed == len(results) else 0
