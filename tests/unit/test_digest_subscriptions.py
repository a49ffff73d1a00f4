"""Subscriptions and the ledger on a real in-memory SQLite store."""

from __future__ import annotations

import datetime as dt

import pytest

from digests.models import EmbedField, EmbedSpec, MessageSpec
from digests.store import open_database
from digests.store.ledger import PENDING, SENT, DigestLedger, decode_parts, encode_parts
from digests.store.subscriptions import SubscriptionStore

NOW = dt.datetime(2026, 6, 26, 9, tzinfo=dt.UTC)


@pytest.fixture
def store() -> SubscriptionStore:
    return SubscriptionStore(open_database(None), clock=lambda: NOW)


def test_follow_list_unfollow(store: SubscriptionStore) -> None:
    store.follow(1, 10, "moon", "08:00", "Asia/Tokyo")
    store.follow(1, 11, "moon")
    store.follow(2, 10, "mars", "20:00", "Europe/Paris")
    assert [(s.channel_id, s.storyline_id) for s in store.list()] == [
        (10, "mars"), (10, "moon"), (11, "moon")]
    assert [s.channel_id for s in store.list(guild_id=1)] == [10, 11]
    assert store.unfollow(11, "moon") is True
    assert store.unfollow(11, "moon") is False
    assert [s.storyline_id for s in store.list(channel_id=10)] == ["mars", "moon"]


def test_follow_again_updates_and_reactivates(store: SubscriptionStore) -> None:
    store.follow(1, 10, "moon", "08:00", "UTC")
    assert store.mark_failed(10, "403 Missing Access") == 1
    failed = store.get(10, "moon")
    assert failed is not None and (failed.status, failed.last_error) == (
        "failed", "403 Missing Access")
    assert store.list(active_only=True) == []
    again = store.follow(1, 10, "moon", "07:30", "Europe/Paris")
    assert (again.status, again.last_error, again.time, again.timezone) == (
        "active", None, "07:30", "Europe/Paris")
    assert len(store.list()) == 1


@pytest.mark.parametrize(("time", "tz"), [("9:00", "UTC"), ("24:00", "UTC"),
                                          ("09:00", "Mars/Olympus"), ("09:00", "")])
def test_follow_rejects_bad_schedules(store: SubscriptionStore, time: str, tz: str) -> None:
    with pytest.raises(ValueError):
        store.follow(1, 10, "moon", time, tz)


def test_parts_round_trip() -> None:
    parts = [MessageSpec(content="hi"),
             MessageSpec(embeds=(EmbedSpec(title="t", description="d", url="https://x.example",
                                           fields=(EmbedField("n", "v", True),), footer="f",
                                           color=5),))]
    assert decode_parts(encode_parts(parts)) == parts


def test_ledger_records_once_and_tracks_parts() -> None:
    ledger = DigestLedger(open_database(None), clock=lambda: NOW)
    start = NOW - dt.timedelta(days=1)
    parts = [MessageSpec(content="a"), MessageSpec(content="b")]
    first, created = ledger.record("moon", 10, start, NOW, parts)
    again, created_again = ledger.record("moon", 10, start, NOW, [MessageSpec(content="x")])
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.parts == tuple(parts)
    assert first.next_part == 0 and first.status == PENDING
    assert ledger.set_message_id(first.id, 0, 99).next_part == 1
    done = ledger.set_message_id(first.id, 1, 100)
    assert done.status == SENT and done.message_ids == (99, 100) and done.next_part is None
    assert ledger.pending() == []
    assert ledger.last_period_end("moon", 10) == NOW
