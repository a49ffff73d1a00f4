"""`storyline digest` — build a storyline's digest; print it (--dry-run) or post it to the console.

--dry-run shows exactly what would be posted, as Markdown, plus how many Discord messages it
takes, and records nothing. Without it, the digest goes through the same exactly-once posting
path as the bot (ledger, markers), delivered to stdout: console mode, no Discord needed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

from digests.cli import numbers
from digests.cli.context import CliContext
from digests.cli.dates import iso_datetime
from digests.delivery.console import CONSOLE_CHANNEL, ConsoleDeliverer
from digests.delivery.digest_job import FIRST_DIGEST_LOOKBACK, digest_between
from digests.delivery.posting import Poster
from digests.digest.discord_render import QUIET_DAY_CHOICES, render_messages
from digests.digest.limits import embed_chars
from digests.digest.markdown_render import render_markdown
from digests.reading.lookups import Lookups
from digests.store.ledger import DigestLedger
from digests.store.subscriptions import SubscriptionStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "digest", parents=[common], help="build a storyline's digest (print or post)",
        description="Build the digest of what is new for a storyline: new and updated "
        "stories (copies counted as sources), new timeline events and notable quotes, most "
        "important first (the timeline's events then in date order). With --dry-run, print "
        "it as Markdown with the number of Discord messages it would take, recording "
        "nothing. Without, post it to the console through the exactly-once ledger (console "
        "mode).",
    )
    parser.add_argument("--storyline", required=True, metavar="ID")
    parser.add_argument(
        "--since", type=iso_datetime, metavar="DATE",
        help="start of the period (default: end of the channel's last digest, else 24 h ago)",
    )
    parser.add_argument("--channel", type=numbers.channel_id, default=CONSOLE_CHANNEL, metavar="N",
                        help="channel id the digest is for (default 0, the console)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be posted; send and record nothing")
    parser.add_argument("--quiet-day", choices=QUIET_DAY_CHOICES, default=None,
                        help="on a day with nothing new: post a short note or nothing "
                        "(default: `quiet_day` setting)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    storyline = ctx.storyline(args.storyline)
    quiet_day = args.quiet_day or ctx.settings.quiet_day
    end = ctx.clock()
    ledger = DigestLedger(ctx.db, clock=ctx.clock)
    start: dt.datetime = (args.since or ledger.last_period_end(storyline.id, args.channel)
                          or end - FIRST_DIGEST_LOOKBACK)
    digest = digest_between(Lookups(ctx.db, ctx.storylines), storyline, start, end)
    parts = render_messages(digest, quiet_day=quiet_day)
    if args.dry_run:
        ctx.say(render_markdown(digest).rstrip("\n"))
        ctx.say("")
        embeds = sum(len(p.embeds) for p in parts)
        chars = sum(len(p.content) + sum(embed_chars(e) for e in p.embeds) for p in parts)
        plural = "" if len(parts) == 1 else "s"
        ctx.say(f"-- would post {len(parts)} Discord message{plural} ({embeds} embeds, "
                f"{chars} characters) to channel {args.channel}; dry run, nothing recorded")
        return 0
    poster = Poster(ledger, SubscriptionStore(ctx.db, clock=ctx.clock), ConsoleDeliverer(ctx.out))
    outcome = asyncio.run(poster.post(storyline.id, args.channel, start, end, parts))
    ctx.note(f"digest {outcome.digest_id}: {outcome.status}, {outcome.sent_now} "
             f"message(s) posted" + (f" ({outcome.error})" if outcome.error else ""))
    return 0 if outcome.status == "sent" else 1
