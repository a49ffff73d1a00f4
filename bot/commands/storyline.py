"""`/storyline list` and `/storyline info` — what is tracked, how much, how fresh."""

from __future__ import annotations

import datetime as dt

import discord
from discord import app_commands

from bot.commands.choices import storyline_autocomplete
from bot.embeds import NO_MENTIONS, to_embed
from bot.escaping import inert
from bot.services import BotServices
from digests.models import EmbedField, EmbedSpec, StorylineDefinition, StorylineStats


def when(value: dt.datetime | None) -> str:
    """A Discord timestamp (shown in the reader's timezone), or "never"."""
    return f"<t:{int(value.timestamp())}:R>" if value else "never"


def stats_line(stats: StorylineStats) -> str:
    return (f"{stats.items} items · {stats.stories} stories · {stats.events} events · "
            f"{stats.quotes} quotes · updated {when(stats.last_update)}")


def list_embed(rows: list[tuple[StorylineDefinition, StorylineStats]]) -> EmbedSpec:
    if not rows:
        return EmbedSpec(title="Tracked storylines", description="No storylines are configured.")
    fields = tuple(
        EmbedField(name=inert(f"{d.name} ({d.id})", 200), value=stats_line(s))
        for d, s in rows
    )
    return EmbedSpec(title="Tracked storylines", fields=fields[:25])


def info_embed(definition: StorylineDefinition, stats: StorylineStats) -> EmbedSpec:
    people = ", ".join(inert(p.name, 60) for p in definition.people[:15]) or "none listed"
    keywords = ", ".join(inert(k, 40) for k in definition.keywords[:15])
    return EmbedSpec(
        title=inert(definition.name, 200),
        description=inert(definition.description, 1000),
        fields=(
            EmbedField(name="Coverage", value=stats_line(stats)),
            EmbedField(name="Keywords", value=keywords or "none"),
            EmbedField(name="People", value=people),
            EmbedField(name="Feeds", value=str(len(definition.feeds)), inline=True),
            EmbedField(name="Digest", value=f"{definition.digest.time} "
                       f"{definition.digest.timezone}", inline=True),
        ),
        footer=f"id: {definition.id}",
    )


def build(services: BotServices) -> list[app_commands.Group]:
    group = app_commands.Group(name="storyline", description="Tracked storylines")

    @group.command(name="list", description="Every tracked storyline with counts")
    async def list_(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        storylines = list(services.storylines)
        counts = await services.on_store(
            lambda s: [s.lookups.stats(d.id) for d in storylines])
        rows = list(zip(storylines, counts, strict=True))
        await interaction.followup.send(embed=to_embed(list_embed(rows)),
                                        allowed_mentions=NO_MENTIONS)

    @group.command(name="info", description="One storyline: description, people, counts")
    @app_commands.describe(storyline="Which storyline (optional when only one is tracked)")
    @app_commands.autocomplete(storyline=storyline_autocomplete(services))
    async def info(interaction: discord.Interaction, storyline: str | None = None) -> None:
        definition = services.default_storyline(storyline)
        await interaction.response.defer(thinking=True)
        stats = await services.on_store(lambda s: s.lookups.stats(definition.id))
        await interaction.followup.send(embed=to_embed(info_embed(definition, stats)),
                                        allowed_mentions=NO_MENTIONS)

    return [group]
