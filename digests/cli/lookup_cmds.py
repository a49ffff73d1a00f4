"""`storyline stories|timeline|who-said|quotes` — what the engine knows, for people and scripts."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from digests.cli import numbers
from digests.cli.context import CliContext, CliError
from digests.cli.dates import iso_date
from digests.reading.lookups import Lookups

if TYPE_CHECKING:
    from digests.models import QuoteHit, SourceRef


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    stories = subparsers.add_parser(
        "stories", parents=[common], help="a storyline's stories with all their sources",
        description="List a storyline's stories, newest first. Syndicated and rewritten "
        "copies of one article are one story; its lead source comes first.",
    )
    stories.add_argument("--storyline", required=True, metavar="ID")
    stories.add_argument("--json", action="store_true")
    stories.set_defaults(handler=run_stories)

    timeline = subparsers.add_parser(
        "timeline", parents=[common], help="a storyline's dated events with sources",
        description="Print a storyline's timeline: dated events merged across sources, "
        "oldest first. Conflicting dates reported for one event are shown, not dropped.",
    )
    timeline.add_argument("--storyline", required=True, metavar="ID")
    timeline.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    timeline.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    timeline.add_argument("--about", metavar="TEXT", help="only events mentioning TEXT")
    timeline.add_argument("--json", action="store_true")
    timeline.set_defaults(handler=run_timeline)

    who = subparsers.add_parser(
        "who-said", parents=[common], help="find who said a quote from a fragment",
        description="Find who said something from a remembered fragment: the stored quotes "
        "that contain it (curly or straight quotes, case, punctuation and a word or two of "
        "difference ignored; English or Japanese), exact phrase first. Prints \"no quote "
        "found\" when no stored quote contains it. Sources that give the same words to "
        "different speakers are all shown and flagged as a conflict.",
    )
    who.add_argument("text", metavar="TEXT")
    who.add_argument("--storyline", metavar="ID")
    who.add_argument("--limit", type=numbers.limit, default=5)
    who.add_argument("--json", action="store_true")
    who.set_defaults(handler=run_who_said)

    quotes = subparsers.add_parser(
        "quotes", parents=[common], help="what a person said",
        description="List quotes attributed to a person (any configured alias works, e.g. a "
        "surname or the katakana spelling), newest first.",
    )
    quotes.add_argument("--person", required=True, metavar="NAME")
    quotes.add_argument("--storyline", metavar="ID")
    quotes.add_argument("--limit", type=numbers.limit, default=50)
    quotes.add_argument("--json", action="store_true")
    quotes.set_defaults(handler=run_quotes)


def link(ref: SourceRef) -> str:
    """Somewhere to go for every source, so scripts always get a string: the item's own
    link, else where it came from (a local article file's file:// URI, or its feed)."""
    return ref.url or ref.feed or ""


def json_array(values: list[dict[str, Any]]) -> str:
    """A JSON array with one element per line: readable, and written by the json module's C
    encoder, which `indent=` turns off (issue 14: most of `timeline --json` was `indent=2`)."""
    if not values:
        return "[]"
    return "[\n" + ",\n".join(json.dumps(value, ensure_ascii=False) for value in values) + "\n]"


def _lookups(ctx: CliContext, storyline_id: str | None, *, writable: bool = False) -> Lookups:
    """Lookups on a plain connection (no sqlite_utils: issue 14); only `timeline` writes,
    when the stored merge is behind the store and it brings it up to date."""
    if storyline_id:
        ctx.storyline(storyline_id)  # unknown ids fail with the list of known ones
    return Lookups(ctx.read_store(writable=writable), ctx.storylines)


def run_stories(args: argparse.Namespace, ctx: CliContext) -> int:
    stories = _lookups(ctx, args.storyline).stories(args.storyline)
    if args.json:
        ctx.say(json_array([
            {"id": s.id, "title": s.title,
             "items": [{"title": r.title, "url": link(r), "feed": r.feed or ""}
                       for r in s.sources]}
            for s in stories
        ]))
        return 0
    if not stories:
        ctx.say(f"no stories for {args.storyline} yet")
    for s in stories:
        when = s.published.date().isoformat() if s.published else "????-??-??"
        extra = f"  (+{len(s.sources) - 1} more sources)" if len(s.sources) > 1 else ""
        ctx.say(f"{when}  {s.title}{extra}")
        for ref in s.sources:
            ctx.say(f"            {link(ref)}")
    return 0


def run_timeline(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.since and args.until and args.since > args.until:
        raise CliError("--since is after --until")
    events = _lookups(ctx, args.storyline, writable=True).timeline(
        args.storyline, since=args.since, until=args.until, about=args.about
    )
    if args.json:
        ctx.say(json_array([
            {"date": e.date.isoformat(), "text": e.text,
             "sources": [{"title": s.title, "url": link(s)} for s in e.sources],
             **({"other_dates": [d.isoformat() for d in e.other_dates]} if e.other_dates else {}),
             **({"inferred": True} if e.inferred else {})}
            for e in events
        ]))
        return 0
    if not events:
        ctx.say("no events" + (" match these filters" if args.about or args.since else " yet"))
    for e in events:
        conflict = ""
        if e.other_dates:
            others = ", ".join(d.isoformat() for d in e.other_dates)
            conflict = f"  (also reported as {others})"
        inferred = "  (publication date)" if e.inferred else ""
        ctx.say(f"{e.date.isoformat()}  {e.text}{conflict}{inferred}")
        ctx.say(f"            sources: {len(e.sources)} — " + "; ".join(
            s.title for s in e.sources[:3]))
    return 0


NO_QUOTE_FOUND = "no quote found"


def quote_json(hit: QuoteHit) -> dict[str, object]:
    extra: dict[str, object] = {"conflicting": list(hit.conflicting)} if hit.conflicting else {}
    return {
        "speaker": hit.speaker, "quote": hit.quote,
        "date": hit.date.isoformat() if hit.date else None,
        "source": {"title": hit.source.title, "url": link(hit.source)},
        **extra,
    }


def _print_quotes(ctx: CliContext, hits: list[QuoteHit], as_json: bool, empty: str) -> None:
    if as_json:
        ctx.say(json_array([quote_json(h) for h in hits]))
        return
    if not hits:
        ctx.say(empty)
    for h in hits:
        when = h.date.isoformat() if h.date else "undated"
        ctx.say(f"{h.speaker or 'unknown speaker'} ({when}): “{h.quote}”")
        if h.conflicting:
            ctx.say(f"            conflict: other sources say {', '.join(h.conflicting)}")
        ctx.say(f"            {h.source.title} {link(h.source)}".rstrip())


def run_who_said(args: argparse.Namespace, ctx: CliContext) -> int:
    hits = _lookups(ctx, args.storyline).who_said(
        args.text, storyline_id=args.storyline, limit=args.limit
    )
    _print_quotes(ctx, hits, args.json, NO_QUOTE_FOUND)
    return 0


def run_quotes(args: argparse.Namespace, ctx: CliContext) -> int:
    lookups = _lookups(ctx, args.storyline)
    hits = lookups.quotes_by(args.person, storyline_id=args.storyline, limit=args.limit)
    _print_quotes(ctx, hits, args.json, f"no quotes from {args.person}")
    return 0
