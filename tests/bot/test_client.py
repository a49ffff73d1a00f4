"""Start-up against the fake: login, application id, command sync, no privileged intents."""

from __future__ import annotations

from typing import Any

import discord

from bot.client import StorylineBot
from bot.runner import create_bot
from digests.config import Settings
from tests.bot.fake_discord import APPLICATION_ID, FakeDiscord
from tests.bot.seeding import STORYLINE


async def test_login_syncs_every_command_globally(bot: StorylineBot, fake: FakeDiscord) -> None:
    assert bot.application_id == APPLICATION_ID
    path = f"/applications/{APPLICATION_ID}/commands"
    names = sorted(c["name"] for c in fake.synced[path])
    assert names == ["digest", "feeds", "follow", "storyline", "timeline", "unfollow", "who"]


async def test_admin_commands_are_hidden_by_default(bot: StorylineBot, fake: FakeDiscord) -> None:
    synced = {c["name"]: c for c in fake.synced[f"/applications/{APPLICATION_ID}/commands"]}
    manage_guild = discord.Permissions(manage_guild=True).value
    for name in ("follow", "unfollow", "feeds"):
        assert synced[name]["default_member_permissions"] == manage_guild
    assert synced["timeline"]["default_member_permissions"] is None


async def test_development_guild_gets_a_copy(fake: FakeDiscord, connect: Any) -> None:
    client = create_bot(connect=connect, storylines=[STORYLINE],
                        settings=Settings(discord_guild_id=123456789012345678))
    await client.login("fake-token")
    await client.close()
    guild_path = f"/applications/{APPLICATION_ID}/guilds/123456789012345678/commands"
    assert "timeline" in {c["name"] for c in fake.synced[guild_path]}


def test_no_privileged_intents_and_no_pings(connect: Any) -> None:
    client = create_bot(connect=connect, storylines=[STORYLINE], settings=Settings())
    assert not (client.intents.members or client.intents.presences
                or client.intents.message_content)
    mentions = client.allowed_mentions
    assert mentions is not None
    assert dict(mentions.to_dict()) == {"parse": []}
