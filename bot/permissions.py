"""Admin commands are hidden by `default_permissions` *and* re-checked here.

`default_permissions` only sets what Discord shows by default; a server can override it in
its integration settings, so the command itself checks the resolved permissions Discord sent
with the interaction (`interaction.permissions`, channel overwrites included).
"""

from __future__ import annotations

import discord

from bot.errors import UserError


def require_manage_guild(interaction: discord.Interaction) -> None:
    """Raise `UserError` unless the member may manage the server this came from."""
    if interaction.guild_id is None:
        raise UserError("This command only works inside a server.")
    granted = interaction.permissions
    if not (granted.manage_guild or granted.administrator):
        raise UserError("You need the Manage Server permission for this command.")
