"""A command's write that finds the store's one write lock taken for longer than SQLite's
busy timeout (a long poll batch, a timeline rebuild): it keeps trying while the interaction
is deferred, lands once the lock is free, and past its patience says plainly that nothing
changed instead of "something went wrong"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.client import StorylineBot
from bot.services import STORE_BUSY
from digests.store import FeedStore, open_database
from digests.store.busy import is_busy
from digests.store.subscriptions import SubscriptionStore
from tests.bot.driver import DIGEST_CHANNEL_ID, Driver
from tests.bot.fake_discord import FakeDiscord
from tests.bot.test_deferred_writes import callbacks, feeds_add_command, follow_command, until

SHORT_BUSY_MS = 30  # each try gives up quickly, so a held lock means several tries


@pytest.fixture
def connect(db_path: Path, db: Any) -> Callable[[], Any]:
    def open_impatient() -> Any:
        database = open_database(db_path)
        database.execute(f"PRAGMA busy_timeout = {SHORT_BUSY_MS}")
        return database

    return open_impatient


async def test_a_write_tried_past_the_busy_timeout_lands_once_the_lock_is_free(
    driver: Driver, fake: FakeDiscord, db: Any, connect: Callable[[], Any],
) -> None:
    poll = connect()
    poll.execute("BEGIN IMMEDIATE")
    task = asyncio.create_task(follow_command(driver))
    try:
        await until(lambda: bool(callbacks(fake)))
        await asyncio.sleep(10 * SHORT_BUSY_MS / 1000)  # several busy timeouts pass
        assert not task.done()
        assert SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour") is None
    finally:
        poll.conn.rollback()
        poll.conn.close()
    replies = await task
    assert "will now get" in replies[-1]["content"]
    assert SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour") is not None


async def test_past_its_patience_a_write_says_the_store_is_busy_and_changes_nothing(
    bot: StorylineBot, driver: Driver, db: Any, connect: Callable[[], Any],
) -> None:
    bot.services.write_patience = 0.3
    poll = connect()
    poll.execute("BEGIN IMMEDIATE")
    try:
        replies = await feeds_add_command(driver)
    finally:
        poll.conn.rollback()
        poll.conn.close()
    assert replies[-1]["content"] == STORE_BUSY
    assert FeedStore(db).all() == []


def test_only_a_lock_held_elsewhere_counts_as_busy(tmp_path: Path) -> None:
    first, second = open_database(tmp_path / "s.db"), open_database(tmp_path / "s.db")
    second.execute(f"PRAGMA busy_timeout = {SHORT_BUSY_MS}")
    first.execute("BEGIN IMMEDIATE")
    with pytest.raises(Exception) as locked:
        second.execute("BEGIN IMMEDIATE")
    first.conn.rollback()
    with pytest.raises(Exception) as missing:
        second.execute("SELECT * FROM no_such_table")
    assert is_busy(locked.value)
    assert not is_busy(missing.value) and not is_busy(ValueError("database is locked"))

