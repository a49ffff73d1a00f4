"""`/follow storyline channel [time] [timezone]` and `/unfollow storyline channel` (admins).

Hidden from non-admins by `default_permissions(manage_guild=True)` and re-checked in code
(`require_manage_guild`), since a server can change who sees a command.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands

from bot.commands.choices import storyline_autocomplete
from bot.embeds import NO_MENTIONS
from bot.errors import UserError
from bot.escaping import inert
from bot.permissions import require_manage_guild
from bot.services import BotServices
from digests.actions import follows

log = logging.getLogger(__name__)

_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
POSTABLE_CHANNELS = (discord.ChannelType.text, discord.ChannelType.news)
COMMON_ZONES = ("UTC", "Europe/London", "Europe/Paris", "America/New_York",
                "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney")


def parse_time(value: str) -> str:
    """`9:00` / `09:00` → `09:00`; anything else is a `UserError`."""
    found = _TIME_RE.match(value.strip())
    if not found:
        raise UserError(f"`time` must be a 24-hour time like 09:00 (got {inert(value, 20)}).")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def parse_timezone(value: str) -> str:
    name = value.strip()
    if not follows.known_timezone(name):
        raise UserError(
            f"`timezone` must be an IANA name like Europe/Paris (got {inert(name, 40)})."
        )
    return name


def check_channel(channel: app_commands.AppCommandChannel) -> None:
    if channel.type not in POSTABLE_CHANNELS:
        raise UserError("Digests can only go to a text or announcement channel.")


def build(services: BotServices) -> list[app_commands.Command]:  # type: ignore[type-arg]
    async def zone_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.lower()
        return [app_commands.Choice(name=z, value=z) for z in COMMON_ZONES if wanted in z.lower()]

    @app_commands.command(name="follow", description="Post a storyline's daily digest here")
    @app_commands.describe(
        storyline="Which storyline", channel="Channel that receives the digest",
        time="Local time, 24-hour, like 09:00", timezone="IANA timezone, like Europe/Paris",
    )
    @app_commands.autocomplete(storyline=storyline_autocomplete(services),
                               timezone=zone_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def follow(
        interaction: discord.Interaction,
        storyline: str,
        channel: app_commands.AppCommandChannel,
        time: app_commands.Range[str, 1, 5] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        require_manage_guild(interaction)
        definition = services.storyline(storyline)
        check_channel(channel)
        at = parse_time(time) if time else None
        zone = parse_timezone(timezone) if timezone else None
        guild_id = interaction.guild_id
        # The write may wait for a poll's transaction (SQLite has one writer) longer than
        # Discord's three seconds to answer an interaction: acknowledge first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        followed = await services.write_on_store(lambda s: follows.follow(
            s.db, definition, guild_id=guild_id, channel_id=channel.id, time=at,
            timezone=zone, clock=services.clock))
        existed = followed.existed
        at, zone = followed.subscription.time, followed.subscription.timezone
        services.subscriptions_changed()
        log.info("follow %r -> channel %r at %r %r by %r", definition.id, channel.id, at, zone,
                 interaction.user.id)
        verb = "now gets" if existed else "will now get"
        await interaction.followup.send(
            f"<#{channel.id}> {verb} the **{inert(definition.name, 100)}** digest daily at "
            f"{at} ({zone}).", ephemeral=True, allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="unfollow", description="Stop a storyline's digest in a channel")
    @app_commands.describe(storyline="Which storyline", channel="Channel to stop posting in")
    @app_commands.autocomplete(storyline=storyline_autocomplete(services))
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def unfollow(
        interaction: discord.Interaction,
        storyline: str,
        channel: app_commands.AppCommandChannel,
    ) -> None:
        require_manage_guild(interaction)
        definition = services.storyline(storyline)
        await interaction.response.defer(ephemeral=True, thinking=True)  # as in /follow
        removed = await services.write_on_store(
            lambda s: follows.unfollow(s.db, channel.id, definition.id))
        if removed:
            services.subscriptions_changed()
        text = (f"<#{channel.id}> no longer gets the **{inert(definition.name, 100)}** digest."
                if removed else f"<#{channel.id}> was not following that storyline.")
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    return [follow, unfollow]
