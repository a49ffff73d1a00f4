"""`storyline run` — the service: scheduled polls, daily digests, and the bot when a token is set.

Ctrl-C (SIGINT) and `docker stop` (SIGTERM) stop it cleanly: the scheduler stops taking jobs,
the Discord client closes, and a poll already running finishes its write before the process
exits (its thread is joined by `asyncio.run`). A digest interrupted between parts is resumed on
the next start by the ledger, so stopping at any moment loses nothing and posts nothing twice.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import signal

from digests.cli.context import CliContext, CliError
from digests.cli.heartbeat import HeartbeatRecorder, heartbeat_path
from digests.cli.numbers import MAX_DISCORD_ID
from digests.cli.service import Service, run_console, run_discord
from digests.config import ConfigError
from digests.config.secrets import TOKEN_VARIABLES, read_secret

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


def rejected(failure: BaseException) -> ConfigError | None:
    """A failure no restart can fix (a refused token, a missing intent), as a config error.

    `main` exits with status 2 for it (after holding, with `--hold-on-config-error`): the
    configuration must change; the process did not crash. The bot judges it (`bot.runner`),
    imported only here, when the bot has failed, so a console run never loads discord.py."""
    from bot.runner import refused

    return refused(failure)


def _with_guild_from_env(ctx: CliContext) -> CliContext:
    raw = ctx.environ.get(GUILD_VARIABLE, "").strip()
    if not raw or ctx.settings.discord_guild_id is not None:
        return ctx
    if not raw.isdigit() or not 0 < int(raw) <= MAX_DISCORD_ID:
        raise CliError(f"{GUILD_VARIABLE}: expected a numeric Discord server id, got {raw!r}")
    settings = dataclasses.replace(ctx.settings, discord_guild_id=int(raw))
    return dataclasses.replace(ctx, settings=settings)


async def serve(ctx: CliContext, *, token: str | None, poll_now: bool,
                stop: asyncio.Event, service: Service | None = None) -> None:
    """Run until `stop` is set (or the bot fails for good, e.g. a rejected token).

    `service` lets a caller (a test, an embedding program) watch the running jobs."""
    service = service or Service(ctx, console=token is None)
    service.start(poll_now=poll_now)
    if token is None:
        await run_console(service)
        ctx.note("storyline run: console mode (no DISCORD_TOKEN): digests print here")
    else:
        ctx.note("storyline run: starting the Discord bot")
    for line in service.describe():
        ctx.note(f"  {line}")
    ctx.note("storyline run: press Ctrl-C to stop")
    stopper: asyncio.Task[object] = asyncio.create_task(stop.wait())
    waiting: set[asyncio.Task[object]] = {stopper}
    bot: asyncio.Task[object] | None = (
        asyncio.create_task(run_discord(service, token)) if token is not None else None
    )
    if bot is not None:
        waiting.add(bot)
    try:
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await service.drain()
        service.stop()
        for task in waiting:
            task.cancel()
        results = await asyncio.gather(*waiting, return_exceptions=True)
    failure = next((r for r in results if isinstance(r, BaseException)
                    and not isinstance(r, asyncio.CancelledError)), None)
    if failure is not None:
        raise (rejected(failure) or CliError(f"Discord: {failure}")) from failure


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx = _with_guild_from_env(ctx)
    token = None if args.console else discord_token(ctx)
    ctx.db  # noqa: B018 - open (and migrate) now: a store that cannot be written stops here
    heartbeat = HeartbeatRecorder(heartbeat_path(ctx.database_path), console=token is None,
                                  poll_interval_minutes=ctx.settings.poll_interval_minutes,
                                  clock=ctx.clock)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        service = Service(ctx, console=token is None, heartbeat=heartbeat)
        await serve(ctx, token=token, poll_now=args.poll_now, stop=stop, service=service)

    try:
        asyncio.run(main())
    except ConfigError as exc:
        heartbeat.stopped(str(exc))  # the health check shows why until the container goes
        raise
    ctx.note("storyline run: stopped")
    return 0
