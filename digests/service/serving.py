"""Running the service until told to stop: console or Discord, signals, the heartbeat file.

Ctrl-C (SIGINT) and `docker stop` (SIGTERM) stop it cleanly: the scheduler stops taking jobs,
the Discord client closes, and a poll already running finishes its write before the process
exits (its thread is joined by `asyncio.run`). A digest interrupted between parts is resumed on
the next start by the ledger, so stopping at any moment loses nothing and posts nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

from digests.config import ConfigError
from digests.service.context import ServiceContext
from digests.service.heartbeat import HeartbeatRecorder, heartbeat_path
from digests.service.runtime import Service, run_console, run_discord


class BotFailed(Exception):
    """The bot stopped for a reason a restart may fix; the shell reports it as one line."""


def rejected(failure: BaseException) -> ConfigError | None:
    """A failure no restart can fix (a refused token, a missing intent), as a config error.

    The CLI exits with status 2 for it (after holding, with `--hold-on-config-error`): the
    configuration must change; the process did not crash. The bot judges it (`bot.runner`),
    imported only here, when the bot has failed, so a console run never loads discord.py."""
    from bot.runner import refused

    return refused(failure)


async def serve(ctx: ServiceContext, *, token: str | None, poll_now: bool,
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
        raise (rejected(failure) or BotFailed(f"Discord: {failure}")) from failure


def run_service(ctx: ServiceContext, *, token: str | None, poll_now: bool) -> None:
    """Until SIGINT or SIGTERM: the deployment `storyline run` starts, with its heartbeat file.

    Raises `ConfigError` for a configuration no restart can fix (the heartbeat says why until
    the container goes) and `BotFailed` when the bot stops otherwise."""
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
        await serve(ctx, token=token, poll_now=poll_now, stop=stop, service=service)

    try:
        asyncio.run(main())
    except ConfigError as exc:
        heartbeat.stopped(str(exc))
        raise
