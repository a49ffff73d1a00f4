"""The digest ledger: every digest is written down, with its parts, before anything is sent.

One row per (storyline, channel, period_end) — the UNIQUE key makes "record this digest" safe
to repeat after a crash. `parts` holds the exact messages to send (markers included) and
`message_ids` the Discord id of each part once it went out, so a restart resumes from the
first part without an id instead of starting over. See `digests.delivery.posting`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from digests.models import EmbedField, EmbedSpec, MessageSpec
from digests.store.timestamps import from_iso, to_iso
from digests.store.transaction import transaction

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def encode_parts(parts: Sequence[MessageSpec]) -> str:
    return json.dumps([asdict(p) for p in parts], ensure_ascii=False)


def decode_parts(text: str) -> list[MessageSpec]:
    parts: list[MessageSpec] = []
    for raw in json.loads(text):
        embeds = tuple(
            EmbedSpec(
                title=e["title"], description=e["description"], url=e["url"],
                fields=tuple(EmbedField(**f) for f in e["fields"]),
                footer=e["footer"], color=e["color"],
            )
            for e in raw["embeds"]
        )
        parts.append(MessageSpec(content=raw["content"], embeds=embeds))
    return parts


@dataclass(frozen=True)
class DigestRecord:
    id: int
    storyline_id: str
    channel_id: int
    period_start: dt.datetime
    period_end: dt.datetime
    status: str
    parts: tuple[MessageSpec, ...]
    message_ids: tuple[int | None, ...]
    attempts: int
    last_error: str | None
    created: dt.datetime  # recorded before any part was sent: where a search for them starts

    @property
    def next_part(self) -> int | None:
        """Index of the first part without a recorded message id; None when all went out."""
        return next((i for i, m in enumerate(self.message_ids) if m is None), None)


def _record(row: dict[str, Any]) -> DigestRecord:
    parts = decode_parts(row["parts"])
    ids: list[int | None] = list(json.loads(row["message_ids"]))
    ids += [None] * (len(parts) - len(ids))
    start, end = from_iso(row["period_start"]), from_iso(row["period_end"])
    created = from_iso(row["created"])
    assert start is not None and end is not None and created is not None
    return DigestRecord(
        id=int(row["id"]), storyline_id=row["storyline_id"], channel_id=int(row["channel_id"]),
        period_start=start, period_end=end, status=row["status"], parts=tuple(parts),
        message_ids=tuple(ids), attempts=int(row["attempts"]), last_error=row["last_error"],
        created=created,
    )


class DigestLedger:
    """The `digests` table; every write is one statement or one transaction."""

    def __init__(
        self, db: sqlite_utils.Database, clock: Callable[[], dt.datetime] = _utc_now
    ) -> None:
        self.db = db
        self.clock = clock

    def get(self, digest_id: int) -> DigestRecord | None:
        row = next(self.db.query("SELECT * FROM digests WHERE id = ?", [digest_id]), None)
        return _record(row) if row else None

    def find(self, storyline_id: str, channel_id: int,
             period_end: dt.datetime) -> DigestRecord | None:
        row = next(
            self.db.query(
                "SELECT * FROM digests WHERE storyline_id = ? AND channel_id = ? "
                "AND period_end = ?",
                [storyline_id, channel_id, to_iso(period_end)],
            ),
            None,
        )
        return _record(row) if row else None

    def record(
        self,
        storyline_id: str,
        channel_id: int,
        period_start: dt.datetime,
        period_end: dt.datetime,
        parts: Sequence[MessageSpec],
        mark: Callable[[int, int, int, MessageSpec], MessageSpec] | None = None,
    ) -> tuple[DigestRecord, bool]:
        """Write the digest down (once); returns it and whether this call created it.

        `mark(digest_id, index, total, part)` stamps each part with its delivery marker,
        inside the same transaction, so what is stored is exactly what will be sent. A digest
        with no parts (a skipped quiet day) is recorded as already sent: the period is done.
        """
        now = to_iso(self.clock())
        with transaction(self.db):
            existing = self.find(storyline_id, channel_id, period_end)
            if existing is not None:
                return existing, False
            cursor = self.db.execute(
                "INSERT INTO digests (storyline_id, channel_id, period_start, period_end, "
                "status, parts, message_ids, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [storyline_id, channel_id, to_iso(period_start), to_iso(period_end),
                 PENDING if parts else SENT, "[]", json.dumps([None] * len(parts)), now, now],
            )
            digest_id = int(cursor.lastrowid or 0)
            stamped = [mark(digest_id, i, len(parts), p) if mark else p
                       for i, p in enumerate(parts)]
            self.db.execute("UPDATE digests SET parts = ? WHERE id = ?",
                            [encode_parts(stamped), digest_id])
            created = self.get(digest_id)
        assert created is not None
        return created, True

    def set_message_id(self, digest_id: int, index: int, message_id: int) -> DigestRecord:
        """Record that part `index` went out; the digest is `sent` once every part has."""
        with transaction(self.db):
            record = self.get(digest_id)
            if record is None:
                raise KeyError(digest_id)
            ids = list(record.message_ids)
            ids[index] = message_id
            status = SENT if all(i is not None for i in ids) else record.status
            self.db.execute(
                "UPDATE digests SET message_ids = ?, status = ?, updated = ? WHERE id = ?",
                [json.dumps(ids), status, to_iso(self.clock()), digest_id],
            )
            updated = self.get(digest_id)
        assert updated is not None
        return updated

    def start_attempt(self, digest_id: int) -> None:
        self.db.execute(
            "UPDATE digests SET attempts = attempts + 1, updated = ? WHERE id = ?",
            [to_iso(self.clock()), digest_id],
        )

    def note_error(self, digest_id: int, error: str, *, failed: bool = False) -> None:
        """Remember the last error; `failed` stops the digest for good (permanent error)."""
        self.db.execute(
            "UPDATE digests SET last_error = ?, status = CASE WHEN ? THEN ? ELSE status END, "
            "updated = ? WHERE id = ?",
            [error[:500], failed, FAILED, to_iso(self.clock()), digest_id],
        )

    def pending(self) -> list[DigestRecord]:
        rows = self.db.query("SELECT * FROM digests WHERE status = ? ORDER BY id", [PENDING])
        return [_record(r) for r in rows]

    def last_period_end(self, storyline_id: str, channel_id: int) -> dt.datetime | None:
        """Where the next digest for this channel starts (any recorded digest counts)."""
        row = self.db.execute(
            "SELECT max(period_end) FROM digests WHERE storyline_id = ? AND channel_id = ?",
            [storyline_id, channel_id],
        ).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def recent(self, limit: int = 20) -> list[DigestRecord]:
        rows = self.db.query("SELECT * FROM digests ORDER BY id DESC LIMIT ?", [limit])
        return [_record(r) for r in rows]
