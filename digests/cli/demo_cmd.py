"""`storyline demo` — the README's first command: offline, no token, shows what would be posted.

It is the whole job on bundled material: ingest the demo feed and article into the database,
run the engine over them, then render the digest a channel following the storyline would
receive as its first digest, covering everything stored so far. Nothing is recorded in the
digest ledger: a demo is a preview, and running it twice prints the same digest again.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from digests.cli.context import CliContext, CliError
from digests.config import StorylineDefinition
from digests.delivery.console import CONSOLE_CHANNEL, ConsoleDeliverer
from digests.delivery.digest_job import FIRST_DIGEST_LOOKBACK, digest_between
from digests.digest.discord_render import render_messages
from digests.digest.markdown_render import render_markdown
from digests.models import MessageSpec
from digests.reading.lookups import Lookups
from digests.service.engine_step import run_engine
from digests.service.progress import Progress
from digests.sources import SourceError, ingest_local_file
from digests.store import IngestOutcome, ItemStore

DEFAULT_MATERIAL = Path("seeds") / "demo"
DEMO_DATABASE = "demo.db"
MATERIAL_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".md", ".txt", ".html", ".htm"})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "demo", parents=[common],
        help="ingest the bundled demo material and print the digest the bot would post",
        description=(
            "Run the main job offline on bundled material: ingest every feed and article in "
            "the material folder (default seeds/demo), run the engine (stories, matching, "
            "timeline, quotes), and print the digest a channel following the storyline would "
            "receive, exactly as the Discord messages would read. Needs no network and no "
            "Discord token; records no digest, so it can be run again and again. Without "
            "--db it writes to demo.db beside the configured database, never into the "
            "configured (live) database itself."
        ),
        epilog="Then explore: storyline --db DB timeline --storyline ID, who-said TEXT, "
        "stories --storyline ID.",
    )
    parser.add_argument(
        "--material", type=Path, default=None, metavar="DIR",
        help="folder of demo feeds (.xml, .rss, .atom) and articles (.md, .txt, .html); "
        "README files are skipped (default: seeds/demo, next to the config folder if not here)",
    )
    parser.add_argument(
        "--storyline", metavar="ID", default=None,
        help="storyline whose digest to print (default: every configured storyline)",
    )
    parser.add_argument(
        "--markdown", action="store_true",
        help="print the digest as Markdown (as `storyline digest --dry-run` does) instead of "
        "as Discord messages",
    )
    parser.set_defaults(handler=run)


def find_material(explicit: Path | None, storylines_dir: Path) -> Path:
    """The material folder: as given, else ./seeds/demo, else beside the config folder
    (config/storylines → seeds/demo), so the demo also runs from another directory."""
    candidates = [explicit] if explicit is not None else [
        DEFAULT_MATERIAL, storylines_dir.resolve().parent.parent / DEFAULT_MATERIAL
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise CliError(f"demo material not found (looked in {tried}); pass --material DIR")


def material_files(folder: Path) -> list[Path]:
    """Feeds first, then articles, so an article's story can join a feed item's story."""
    files = [
        p for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix.lower() in MATERIAL_SUFFIXES
        and not p.name.lower().startswith("readme")
    ]
    if not files:
        raise CliError(f"{folder}: no feeds or articles to ingest")
    return sorted(files, key=lambda p: p.suffix.lower() not in {".xml", ".rss", ".atom"})


async def print_messages(parts: Sequence[MessageSpec], ctx: CliContext) -> None:
    """Through the console deliverer, so the demo shows what console mode would post."""
    console = ConsoleDeliverer(ctx.out)
    for part in parts:
        await console.send(CONSOLE_CHANNEL, part)


def _chosen(ctx: CliContext, storyline_id: str | None) -> list[StorylineDefinition]:
    if storyline_id is not None:
        return [ctx.storyline(storyline_id)]
    if not ctx.storylines:
        # Relative folders are read from the working directory: say which one, and how to
        # point elsewhere, since the usual cause is running from outside the project.
        raise CliError(
            f"no storylines configured in {ctx.settings.storylines_dir} (read from "
            f"{Path.cwd()}): run it in the project folder or pass --config DIR"
        )
    return list(ctx.storylines)


def demo_database(configured: Path) -> Path:
    """Where the demo writes without `--db`: `demo.db` beside the configured database.

    Never the configured database itself: in a deployment that is the live store (the image's
    /data/storyline.db), and demo items in it would reach real digests."""
    return configured.with_name(DEMO_DATABASE)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    if getattr(args, "db", None) is not None:
        return _run(args, ctx)
    settings = dataclasses.replace(ctx.settings, database=demo_database(ctx.database_path))
    own = dataclasses.replace(ctx, settings=settings, _db=None)
    try:
        return _run(args, own)
    finally:
        own.close()


def _run(args: argparse.Namespace, ctx: CliContext) -> int:
    storylines = _chosen(ctx, args.storyline)
    folder = find_material(args.material, ctx.settings.storylines_dir)
    files = material_files(folder)
    now = ctx.clock()
    ctx.note(f"demo: ingesting {len(files)} file(s) from {folder} into {ctx.database_path}")
    total = IngestOutcome()
    progress = Progress(len(files), ctx.err, "ingest")
    for path in files:
        try:
            total.merge(ingest_local_file(ctx.db, path, now=now, published=None))
        except SourceError as exc:
            raise CliError(f"demo material is broken: {exc}") from exc
        progress.advance(path.name)
    ctx.note(f"demo: stored {len(total.new)} new, {len(total.updated)} updated, "
             f"{total.unchanged} unchanged item(s)")
    report = run_engine(ctx, ctx.clock())
    if report.items:
        matched = ", ".join(f"{sid} {n}" for sid, n in sorted(report.matched.items())) or "none"
        ctx.note(f"demo: engine ran over {report.items} item(s): matched {matched}; "
                 f"{report.events} dated events, {report.quotes} quotes extracted"
                 f"{report.workers_note}")
    lookups = Lookups(ctx.db, ctx.storylines)
    # The demo digest covers everything stored, as if the channel had followed from the start.
    end = ctx.clock() + dt.timedelta(seconds=1)
    start = ItemStore(ctx.db).first_fetched() or end - FIRST_DIGEST_LOOKBACK
    for definition in storylines:
        digest = digest_between(lookups, definition, start, end)
        ctx.note(f"demo: the first digest for a channel following {definition.id!r} "
                 f"({len(digest.stories)} stories, {len(digest.events)} events, "
                 f"{len(digest.quotes)} quotes):")
        if args.markdown:
            ctx.say(render_markdown(digest).rstrip("\n"))
            continue
        asyncio.run(print_messages(render_messages(digest, quiet_day="note"), ctx))
    example = storylines[0].id
    ctx.note(f"demo: done. Explore with `storyline --db {ctx.database_path} timeline "
             f"--storyline {example}`, `who-said TEXT`, `stories --storyline {example}`.")
    return 0
