"""`/follow`, `/unfollow`, `/feeds add` and `/feeds remove` answer before their write.

A poll writes in one transaction per batch; SQLite has one writer, so a command's write can
wait for it (up to the busy timeout) far longer than the three seconds Discord allows before
an interaction's first answer. Here another connection holds the write lock the way a poll's
transaction does: the command must have deferred while its write still waits, and confirm once
the lock is gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from digests.store import FeedStore
from digests.store.subscriptions import SubscriptionStore
from tests.bot.driver import (
    ADMIN_ID,
    ADMIN_PERMISSIONS,
    DIGEST_CHANNEL_ID,
    Driver,
    channel_option,
    option,
    subcommand,
)
from tests.bot.fake_discord import FakeDiscord

DEFERRED = 5
EPHEMERAL = 64
BOUND = 20.0  # only a broken run waits this long


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(BOUND):
        while not condition():  # noqa: ASYNC110 - set by the fake's HTTP handler
            await asyncio.sleep(0.01)


def callbacks(fake: FakeDiscord) -> list[Any]:
    return fake.bodies("POST", "/callback")


def follow_command(driver: Driver) -> Any:
    channel, resolved = channel_option("channel", DIGEST_CHANNEL_ID)
    return driver.command("follow", option("storyline", "harbour"), channel,
                          user_id=ADMIN_ID, permissions=ADMIN_PERMISSIONS,
                          resolved={"channels": resolved})


def feeds_add_command(driver: Driver) -> Any:
    return driver.command("feeds", subcommand("add", option("url", "https://example.org/rss")),
                          user_id=ADMIN_ID, permissions=ADMIN_PERMISSIONS)


def unfollow_command(driver: Driver) -> Any:
    channel, resolved = channel_option("channel", DIGEST_CHANNEL_ID)
    return driver.command("unfollow", option("storyline", "harbour"), channel,
                          user_id=ADMIN_ID, permissions=ADMIN_PERMISSIONS,
                          resolved={"channels": resolved})


def feeds_remove_command(driver: Driver) -> Any:
    return driver.command("feeds", subcommand("remove", option("url", "https://example.org/rss")),
                          user_id=ADMIN_ID, permissions=ADMIN_PERMISSIONS)


@pytest.mark.parametrize(
    ("command", "confirmation"),
    [(follow_command, "will now get"), (feeds_add_command, "Added"),
     (unfollow_command, "was not following"), (feeds_remove_command, "No feed")],
)
async def test_a_write_behind_a_poll_is_deferred_first(
    driver: Driver, fake: FakeDiscord, db: Any, connect: Callable[[], Any],
    command: Callable[[Driver], Any], confirmation: str,
) -> None:
    poll = connect()
    poll.execute("BEGIN IMMEDIATE")  # what a poll's transaction holds while it writes
    task = asyncio.create_task(command(driver))
    try:
        await until(lambda: bool(callbacks(fake)))
        [answer] = callbacks(fake)
        assert answer["type"] == DEFERRED and answer["data"]["flags"] == EPHEMERAL
        await asyncio.sleep(0.2)
        assert not task.done()  # the write is still waiting for the lock
        assert SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour") is None
        assert FeedStore(db).all() == []
    finally:
        poll.conn.rollback()
        poll.conn.close()
    replies = await task
    assert replies[-1]["kind"] == "followup" and confirmation in replies[-1]["content"]
    assert replies[-1]["flags"] == EPHEMERAL
