"""`DiscordDeliverer` on the real client against the fake: what Discord receives, and how
Discord's failures map to retryable or permanent `DeliveryError`s."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bot.client import StorylineBot
from bot.delivery import DiscordDeliverer
from digests.delivery.base import DeliveryError
from digests.digest.building import build_digest
from digests.digest.discord_render import render_messages
from digests.models import EmbedField, EmbedSpec, MessageSpec
from digests.reading.lookups import Lookups
from tests.bot.conftest import NOW
from tests.bot.driver import DIGEST_CHANNEL_ID
from tests.bot.fake_discord import Failure, FakeDiscord, rate_limited
from tests.bot.seeding import STORYLINE, Coverage, seed

HOSTILE_TITLE = "@everyone [click me](https://evil.example) <@&123> **free** `code`"


def spec(title: str = "Digest", footer: str | None = None) -> MessageSpec:
    return MessageSpec(content="Daily digest", embeds=(
        EmbedSpec(title=title, description="Two stories", footer=footer,
                  fields=(EmbedField(name="Quote", value="“We will see.”"),)),
    ))


async def test_send_posts_embeds_that_cannot_ping(bot: StorylineBot, fake: FakeDiscord) -> None:
    message_id = await DiscordDeliverer(bot).send(DIGEST_CHANNEL_ID, spec())
    (body,) = fake.bodies("POST", f"/channels/{DIGEST_CHANNEL_ID}/messages")
    assert int(fake.messages[DIGEST_CHANNEL_ID][0]["id"]) == message_id
    assert body["allowed_mentions"] == {"parse": []}
    assert body["content"] == "Daily digest"
    assert body["embeds"][0]["title"] == "Digest"
    assert body["embeds"][0]["fields"] == [{"name": "Quote", "value": "“We will see.”",
                                            "inline": False}]


async def test_hostile_feed_title_arrives_inert(
    bot: StorylineBot, fake: FakeDiscord, db: Any
) -> None:
    """A feed title written to ping and mislead goes store → digest → renderer → Discord:
    the text arrives escaped and the message carries `allowed_mentions: none`."""
    seed(db, STORYLINE.id, [Coverage(title=HOSTILE_TITLE)], NOW - dt.timedelta(hours=1))
    since = NOW - dt.timedelta(days=1)
    inputs = Lookups(db, [STORYLINE]).new_since(STORYLINE.id, since, NOW)
    messages = render_messages(build_digest(STORYLINE, inputs, since, NOW))
    for message in messages:
        await DiscordDeliverer(bot).send(DIGEST_CHANNEL_ID, message)
    bodies = fake.bodies("POST", f"/channels/{DIGEST_CHANNEL_ID}/messages")
    assert bodies and all(b["allowed_mentions"] == {"parse": []} for b in bodies)
    sent = json.dumps(bodies, ensure_ascii=False)
    assert "@everyone" not in sent and "<@&123>" not in sent
    assert "[click me](https://evil.example)" not in sent
    assert "\\\\[click me\\\\]" in sent  # JSON of the escaped `\[click me\]`


async def test_a_digest_split_across_messages_arrives_in_order(
    bot: StorylineBot, fake: FakeDiscord
) -> None:
    deliverer = DiscordDeliverer(bot)
    parts = [spec(title=f"Part {n}") for n in range(1, 4)]
    ids = [await deliverer.send(DIGEST_CHANNEL_ID, part) for part in parts]
    posted = fake.messages[DIGEST_CHANNEL_ID]
    assert [m["embeds"][0]["title"] for m in posted] == ["Part 1", "Part 2", "Part 3"]
    assert ids == [int(m["id"]) for m in posted]


async def test_short_429_is_waited_out_then_succeeds(bot: StorylineBot, fake: FakeDiscord) -> None:
    fake.fail_next_posts(DIGEST_CHANNEL_ID, rate_limited(0.05))
    message_id = await DiscordDeliverer(bot).send(DIGEST_CHANNEL_ID, spec())
    assert len(fake.bodies("POST", f"/channels/{DIGEST_CHANNEL_ID}/messages")) == 2
    assert [int(m["id"]) for m in fake.messages[DIGEST_CHANNEL_ID]] == [message_id]


async def test_long_429_becomes_a_retryable_error(bot: StorylineBot, fake: FakeDiscord) -> None:
    """Past the client's wait limit discord.py raises instead of sleeping; we keep
    Discord's `retry_after` so the ledger can reschedule, then the retry succeeds."""
    fake.fail_next_posts(DIGEST_CHANNEL_ID, rate_limited(120.0))
    deliverer = DiscordDeliverer(bot)
    with pytest.raises(DeliveryError) as caught:
        await deliverer.send(DIGEST_CHANNEL_ID, spec())
    assert not caught.value.permanent
    assert caught.value.retry_after == pytest.approx(120.0)
    assert await deliverer.send(DIGEST_CHANNEL_ID, spec()) > 0


@pytest.mark.parametrize(
    ("status", "code", "permanent"),
    [(403, 50013, True), (404, 10003, True), (503, 0, False), (400, 50035, True)],
)
async def test_failures_map_to_delivery_errors(
    bot: StorylineBot, fake: FakeDiscord, status: int, code: int, permanent: bool
) -> None:
    fake.fail_next_posts(DIGEST_CHANNEL_ID,
                         Failure(status, {"message": "nope", "code": code}))
    with pytest.raises(DeliveryError) as caught:
        await DiscordDeliverer(bot).send(DIGEST_CHANNEL_ID, spec())
    assert caught.value.permanent is permanent


async def test_find_recent_sees_our_marker(bot: StorylineBot, fake: FakeDiscord) -> None:
    deliverer = DiscordDeliverer(bot)
    await deliverer.send(DIGEST_CHANNEL_ID, spec(footer="other · sl:d7:1/2"))
    sent = await deliverer.send(DIGEST_CHANNEL_ID, spec(footer="harbour · sl:d7:2/2"))
    assert await deliverer.find_recent(DIGEST_CHANNEL_ID, "sl:d7:2/2") == sent
    assert await deliverer.find_recent(DIGEST_CHANNEL_ID, "sl:d8:1/1") is None
    assert fake.bodies("GET", f"/channels/{DIGEST_CHANNEL_ID}/messages")


async def test_network_failure_is_retryable(bot: StorylineBot, fake: FakeDiscord) -> None:
    await fake.stop()  # Discord unreachable: connection refused
    with pytest.raises(DeliveryError) as caught:
        await DiscordDeliverer(bot).send(DIGEST_CHANNEL_ID, spec())
    assert not caught.value.permanent


async def test_the_same_part_sent_again_is_one_message(
    bot: StorylineBot, fake: FakeDiscord
) -> None:
    """A retry after a timeout whose message did arrive: Discord's enforced nonce answers it
    with the message already created."""
    deliverer = DiscordDeliverer(bot)
    first = await deliverer.send(DIGEST_CHANNEL_ID, spec(footer="harbour · sl:d9:1/2"))
    again = await deliverer.send(DIGEST_CHANNEL_ID, spec(footer="harbour · sl:d9:1/2"))
    other = await deliverer.send(DIGEST_CHANNEL_ID, spec(footer="harbour · sl:d9:2/2"))
    assert first == again != other
    assert len(fake.messages[DIGEST_CHANNEL_ID]) == 2
    nonces = [b["nonce"] for b in fake.bodies("POST", f"/channels/{DIGEST_CHANNEL_ID}/messages")]
    assert len(nonces[0]) <= 25 and nonces[0] == nonces[1] != nonces[2]
