"""`storyline classify` and `storyline explain` — the matching decision, with its reasons."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from digests.cli.context import CliContext, CliError
from digests.fulltext.need import word_count
from digests.pipeline import build_matchers
from digests.store import ItemStore
from digests.store.derived import DerivedStore
from digests.store.pages import PageRecord, PageStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    classify = subparsers.add_parser(
        "classify", parents=[common], help="decide whether JSON lines belong to a storyline",
        description='Read JSON lines {"title": ..., "summary": ...} (a file, or - for stdin) '
        'and print one line per input: {"match": bool, "score": float, "reasons": [...]}. '
        "Uses the storyline's definition, seed documents and what it already learned.",
    )
    classify.add_argument("--storyline", required=True, metavar="ID")
    classify.add_argument("file", metavar="FILE.jsonl", help="input file, or - for stdin")
    classify.set_defaults(handler=run_classify)

    explain = subparsers.add_parser(
        "explain", parents=[common], help="show why a stored item was (not) matched",
        description="Show, for one stored item, each storyline's decision with its reasons, "
        "the story it belongs to, and the events and quotes extracted from it.",
    )
    explain.add_argument("item_id", metavar="ITEM_ID", help="an id from `storyline items`")
    explain.set_defaults(handler=run_explain)


def _input_lines(file: str) -> Iterator[bytes]:
    """The raw lines of the file (or stdin for `-`), read as they come: bytes, so one line of
    bad UTF-8 is that line's error rather than the whole file's."""
    if file == "-":
        yield from sys.stdin.buffer
        return
    path = Path(file)
    if not path.is_file():
        raise CliError(f"{path}: no such file")
    try:
        with path.open("rb") as handle:
            yield from handle
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})") from exc


def _record(raw: bytes) -> tuple[str, str]:
    """Title and summary of one input line; `ValueError` says what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte {raw[exc.start]:#04x} at column {exc.start + 1}"
        raise ValueError(f"not UTF-8 ({where})") from None
    try:
        record = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(record, dict):
        raise ValueError("not an object")
    return (str(record.get("title") or ""),
            str(record.get("summary") or record.get("text") or ""))


def run_classify(args: argparse.Namespace, ctx: CliContext) -> int:
    definition = ctx.storyline(args.storyline)
    matcher = build_matchers(ctx.db, [definition])[definition.id]
    bad = 0
    for number, raw in enumerate(_input_lines(args.file), start=1):
        if not raw.strip():
            continue
        try:
            title, summary = _record(raw)
        except ValueError as exc:
            bad += 1
            ctx.note(f"line {number}: not a JSON object with title/summary ({exc})")
            ctx.say(json.dumps({"error": f"line {number}: invalid input"}))
            continue
        decision = matcher.decide(title, summary)
        ctx.say(json.dumps(
            {"match": decision.match, "score": round(decision.score, 4),
             "reasons": list(decision.reasons)},
            ensure_ascii=False,
        ))
    return 1 if bad else 0


def describe_page(page: PageRecord) -> str:
    """Whether the engine read the linked article, and if not, why (issue 11)."""
    if page.outcome == "fetched":
        return f"read ({word_count(page.text)} words from {page.url})"
    if page.outcome == "robots":
        return f"not fetched: {page.reason}"
    if page.outcome == "skipped":
        return f"not needed: {page.reason}"
    return f"could not be used, the feed's text alone was read: {page.reason}"


def run_explain(args: argparse.Namespace, ctx: CliContext) -> int:
    item = ItemStore(ctx.db).get(args.item_id)
    if item is None:
        raise CliError(f"no item {args.item_id!r} (see `storyline items`)")
    derived = DerivedStore(ctx.db)
    ctx.say(f"{item.title}")
    ctx.say(f"  id {item.id} · {item.url or item.feed_url} · language {item.language or '?'}")
    page = PageStore(ctx.db).get(item.id)
    if page is not None:
        ctx.say(f"  article page: {describe_page(page)}")
    decisions = derived.match_for(item.id)
    if not decisions:
        ctx.say("  not processed yet (run `storyline poll` or `storyline ingest`)")
    for d in decisions:
        verdict = "MATCH" if d.match else "no match"
        ctx.say(f"  [{d.storyline_id}] {verdict} (score {d.score:.2f})")
        for reason in d.reasons:
            ctx.say(f"      - {reason}")
    story_id = derived.story_of(item.id)
    if story_id:
        members = derived.story_members(story_id)
        ctx.say(f"  story {story_id}: {len(members)} source(s)")
    for e in derived.events_of(item.id):
        ctx.say(f"  event {e.date.isoformat()}: {e.text}")
    for q in derived.quotes_of(item.id):
        ctx.say(f"  quote ({q.speaker or 'unknown speaker'}): {q.quote[:160]}")
    return 0
