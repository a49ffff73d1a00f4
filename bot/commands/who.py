"""`/who said [text] [person] [storyline]` — who said a remembered line, or what someone said.

With `text`: the stored quotes that contain it (exact phrase first) with speaker, date and
link, a flag when sources disagree on the speaker, or a kind "not found", never a different
quote. With `person`: that person's
quotes, newest first. Formatting lives in `quote_pages`, pure over `QuoteHit`s.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands.choices import person_choices, storyline_autocomplete
from bot.errors import UserError
from bot.escaping import inert, link
from bot.pager import send_pages
from bot.services import BotServices
from digests.models import EmbedSpec, QuoteHit

QUOTES_PER_PAGE = 5
QUOTE_TEXT_MAX = 500
TEXT_BEST_MATCHES = 5
PERSON_LIMIT = 50
NOT_FOUND = (
    "I couldn't find a stored quote containing those words. Quotes are matched on their "
    "own words (a word or two may differ), so try a shorter piece you are sure of, or "
    "check the storyline."
)


def quote_block(hit: QuoteHit, *, show_speaker: bool = True) -> str:
    """> “quote” — Speaker, 2026-07-02 · [source](url)."""
    who = inert(hit.speaker, 100) if hit.speaker else "unattributed"
    when = hit.date.isoformat() if hit.date else "undated"
    source = link(hit.source.title or "source", hit.source.url, 80)
    byline = f"{who}, {when}" if show_speaker else when
    block = f"> “{inert(hit.quote, QUOTE_TEXT_MAX)}”\n— {byline} · {source}"
    if show_speaker and hit.conflicting:
        others = ", ".join(inert(name, 100) for name in hit.conflicting)
        block += f"\n⚠ Sources disagree: other reports give these words to {others}."
    return block


def quote_pages(title: str, hits: list[QuoteHit], *, empty: str, show_speaker: bool = True,
                per_page: int = QUOTES_PER_PAGE) -> list[EmbedSpec]:
    if not hits:
        return [EmbedSpec(title=title, description=empty)]
    blocks = [quote_block(h, show_speaker=show_speaker) for h in hits]
    footer = f"{len(hits)} quotes"
    return [
        EmbedSpec(title=title, description="\n\n".join(blocks[i : i + per_page]), footer=footer)
        for i in range(0, len(blocks), per_page)
    ]


def build(services: BotServices) -> list[app_commands.Group]:
    who = app_commands.Group(name="who", description="Look up quotes in the coverage")

    async def person_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        storyline = getattr(interaction.namespace, "storyline", None)
        return await person_choices(services, storyline, current)

    @who.command(name="said", description="Who said a line, or what a person said")
    @app_commands.describe(
        text="Part of the quote you remember",
        person="A person whose quotes you want",
        storyline="Limit to one storyline",
    )
    @app_commands.autocomplete(storyline=storyline_autocomplete(services),
                               person=person_autocomplete)
    async def said(
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, 300] | None = None,
        person: app_commands.Range[str, 1, 100] | None = None,
        storyline: str | None = None,
    ) -> None:
        if not text and not person:
            raise UserError("Give `text` (part of a quote) or `person` (who said it).")
        storyline_id = services.storyline(storyline).id if storyline else None
        await interaction.response.defer(thinking=True)
        if text:
            said = text
            hits = await services.on_store(lambda s: s.lookups.who_said(
                said, storyline_id=storyline_id, limit=TEXT_BEST_MATCHES))
            empty = NOT_FOUND
            if person:
                wanted = person.strip().casefold()
                if hits:
                    empty = (f"Stored quotes contain those words, but none is attributed to "
                             f"{inert(person, 80)}. Leave out `person` to see who said them.")
                hits = [h for h in hits if h.speaker and wanted in h.speaker.casefold()]
            pages = quote_pages(f"Who said “{inert(text, 80)}”?", hits, empty=empty)
        else:
            assert person is not None
            speaker = person
            hits = await services.on_store(lambda s: s.lookups.quotes_by(
                speaker, storyline_id=storyline_id, limit=PERSON_LIMIT))
            pages = quote_pages(
                f"What {inert(person, 80)} said", hits, show_speaker=False,
                empty="No stored quotes from that person.",
            )
        await send_pages(interaction, pages)

    return [who]
