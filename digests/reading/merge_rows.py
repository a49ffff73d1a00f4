"""Writing a storyline's merge into its v16 rows: the reports and name counts it holds,
each day's clusters, the entries, and the state's position in the change log. The merge is
computed elsewhere (`merged_timelines`); these run inside its write transactions."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from digests.models import TimelineEvent
from digests.reading.merge_state import Spoken, as_json, encode
from digests.store.handle import StoreHandle

if TYPE_CHECKING:
    from digests.timeline.incremental import MergedState, Outcome


def clear(db: StoreHandle, storyline_id: str) -> None:
    """Every row of a storyline's merge (its state excepted)."""
    for table in ("timeline_reports", "timeline_names", "timeline_name_days",
                  "timeline_days", "timeline_entries"):
        db.execute(f"DELETE FROM {table} WHERE storyline_id = ?", [storyline_id])


@dataclass(frozen=True)
class ReportRows:
    """The rows a change of reports writes, encoded: a first build encodes them before its
    write transaction, so the transaction only writes (sorted by key, as the tables are)."""

    removed: list[tuple[str, int]]
    added: list[tuple[str, int, str, str, str, str]]
    name_days: list[tuple[str, str, str, int]]  # count changes per name and day
    names: list[tuple[str, str, int]]  # count changes per name


def report_rows(
    storyline_id: str, before: Sequence[tuple[int, str, str]], spoken: Sequence[Spoken],
    old_names: Sequence[frozenset[str]], new_names: Sequence[frozenset[str]],
) -> ReportRows:
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
    return ReportRows(
        removed=[(storyline_id, number) for number, _, _ in before],
        added=sorted(
            (storyline_id, one.report.id, one.report.source.item_id, one.story_id,
             one.report.event.date.isoformat(), as_json(found))
            for one, found in zip(spoken, new_names, strict=True)
        ),
        name_days=sorted(
            (storyline_id, name, day, change) for (name, day), change in per_day.items() if change
        ),
        names=sorted((storyline_id, name, change) for name, change in per_name.items() if change),
    )


def write_reports(db: StoreHandle, storyline_id: str, rows: ReportRows) -> None:
    db.conn.executemany(
        "DELETE FROM timeline_reports WHERE storyline_id = ? AND event_id = ?", rows.removed
    )
    db.conn.executemany(
        "INSERT INTO timeline_reports (storyline_id, event_id, item_id, story_id, day, "
        "names) VALUES (?, ?, ?, ?, ?, ?)", rows.added,
    )
    for table, keys, changes in (
        ("timeline_name_days", "name, day", rows.name_days),
        ("timeline_names", "name", rows.names),
    ):
        marks = ", ".join("?" for _ in keys.split(", "))
        db.conn.executemany(
            f"INSERT INTO {table} (storyline_id, {keys}, reports) VALUES (?, {marks}, ?) "
            f"ON CONFLICT DO UPDATE SET reports = reports + excluded.reports",
            changes,
        )
        if any(change[-1] < 0 for change in changes):
            db.execute(f"DELETE FROM {table} WHERE storyline_id = ? AND reports <= 0",
                       [storyline_id])


@dataclass(frozen=True)
class OutcomeRows:
    """The rows a merge's outcome writes, encoded, and the next group number after it."""

    removed_groups: list[tuple[str, int]]
    entries: list[tuple[str, int, str, str, int, str, str]]
    days: list[tuple[str, str, str]]
    emptied_days: list[tuple[str, str]]
    next_group: int


def outcome_rows(
    storyline_id: str, outcome: Outcome, next_group: int, expanded: Sequence[TimelineEvent],
    view: MergedState,
) -> OutcomeRows:
    """A merge's outcome as rows; `expanded` are its new entries with every story member
    as a source, numbered from `next_group`."""
    clusters: dict[dt.date, dict[int, list[Any]]] = {}
    for day, stored in outcome.days.items():
        clusters[day] = {ids[0]: [group, list(ids)] for ids, group in stored}
    entries = []
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
        entries.append((
            storyline_id, number, event.date.isoformat(), event.text, new.first,
            json.dumps(sorted({day.isoformat() for (day, _), _ in new.clusters})),
            encode(event),
        ))
    return OutcomeRows(
        removed_groups=[(storyline_id, group) for group in outcome.removed_groups],
        entries=entries,
        days=sorted(
            (storyline_id, day.isoformat(), json.dumps(list(by_first.values())))
            for day, by_first in clusters.items() if by_first
        ),
        emptied_days=[
            (storyline_id, day.isoformat()) for day, by_first in clusters.items() if not by_first
        ],
        next_group=next_group + len(entries),
    )


def write_outcome(db: StoreHandle, rows: OutcomeRows) -> None:
    db.conn.executemany(
        "DELETE FROM timeline_entries WHERE storyline_id = ? AND grp = ?", rows.removed_groups
    )
    db.conn.executemany(
        "INSERT INTO timeline_entries (storyline_id, grp, date, text, first, days, event) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows.entries,
    )
    db.conn.executemany(
        "INSERT INTO timeline_days (storyline_id, day, clusters) VALUES (?, ?, ?) "
        "ON CONFLICT DO UPDATE SET clusters = excluded.clusters", rows.days,
    )
    db.conn.executemany(
        "DELETE FROM timeline_days WHERE storyline_id = ? AND day = ?", rows.emptied_days
    )


def set_state(
    db: StoreHandle, storyline_id: str, generation: int, seen: int, reports: int,
    next_group: int, *, prune: bool = True,
) -> None:
    """Where the storyline's merge stands, then (`prune`) the log every state has read
    dropped (a first build leaves that to the refresh that follows it, so its own write
transaction holds its rows only)."""
    db.execute(
        "INSERT INTO timeline_states (storyline_id, generation, changes_seen, reports, "
        "next_group) VALUES (?, ?, ?, ?, ?) ON CONFLICT (storyline_id) DO UPDATE SET "
        "generation = excluded.generation, changes_seen = excluded.changes_seen, "
        "reports = excluded.reports, next_group = excluded.next_group",
        [storyline_id, generation, seen, reports, next_group],
    )
    if not prune:
        return
    # What every storyline has seen is no longer needed.
    db.execute(
        "DELETE FROM timeline_changes WHERE id <= "
        "(SELECT min(changes_seen) FROM timeline_states)"
    )
