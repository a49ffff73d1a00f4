"""What the engine derived from items: match decisions, story membership, events, quotes.

Re-processing an item replaces its derived rows, so running the engine twice over the same
item never duplicates events or quotes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

import sqlite_utils

from digests.models import ExtractedEvent, ExtractedQuote, MatchDecision
from digests.store.timestamps import to_iso


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

    # stories -------------------------------------------------------------------------------
    def band_candidates(self, band_keys: Sequence[str], exclude: str) -> list[str]:
        if not band_keys:
            return []
        marks = ",".join("?" for _ in band_keys)
        rows = self.db.execute(
            f"SELECT item_id, count(*) AS hits FROM item_bands WHERE band_key IN ({marks}) "
            "AND item_id != ? GROUP BY item_id ORDER BY hits DESC LIMIT 50",
            [*band_keys, exclude],
        ).fetchall()
        return [r[0] for r in rows]

    def save_bands(self, item_id: str, band_keys: Iterable[str]) -> None:
        self.db.execute("DELETE FROM item_bands WHERE item_id = ?", [item_id])
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO item_bands (band_key, item_id) VALUES (?, ?)",
            [(key, item_id) for key in band_keys],
        )

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

    def set_lead(self, story_id: str, lead_item_id: str, title: str) -> None:
        self.db.execute(
            "UPDATE stories SET lead_item_id = ?, title = ? WHERE id = ?",
            [lead_item_id, title, story_id],
        )

    # events and quotes ---------------------------------------------------------------------
    def replace_events(self, item_id: str, events: Sequence[ExtractedEvent]) -> None:
        self.db.execute("DELETE FROM events WHERE item_id = ?", [item_id])
        self.db.conn.executemany(
            "INSERT INTO events (item_id, date, text, evidence, relative) VALUES (?, ?, ?, ?, ?)",
            [(item_id, e.date.isoformat(), e.text, e.evidence, int(e.relative)) for e in events],
        )

    def replace_quotes(self, item_id: str, quotes: Sequence[ExtractedQuote]) -> None:
        self.db.execute("DELETE FROM quotes WHERE item_id = ?", [item_id])
        self.db.conn.executemany(
            "INSERT INTO quotes (item_id, speaker, quote, style) VALUES (?, ?, ?, ?)",
            [(item_id, q.speaker, q.quote, q.style) for q in quotes],
        )

    def clear_extracts(self, item_id: str) -> None:
        self.replace_events(item_id, ())
        self.replace_quotes(item_id, ())
