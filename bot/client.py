"""`StorylineBot`: a plain `discord.Client` with an app-command tree and no privileged intents.

Slash commands need no gateway intents beyond the default non-privileged set (interactions
arrive regardless); the bot never reads message content or member lists. Every message it
sends defaults to `AllowedMentions.none()`, so nothing the bot posts can ping anyone even if
escaping missed something.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import discord
from discord import app_commands

from bot.commands import register_all
from bot.errors import reply_error
from bot.services import BotServices

log = logging.getLogger(__name__)


def minimal_intents() -> discord.Intents:
    """Guilds only: enough to resolve channels, nothing privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class StorylineTree(app_commands.CommandTree["StorylineBot"]):
    """Every command failure becomes a short private reply (see `bot.errors`)."""

    async def on_error(
        self, interaction: discord.Interaction[StorylineBot], error: app_commands.AppCommandError
    ) -> None:
        await reply_error(interaction, error)


class StorylineBot(discord.Client):
    """The Discord client: commands registered and synced in `setup_hook`."""

    def __init__(self, services: BotServices, *, guild_id: int | None = None,
                 sync_commands: bool = True, **options: object) -> None:
        super().__init__(
            intents=minimal_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,  # type: ignore[arg-type]
        )
        self.services = services
        self.guild_id = guild_id
        self.sync_commands = sync_commands
        self.tree = StorylineTree(self)
        register_all(self.tree, services)
        # Told of gateway ups and downs (the service's heartbeat); discord.py reconnects.
        self.connection_listener: Callable[[bool], None] | None = None

    async def close(self) -> None:
        """Close the gateway and HTTP session, then the store workers and their connections."""
        await super().close()
        await self.services.aclose()

    async def on_resumed(self) -> None:
        if self.connection_listener is not None:
            self.connection_listener(True)

    async def on_disconnect(self) -> None:
        if self.connection_listener is not None:
            self.connection_listener(False)

    async def setup_hook(self) -> None:
        """Sync slash commands once per start (Discord rate-limits syncing; never per event).

        With a development guild the global commands are copied there, which Discord shows
        at once, instead of the up-to-an-hour global propagation.
        """
        if not self.sync_commands:
            return
        if self.guild_id is not None:
            guild = discord.Object(id=self.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d slash commands to guild %r", len(synced), self.guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global slash commands", len(synced))

    async def on_ready(self) -> None:
        if self.connection_listener is not None:
            self.connection_listener(True)
        log.info("connected to Discord as %r in %d servers", str(self.user), len(self.guilds))
