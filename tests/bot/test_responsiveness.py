"""A slow lookup holds its own worker thread, never the event loop (issue 13).

The read API is swapped for one whose `timeline` waits until the test lets it go, standing in
for a timeline that has to be merged at lookup time on a big store. While it is held, another
command is answered and discord.py's gateway heartbeats keep reaching the fake gateway: both
run on the loop, so neither could happen if the lookup ran there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from bot.runner import create_bot
from bot.services import BotServices
from digests.config import Settings, StorylineDefinition
from digests.models import TimelineEvent
from digests.reading.lookups import Lookups
from tests.bot.conftest import NOW
from tests.bot.driver import Driver, option, subcommand
from tests.bot.fake_discord import FakeDiscord
from tests.bot.seeding import OTHER, STORYLINE, Coverage, seed

HELD_FOR = 20.0  # the longest the test would wait for itself; passing runs release at once


class HeldTimeline(Lookups):
    """The real read API, except that `timeline` waits for `release` once it has started."""

    started = threading.Event()
    release = threading.Event()

    def timeline(self, storyline_id: str, **filters: Any) -> list[TimelineEvent]:
        type(self).started.set()
        type(self).release.wait(HELD_FOR)
        return super().timeline(storyline_id, **filters)


def held_lookups(db: Any, storylines: Sequence[StorylineDefinition]) -> Lookups:
    return HeldTimeline(db, storylines)


async def until(condition: Callable[[], bool]) -> None:
    """Wait for something other tasks or threads do; the bound only stops a broken run."""
    async with asyncio.timeout(HELD_FOR):
        while not condition():  # noqa: ASYNC110 - set by other threads, no event to await
            await asyncio.sleep(0.01)


async def test_a_held_lookup_delays_neither_commands_nor_heartbeats(
    fake: FakeDiscord, db: Any, connect: Callable[[], Any]
) -> None:
    seed(db, STORYLINE.id, [Coverage(
        title="Council votes on the harbour bridge",
        events=((dt.date(2026, 7, 1), "The council voted to pause the harbour bridge"),),
    )], NOW)
    HeldTimeline.started.clear()
    HeldTimeline.release.clear()
    fake.heartbeat_interval_ms = 50
    client = create_bot(connect=connect, storylines=[STORYLINE, OTHER], settings=Settings(),
                        clock=lambda: NOW, open_lookups=held_lookups)
    await client.login("fake-token")
    gateway = asyncio.create_task(client.connect(reconnect=False))
    driver = Driver(client, fake)
    try:
        await until(lambda: len(fake.heartbeats) >= 2)
        slow = asyncio.create_task(driver.command("timeline", option("storyline", "harbour")))
        await asyncio.to_thread(HeldTimeline.started.wait, HELD_FOR)
        assert HeldTimeline.started.is_set()

        # The timeline lookup is now held in its thread. Another command that reads the
        # store is answered in full meanwhile...
        replies = await driver.command(
            "storyline", subcommand("info", option("storyline", "harbour")))
        info = next(r for r in replies if r.get("embeds"))["embeds"][0]
        assert "1 items" in info["fields"][0]["value"]
        # ...and heartbeats keep going out.
        beats = len(fake.heartbeats)
        await until(lambda: len(fake.heartbeats) >= beats + 3)
        assert not slow.done()
    finally:
        HeldTimeline.release.set()

    timeline = await slow
    embed = next(r for r in timeline if r.get("embeds"))["embeds"][0]
    assert "voted to pause" in embed["description"]
    gateway.cancel()
    await asyncio.gather(gateway, return_exceptions=True)
    await client.close()


async def test_store_work_runs_in_worker_threads_each_on_its_own_connection(
    connect: Callable[[], Any],
) -> None:
    services = BotServices(connect=connect, storylines=[STORYLINE], settings=Settings())
    loop_thread = threading.get_ident()
    ran = await asyncio.gather(*(
        services.on_store(lambda s: (threading.get_ident(), s.db)) for _ in range(12)
    ))
    threads = {thread for thread, _ in ran}
    assert loop_thread not in threads
    by_thread = {thread: {id(db) for t, db in ran if t == thread} for thread in threads}
    assert all(len(dbs) == 1 for dbs in by_thread.values())  # one connection per thread
    assert len({id(db) for _, db in ran}) == len(threads)  # none shared between threads
    await services.aclose()
    for _, db in ran:
        with pytest.raises(sqlite3.ProgrammingError):  # closed with the services
            db.execute("SELECT 1")
