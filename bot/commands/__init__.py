"""Slash commands, one module per feature; `register_all` adds them to a tree."""

from __future__ import annotations

from discord import app_commands

from bot.commands import admin_feeds, digest, follow, storyline, timeline, who
from bot.services import BotServices


def register_all(tree: app_commands.CommandTree, services: BotServices) -> None:
    """Add every command; each module's `build` closes over the shared services."""
    for module in (timeline, who, digest, storyline, follow, admin_feeds):
        for command in module.build(services):
            tree.add_command(command)
