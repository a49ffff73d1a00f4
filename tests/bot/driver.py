"""Feeding interactions to the real client the way the gateway would, and waiting for them.

Payloads follow Discord's INTERACTION_CREATE shape; discord.py parses them itself
(`ConnectionState.parse_interaction_create`), runs the command tree or the view, and answers
over HTTP to the fake. Nothing here calls a command callback directly.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import discord

from tests.bot.fake_discord import APPLICATION_ID, FakeDiscord, user_payload

GUILD_ID = 700_000_000_000_000_001
CHANNEL_ID = 700_000_000_000_000_002
DIGEST_CHANNEL_ID = 700_000_000_000_000_003
ADMIN_ID = 700_000_000_000_000_010
MEMBER_ID = 700_000_000_000_000_011
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
VIEW_CHANNEL = 1 << 10
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD

_ids = itertools.count(800_000_000_000_000_000)
_TASK_PREFIXES = ("CommandTree-invoker", "discord-ui-view-dispatch")


def option(name: str, value: Any, kind: int = 3, *, focused: bool = False) -> dict[str, Any]:
    opt: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        opt["focused"] = True
    return opt


def subcommand(name: str, *options: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "type": 1, "options": list(options)}


def channel_option(name: str, channel_id: int, channel_type: int = 0) -> tuple[
    dict[str, Any], dict[str, Any]
]:
    """The option and its `resolved.channels` entry, as Discord sends them."""
    resolved = {str(channel_id): {"id": str(channel_id), "type": channel_type,
                                  "name": "digests", "permissions": str(ADMIN_PERMISSIONS),
                                  "guild_id": str(GUILD_ID)}}
    return option(name, str(channel_id), 7), resolved


class Driver:
    def __init__(self, client: discord.Client, fake: FakeDiscord) -> None:
        self.client = client
        self.fake = fake

    def payload(self, kind: int, data: dict[str, Any], *, user_id: int,
                permissions: int, message: dict[str, Any] | None = None) -> dict[str, Any]:
        interaction_id = next(_ids)
        payload: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(APPLICATION_ID), "type": kind,
            "token": f"token-{interaction_id}", "version": 1, "guild_id": str(GUILD_ID),
            "channel_id": str(CHANNEL_ID),
            "channel": {"id": str(CHANNEL_ID), "type": 0, "name": "general",
                        "guild_id": str(GUILD_ID), "position": 0, "permission_overwrites": []},
            "member": {"user": user_payload(user_id, f"user{user_id % 100}"), "roles": [],
                       "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                       "flags": 0, "permissions": str(permissions)},
            "app_permissions": str(ADMIN_PERMISSIONS), "locale": "en-US",
            "guild_locale": "en-US", "entitlements": [], "attachment_size_limit": 8_388_608,
            "authorizing_integration_owners": {"0": str(GUILD_ID)}, "context": 0,
            "data": data,
        }
        if message is not None:
            payload["message"] = message
        return payload

    async def _deliver(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        before = {t for t in asyncio.all_tasks() if t.get_name().startswith(_TASK_PREFIXES)}
        self.client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        while True:  # wait for the tasks discord.py spawned for this interaction
            pending = {
                t for t in asyncio.all_tasks()
                if t.get_name().startswith(_TASK_PREFIXES) and t not in before and not t.done()
            }
            if not pending:
                break
            await asyncio.wait(pending, timeout=10)
        return self.fake.interaction_replies(payload["token"])

    async def command(self, name: str, *options: dict[str, Any], user_id: int = MEMBER_ID,
                      permissions: int = MEMBER_PERMISSIONS, kind: int = 2,
                      resolved: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run `/name` (kind 2) or ask for autocomplete (kind 4); returns every reply sent."""
        data: dict[str, Any] = {"id": str(next(_ids)), "name": name, "type": 1,
                                "options": list(options)}
        if resolved:
            data["resolved"] = resolved
        payload = self.payload(kind, data, user_id=user_id, permissions=permissions)
        return await self._deliver(payload)

    async def click(self, message: dict[str, Any], label: str, *, user_id: int = MEMBER_ID,
                    ) -> list[dict[str, Any]]:
        """Press the button called `label` on a message the bot sent."""
        custom_id = next(
            c["custom_id"] for row in message["components"] for c in row["components"]
            if c.get("label") == label
        )
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self.payload(3, data, user_id=user_id, permissions=MEMBER_PERMISSIONS,
                               message=message)
        return await self._deliver(payload)
