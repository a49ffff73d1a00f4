"""`run_bot`: logs in, hands over a working deliverer, closes cleanly when cancelled."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.delivery import DiscordDeliverer
from bot.runner import run_bot
from digests.config import Settings
from digests.models import MessageSpec
from tests.bot.driver import DIGEST_CHANNEL_ID
from tests.bot.fake_discord import APPLICATION_ID, FakeDiscord
from tests.bot.seeding import STORYLINE


async def test_run_bot_hands_over_a_deliverer_then_stops_on_cancel(
    fake: FakeDiscord, connect: Any
) -> None:
    ready = asyncio.Event()
    handed: list[DiscordDeliverer] = []

    async def on_ready(deliverer: DiscordDeliverer) -> None:
        handed.append(deliverer)
        await deliverer.send(DIGEST_CHANNEL_ID, MessageSpec(content="hello"))
        ready.set()

    task = asyncio.create_task(
        run_bot(" fake-token\n", connect=connect, storylines=[STORYLINE], settings=Settings(),
                on_ready=on_ready)
    )
    await asyncio.wait_for(ready.wait(), timeout=10)
    assert f"/applications/{APPLICATION_ID}/commands" in fake.synced
    assert [m["content"] for m in fake.messages[DIGEST_CHANNEL_ID]] == ["hello"]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert task.cancelled()
    assert handed[0].client.is_closed()
