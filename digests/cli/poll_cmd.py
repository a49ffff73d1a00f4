"""`storyline poll` — fetch every configured feed once and report per-feed results."""

from __future__ import annotations

import argparse
import asyncio

from digests.cli.context import CliContext
from digests.fetching.url_safety import redact
from digests.polling import FeedResult
from digests.service.poll import poll_once


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
