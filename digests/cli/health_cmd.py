"""`storyline health` — is `storyline run` alive and doing its job?

It reads the heartbeat the running service writes beside the database and judges it
(`digests/health.py`): the scheduler still beating, the poll loop neither stuck nor stopped,
polls not failing over and over, the Discord gateway connected (or console mode). It opens
neither the database nor the network. The image's HEALTHCHECK runs the same check through the
lighter `storyline-health` entry point (`health_probe.py`).
"""

from __future__ import annotations

import argparse

from digests.cli.context import CliContext
from digests.cli.health_probe import check


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "health", parents=[common],
        help="check that `storyline run` is alive: scheduler, polls, Discord (exit 0 or 1)",
        description=(
            "Read the heartbeat `storyline run` writes beside the database "
            "(DB-heartbeat.json) and judge it: unhealthy (exit status 1) when the scheduler "
            "has not beaten for a minute, a poll has run for three poll intervals, no poll "
            "has started for three intervals, the last three polls failed, or the Discord "
            "gateway has been down for ten minutes. Opens neither the database nor the "
            "network. The Docker image's HEALTHCHECK runs the same check as "
            "`storyline-health`, which starts faster."
        ),
    )
    parser.add_argument("--json", action="store_true",
                        help="print the heartbeat and the verdict as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    status, text = check(ctx.database_path, ctx.clock(), as_json=args.json)
    ctx.say(text)
    return status
