"""The rows the lookups start from: a storyline's stories, events and quotes with the story
each item belongs to, as dicts keyed by column name. `reading/lookups.py` judges them (which
item speaks for its story, which quotes hold a fragment, how events merge); the SQL lives
here so the read side runs none of its own.

Every function takes an open store (`StoreHandle`: the service's `sqlite_utils.Database` or a
lookup command's plain `sqlite3` connection). Values a user typed are always parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

from digests.models import StorylineStats
from digests.store.handle import StoreHandle
from digests.store.timestamps import from_iso, to_iso

Row = dict[str, Any]

# The story an item belongs to (an item without one is its own story) and its role there:
# 1 = it speaks for the story (the lead, or an item with no story), 0 = the lead is not in
# this storyline so a matching member may stand in, -1 = a copy of a lead that is.
_STORY_JOINS = (
    "LEFT JOIN story_members sm ON sm.item_id = {item} "
    "LEFT JOIN stories s ON s.id = sm.story_id "
)
_ROLE = (
    "CASE WHEN s.lead_item_id IS NULL OR s.lead_item_id = {item} THEN 1 "
    "WHEN EXISTS (SELECT 1 FROM matches lm WHERE lm.item_id = s.lead_item_id "
    "AND lm.storyline_id = {storyline} AND lm.match = 1) THEN -1 ELSE 0 END"
)
_STORY_COLUMNS = (
    "coalesce(sm.story_id, {item}) AS story_id, "
    "(s.lead_item_id IS NULL OR s.lead_item_id = {item}) AS is_lead, "
    "coalesce(sm.added, '') AS added"
)


def rows(db: StoreHandle, sql: str, params: Sequence[object]) -> Iterator[Row]:
    """Rows as dicts keyed by column name (what `sqlite_utils.Database.query` gives)."""
    cursor = db.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(keys, row, strict=True))


def _fetched(since: dt.datetime | None, until: dt.datetime | None) -> tuple[str, list[object]]:
    """`AND` conditions on the item `i` stored in [since, until)."""
    where = ""
    args: list[object] = []
    if since is not None:
        where, args = "AND i.fetched >= ? ", [to_iso(since)]
    if until is not None:
        where, args = where + "AND i.fetched < ? ", [*args, to_iso(until)]
    return where, args


def storyline_stats(db: StoreHandle, storyline_id: str) -> StorylineStats:
    """Counts as people see them: events and quotes of copies count once, via the lead."""
    row = db.execute(
        "SELECT count(*), max(items.fetched) FROM matches JOIN items ON items.id = "
        "matches.item_id WHERE matches.storyline_id = ? AND matches.match = 1",
        [storyline_id],
    ).fetchone()

    def count(sql: str) -> int:
        return int(db.execute(sql, [storyline_id, storyline_id]).fetchone()[0])

    def speaking(table: str) -> str:
        return (
            f"SELECT count(*) FROM {table} x JOIN matches m ON m.item_id = x.item_id "
            "AND m.storyline_id = ? AND m.match = 1 "
            + _STORY_JOINS.format(item="x.item_id")
            + "WHERE " + _ROLE.format(item="x.item_id", storyline="?") + " >= 0"
        )

    return StorylineStats(
        storyline_id=storyline_id,
        items=int(row[0]),
        stories=int(db.execute(
            "SELECT count(DISTINCT sm.story_id) FROM story_members sm JOIN matches m ON "
            "m.item_id = sm.item_id WHERE m.storyline_id = ? AND m.match = 1",
            [storyline_id],
        ).fetchone()[0]),
        events=count(speaking("events")),
        quotes=count(speaking("quotes")),
        last_update=from_iso(row[1]),
    )


def story_members(db: StoreHandle, story_ids: Sequence[str]) -> Iterator[Row]:
    """Every item of each story, lead first: one indexed query for any number of stories."""
    return rows(
        db,
        "SELECT sm.story_id, i.id AS item_id, i.title, i.url, i.feed_url "
        "FROM story_members sm JOIN stories s ON s.id = sm.story_id "
        "JOIN items i ON i.id = sm.item_id "
        "WHERE sm.story_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY sm.story_id, (i.id = s.lead_item_id) DESC, sm.added, i.id",
        [json.dumps(list(story_ids))],
    )


def stories(
    db: StoreHandle, storyline_id: str, since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[Row]:
    """The storyline's stories with a member stored in [since, until), newest first."""
    where, args = _fetched(since, until)
    return list(rows(
        db,
        "SELECT s.id, s.title, s.created, s.updated, min(i.published) AS published "
        "FROM stories s JOIN story_members sm ON sm.story_id = s.id "
        "JOIN matches m ON m.item_id = sm.item_id AND m.storyline_id = ? AND m.match = 1 "
        f"JOIN items i ON i.id = sm.item_id WHERE 1 {where}GROUP BY s.id "
        "ORDER BY coalesce(min(i.published), s.created) DESC, s.id",
        [storyline_id, *args],
    ))


