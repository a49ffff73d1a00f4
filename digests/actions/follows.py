"""Following a storyline in a channel (`storyline follow`, `/follow`) and undoing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from digests.models import StorylineDefinition
from digests.store.subscriptions import Subscription, SubscriptionStore, validate_schedule


@dataclass(frozen=True)
class Followed:
    """The follow as stored, and whether the channel already followed the storyline."""

    subscription: Subscription
    existed: bool


def follow(
    db: sqlite_utils.Database, definition: StorylineDefinition, *, guild_id: int | None,
    channel_id: int, time: str | None = None, timezone: str | None = None,
    clock: Callable[[], dt.datetime],
) -> Followed:
    """Follow at `time` in `timezone`, each defaulting to the storyline's `[digest]`
    schedule; the store refuses a malformed time or an unknown zone (`ValueError`)."""
    store = SubscriptionStore(db, clock=clock)
    existed = store.get(channel_id, definition.id) is not None
    subscription = store.follow(
        guild_id, channel_id, definition.id,
        time or definition.digest.time, timezone or definition.digest.timezone,
    )
    return Followed(subscription=subscription, existed=existed)


def known_timezone(name: str) -> bool:
    """Whether `follow` would accept `name` as a follow's timezone (an IANA name)."""
    try:
        validate_schedule("00:00", name)
    except ValueError:
        return False
    return True


def unfollow(db: sqlite_utils.Database, channel_id: int, storyline_id: str) -> bool:
    """Stop the digest of a storyline in a channel; False when it was not followed."""
    return SubscriptionStore(db).unfollow(channel_id, storyline_id)
