"""The actions the CLI and the bot share (`digests.actions`): one rule, whoever asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from digests.actions import follows
from digests.actions.feeds import add_feed, list_feeds, remove_feed
from digests.actions.previews import last_digest_end
from digests.models import DigestSchedule, StorylineDefinition
from digests.sources import SourceError
from digests.store import FeedStore, open_database
from digests.store.ledger import DigestLedger

NOW = dt.datetime(2026, 7, 3, 9, 0, tzinfo=dt.UTC)
HARBOUR = StorylineDefinition(
    id="harbour", name="Harbour bridge", description="A council and a bridge.",
    keywords=("harbour bridge",), digest=DigestSchedule(time="07:30", timezone="Asia/Tokyo"),
)


@pytest.fixture
def db() -> Iterator[Any]:
    database = open_database(None)
    yield database
    database.conn.close()


@pytest.mark.parametrize("url", [
    "ftp://news.example.org/feed.xml",
    "https://user:secret@news.example.org/feed.xml",
    "http://127.0.0.1/feed.xml",
    "http://[::1]/feed.xml",
])
def test_a_feed_the_fetcher_would_refuse_is_never_stored(db: Any, url: str) -> None:
    with pytest.raises(SourceError):
        add_feed(db, url, now=NOW, allow_private_hosts=())
    assert FeedStore(db).all() == []


def test_a_feed_is_stored_cleaned_once_and_removed_as_listed(db: Any) -> None:
    first = add_feed(db, "  https://news.example.org/feed.xml ", now=NOW, allow_private_hosts=())
    again = add_feed(db, "https://news.example.org/feed.xml", now=NOW, allow_private_hosts=())
    assert (first.url, first.new) == ("https://news.example.org/feed.xml", True)
    assert (again.url, again.new) == (first.url, False)
    assert [s.url for s in FeedStore(db).all()] == [first.url]
    assert remove_feed(db, f" {first.url} ") is True
    assert remove_feed(db, first.url) is False


def test_a_private_address_is_stored_when_the_settings_open_it(db: Any) -> None:
    added = add_feed(db, "http://127.0.0.1:8080/feed.xml", now=NOW,
                     allow_private_hosts=("127.0.0.1",))
    assert added.new


def test_a_follow_takes_its_storylines_schedule_unless_told_otherwise(db: Any) -> None:
    first = follows.follow(db, HARBOUR, guild_id=1, channel_id=2, clock=lambda: NOW)
    assert (first.subscription.time, first.subscription.timezone) == ("07:30", "Asia/Tokyo")
    assert not first.existed
    moved = follows.follow(db, HARBOUR, guild_id=1, channel_id=2, time="18:00",
                           timezone="Europe/Paris", clock=lambda: NOW)
    assert moved.existed
    assert (moved.subscription.time, moved.subscription.timezone) == ("18:00", "Europe/Paris")
    with pytest.raises(ValueError):
        follows.follow(db, HARBOUR, guild_id=1, channel_id=3, timezone="Mars/Olympus",
                       clock=lambda: NOW)
    assert follows.unfollow(db, 2, HARBOUR.id) is True
    assert follows.unfollow(db, 2, HARBOUR.id) is False


def test_feeds_are_listed_as_the_store_keeps_them(db: Any) -> None:
    assert list_feeds(db) == []
    add_feed(db, "https://news.example.org/feed.xml", now=NOW, allow_private_hosts=())
    assert [f.url for f in list_feeds(db)] == ["https://news.example.org/feed.xml"]


@pytest.mark.parametrize(("name", "known"), [
    ("Europe/Paris", True), ("UTC", True), ("Asia/Tokyo", True),
    ("Mars/Olympus", False), ("../etc/passwd", False),
])
def test_known_timezone_is_what_follow_accepts(db: Any, name: str, known: bool) -> None:
    assert follows.known_timezone(name) is known
    if known:
        follows.follow(db, HARBOUR, guild_id=1, channel_id=42, timezone=name, clock=lambda: NOW)
    else:
        with pytest.raises(ValueError):
            follows.follow(db, HARBOUR, guild_id=1, channel_id=42, timezone=name,
                           clock=lambda: NOW)


def test_a_preview_starts_where_the_channels_last_digest_ended(db: Any) -> None:
    assert last_digest_end(db, "harbour", 42) is None
    end = NOW - dt.timedelta(hours=3)
    DigestLedger(db, clock=lambda: NOW).record("harbour", 42, end - dt.timedelta(days=1), end, [])
    assert last_digest_end(db, "harbour", 42) == end
    assert last_digest_end(db, "harbour", 43) is None
    assert last_digest_end(db, "other", 42) is None
