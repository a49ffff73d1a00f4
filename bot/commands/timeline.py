"""`/timeline [storyline] [since] [until] [about]` — dated events with their sources.

`timeline_pages` is pure (events in, embed pages out) and carries the layout; the command
only parses options, asks the read API and sends the pages with a pager when there are many.
"""

from __future__ import annotations

import datetime as dt

import discord
from discord import app_commands

from bot.commands.choices import storyline_autocomplete
from bot.errors import UserError
from bot.escaping import inert, link
from bot.pager import send_pages
from bot.services import BotServices
from digests.models import EmbedSpec, StorylineDefinition, TimelineEvent

EVENTS_PER_PAGE = 8
PAGE_TEXT_MAX = 3800  # under the 4096 description limit, with room for the header
EVENT_TEXT_MAX = 300
SOURCES_SHOWN = 3


def parse_day(value: str | None, option: str) -> dt.date | None:
    """`2026-07-02` → a date; anything else is a `UserError` naming the option."""
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(
            f"`{option}` must be a date like 2026-07-02 (got {inert(value, 40)})."
        ) from None


def event_line(event: TimelineEvent) -> str:
    """`**2026-07-02** — what happened · [source](url), [source](url) +2`."""
    sources = [link(s.title or "source", s.url, 80) for s in event.sources[:SOURCES_SHOWN]]
    more = len(event.sources) - SOURCES_SHOWN
    if more > 0:
        sources.append(f"+{more}")
    shown = " · " + ", ".join(sources) if sources else ""
    when = f"**{event.date.isoformat()}**" + (" (publication date)" if event.inferred else "")
    return f"{when} — {inert(event.text, EVENT_TEXT_MAX)}{shown}"


def describe_filters(since: dt.date | None, until: dt.date | None, about: str | None) -> str:
    parts = []
    if since:
        parts.append(f"from {since.isoformat()}")
    if until:
        parts.append(f"until {until.isoformat()}")
    if about:
        parts.append(f"about “{inert(about, 60)}”")
    return " ".join(parts)


def timeline_pages(
    definition: StorylineDefinition,
    events: list[TimelineEvent],
    *,
    filters: str = "",
    per_page: int = EVENTS_PER_PAGE,
) -> list[EmbedSpec]:
    """Pages of dated events, oldest first; one explanatory page when nothing matched."""
    title = f"Timeline — {inert(definition.name, 200)}"
    footer = f"{len(events)} events" + (f" · {filters}" if filters else "")
    if not events:
        hint = "No dated events match these filters." if filters else "No dated events yet."
        return [EmbedSpec(title=title, description=hint, footer=filters or None)]
    pages: list[EmbedSpec] = []
    lines: list[str] = []
    size = 0
    for event in events:
        line = event_line(event)
        if lines and (len(lines) >= per_page or size + len(line) + 1 > PAGE_TEXT_MAX):
            pages.append(EmbedSpec(title=title, description="\n".join(lines), footer=footer))
            lines, size = [], 0
        lines.append(line)
        size += len(line) + 1
    pages.append(EmbedSpec(title=title, description="\n".join(lines), footer=footer))
    return pages


def build(services: BotServices) -> list[app_commands.Command]:  # type: ignore[type-arg]
    @app_commands.command(name="timeline", description="Dated events of a storyline, with sources")
    @app_commands.describe(
        storyline="Which storyline (optional when only one is tracked)",
        since="First day to show, like 2026-07-01",
        until="Last day to show, like 2026-07-31",
        about="Only events mentioning these words",
    )
    @app_commands.autocomplete(storyline=storyline_autocomplete(services))
    async def timeline(
        interaction: discord.Interaction,
        storyline: str | None = None,
        since: str | None = None,
        until: str | None = None,
        about: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        definition = services.default_storyline(storyline)
        start, end = parse_day(since, "since"), parse_day(until, "until")
        if start and end and start > end:
            raise UserError("`since` must not be after `until`.")
        await interaction.response.defer(thinking=True)
        events = await services.on_store(lambda s: s.lookups.timeline(
            definition.id, since=start, until=end, about=about))
        pages = timeline_pages(definition, events, filters=describe_filters(start, end, about))
        await send_pages(interaction, pages)

    return [timeline]
