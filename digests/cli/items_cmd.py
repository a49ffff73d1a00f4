"""`storyline items` — stored items, newest first, optionally full-text searched."""

from __future__ import annotations

import argparse
import json

from digests.cli import numbers
from digests.cli.context import CliContext
from digests.models import Item
from digests.store import ItemStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "items", parents=[common], help="list stored items, newest first",
        description="List stored items newest first. --search keeps the items whose title "
        "or text contains TEXT, case aside (works for Japanese too).",
    )
    parser.add_argument("--search", metavar="TEXT", help="only items containing TEXT")
    parser.add_argument("--limit", type=numbers.limit, default=20,
                        help="how many (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.set_defaults(handler=run)


def as_json(item: Item) -> dict[str, object]:
    return {
        "id": item.id,
        "title": item.title,
        "url": item.url,
        "feed": item.feed_url,
        "language": item.language,
        "published": item.published.isoformat() if item.published else None,
        "fetched": item.fetched.isoformat(),
    }


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ItemStore(ctx.db)
    items = store.search(args.search, args.limit) if args.search else store.recent(args.limit)
    if args.json:
        for item in items:
            ctx.say(json.dumps(as_json(item), ensure_ascii=False))
        return 0
    if not items:
        ctx.say("no items" + (f" match {args.search!r}" if args.search else " yet"))
        return 0
    for item in items:
        when = item.published.date().isoformat() if item.published else "????-??-??"
        ctx.say(f"{when}  {item.id}  [{item.language or '?'}]  {item.title}")
    return 0
