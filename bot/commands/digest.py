"""`/digest [storyline]` — a private preview of what the next digest would contain.

The preview uses the same period rule, builder and renderer as the scheduled digest: in a
channel that already received this storyline's digest, the period starts where the last one
ended (bounded to a week); elsewhere it covers the last day. It ends now, not at the next
scheduled time, so it shows what has arrived so far.
"""

from __future__ import annotations

import datetime as dt

import discord
from discord import app_commands

from bot.commands.choices import storyline_autocomplete
from bot.embeds import message_kwargs
from bot.services import BotServices, StoreSession
from digests.actions.previews import last_digest_end
from digests.delivery.digest_job import FIRST_DIGEST_LOOKBACK, MAX_LOOKBACK, digest_between
from digests.digest.discord_render import render_messages
from digests.models import MessageSpec, StorylineDefinition

PREVIEW_MAX_MESSAGES = 5


def preview_period(session: StoreSession, storyline_id: str, channel_id: int | None,
                   end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """`[start, end)`: from the channel's last digest of this storyline, else one day back."""
    last = None
    if channel_id is not None:
        last = last_digest_end(session.db, storyline_id, channel_id)
    if last is None or last >= end:
        return end - FIRST_DIGEST_LOOKBACK, end
    return max(last, end - MAX_LOOKBACK), end


def preview_messages(session: StoreSession, definition: StorylineDefinition,
                     channel_id: int | None, now: dt.datetime) -> list[MessageSpec]:
    """The digest this period would produce so far, as messages (never empty)."""
    since, until = preview_period(session, definition.id, channel_id, now)
    digest = digest_between(session.lookups, definition, since, until)
    messages = render_messages(digest, quiet_day="note")
    if len(messages) > PREVIEW_MAX_MESSAGES:
        left = len(messages) - PREVIEW_MAX_MESSAGES
        messages = [*messages[:PREVIEW_MAX_MESSAGES],
                    MessageSpec(content=f"… and {left} more messages in the real digest.")]
    return messages


def build(services: BotServices) -> list[app_commands.Command]:  # type: ignore[type-arg]
    @app_commands.command(name="digest", description="Preview the next digest (only you see it)")
    @app_commands.describe(storyline="Which storyline (optional when only one is tracked)")
    @app_commands.autocomplete(storyline=storyline_autocomplete(services))
    async def digest(interaction: discord.Interaction, storyline: str | None = None) -> None:
        definition = services.default_storyline(storyline)
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel_id, now = interaction.channel_id, services.clock()
        messages = await services.on_store(
            lambda s: preview_messages(s, definition, channel_id, now))
        for message in messages:
            await interaction.followup.send(ephemeral=True, **message_kwargs(message))

    return [digest]
