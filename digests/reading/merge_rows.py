"""Writing a storyline's merge into its v16 rows: the reports and name counts it holds,
each day's clusters, the entries, and the state's position in the change log. The merge is
computed elsewhere (`merged_timelines`); these run inside its write transactions."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from digests.models import TimelineEvent
from digests.reading.merge_state import Spoken, as_json, encode
from digests.timeline.incremental import MergedState, Outcome


def clear(db: sqlite_utils.Database, storyline_id: str) -> None:
    """Every row of a storyline's merge (its state excepted)."""
    for table in ("timeline_reports", "timeline_names", "timeline_name_days",
                  "timeline_days", "timeline_entries"):
        db.execute(f"DELETE FROM {table} WHERE storyline_id = ?", [storyline_id])


def replace_reports(
    db: sqlite_utils.Database, storyline_id: str, before: Sequence[tuple[int, str, str]],
    spoken: Sequence[Spoken], old_names: Sequence[frozenset[str]],
    new_names: Sequence[frozenset[str]],
) -> None:
    """The `before` reports replaced by `spoken`, with the name counts they change."""
    per_day: dict[tuple[str, str], int] = defaultdict(int)
    per_name: dict[str, int] = defaultdict(int)
    for (_, day, _), found in zip(before, old_names, strict=True):
        for name in found:
            per_day[(name, day)] -= 1
            per_name[name] -= 1
    for one, found in zip(spoken, new_names, strict=True):
        for name in found:
            per_day[(name, one.report.event.date.isoformat())] += 1
            per_name[name] += 1
    db.conn.executemany(
        "DELETE FROM timeline_reports WHERE storyline_id = ? AND event_id = ?",
        [(storyline_id, number) for number, _, _ in before],
    )
    db.conn.executemany(
        "INSERT INTO timeline_reports (storyline_id, event_id, item_id, story_id, day, "
        "names) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (storyline_id, one.report.id, one.report.source.item_id, one.story_id,
             one.report.event.date.isoformat(), as_json(found))
            for one, found in zip(spoken, new_names, strict=True)
        ],
    )
    by_day = [((name, day), change) for (name, day), change in per_day.items()]
    for table, changes in (
        ("timeline_name_days", by_day),
        ("timeline_names", [((name,), change) for name, change in per_name.items()]),
    ):
        keys = "name, day" if table == "timeline_name_days" else "name"
        marks = ", ".join("?" for _ in keys.split(", "))
        db.conn.executemany(
            f"INSERT INTO {table} (storyline_id, {keys}, reports) VALUES (?, {marks}, ?) "
            f"ON CONFLICT DO UPDATE SET reports = reports + excluded.reports",
            [(storyline_id, *key, change) for key, change in changes if change],
        )
        db.execute(f"DELETE FROM {table} WHERE storyline_id = ? AND reports <= 0",
                   [storyline_id])

def write_outcome(
    db: sqlite_utils.Database, storyline_id: str, outcome: Outcome, next_group: int,
    expanded: Sequence[TimelineEvent], view: MergedState,
) -> int:
    """Write a merge's outcome; `expanded` are its new entries with every story member
    as a source (read before the write transaction when it can be)."""
    db.conn.executemany(
        "DELETE FROM timeline_entries WHERE storyline_id = ? AND grp = ?",
        [(storyline_id, group) for group in outcome.removed_groups],
    )
    clusters: dict[dt.date, dict[int, list[Any]]] = {}
    for day, stored in outcome.days.items():
        clusters[day] = {ids[0]: [group, list(ids)] for ids, group in stored}
    rows = []
    for number, (new, event) in enumerate(
        zip(outcome.added_groups, expanded, strict=True), start=next_group
    ):
        for (day, first), _ in new.clusters:
            if day not in clusters:
                clusters[day] = {
                    stored.reports[0]: [stored.group, list(stored.reports)]
                    for stored in view.clusters(day)
                }
            clusters[day][first][0] = number
        rows.append((
            storyline_id, number, event.date.isoformat(), event.text, new.first,
            json.dumps(sorted({day.isoformat() for (day, _), _ in new.clusters})),
            encode(event),
        ))
    db.conn.executemany(
        "INSERT INTO timeline_entries (storyline_id, grp, date, text, first, days, event) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows,
    )
    db.conn.executemany(
        "INSERT INTO timeline_days (storyline_id, day, clusters) VALUES (?, ?, ?) "
        "ON CONFLICT DO UPDATE SET clusters = excluded.clusters",
        [(storyline_id, day.isoformat(), json.dumps(list(by_first.values())))
         for day, by_first in clusters.items() if by_first],
    )
    db.conn.executemany(
        "DELETE FROM timeline_days WHERE storyline_id = ? AND day = ?",
        [(storyline_id, day.isoformat()) for day, by_first in clusters.items()
         if not by_first],
    )
    return next_group + len(rows)

def set_state(
    db: sqlite_utils.Database, storyline_id: str, generation: int, seen: int, reports: int,
    next_group: int,
) -> None:
    """Where the storyline's merge stands, then the log everyone has read dropped."""
    db.execute(
        "INSERT INTO timeline_states (storyline_id, generation, changes_seen, reports, "
        "next_group) VALUES (?, ?, ?, ?, ?) ON CONFLICT (storyline_id) DO UPDATE SET "
        "generation = excluded.generation, changes_seen = excluded.changes_seen, "
        "reports = excluded.reports, next_group = excluded.next_group",
        [storyline_id, generation, seen, reports, next_group],
    )
    # What every storyline has seen is no longer needed.
    db.execute(
        "DELETE FROM timeline_changes WHERE id <= "
        "(SELECT min(changes_seen) FROM timeline_states)"
    )
