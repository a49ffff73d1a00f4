"""Autocomplete suggestions for storyline ids and people (pure over the read API).

Discord shows at most 25 choices and drops the whole answer if a name or value exceeds 100
characters: https://discord.com/developers/docs/interactions/application-commands
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.services import BotServices
from digests.text import normalize

MAX_CHOICES = 25
CHOICE_TEXT_MAX = 100


def storyline_choices(services: BotServices, typed: str) -> list[app_commands.Choice[str]]:
    wanted = normalize(typed)
    found = [
        app_commands.Choice(name=f"{d.name} ({d.id})"[:CHOICE_TEXT_MAX], value=d.id)
        for d in services.storylines
        if wanted in normalize(d.id) or wanted in normalize(d.name)
    ]
    return found[:MAX_CHOICES]


async def person_choices(
    services: BotServices, storyline_id: str | None, typed: str
) -> list[app_commands.Choice[str]]:
    known = {d.id for d in services.storylines}
    scope = storyline_id if storyline_id in known else None
    names = await services.on_store(lambda s: s.lookups.people(scope, prefix=typed))
    return [
        app_commands.Choice(name=n[:CHOICE_TEXT_MAX], value=n[:CHOICE_TEXT_MAX])
        for n in names[:MAX_CHOICES]
    ]


Completer = Callable[
    [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]


def storyline_autocomplete(services: BotServices) -> Completer:
    """An autocomplete callback bound to the services (discord.py wants a coroutine)."""

    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return storyline_choices(services, current)

    return complete
