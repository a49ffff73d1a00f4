"""Each storyline's merged timeline as rows, brought up to date by merging what changed (v16).

A poll used to merge every event of the storyline again (22 s at 50k items for five new
ones). Now the store keeps the merge itself: the reports it was made of, each day's clusters,
name counts and one row per merged entry. Triggers log every item whose reports may have
changed (`timeline_changes`); a refresh reads the log past what the storyline has seen,
re-reads those items' reports (and their stories' other members', whose role or sources
change with them), and lets `timeline.incremental.remerge` cluster the days they touch and
regroup what those days reach. A storyline with no state yet is built the same way with
every day changed, which is a full merge.

Reading a page reads the entries of its dates only; a new process decodes nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from digests.models import TimelineEvent
from digests.reading.merge_state import Spoken, StoredState, as_json, decode, encode
from digests.store.handle import StoreHandle
from digests.store.transaction import transaction

if TYPE_CHECKING:  # the merge itself is imported by `_rebuild`: a page read needs none of it
    from digests.timeline.incremental import Outcome

# The storyline's speaking reports: of the given items' stories only, or of every item (None).
Speaking = Callable[[str, Sequence[str] | None], list[Spoken]]
# Merged entries with each speaking item replaced by its story's members (item -> story).
Expand = Callable[[Sequence[TimelineEvent], Mapping[str, str]], list[TimelineEvent]]


class MergedTimelines:
    """The stored merges of one store; `speaking` and `expand` come from the read queries
    that know what a story's lead is, so this module holds the merge state only."""

    def __init__(self, db: StoreHandle, speaking: Speaking, expand: Expand) -> None:
        self.db = db
        self._speaking = speaking
        self._expand = expand

    # ------------------------------------------------------------------------------ reading
    def is_current(self, storyline_id: str, generation: int) -> bool:
        row = self.db.execute(
            "SELECT generation FROM timeline_states WHERE storyline_id = ?", [storyline_id]
        ).fetchone()
        return row is not None and int(row[0]) == generation

    def page(
        self, storyline_id: str, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[TimelineEvent]:
        """The stored entries dated within [since, until], in timeline order."""
        rows = self.db.execute(
            "SELECT event FROM timeline_entries WHERE storyline_id = ? AND date >= ? "
            "AND date <= ? ORDER BY date, text, first",
            [storyline_id, since.isoformat() if since else "", until.isoformat() if until else "~"],
        ).fetchall()
        return [decode(row[0]) for row in rows]

    # ------------------------------------------------------------------------------ writing
    def refresh(self, storyline_id: str) -> int:
        """Bring the storyline's merge up to the store (read in this write transaction, so
        later changes wait for the next refresh). Returns the number of days clustered
        again."""
        with transaction(self.db):
            generation = int(self.db.execute(
                "SELECT value FROM timeline_generation WHERE id = 1").fetchone()[0])
            state = self.db.execute(
                "SELECT changes_seen, reports, next_group FROM timeline_states "
                "WHERE storyline_id = ?", [storyline_id],
            ).fetchone()
            latest = int(self.db.execute(
                "SELECT coalesce(max(id), 0) FROM timeline_changes").fetchone()[0])
            before: list[tuple[int, str, str]] = []
            if state is None:  # built from every report: a full merge
                self._clear(storyline_id)
                total = next_group = 0
                spoken = self._speaking(storyline_id, None)
            else:
                seen, total, next_group = (int(value) for value in state)
                items = self._touched(seen, latest)
                before = self._stored_reports(storyline_id, items)
                spoken = self._speaking(storyline_id, items) if items else []
            days, next_group = self._rebuild(
                storyline_id, total, next_group, spoken, before, complete=state is None
            )
            self.db.execute(
                "INSERT INTO timeline_states (storyline_id, generation, changes_seen, reports, "
                "next_group) VALUES (?, ?, ?, ?, ?) ON CONFLICT (storyline_id) DO UPDATE SET "
                "generation = excluded.generation, changes_seen = excluded.changes_seen, "
                "reports = excluded.reports, next_group = excluded.next_group",
                [storyline_id, generation, latest, total - len(before) + len(spoken), next_group],
            )
            # What every storyline has seen is no longer needed.
            self.db.execute(
                "DELETE FROM timeline_changes WHERE id <= "
                "(SELECT min(changes_seen) FROM timeline_states)"
            )
        return days

    def keep_only(self, storyline_ids: Sequence[str]) -> None:
        """Drop the merge state of storylines no longer configured: the change log is kept
        until every state has read it, so a forgotten one would keep it growing (one added
        back is built again from all its reports)."""
        self.db.execute(
            "DELETE FROM timeline_states WHERE storyline_id NOT IN "
            "(SELECT value FROM json_each(?))", [json.dumps(list(storyline_ids))],
        )

    def _touched(self, seen: int, latest: int) -> list[str]:
        """Items logged since `seen`, and every member of their stories."""
        logged = [row[0] for row in self.db.execute(
            "SELECT DISTINCT item_id FROM timeline_changes WHERE id > ? AND id <= ?",
            [seen, latest],
        )]
        if not logged:
            return []
        members = self.db.execute(
            "SELECT sm.item_id FROM story_members sm WHERE sm.story_id IN (SELECT story_id "
            "FROM story_members WHERE item_id IN (SELECT value FROM json_each(?)))",
            [json.dumps(logged)],
        )
        return sorted({*logged, *(row[0] for row in members)})

    def _stored_reports(
        self, storyline_id: str, items: Sequence[str]
    ) -> list[tuple[int, str, str]]:
        """(event id, day, names) of the reports the merge holds for these items."""
        if not items:
            return []
        return [
            (int(row[0]), row[1], row[2])
            for row in self.db.execute(
                "SELECT event_id, day, names FROM timeline_reports WHERE storyline_id = ? "
                "AND item_id IN (SELECT value FROM json_each(?))",
                [storyline_id, json.dumps(list(items))],
            )
        ]

    def _clear(self, storyline_id: str) -> None:
        for table in ("timeline_reports", "timeline_names", "timeline_name_days",
                      "timeline_days", "timeline_entries"):
            self.db.execute(f"DELETE FROM {table} WHERE storyline_id = ?", [storyline_id])

    def _rebuild(
        self, storyline_id: str, total: int, next_group: int,
        spoken: Sequence[Spoken], before: Sequence[tuple[int, str, str]], *, complete: bool,
    ) -> tuple[int, int]:
        """Replace the `before` reports by `spoken`, then merge the days that changes;
        returns the days clustered again and the next group number. `complete`: `spoken` is
        every report of the storyline (no day needs reading back)."""
        from digests.timeline.distinctive_changes import count_changes, flip_band, flipped
        from digests.timeline.incremental import remerge
        from digests.timeline.retelling import names

        old_names = [frozenset(json.loads(found)) for _, _, found in before]
        new_names = [names(one.report.event.text) for one in spoken]
        delta = count_changes(old_names, new_names)
        old_counts = self._counts(storyline_id, delta)
        days = {dt.date.fromisoformat(day) for _, day, _ in before}
        days |= {one.report.event.date for one in spoken}
        self._replace_reports(storyline_id, before, spoken, old_names, new_names)
        new_total = total - len(before) + len(spoken)
        flips = flipped(delta, old_counts, total, new_total)
        band = flip_band(total, new_total)
        if band is not None:
            flips |= {row[0] for row in self.db.execute(
                "SELECT name FROM timeline_names WHERE storyline_id = ? AND reports > ? "
                "AND reports <= ?", [storyline_id, band[0], band[1]],
            )}
        flipped_days: set[dt.date] = set()
        if flips:
            flipped_days = {dt.date.fromisoformat(row[0]) for row in self.db.execute(
                "SELECT DISTINCT day FROM timeline_name_days WHERE storyline_id = ? "
                "AND name IN (SELECT value FROM json_each(?))", [storyline_id, as_json(flips)],
            )}
            days |= flipped_days
        if not days:
            return 0, next_group
        view = StoredState(self.db, storyline_id, new_total, spoken, complete=complete)
        # re-read reports may keep their ids while their titles or stories changed
        outcome = remerge(view, days, {one.report.id for one in spoken}, flipped_days)
        return len(days), self._write(storyline_id, outcome, next_group, view)

    def _counts(self, storyline_id: str, delta: Mapping[str, int]) -> dict[str, int]:
        if not delta:
            return {}
        return {
            row[0]: int(row[1])
            for row in self.db.execute(
                "SELECT name, reports FROM timeline_names WHERE storyline_id = ? "
                "AND name IN (SELECT value FROM json_each(?))", [storyline_id, as_json(delta)],
            )
        }

    def _replace_reports(
        self, storyline_id: str, before: Sequence[tuple[int, str, str]], spoken: Sequence[Spoken],
        old_names: Sequence[frozenset[str]], new_names: Sequence[frozenset[str]],
    ) -> None:
        db = self.db
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

    def _write(
        self, storyline_id: str, outcome: Outcome, next_group: int, view: StoredState
    ) -> int:
        db = self.db
        db.conn.executemany(
            "DELETE FROM timeline_entries WHERE storyline_id = ? AND grp = ?",
            [(storyline_id, group) for group in outcome.removed_groups],
        )
        clusters: dict[dt.date, dict[int, list[Any]]] = {}
        for day, stored in outcome.days.items():
            clusters[day] = {ids[0]: [group, list(ids)] for ids, group in stored}
        story_of = view.story_of()
        expanded = self._expand([new.event for new in outcome.added_groups], story_of)
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
