"""`storyline subscriptions|follow|unfollow` — which channels get which digest, and when.

In Discord the slash commands manage follows; these commands are for console-mode users and
for checking on a deployment (a follow whose channel is gone shows `failed` and why).
"""

from __future__ import annotations

import argparse
import json

from digests.actions import follows
from digests.cli import numbers
from digests.cli.context import CliContext, CliError
from digests.store.ledger import DigestLedger
from digests.store.subscriptions import Subscription, SubscriptionStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    listing = subparsers.add_parser(
        "subscriptions", parents=[common], help="list follows with status and last error",
        description="List every channel following a storyline: its digest time and "
        "timezone, whether it is active or failed (and the last error), and the end of the "
        "last digest recorded for it.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_list)

    follow = subparsers.add_parser(
        "follow", parents=[common], help="send a storyline's daily digest to a channel",
        description="Follow a storyline in a channel (console mode: any number; with the bot, "
        "a Discord channel id). Following again changes the time and re-activates a failed "
        "follow.",
    )
    follow.add_argument("--storyline", required=True, metavar="ID")
    follow.add_argument("--channel", type=numbers.channel_id, default=0, metavar="N",
                        help="channel id (default 0, the console)")
    follow.add_argument("--time", default=None, metavar="HH:MM",
                        help="local time of the daily digest (default: the storyline's)")
    follow.add_argument("--timezone", default=None, metavar="ZONE",
                        help="IANA timezone, e.g. Europe/Paris (default: the storyline's)")
    follow.add_argument("--guild", type=numbers.guild_id, default=None, metavar="ID",
                        help="Discord server id, if any")
    follow.set_defaults(handler=run_follow)

    unfollow = subparsers.add_parser(
        "unfollow", parents=[common], help="stop a storyline's digest in a channel",
        description="Stop sending a storyline's digest to a channel.",
    )
    unfollow.add_argument("--storyline", required=True, metavar="ID")
    unfollow.add_argument("--channel", type=numbers.channel_id, default=0, metavar="N")
    unfollow.set_defaults(handler=run_unfollow)


def _describe(sub: Subscription) -> str:
    return (f"{sub.storyline_id} → channel {sub.channel_id} at {sub.time} {sub.timezone} "
            f"[{sub.status}]")


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    subs = SubscriptionStore(ctx.db, clock=ctx.clock).list()
    ledger = DigestLedger(ctx.db, clock=ctx.clock)
    rows = []
    for sub in subs:
        end = ledger.last_period_end(sub.storyline_id, sub.channel_id)
        rows.append((sub, end.isoformat(timespec="minutes") if end else None))
    if args.json:
        ctx.say(json.dumps(
            [{"storyline": s.storyline_id, "channel": s.channel_id, "guild": s.guild_id,
              "time": s.time, "timezone": s.timezone, "status": s.status,
              "last_error": s.last_error, "last_digest": last} for s, last in rows],
            ensure_ascii=False, indent=2))
        return 0
    if not subs:
        ctx.say("no follows yet: `storyline follow --storyline ID` (or /follow in Discord)")
        return 0
    for sub, last in rows:
        ctx.say(_describe(sub) + f" · last digest {last or '-'}")
        if sub.last_error:
            ctx.say(f"    last error: {sub.last_error}")
    return 0


def run_follow(args: argparse.Namespace, ctx: CliContext) -> int:
    storyline = ctx.storyline(args.storyline)
    try:
        followed = follows.follow(ctx.db, storyline, guild_id=args.guild,
                                  channel_id=args.channel, time=args.time,
                                  timezone=args.timezone, clock=ctx.clock)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    ctx.say("following: " + _describe(followed.subscription))
    return 0


def run_unfollow(args: argparse.Namespace, ctx: CliContext) -> int:
    if not follows.unfollow(ctx.db, args.channel, args.storyline):
        raise CliError(f"channel {args.channel} does not follow {args.storyline!r}")
    ctx.say(f"unfollowed: {args.storyline} in channel {args.channel}")
    return 0
