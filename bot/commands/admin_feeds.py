"""`/feeds add|remove|list` — manage feed URLs from Discord (admins).

URLs pass the same static safety checks as feeds from config files (`url_safety`): http(s)
only, no credentials, no literal private addresses unless `http.allow_private_hosts` opens
them. Host names are resolved and re-checked by the fetcher on every poll.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.embeds import NO_MENTIONS, to_embed
from bot.errors import UserError
from bot.escaping import inert
from bot.permissions import require_manage_guild
from bot.services import BotServices
from digests.actions.feeds import add_feed, list_feeds, remove_feed
from digests.fetching.url_safety import redact
from digests.models import EmbedSpec
from digests.sources import SourceError
from digests.store import FeedState

log = logging.getLogger(__name__)

URL_MAX = 2000
FEEDS_SHOWN = 40


def feed_line(state: FeedState) -> str:
    health = "ok" if state.error_count == 0 else f"{state.error_count} errors"
    status = state.last_status or "never fetched"
    return f"{inert(redact(state.url), 200)} — {status} · {health}"


def feeds_embed(states: list[FeedState]) -> EmbedSpec:
    if not states:
        return EmbedSpec(title="Feeds", description="No feeds yet; add one with `/feeds add`.")
    lines = [feed_line(s) for s in states[:FEEDS_SHOWN]]
    if len(states) > FEEDS_SHOWN:
        lines.append(f"… and {len(states) - FEEDS_SHOWN} more (see `storyline feeds`).")
    return EmbedSpec(title="Feeds", description="\n".join(lines), footer=f"{len(states)} feeds")


def build(services: BotServices) -> list[app_commands.Group]:
    group = app_commands.Group(
        name="feeds", description="Manage the feeds Storyline polls",
        default_permissions=discord.Permissions(manage_guild=True), guild_only=True,
    )

    @group.command(name="add", description="Start polling a feed URL")
    @app_commands.describe(url="RSS or Atom feed URL (http or https)")
    async def add(interaction: discord.Interaction,
                  url: app_commands.Range[str, 1, URL_MAX]) -> None:
        require_manage_guild(interaction)
        now, private = services.clock(), services.settings.http.allow_private_hosts
        # The write may wait for a poll's transaction (SQLite has one writer) longer than
        # Discord's three seconds to answer an interaction: acknowledge first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            feed = await services.write_on_store(
                lambda s: add_feed(s.db, url, now=now, allow_private_hosts=private))
        except SourceError as exc:  # the same rule as `storyline ingest URL`
            raise UserError(inert(str(exc), 300)) from None
        clean = feed.url
        log.info("feed added from Discord by %r: %r", interaction.user.id, redact(clean))
        await interaction.followup.send(
            f"Added {inert(redact(clean), 300)}; it will be polled shortly.",
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )

    @group.command(name="remove", description="Stop polling a feed URL")
    @app_commands.describe(url="The feed URL exactly as listed by /feeds list")
    async def remove(interaction: discord.Interaction,
                     url: app_commands.Range[str, 1, URL_MAX]) -> None:
        require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # as in /feeds add
        removed = await services.write_on_store(lambda s: remove_feed(s.db, url))
        shown = inert(redact(url.strip()), 300)
        text = f"Removed {shown}." if removed else f"No feed {shown} is known."
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @group.command(name="list", description="Every feed with its last status")
    async def list_(interaction: discord.Interaction) -> None:
        require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        states = await services.on_store(lambda s: list_feeds(s.db))
        await interaction.followup.send(embed=to_embed(feeds_embed(states)), ephemeral=True,
                                        allowed_mentions=NO_MENTIONS)

    return [group]
