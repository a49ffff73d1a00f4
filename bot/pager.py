"""Previous/next buttons over pre-rendered pages, for answers longer than one embed.

Pages are rendered up front (pure), so a button press only edits the message: no query runs
again and a click always answers inside Discord's three seconds. Only the person who ran the
command can turn the pages; after `TIMEOUT` the buttons stop answering.
"""

from __future__ import annotations

import discord

from bot.embeds import NO_MENTIONS, to_embed
from digests.models import EmbedSpec

TIMEOUT = 10 * 60.0


def page_footer(index: int, total: int, footer: str | None) -> str:
    position = f"Page {index + 1} of {total}"
    return f"{footer} · {position}" if footer else position


class Pager(discord.ui.View):
    """Shows `pages[index]`; the buttons move by one page and disable at either end."""

    def __init__(self, pages: list[EmbedSpec], owner_id: int, *, timeout: float = TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        if not pages:
            raise ValueError("a pager needs at least one page")
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        self._sync_buttons()

    def embed(self) -> discord.Embed:
        spec = self.pages[self.index]
        embed = to_embed(spec)
        embed.set_footer(text=page_footer(self.index, len(self.pages), spec.footer))
        return embed

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who ran the command can turn these pages.",
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )
        return False

    async def _show(self, interaction: discord.Interaction, step: int) -> None:
        self.index = min(max(self.index + step, 0), len(self.pages) - 1)
        self._sync_buttons()
        await interaction.response.edit_message(
            embed=self.embed(), view=self, allowed_mentions=NO_MENTIONS
        )

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction,
                       button: discord.ui.Button[Pager]) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction,
                   button: discord.ui.Button[Pager]) -> None:
        await self._show(interaction, 1)


async def send_pages(interaction: discord.Interaction, pages: list[EmbedSpec], *,
                     ephemeral: bool = False) -> None:
    """Send the first page as the (deferred) reply, with buttons only when there are more."""
    if len(pages) == 1:
        await interaction.followup.send(
            embed=to_embed(pages[0]), ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )
        return
    view = Pager(pages, interaction.user.id)
    await interaction.followup.send(
        embed=view.embed(), view=view, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS,
        wait=True,  # the view is stored under the new message's id, not a shared custom id
    )
