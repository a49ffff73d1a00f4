"""Exactly-once digests over the real client: a crash between parts, then a restart.

The posting ledger (digests.delivery.posting) records a digest before sending and each part's
id after; when the process dies after Discord accepted a part but before its id was written,
the restarted poster asks our deliverer's `find_recent` for the part's marker instead of
sending it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.delivery import DiscordDeliverer
from bot.runner import create_bot
from digests.config import Settings
from digests.delivery.posting import Poster
from digests.models import EmbedSpec, MessageSpec
from digests.store import open_database
from digests.store.ledger import DigestLedger, DigestRecord
from digests.store.subscriptions import SubscriptionStore
from tests.bot.conftest import NOW
from tests.bot.driver import DIGEST_CHANNEL_ID
from tests.bot.fake_discord import BOT_USER_ID, OWNER_ID, FakeDiscord
from tests.bot.seeding import STORYLINE

PARTS = [
    MessageSpec(content=f"Digest part {n}", embeds=(EmbedSpec(title=f"Section {n}"),))
    for n in (1, 2, 3)
]


class Crash(BaseException):
    """The process dying: not an error anything in the poster catches."""


class CrashingLedger(DigestLedger):
    """Dies while recording the id of part `crash_at` — after Discord accepted it."""

    def __init__(self, *args: object, crash_at: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.crash_at = crash_at

    def set_message_id(self, digest_id: int, index: int, message_id: int) -> DigestRecord:
        if index == self.crash_at:
            raise Crash
        return super().set_message_id(digest_id, index, message_id)


@asynccontextmanager
async def process(path: Path) -> AsyncIterator[tuple[Any, DiscordDeliverer]]:
    """One run of Storyline: the database file opened, the bot logged in, then shut down."""
    db = open_database(path)
    client = create_bot(connect=lambda: open_database(path), storylines=[STORYLINE],
                        settings=Settings(), clock=lambda: NOW)
    await client.login("fake-token")
    try:
        yield db, DiscordDeliverer(client)
    finally:
        await client.close()
        db.conn.close()


async def crash_while_posting(path: Path, crash_at: int) -> None:
    async with process(path) as (db, deliverer):
        ledger = CrashingLedger(db, lambda: NOW, crash_at=crash_at)
        poster = Poster(ledger, SubscriptionStore(db), deliverer)
        with pytest.raises(Crash):
            await poster.post(STORYLINE.id, DIGEST_CHANNEL_ID, NOW - dt.timedelta(days=1), NOW,
                              PARTS)


async def restart(path: Path) -> None:
    await restart_expecting(path, sent=1, found=1)


async def restart_expecting(path: Path, *, sent: int, found: int) -> None:
    async with process(path) as (db, deliverer):
        poster = Poster(DigestLedger(db, lambda: NOW), SubscriptionStore(db), deliverer)
        (outcome,) = await poster.resume_pending()
        assert (outcome.status, outcome.sent_now, outcome.found_already_sent) == (
            "sent", sent, found
        )


async def test_crash_between_parts_then_restart_posts_each_part_once(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    path = tmp_path / "storyline.db"
    await crash_while_posting(path, crash_at=1)
    posted = fake.messages[DIGEST_CHANNEL_ID]
    assert [m["content"].splitlines()[0] for m in posted] == ["Digest part 1", "Digest part 2"]

    await restart(path)

    posted = fake.messages[DIGEST_CHANNEL_ID]
    assert [m["content"].splitlines()[0] for m in posted] == [
        "Digest part 1", "Digest part 2", "Digest part 3"
    ]
    footers = [m["embeds"][0]["footer"]["text"] for m in posted]
    assert [f.split("part ")[-1] for f in footers] == ["1/3", "2/3", "3/3"]
    assert all(m["author"]["bot"] for m in posted)
    db = open_database(path)
    (record,) = DigestLedger(db).recent()
    assert record.status == "sent"
    assert list(record.message_ids) == [int(m["id"]) for m in posted]
    db.conn.close()


@pytest.mark.parametrize("between", [60, 400])
async def test_a_part_in_flight_is_found_however_busy_the_channel(
    fake: FakeDiscord, tmp_path: Path, between: int
) -> None:
    path = tmp_path / "storyline.db"
    await crash_while_posting(path, crash_at=0)  # part 1 accepted, its id never recorded
    for n in range(between):  # the channel carries on while Storyline is down
        author = BOT_USER_ID if n % 3 == 0 else OWNER_ID
        fake.messages[DIGEST_CHANNEL_ID].append(
            fake.message(DIGEST_CHANNEL_ID, {"content": f"chatter {n}"}, author_id=author)
        )

    await restart_expecting(path, sent=2, found=1)

    ours = [m["content"].splitlines()[0] for m in fake.messages[DIGEST_CHANNEL_ID]
            if m["content"].startswith("Digest part")]
    assert ours == ["Digest part 1", "Digest part 2", "Digest part 3"]
