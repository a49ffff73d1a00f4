"""What the engine derived from items: match decisions, story membership, events, quotes.

Re-processing an item replaces its derived rows, so running the engine twice over the same
item never duplicates events or quotes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from digests.models import EncodedFingerprint, ExtractedEvent, ExtractedQuote, MatchDecision
from digests.store.id_batches import rows_for_ids
from digests.store.timestamps import from_iso, to_iso

# Newest items read per band key when looking for duplicate candidates (see band_candidates).
BAND_FANOUT = 20
# Copies of one article (syndicated, re-wrapped, machine-rewritten) appear within days of each
# other; a candidate is looked for only among items dated this many days either side.
COPY_WINDOW_DAYS = 30


@dataclass(frozen=True)
class LeadRow:
    item_id: str
    published: dt.datetime | None
    length: int | None


class DerivedStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # matches -------------------------------------------------------------------------------
    def save_match(self, item_id: str, decision: MatchDecision, now: dt.datetime) -> None:
        self.db.execute(
            "INSERT INTO matches (item_id, storyline_id, match, score, reasons, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(item_id, storyline_id) DO UPDATE SET "
            "match = excluded.match, score = excluded.score, reasons = excluded.reasons, "
            "decided_at = excluded.decided_at",
            [item_id, decision.storyline_id, int(decision.match), decision.score,
             json.dumps(list(decision.reasons), ensure_ascii=False), to_iso(now)],
        )

    def match_for(self, item_id: str) -> list[MatchDecision]:
        return [
            MatchDecision(
                storyline_id=r["storyline_id"], match=bool(r["match"]), score=r["score"],
                reasons=tuple(json.loads(r["reasons"])),
            )
            for r in self.db.query(
                "SELECT * FROM matches WHERE item_id = ? ORDER BY storyline_id", [item_id]
            )
        ]

    def confident_texts(self, storyline_id: str, min_score: float, limit: int) -> list[str]:
        """Bodies of the storyline's most confident recent matches (to sharpen its profile)."""
        rows = self.db.query(
            "SELECT items.title, items.text FROM matches JOIN items ON items.id = matches.item_id "
            "WHERE matches.storyline_id = ? AND matches.match = 1 AND matches.score >= ? "
            "ORDER BY items.fetched DESC LIMIT ?",
            [storyline_id, min_score, limit],
        )
        return [f"{r['title']}\n{r['text']}" for r in rows]

    def recent_leads(
        self, since: dt.datetime, until: dt.datetime, exclude: Sequence[str], *,
        lead_chars: int, limit: int,
    ) -> list[tuple[dt.datetime, str, str, list[str]]]:
        """Items published in [since, until), oldest first: time, title, the start of the
        text, and the storylines each matched. The newest `limit` of them when there are more.

        The engine primes its memory of recent coverage with them (`matching.memory`).
        """
        skip = set(exclude)
        rows = self.db.query(
            "SELECT i.id, coalesce(i.published, i.fetched) AS at, i.title, "
            "substr(i.text, 1, ?) AS lead, "
            "(SELECT group_concat(m.storyline_id, char(31)) FROM matches m "
            " WHERE m.item_id = i.id AND m.match = 1) AS matched "
            "FROM items i WHERE coalesce(i.published, i.fetched) >= ? "
            "AND coalesce(i.published, i.fetched) < ? "
            "ORDER BY coalesce(i.published, i.fetched) DESC, i.id LIMIT ?",
            [lead_chars, to_iso(since), to_iso(until), limit + len(skip)],
        )
        found = []
        for row in rows:
            at = from_iso(row["at"])
            if row["id"] in skip or at is None:
                continue
            matched = row["matched"].split("\x1f") if row["matched"] else []
            found.append((at, row["title"], row["lead"], matched))
        return found[:limit][::-1]

    # stories -------------------------------------------------------------------------------
    def band_candidates(self, band_keys: Sequence[str], exclude: str, day: int) -> list[str]:
        """Items sharing band keys with a fingerprint dated `day` (`timestamps.day_number`),
        most shared first (at most 50).

        Each key contributes only its `BAND_FANOUT` newest items dated within
        `COPY_WINDOW_DAYS` of `day`. A key shared by thousands of items is text a whole
        storyline repeats, and counting all of them on every lookup is what made clustering
        slow down as the store grew; and chance collisions with items from months before
        grow with the store too, while the copies of an article arrive close together (and
        one member of a story is enough to join it). So a lookup costs what the items around
        `day` hold, not what the whole store does.
        """
        if not band_keys:
            return []
        per_key = (
            "SELECT * FROM (SELECT item_id FROM item_bands WHERE band_key = ? "
            "AND day BETWEEN ? AND ? ORDER BY day DESC, id DESC LIMIT ?)"
        )
        union = " UNION ALL ".join(per_key for _ in band_keys)
        first, last = day - COPY_WINDOW_DAYS, day + COPY_WINDOW_DAYS
        rows = self.db.execute(
            f"SELECT item_id, count(*) AS hits FROM ({union}) WHERE item_id != ? "
            "GROUP BY item_id ORDER BY hits DESC LIMIT 50",
            [value for key in band_keys for value in (key, first, last, BAND_FANOUT)]
            + [exclude],
        ).fetchall()
        return [r[0] for r in rows]

    def save_bands(self, item_id: str, band_keys: Iterable[str], day: int) -> None:
        """`day` is the item's `timestamps.day_number`, which `band_candidates` looks around."""
        self.db.execute("DELETE FROM item_bands WHERE item_id = ?", [item_id])
        self.db.conn.executemany(
            "INSERT INTO item_bands (band_key, item_id, day) VALUES (?, ?, ?)",
            [(key, item_id, day) for key in dict.fromkeys(band_keys)],
        )

    def save_fingerprint(self, item_id: str, fp: EncodedFingerprint) -> None:
        """`fp` as `stories.encoding.encode` made it: the store keeps the columns as given."""
        self.db.execute(
            "INSERT INTO item_fingerprints (item_id, band_keys, shingles, names, length) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET "
            "band_keys = excluded.band_keys, shingles = excluded.shingles, "
            "names = excluded.names, length = excluded.length",
            [item_id, fp.band_keys, fp.shingles, fp.names, fp.length],
        )

    def fingerprints(self, item_ids: Sequence[str]) -> dict[str, EncodedFingerprint]:
        """Stored fingerprints of the given items; items clustered before v5 are absent."""
        return {
            row[0]: EncodedFingerprint(band_keys=row[1], shingles=row[2], names=row[3],
                                       length=row[4])
            for row in rows_for_ids(
                self.db,
                "SELECT item_id, band_keys, shingles, names, length FROM item_fingerprints "
                "WHERE item_id IN ({marks})",
                item_ids,
            )
        }

    def comparable_prints(
        self, item_ids: Sequence[str]
    ) -> dict[str, tuple[EncodedFingerprint, dt.datetime | None]]:
        """Stored fingerprints without their band keys (comparing does not need them), each
        with its item's publication time, in one read: on a large store most candidates are
        older than the engine run's cache, and each is read here."""
        return {
            row[0]: (EncodedFingerprint(shingles=row[1], names=row[2], length=row[3]),
                     from_iso(row[4]))
            for row in rows_for_ids(
                self.db,
                "SELECT f.item_id, f.shingles, f.names, f.length, i.published "
                "FROM item_fingerprints f JOIN items i ON i.id = f.item_id "
                "WHERE f.item_id IN ({marks})",
                item_ids,
            )
        }

    def lead_pool(self, story_id: str, window: dt.timedelta) -> list[LeadRow]:
        """Members that can lead: those published within `window` of the earliest (all when
        none is dated), with their stored clean length (None when not fingerprinted yet).

        The window is applied in SQL (UTC ISO text sorts as time) so a story with thousands of
        copies hands Python a handful of rows, not all of them.
        """
        first = self.db.execute(
            "SELECT min(i.published) FROM story_members sm JOIN items i ON i.id = sm.item_id "
            "WHERE sm.story_id = ?",
            [story_id],
        ).fetchone()[0]
        start = from_iso(first)
        where = "" if start is None else "AND i.published <= ?"
        args: list[object] = [story_id] if start is None else [story_id, to_iso(start + window)]
        rows = self.db.execute(
            "SELECT sm.item_id, i.published, f.length FROM story_members sm "
            "JOIN items i ON i.id = sm.item_id LEFT JOIN item_fingerprints f "
            f"ON f.item_id = sm.item_id WHERE sm.story_id = ? {where}",
            args,
        ).fetchall()
        return [LeadRow(item_id=r[0], published=from_iso(r[1]), length=r[2]) for r in rows]

    def story_of(self, item_id: str) -> str | None:
        row = self.db.execute(
            "SELECT story_id FROM story_members WHERE item_id = ?", [item_id]
        ).fetchone()
        return str(row[0]) if row else None

    def story_members(self, story_id: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT item_id FROM story_members WHERE story_id = ? ORDER BY added", [story_id]
            ).fetchall()
        ]

    def create_story(self, story_id: str, lead_item_id: str, title: str, now: dt.datetime) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO stories (id, lead_item_id, title, created, updated) "
            "VALUES (?, ?, ?, ?, ?)",
            [story_id, lead_item_id, title, to_iso(now), to_iso(now)],
        )

    def join_story(
        self, item_id: str, story_id: str, similarity: float, now: dt.datetime
    ) -> None:
        self.db.execute(
            "INSERT INTO story_members (item_id, story_id, similarity, added) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(item_id) DO UPDATE SET story_id = excluded.story_id, "
            "similarity = excluded.similarity",
            [item_id, story_id, similarity, to_iso(now)],
        )
        self.db.execute("UPDATE stories SET updated = ? WHERE id = ?", [to_iso(now), story_id])

    def delete_story(self, story_id: str) -> None:
        """Drop a story its last member left (members are moved, never deleted, here)."""
        self.db.execute("DELETE FROM stories WHERE id = ?", [story_id])

    def set_lead(self, story_id: str, lead_item_id: str, title: str) -> None:
        self.db.execute(
            "UPDATE stories SET lead_item_id = ?, title = ? WHERE id = ?",
            [lead_item_id, title, story_id],
        )

    # events and quotes ---------------------------------------------------------------------
    def replace_events(self, item_id: str, events: Sequence[ExtractedEvent]) -> None:
        self.db.execute("DELETE FROM events WHERE item_id = ?", [item_id])
        self.db.conn.executemany(
            "INSERT INTO events (item_id, date, text, evidence, relative, inferred) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (item_id, e.date.isoformat(), e.text, e.evidence, int(e.relative), int(e.inferred))
                for e in events
            ],
        )

    def replace_quotes(self, item_id: str, quotes: Sequence[ExtractedQuote]) -> None:
        self.db.execute("DELETE FROM quotes WHERE item_id = ?", [item_id])
        self.db.conn.executemany(
            "INSERT INTO quotes (item_id, speaker, quote, style) VALUES (?, ?, ?, ?)",
            [(item_id, q.speaker, q.quote, q.style) for q in quotes],
        )

    def events_of(self, item_id: str) -> list[ExtractedEvent]:
        """One item's own events as extracted, by date (not merged with other items')."""
        return [
            ExtractedEvent(date=dt.date.fromisoformat(r["date"]), text=r["text"],
                           evidence=r["evidence"], relative=bool(r["relative"]),
                           inferred=bool(r["inferred"]))
            for r in self.db.query(
                "SELECT date, text, evidence, relative, inferred FROM events "
                "WHERE item_id = ? ORDER BY date, id", [item_id])
        ]

    def quotes_of(self, item_id: str) -> list[ExtractedQuote]:
        """One item's own quotes as extracted, in the order they were found."""
        return [
            ExtractedQuote(quote=r["quote"], speaker=r["speaker"], style=r["style"] or "")
            for r in self.db.query(
                "SELECT speaker, quote, style FROM quotes WHERE item_id = ? ORDER BY id",
                [item_id])
        ]

    def clear_extracts(self, item_id: str) -> None:
        self.replace_events(item_id, ())
        self.replace_quotes(item_id, ())
