"""Which channel follows which storyline, when its digest goes out, and whether it still can.

A subscription whose channel is gone (or no longer lets the bot post) is marked `failed` with
the reason instead of being retried every day forever; following again re-activates it.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from digests.store.timestamps import from_iso, to_iso
from digests.store.transaction import transaction

ACTIVE = "active"
FAILED = "failed"
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Subscription:
    id: int
    guild_id: int | None
    channel_id: int
    storyline_id: str
    time: str
    timezone: str
    status: str
    last_error: str | None
    created: dt.datetime

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


def validate_schedule(time: str, timezone: str) -> None:
    """Raise ValueError unless `time` is HH:MM (24 h) and `timezone` an IANA name."""
    if not _TIME_RE.match(time):
        raise ValueError(f'time must be a 24-hour time like "09:00", got {time!r}')
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f'timezone must be an IANA name like "Europe/Paris", got {timezone!r}'
        ) from exc


def _row(row: dict[str, Any]) -> Subscription:
    created = from_iso(row["created"])
    assert created is not None
    return Subscription(
        id=int(row["id"]), guild_id=row["guild_id"], channel_id=int(row["channel_id"]),
        storyline_id=row["storyline_id"], time=row["time"], timezone=row["timezone"],
        status=row["status"], last_error=row["last_error"], created=created,
    )


class SubscriptionStore:
    """The `subscriptions` table; the clock is injected (tests pass a fixed one)."""

    def __init__(
        self, db: sqlite_utils.Database, clock: Callable[[], dt.datetime] = _utc_now
    ) -> None:
        self.db = db
        self.clock = clock

    def follow(
        self,
        guild_id: int | None,
        channel_id: int,
        storyline_id: str,
        time: str = "09:00",
        timezone: str = "UTC",
    ) -> Subscription:
        """Create or update the follow; following again re-activates a failed one."""
        validate_schedule(time, timezone)
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO subscriptions (guild_id, channel_id, storyline_id, time, timezone, "
                "status, last_error, created) VALUES (?, ?, ?, ?, ?, ?, NULL, ?) "
                "ON CONFLICT (channel_id, storyline_id) DO UPDATE SET "
                "guild_id = coalesce(excluded.guild_id, guild_id), time = excluded.time, "
                "timezone = excluded.timezone, status = excluded.status, last_error = NULL",
                [guild_id, channel_id, storyline_id, time, timezone, ACTIVE,
                 to_iso(self.clock())],
            )
            found = self.get(channel_id, storyline_id)
        assert found is not None
        return found

    def unfollow(self, channel_id: int, storyline_id: str) -> bool:
        """Remove the follow; False when there was none."""
        cursor = self.db.execute(
            "DELETE FROM subscriptions WHERE channel_id = ? AND storyline_id = ?",
            [channel_id, storyline_id],
        )
        return bool(cursor.rowcount)

    def get(self, channel_id: int, storyline_id: str) -> Subscription | None:
        row = next(
            self.db.query(
                "SELECT * FROM subscriptions WHERE channel_id = ? AND storyline_id = ?",
                [channel_id, storyline_id],
            ),
            None,
        )
        return _row(row) if row else None

    def list(
        self,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        storyline_id: str | None = None,
        active_only: bool = False,
    ) -> builtins.list[Subscription]:
        """Follows filtered by any of guild, channel, storyline and status."""
        where: builtins.list[str] = []
        args: builtins.list[object] = []
        for column, value in (("guild_id", guild_id), ("channel_id", channel_id),
                              ("storyline_id", storyline_id)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if active_only:
            where.append("status = ?")
            args.append(ACTIVE)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        rows = self.db.query(
            f"SELECT * FROM subscriptions {clause} ORDER BY storyline_id, channel_id", args
        )
        return [_row(r) for r in rows]

    def mark_failed(self, channel_id: int, error: str) -> int:
        """Every follow in the channel stops (the channel itself is unusable); returns count."""
        cursor = self.db.execute(
            "UPDATE subscriptions SET status = ?, last_error = ? WHERE channel_id = ?",
            [FAILED, error[:500], channel_id],
        )
        return int(cursor.rowcount)
