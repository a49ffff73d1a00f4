"""`/follow`, `/unfollow`, `/feeds`: admins only (re-checked in code), input validated."""

from __future__ import annotations

from typing import Any

import pytest

from bot.client import StorylineBot
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

EPHEMERAL = 64
DEFERRED = 5  # "thinking…": the answer follows as a follow-up message


async def follow(driver: Driver, *extra: dict[str, Any], permissions: int = ADMIN_PERMISSIONS,
                 channel_type: int = 0) -> list[dict[str, Any]]:
    channel, resolved = channel_option("channel", DIGEST_CHANNEL_ID, channel_type)
    return await driver.command(
        "follow", option("storyline", "harbour"), channel, *extra,
        user_id=ADMIN_ID, permissions=permissions, resolved={"channels": resolved},
    )


async def test_follow_subscribes_the_channel(driver: Driver, db: Any) -> None:
    replies = await follow(driver, option("time", "7:30"), option("timezone", "Asia/Tokyo"))
    assert replies[0]["type"] == DEFERRED and replies[0]["flags"] == EPHEMERAL
    assert replies[-1]["flags"] == EPHEMERAL
    assert "07:30 (Asia/Tokyo)" in replies[-1]["content"]
    sub = SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour")
    assert sub is not None and (sub.time, sub.timezone, sub.status) == ("07:30", "Asia/Tokyo",
                                                                        "active")


async def test_follow_defaults_to_the_storyline_schedule(driver: Driver, db: Any) -> None:
    await follow(driver)
    sub = SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour")
    assert sub is not None and (sub.time, sub.timezone) == ("09:00", "UTC")


async def test_unfollow_removes_it(driver: Driver, db: Any) -> None:
    await follow(driver)
    channel, resolved = channel_option("channel", DIGEST_CHANNEL_ID)
    replies = await driver.command(
        "unfollow", option("storyline", "harbour"), channel, user_id=ADMIN_ID,
        permissions=ADMIN_PERMISSIONS, resolved={"channels": resolved},
    )
    assert replies[0]["type"] == DEFERRED
    assert "no longer gets" in replies[-1]["content"]
    assert SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour") is None


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ((option("time", "25:00"),), "24-hour time"),
        ((option("timezone", "Mars/Olympus"),), "IANA name"),
    ],
)
async def test_follow_rejects_bad_schedule(
    driver: Driver, db: Any, extra: tuple[dict[str, Any], ...], expected: str
) -> None:
    replies = await follow(driver, *extra)
    assert replies[0]["flags"] == EPHEMERAL and expected in replies[0]["content"]
    assert SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour") is None


async def test_follow_refuses_voice_channels(driver: Driver, db: Any) -> None:
    replies = await follow(driver, channel_type=2)
    assert "text or announcement channel" in replies[0]["content"]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("follow", None),
        ("feeds", [subcommand("add", option("url", "https://example.com/feed.xml"))]),
        ("feeds", [subcommand("list")]),
    ],
)
async def test_non_admins_are_refused_in_code(
    driver: Driver, db: Any, name: str, options: list[dict[str, Any]] | None
) -> None:
    """Discord hides these by default, but a server may show them: the code still refuses."""
    if options is None:
        replies = await follow(driver, permissions=0)
    else:
        replies = await driver.command(name, *options)
    assert replies[0]["flags"] == EPHEMERAL
    assert "Manage Server" in replies[0]["content"]
    assert SubscriptionStore(db).get(DIGEST_CHANNEL_ID, "harbour") is None
    assert FeedStore(db).all() == []


async def feeds(driver: Driver, *options: dict[str, Any]) -> list[dict[str, Any]]:
    return await driver.command("feeds", *options, user_id=ADMIN_ID,
                                permissions=ADMIN_PERMISSIONS)


async def test_feeds_add_list_remove(driver: Driver, db: Any) -> None:
    url = "https://news.example.org/rss"
    added = await feeds(driver, subcommand("add", option("url", url)))
    assert added[0]["type"] == DEFERRED and added[0]["flags"] == EPHEMERAL
    assert added[-1]["flags"] == EPHEMERAL and "Added" in added[-1]["content"]
    assert [f.url for f in FeedStore(db).all()] == [url]
    listed = await feeds(driver, subcommand("list"))
    assert "news.example.org/rss" in listed[-1]["embeds"][0]["description"]
    removed = await feeds(driver, subcommand("remove", option("url", url)))
    assert removed[0]["type"] == DEFERRED and "Removed" in removed[-1]["content"]
    assert FeedStore(db).all() == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/feed",
        "http://127.0.0.1:8080/feed",
        "http://2130706433/feed",
        "https://user:secret@example.org/feed",
        "http://[::1]/feed",
        "not a url at all",
    ],
)
async def test_feeds_add_refuses_unsafe_urls(driver: Driver, db: Any, url: str) -> None:
    replies = await feeds(driver, subcommand("add", option("url", url)))
    assert replies[-1]["flags"] == EPHEMERAL
    assert "secret" not in replies[-1]["content"]
    assert FeedStore(db).all() == []


async def test_hostile_input_is_stored_as_data(driver: Driver, db: Any) -> None:
    """SQL-looking text is a parameter like any other; nothing is dropped or run."""
    url = "https://example.org/feed?q=1');DROP TABLE feeds;--"
    await feeds(driver, subcommand("add", option("url", url)))
    assert len(FeedStore(db).all()) == 1
    replies = await driver.command("timeline", option("storyline", "x'; DROP TABLE events;--"))
    assert "Unknown storyline" in replies[0]["content"]
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


async def test_follow_and_unfollow_tell_the_scheduler(driver: Driver, bot: StorylineBot) -> None:
    calls: list[str] = []
    bot.services.on_subscriptions_changed = lambda: calls.append("resync")
    await follow(driver)
    channel, resolved = channel_option("channel", DIGEST_CHANNEL_ID)
    await driver.command("unfollow", option("storyline", "harbour"), channel, user_id=ADMIN_ID,
                         permissions=ADMIN_PERMISSIONS, resolved={"channels": resolved})
    assert calls == ["resync", "resync"]
