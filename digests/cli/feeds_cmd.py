"""`storyline feeds` — every feed with its status, last success, errors and next poll;
`storyline feeds remove URL|ID` stops polling one."""

from __future__ import annotations

import argparse
import json

from digests.cli.context import CliContext, CliError
from digests.fetching.url_safety import redact
from digests.store import FeedState, FeedStore
from digests.store.page_sites import PageSiteStore, SiteState
from digests.store.pages import PageCounts, PageStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "feeds", parents=[common], help="list feeds with status, errors and next poll",
        description="List every known feed: last HTTP status, last success, consecutive "
        "errors and the last error message, when it will be polled next, and the article "
        "pages fetched for its teaser items (fetched, failed, blocked by robots.txt) and the "
        "sites its pages wait for after failing several times in a row. "
        "`feeds remove URL|ID` stops polling a feed (its items stay).",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="feeds_action", metavar="ACTION")
    remove = actions.add_parser(
        "remove", parents=[common], help="stop polling a feed",
        description="Forget a feed added with `ingest URL` or `/feeds add`: it is no longer "
        "polled; items already stored from it stay. FEED is its URL (as given or as "
        "`storyline feeds` shows it, password masked) or the number shown before it.",
    )
    remove.add_argument("feed", metavar="URL|ID")
    remove.set_defaults(handler=run_remove)


def _when(value: object) -> str:
    return value.isoformat(timespec="minutes") if hasattr(value, "isoformat") else "-"


def as_json(state: FeedState, pages: PageCounts | None = None,
            waiting: list[SiteState] | None = None) -> dict[str, object]:
    counts = pages or PageCounts()
    return {
        "id": state.id,
        "url": redact(state.url),
        "title": state.title,
        "storyline": state.storyline_id,
        "status": state.last_status,
        "last_success": _when(state.last_success) if state.last_success else None,
        "error_count": state.error_count,
        "last_error": state.last_error,
        "next_poll": _when(state.next_poll) if state.next_poll else None,
        "pages": {"fetched": counts.fetched, "failed": counts.failed,
                  "blocked_by_robots": counts.robots,
                  "sites_waiting": [
                      {"site": redact(w.site), "failures": w.failures, "last_error": w.last_error,
                       "next_try": _when(w.next_try)} for w in waiting or []]},
    }


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    states = FeedStore(ctx.db).all()
    pages = PageStore(ctx.db).counts_by_feed()
    waiting = PageSiteStore(ctx.db).waiting_by_feed(ctx.clock())
    if args.json:
        ctx.say(json.dumps([as_json(s, pages.get(s.url), waiting.get(s.url)) for s in states],
                           ensure_ascii=False, indent=2))
        return 0
    if not states:
        ctx.say("no feeds yet: add `feeds = [...]` to a storyline file or `storyline ingest URL`")
        return 0
    for s in states:
        health = "ok" if s.error_count == 0 else f"{s.error_count} errors"
        ctx.say(f"{s.id:>4}  {redact(s.url)}")
        ctx.say(
            f"      status {s.last_status or '-'} · {health} · last success "
            f"{_when(s.last_success)} · next poll {_when(s.next_poll)}"
        )
        if s.last_error:
            ctx.say(f"      last error: {s.last_error}")
        counts = pages.get(s.url)
        if counts is not None and (counts.fetched or counts.failed or counts.robots):
            ctx.say(f"      article pages: {counts.fetched} fetched · {counts.failed} failed · "
                    f"{counts.robots} blocked by robots.txt")
        for site in waiting.get(s.url, []):
            ctx.say(f"      article site {redact(site.site)} failed {site.failures} times in a "
                    f"row, next try {_when(site.next_try)}; last: {site.last_error}")
    return 0


def find_feed(feeds: FeedStore, given: str) -> FeedState:
    """The feed a user named: by number, exact URL, or the masked URL the listing shows."""
    text = given.strip()
    if text.isdigit() and len(text) <= 18:
        found = feeds.get_by_id(int(text))
        if found is not None:
            return found
    exact = feeds.get(text)
    if exact is not None:
        return exact
    masked = [s for s in feeds.all() if redact(s.url) == text]
    if len(masked) == 1:
        return masked[0]
    if masked:
        raise CliError(f"{len(masked)} feeds are shown as {redact(text)}: give the number")
    raise CliError(f"no feed {redact(text)} (see `storyline feeds`)")


def run_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    feeds = FeedStore(ctx.db)
    state = find_feed(feeds, args.feed)
    listed_by = [d.id for d in ctx.storylines if state.url in d.feeds]
    if listed_by:
        raise CliError(
            f"{redact(state.url)} is listed in storyline {', '.join(listed_by)}: remove it "
            "from that storyline file, or the next poll adds it again"
        )
    feeds.remove(state.url)
    ctx.say(f"removed feed {state.id}: {redact(state.url)}")
    return 0
