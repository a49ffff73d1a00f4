"""Read-side queries shared by the CLI, the digest builder and the slash commands.

SQL narrows the candidates (indexes, FTS5); the pure engine (`timeline.merge_events`,
`quotes.rank_quotes`) does the judging. Everything a user types is passed as a parameter or
quoted as one FTS5 string, never spliced into SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from digests.config import StorylineDefinition
from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.quotes import rank_quotes
from digests.store.timestamps import from_iso, to_iso
from digests.store.views import DigestInputs, QuoteHit, StorylineStats, StoryView
from digests.text import normalize
from digests.timeline import filter_events, merge_events

_WORD_RE = re.compile(r"[\w\u3040-\u30ff\u3400-\u9fff]+")
MAX_FTS_TERMS = 16
WHO_SAID_POOL = 300


def _fts_terms(fragment: str) -> str | None:
    """An OR of quoted substrings (trigram tokenizer): tolerant of changed or missing words."""
    terms: list[str] = []
    for word in _WORD_RE.findall(normalize(fragment)):
        if len(word) < 3:
            continue
        if word.isascii():
            terms.append(word)
        else:  # Japanese has no spaces: sample overlapping three-character pieces
            terms.extend(word[i : i + 3] for i in range(0, max(len(word) - 2, 1), 2))
    unique = list(dict.fromkeys(t for t in terms if len(t) >= 3))[:MAX_FTS_TERMS]
    if not unique:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


def _source(row: dict[str, Any]) -> SourceRef:
    return SourceRef(item_id=row["item_id"], title=row["title"], url=row["url"],
                     feed=row.get("feed_url"))


def _item_date(row: dict[str, Any]) -> dt.date | None:
    when = from_iso(row.get("published")) or from_iso(row.get("fetched"))
    return when.date() if when else None


class Lookups:
    """Queries over one store for a fixed set of storyline definitions."""

    def __init__(
        self, db: sqlite_utils.Database, storylines: Sequence[StorylineDefinition]
    ) -> None:
        self.db = db
        self._storylines = list(storylines)
        self._timeline_cache: dict[tuple[str, int, int], list[TimelineEvent]] = {}

    def storylines(self) -> list[StorylineDefinition]:
        return list(self._storylines)

    def definition(self, storyline_id: str) -> StorylineDefinition | None:
        return next((d for d in self._storylines if d.id == storyline_id), None)

    # ------------------------------------------------------------------------------ stats
    def stats(self, storyline_id: str) -> StorylineStats:
        row = self.db.execute(
            "SELECT count(*), max(items.fetched) FROM matches JOIN items ON items.id = "
            "matches.item_id WHERE matches.storyline_id = ? AND matches.match = 1",
            [storyline_id],
        ).fetchone()

        def count(sql: str) -> int:
            return int(self.db.execute(sql, [storyline_id]).fetchone()[0])

        return StorylineStats(
            storyline_id=storyline_id,
            items=int(row[0]),
            stories=count(
                "SELECT count(DISTINCT sm.story_id) FROM story_members sm JOIN matches m ON "
                "m.item_id = sm.item_id WHERE m.storyline_id = ? AND m.match = 1"
            ),
            events=count(
                "SELECT count(*) FROM events e JOIN matches m ON m.item_id = e.item_id "
                "WHERE m.storyline_id = ? AND m.match = 1"
            ),
            quotes=count(
                "SELECT count(*) FROM quotes q JOIN matches m ON m.item_id = q.item_id "
                "WHERE m.storyline_id = ? AND m.match = 1"
            ),
            last_update=from_iso(row[1]),
        )

    # ------------------------------------------------------------------------------ timeline
    def _events(self, storyline_id: str, where: str = "", args: Sequence[object] = ()) -> list[
        tuple[ExtractedEvent, SourceRef]
    ]:
        rows = self.db.query(
            "SELECT e.item_id, e.date, e.text, e.evidence, e.relative, i.title, i.url, "
            "i.feed_url FROM events e JOIN matches m ON m.item_id = e.item_id "
            "AND m.storyline_id = ? AND m.match = 1 JOIN items i ON i.id = e.item_id "
            f"{where} ORDER BY e.date, e.id",
            [storyline_id, *args],
        )
        return [
            (
                ExtractedEvent(
                    date=dt.date.fromisoformat(r["date"]), text=r["text"],
                    evidence=r["evidence"], relative=bool(r["relative"]),
                ),
                _source(r),
            )
            for r in rows
        ]

    def timeline(
        self,
        storyline_id: str,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        about: str | None = None,
    ) -> list[TimelineEvent]:
        """The merged timeline, cached until the storyline's events change."""
        marker = self.db.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM events"
        ).fetchone()
        key = (storyline_id, int(marker[0]), int(marker[1]))
        merged = self._timeline_cache.get(key)
        if merged is None:
            merged = merge_events(self._events(storyline_id))
            self._timeline_cache = {key: merged}
        return filter_events(merged, since=since, until=until, about=about)

    # ------------------------------------------------------------------------------ quotes
    def _quote_rows(self, where: str, args: Sequence[object], storyline_id: str | None,
                    limit: int) -> list[dict[str, Any]]:
        join = ""
        params: list[object] = []
        if storyline_id:
            join = ("JOIN matches m ON m.item_id = q.item_id AND m.storyline_id = ? "
                    "AND m.match = 1 ")
            params.append(storyline_id)
        return list(
            self.db.query(
                "SELECT q.id, q.item_id, q.speaker, q.quote, i.title, i.url, i.feed_url, "
                "i.published, i.fetched FROM quotes q JOIN items i ON i.id = q.item_id "
                f"{join}{where} LIMIT ?",
                [*params, *args, limit],
            )
        )

    def _hit(self, row: dict[str, Any], score: float) -> QuoteHit:
        return QuoteHit(speaker=row["speaker"], quote=row["quote"], date=_item_date(row),
                        source=_source(row), score=score)

    def who_said(
        self, text: str, *, storyline_id: str | None = None, limit: int = 5
    ) -> list[QuoteHit]:
        """Best matches for a remembered fragment: FTS narrows, fuzzy similarity ranks."""
        query = _fts_terms(text)
        if query is None:
            return []
        rows = self._quote_rows(
            "WHERE q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? "
            "ORDER BY rank LIMIT ?)",
            [query, WHO_SAID_POOL], storyline_id, WHO_SAID_POOL,
        )
        ranked = rank_quotes(text, rows, key=lambda r: str(r["quote"]), limit=limit * 3)
        hits: list[QuoteHit] = []
        seen: set[tuple[str | None, str]] = set()
        for score, row in ranked:
            identity = (row["speaker"], normalize(row["quote"]))
            if identity in seen:  # syndicated copies carry the same quote
                continue
            seen.add(identity)
            hits.append(self._hit(row, score))
            if len(hits) == limit:
                break
        return hits

    def canonical_person(self, person: str, storyline_id: str | None = None) -> str:
        wanted = normalize(person)
        for definition in self._storylines:
            if storyline_id and definition.id != storyline_id:
                continue
            for entity in definition.entities:
                if any(normalize(n) == wanted for n in entity.names):
                    return entity.name
        return person.strip()

    def quotes_by(
        self, person: str, *, storyline_id: str | None = None, limit: int = 50
    ) -> list[QuoteHit]:
        name = self.canonical_person(person, storyline_id)
        rows = self._quote_rows(
            "WHERE q.speaker = ? COLLATE NOCASE ORDER BY coalesce(i.published, i.fetched) DESC",
            [name], storyline_id, limit * 2,
        )
        hits: list[QuoteHit] = []
        seen: set[str] = set()
        for row in rows:
            norm = normalize(row["quote"])
            if norm not in seen:
                seen.add(norm)
                hits.append(self._hit(row, 1.0))
        return hits[:limit]

    def people(self, storyline_id: str | None = None, prefix: str = "") -> list[str]:
        """Speakers with quotes, then configured people, filtered by a typed fragment."""
        rows = self._quote_rows(
            "WHERE q.speaker IS NOT NULL GROUP BY q.speaker ORDER BY count(*) DESC",
            [], storyline_id, 200,
        )
        names = [str(r["speaker"]) for r in rows]
        for definition in self._storylines:
            if storyline_id and definition.id != storyline_id:
                continue
            names.extend(e.name for e in definition.people)
        wanted = normalize(prefix)
        unique = list(dict.fromkeys(names))
        return [n for n in unique if wanted in normalize(n)]

    # ------------------------------------------------------------------------------ stories
    def _stories(self, storyline_id: str, where: str, args: Sequence[object]) -> list[StoryView]:
        story_rows = list(
            self.db.query(
                "SELECT s.id, s.title, s.created, s.updated, min(i.published) AS published "
                "FROM stories s JOIN story_members sm ON sm.story_id = s.id "
                "JOIN matches m ON m.item_id = sm.item_id AND m.storyline_id = ? AND m.match = 1 "
                f"JOIN items i ON i.id = sm.item_id {where} GROUP BY s.id "
                "ORDER BY coalesce(min(i.published), s.created) DESC",
                [storyline_id, *args],
            )
        )
        views: list[StoryView] = []
        for story in story_rows:
            members = self.db.query(
                "SELECT i.id AS item_id, i.title, i.url, i.feed_url FROM story_members sm "
                "JOIN items i ON i.id = sm.item_id JOIN stories s ON s.id = sm.story_id "
                "WHERE sm.story_id = ? ORDER BY (i.id = s.lead_item_id) DESC, sm.added",
                [story["id"]],
            )
            created = from_iso(story["created"])
            updated = from_iso(story["updated"])
            assert created is not None and updated is not None
            views.append(
                StoryView(
                    id=story["id"], title=story["title"],
                    sources=tuple(_source(r) for r in members),
                    published=from_iso(story["published"]), first_seen=created, updated=updated,
                )
            )
        return views

    def stories(self, storyline_id: str, *, since: dt.datetime | None = None) -> list[StoryView]:
        if since is None:
            return self._stories(storyline_id, "", [])
        return self._stories(storyline_id, "WHERE i.fetched >= ?", [to_iso(since)])

    # ------------------------------------------------------------------------------ digest
    def new_since(self, storyline_id: str, since: dt.datetime, until: dt.datetime) -> DigestInputs:
        """Stories, events and quotes from items stored in [since, until)."""
        window = "WHERE i.fetched >= ? AND i.fetched < ?"
        args = [to_iso(since), to_iso(until)]
        stories = self._stories(storyline_id, window, args)
        events = merge_events(self._events(storyline_id, window, args))
        rows = self._quote_rows(
            "WHERE i.fetched >= ? AND i.fetched < ? AND q.speaker IS NOT NULL "
            "ORDER BY coalesce(i.published, i.fetched) DESC",
            args, storyline_id, 200,
        )
        seen: set[str] = set()
        quotes: list[QuoteHit] = []
        for row in rows:
            norm = normalize(row["quote"])
            if norm not in seen:
                seen.add(norm)
                quotes.append(self._hit(row, 1.0))
        return DigestInputs(stories=tuple(stories), events=tuple(events), quotes=tuple(quotes))
