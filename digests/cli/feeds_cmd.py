"""`storyline feeds` — every feed with its status, last success, errors and next poll."""

from __future__ import annotations

import argparse
import json

from digests.cli.context import CliContext
from digests.store import FeedState, FeedStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "feeds", parents=[common], help="list feeds with status, errors and next poll",
        description="List every known feed: last HTTP status, last success, consecutive "
        "errors and the last error message, and when it will be polled next.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def _when(value: object) -> str:
    return value.isoformat(timespec="minutes") if hasattr(value, "isoformat") else "-"


def as_json(state: FeedState) -> dict[str, object]:
    return {
        "url": state.url,
        "title": state.title,
        "storyline": state.storyline_id,
        "status": state.last_status,
        "last_success": _when(state.last_success) if state.last_success else None,
        "error_count": state.error_count,
        "last_error": state.last_error,
        "next_poll": _when(state.next_poll) if state.next_poll else None,
    }


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    states = FeedStore(ctx.db).all()
    if args.json:
        ctx.say(json.dumps([as_json(s) for s in states], ensure_ascii=False, indent=2))
        return 0
    if not states:
        ctx.say("no feeds yet: add `feeds = [...]` to a storyline file or `storyline ingest URL`")
        return 0
    for s in states:
        health = "ok" if s.error_count == 0 else f"{s.error_count} errors"
        ctx.say(f"{s.url}")
        ctx.say(
            f"    status {s.last_status or '-'} · {health} · last success "
            f"{_when(s.last_success)} · next poll {_when(s.next_poll)}"
        )
        if s.last_error:
            ctx.say(f"    last error: {s.last_error}")
    return 0