def events(
    db: StoreHandle, storyline_id: str, *, since: dt.datetime | None = None,
    until: dt.datetime | None = None, items: Sequence[str] | None = None,
) -> Iterator[Row]:
    """Events of the storyline's items that are not copies of a lead in the storyline (role
    1 or 0, see above), by date then id; optionally only those of items stored in
    [since, until) or of the given items."""
    where, args = _fetched(since, until)
    if items is not None:
        where, args = where + "AND e.item_id IN (SELECT value FROM json_each(?)) ", [
            *args, json.dumps(list(items))]
    return rows(
        db,
        "SELECT e.id AS event_id, e.item_id, e.date, e.text, e.evidence, e.relative, "
        "e.inferred, i.title, i.url, "
        "i.feed_url, " + _STORY_COLUMNS.format(item="e.item_id") + ", "
        + _ROLE.format(item="e.item_id", storyline="m.storyline_id") + " AS role "
        "FROM events e JOIN matches m ON m.item_id = e.item_id "
        "AND m.storyline_id = ? AND m.match = 1 JOIN items i ON i.id = e.item_id "
        + _STORY_JOINS.format(item="e.item_id")
        + f"WHERE role >= 0 {where}ORDER BY e.date, e.id",
        [storyline_id, *args],
    )


def _quotes(
    db: StoreHandle, where: str, args: Sequence[object], storyline_id: str | None, limit: int
) -> list[Row]:
    """Quotes with their item and story, optionally only the storyline's."""
    join = ""
    params: list[object] = []
    if storyline_id:
        join = ("JOIN matches m ON m.item_id = q.item_id AND m.storyline_id = ? "
                "AND m.match = 1 ")
        params.append(storyline_id)
    return list(rows(
        db,
        "SELECT q.id, q.item_id, q.speaker, q.quote, i.title, i.url, i.feed_url, "
        "i.published, i.fetched, " + _STORY_COLUMNS.format(item="q.item_id") + " "
        "FROM quotes q JOIN items i ON i.id = q.item_id "
        f"{join}" + _STORY_JOINS.format(item="q.item_id") + f"{where} LIMIT ?",
        [*params, *args, limit],
    ))


def quote_wordings(db: StoreHandle, fts_query: str, limit: int) -> list[tuple[int, str]]:
    """Distinct quote wordings (schema v8) matching an FTS5 query, best ranked first."""
    return [(int(row[0]), str(row[1])) for row in db.execute(
        "SELECT t.id, t.quote FROM (SELECT rowid AS id, rank FROM quote_texts_fts "
        "WHERE quote_texts_fts MATCH ? ORDER BY rank LIMIT ?) pool "
        "JOIN quote_texts t ON t.id = pool.id ORDER BY pool.rank",
        [fts_query, limit],
    ).fetchall()]


def quotes_of_wording(
    db: StoreHandle, text_id: int, storyline_id: str | None, limit: int
) -> list[Row]:
    """The quotes with this wording, newest first."""
    return _quotes(db, "WHERE q.text_id = ? ORDER BY q.id DESC", [text_id], storyline_id,
                   limit)


def quotes_by_speaker(
    db: StoreHandle, speaker: str, storyline_id: str | None, limit: int
) -> list[Row]:
    """Quotes attributed to `speaker` (any case), most recently said first."""
    return _quotes(db, "WHERE q.speaker = ? COLLATE NOCASE ORDER BY q.said_at DESC",
                   [speaker], storyline_id, limit)


def speakers(db: StoreHandle, storyline_id: str | None, limit: int) -> list[str]:
    """Speakers with quotes, the most quoted first."""
    found = _quotes(db, "WHERE q.speaker IS NOT NULL GROUP BY q.speaker ORDER BY count(*) DESC",
                    [], storyline_id, limit)
    return [str(row["speaker"]) for row in found]


def attributed_quotes(
    db: StoreHandle, storyline_id: str, since: dt.datetime, until: dt.datetime, limit: int
) -> list[Row]:
    """Attributed quotes of items stored in [since, until), newest item first."""
    return _quotes(
        db, "WHERE i.fetched >= ? AND i.fetched < ? AND q.speaker IS NOT NULL "
        "ORDER BY coalesce(i.published, i.fetched) DESC",
        [to_iso(since), to_iso(until)], storyline_id, limit,
    )


def lead_quotes(db: StoreHandle, story_ids: Sequence[str]) -> Iterator[Row]:
    """The quotes of each story's lead item, in the order they were stored."""
    return rows(
        db,
        "SELECT q.id, q.item_id, q.speaker, q.quote, i.title, i.url, i.feed_url, "
        "i.published, i.fetched, s.id AS story_id, 1 AS is_lead, '' AS added "
        "FROM stories s JOIN quotes q ON q.item_id = s.lead_item_id "
        "JOIN items i ON i.id = q.item_id "
        "WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY q.id",
        [json.dumps(list(story_ids))],
    )
