"""`storyline run` — its arguments and environment; the service itself is `digests.service`.

The token and the guild id come from the environment here, in the shell; scheduling, polling,
the bot and the heartbeat are wired by `digests.service.serving.run_service`.
"""

from __future__ import annotations

import argparse
import dataclasses

from digests.cli.context import CliContext, CliError
from digests.cli.numbers import MAX_DISCORD_ID
from digests.config.secrets import TOKEN_VARIABLES, read_secret
from digests.service.serving import BotFailed, run_service

GUILD_VARIABLE = "DISCORD_GUILD_ID"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "run", parents=[common],
        help="run the service: scheduled polls, daily digests, the Discord bot",
        description=(
            "Start the scheduler: every feed is polled on `poll_interval_minutes` (never "
            "overlapping, no backlog replayed after a restart) and each follow gets its daily "
            "digest at its own time and timezone, exactly once. When DISCORD_TOKEN (or "
            "STORYLINE_DISCORD_TOKEN) is set, the Discord bot runs in the same process and "
            "syncs its slash commands (to DISCORD_GUILD_ID / `discord_guild_id` when set, for "
            "fast development; globally otherwise). Without a token it runs in console mode: "
            "the same jobs, with each storyline's digest printed to stdout on the schedule in "
            "its storyline file. Ctrl-C or SIGTERM stops it cleanly."
        ),
    )
    parser.add_argument("--console", action="store_true",
                        help="console mode even when a Discord token is set")
    parser.add_argument("--no-poll-now", dest="poll_now", action="store_false",
                        help="wait one interval before the first poll (default: poll at start)")
    parser.add_argument(
        "--hold-on-config-error", action="store_true",
        help="after a configuration error or a refused token, print it and wait for SIGTERM "
        "before exiting with status 2, so a supervisor that restarts on exit does not loop "
        "(the Docker image runs with it)")
    parser.set_defaults(handler=run)


def discord_token(ctx: CliContext) -> str | None:
    for name, file_name in TOKEN_VARIABLES:
        value = read_secret(ctx.environ, name, file_name)
        if value:
            return value
    return None


def _with_guild_from_env(ctx: CliContext) -> CliContext:
    raw = ctx.environ.get(GUILD_VARIABLE, "").strip()
    if not raw or ctx.settings.discord_guild_id is not None:
        return ctx
    if not raw.isdigit() or not 0 < int(raw) <= MAX_DISCORD_ID:
        raise CliError(f"{GUILD_VARIABLE}: expected a numeric Discord server id, got {raw!r}")
    settings = dataclasses.replace(ctx.settings, discord_guild_id=int(raw))
    return dataclasses.replace(ctx, settings=settings)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx = _with_guild_from_env(ctx)
    token = None if args.console else discord_token(ctx)
    ctx.db  # noqa: B018 - open (and migrate) now: a store that cannot be written stops here
    try:
        run_service(ctx, token=token, poll_now=args.poll_now)
    except BotFailed as exc:
        raise CliError(str(exc)) from exc
    ctx.note("storyline run: stopped")
    return 0
