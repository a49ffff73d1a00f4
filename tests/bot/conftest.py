"""Fixtures: a fake Discord on 127.0.0.1, a logged-in real `StorylineBot`, a seeded store."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

from bot.client import StorylineBot
from bot.runner import create_bot
from digests.config import Settings
from digests.store import open_database
from tests.bot.driver import Driver
from tests.bot.fake_discord import FakeDiscord
from tests.bot.seeding import OTHER, STORYLINE

NOW = dt.datetime(2026, 7, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A file, not memory: the commands' worker threads open connections of their own."""
    return tmp_path / "storyline.db"


@pytest.fixture
def db(db_path: Path) -> Any:
    database = open_database(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def connect(db_path: Path, db: Any) -> Callable[[], Any]:
    """What the service hands the bot: a way to open another connection to the store."""
    return lambda: open_database(db_path)


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    base = await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", base)
    # `connect()` would dial the real gateway; point it at the fake's silent one so nothing
    # leaves 127.0.0.1.
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(server.gateway_url))
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeDiscord, connect: Callable[[], Any]) -> AsyncIterator[StorylineBot]:
    client = create_bot(connect=connect, storylines=[STORYLINE, OTHER], settings=Settings(),
                        clock=lambda: NOW)
    await client.login("fake-token")
    yield client
    await client.close()


@pytest.fixture
def driver(bot: StorylineBot, fake: FakeDiscord) -> Driver:
    return Driver(bot, fake)
