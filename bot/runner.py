"""`run_bot`: what `storyline run` awaits when `DISCORD_TOKEN` is set.

It runs in the caller's event loop beside the scheduler: log in (which syncs the slash
commands in `setup_hook`), hand the caller a ready `DiscordDeliverer` for digest posting, then
hold the gateway connection until cancelled. Cancelling the task closes the client cleanly.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot.client import StorylineBot
from bot.delivery import DiscordDeliverer
from bot.services import BotServices, OpenLookups, utc_now
from digests.config import ConfigError, Settings
from digests.models import StorylineDefinition
from digests.reading.lookups import Lookups

log = logging.getLogger(__name__)

# discord.py sleeps through 429s shorter than this; longer ones surface as `RateLimited`
# so the digest ledger can reschedule instead of blocking (discord.py's floor is 30 s).
MAX_RATELIMIT_WAIT = 30.0


def refused(failure: BaseException) -> ConfigError | None:
    """A failure no restart can fix (a refused token, a missing intent), as a config error;
    None for anything else (an outage, which is retried). Here because only `bot/` knows
    discord.py's exception types."""
    if isinstance(failure, discord.LoginFailure):
        return ConfigError("Discord", "bot token",
                           f"a token Discord accepts; it refused this one ({failure}); "
                           "reset it in the Developer Portal")
    if isinstance(failure, discord.PrivilegedIntentsRequired):
        return ConfigError("Discord", "gateway intents",
                           f"none privileged; Discord refused the connection ({failure})")
    return None


def create_bot(
    *,
    connect: Callable[[], Any],
    storylines: Sequence[StorylineDefinition],
    settings: Settings,
    clock: Callable[[], dt.datetime] = utc_now,
    on_subscriptions_changed: Callable[[], None] | None = None,
    sync_commands: bool = True,
    open_lookups: OpenLookups = Lookups,
) -> StorylineBot:
    """The client with every command registered; nothing connects until `login`/`start`.

    `connect` opens a new connection to the store: the commands' worker threads call it,
    one connection each (see `bot.services`)."""
    services = BotServices(connect=connect, storylines=storylines, settings=settings,
                           clock=clock, on_subscriptions_changed=on_subscriptions_changed,
                           open_lookups=open_lookups)
    return StorylineBot(services, guild_id=settings.discord_guild_id,
                        sync_commands=sync_commands, max_ratelimit_timeout=MAX_RATELIMIT_WAIT)


async def run_bot(
    token: str,
    *,
    connect: Callable[[], Any],
    storylines: Sequence[StorylineDefinition],
    settings: Settings,
    clock: Callable[[], dt.datetime] = utc_now,
    on_ready: Callable[[DiscordDeliverer], Awaitable[None]] | None = None,
    on_subscriptions_changed: Callable[[], None] | None = None,
    on_connection: Callable[[bool], None] | None = None,
) -> None:
    """Log in, call `on_ready(deliverer)` once logged in, then stay connected until cancelled.

    `on_ready` runs after login (REST works, commands synced) and before the gateway connects,
    so the scheduler can resume pending digests and start posting straight away; it must not
    block. `on_subscriptions_changed` runs after every `/follow` or `/unfollow` so the caller
    can re-sync the digest crons (`scheduling.add_digest_jobs`). `on_connection(up)` follows
    the gateway (ready or resumed: up; disconnected: down) for the service's heartbeat.
    """
    bot = create_bot(connect=connect, storylines=storylines, settings=settings, clock=clock,
                     on_subscriptions_changed=on_subscriptions_changed)
    bot.connection_listener = on_connection
    try:
        await bot.login(token.strip())
        if on_ready is not None:
            await on_ready(DiscordDeliverer(bot))
        await bot.connect(reconnect=True)
    finally:
        if not bot.is_closed():
            await bot.close()
        await bot.services.aclose()  # also when discord.py closed the client itself
        log.info("Discord client closed")
