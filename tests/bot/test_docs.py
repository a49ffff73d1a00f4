"""Every slash command and option is described to users and documented in docs/discord.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from discord import app_commands

from bot.runner import create_bot
from digests.config import Settings
from tests.bot.seeding import STORYLINE

DOC = Path(__file__).resolve().parents[2] / "docs" / "discord.md"


def leaf_commands(connect: Any) -> list[app_commands.Command[Any, ..., Any]]:
    tree = create_bot(connect=connect, storylines=[STORYLINE], settings=Settings()).tree
    found: list[app_commands.Command[Any, ..., Any]] = []
    for command in tree.get_commands():
        if isinstance(command, app_commands.Group):
            found.extend(c for c in command.walk_commands()
                         if isinstance(c, app_commands.Command))
        elif isinstance(command, app_commands.Command):
            found.append(command)
    return found


def test_every_command_is_documented(connect: Any) -> None:
    text = DOC.read_text(encoding="utf-8")
    commands = leaf_commands(connect)
    assert len(commands) >= 10
    for command in commands:
        assert f"`/{command.qualified_name}" in text, command.qualified_name
        assert command.description and command.description != "…"
        for parameter in command.parameters:
            assert parameter.description and parameter.description != "…", (
                command.qualified_name, parameter.name)
            assert parameter.name in text, (command.qualified_name, parameter.name)


@pytest.mark.parametrize("needle", ["bot applications.commands", "permissions=84992",
                                    "STORYLINE_DATABASE=/data/storyline.db", "DISCORD_TOKEN"])
def test_setup_facts_are_in_the_guide(needle: str) -> None:
    assert needle in DOC.read_text(encoding="utf-8")
