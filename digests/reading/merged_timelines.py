"""Each storyline's merged timeline as rows, brought up to date by merging what changed (v16).

A poll used to merge every event of the storyline again (22 s at 50k items for five new
ones). Now the store keeps the merge itself: the reports it was made of, each day's clusters,
name counts and one row per merged entry. Triggers log every item whose reports may have
changed (`timeline_changes`); a refresh reads the log past what the storyline has seen,
re-reads those items' reports (and their stories' other members', whose role or sources
change with them), and lets `timeline.incremental.remerge` cluster the days they touch and
regroup what those days reach. A storyline with no state yet (first start after the
upgrade, a storyline just added, a fresh store) is built the same way with every day
changed, which is a full merge: minutes at eight months of coverage, so it is computed from
a snapshot outside any write transaction and written in a short one, while the poller and
the bot's writes go on; the change log keeps what they change for the refresh that follows.

Reading a page reads the entries of its dates only; a new process decodes nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from digests.models import TimelineEvent
from digests.reading.merge_rows import (
    clear,
    outcome_rows,
    report_rows,
    set_state,
    write_outcome,
    write_reports,
)
from digests.reading.merge_state import FirstMerge, Spoken, StoredState, as_json, decode
from digests.reading.timeline_cache import store_key
from digests.store.handle import StoreHandle
from digests.store.transaction import snapshot, transaction

if TYPE_CHECKING:  # the merge itself is imported where it runs: a page read needs none of it
    from digests.timeline.incremental import MergedState, Outcome

    # `incremental.remerge`: (state, changed days, touched reports, flipped days) -> outcome.
    Merge = Callable[[MergedState, Iterable[dt.date], Iterable[int], Iterable[dt.date]], Outcome]

# The storyline's speaking reports: of the given items' stories only, or of every item (None).
Speaking = Callable[[str, Sequence[str] | None], list[Spoken]]
# Merged entries with each speaking item replaced by its story's members (item -> story).
Expand = Callable[[Sequence[TimelineEvent], Mapping[str, str]], list[TimelineEvent]]

BUILDING = -1  # the generation of a state whose first merge is being computed


# One first build per storyline and store at a time in this process: the service's poll and
# a bot lookup run in threads of one process, and a lookup arriving during the poll's build
# used to compute a second build, minutes of CPU, only for it to be thrown away. Re-entrant,
# so a build that itself refreshes (only tests do) goes on as another process's would.
_BUILDS_LOCK = threading.Lock()
_BUILDS: dict[tuple[str, str], threading.RLock] = {}


def _one_build_at_a_time(db: StoreHandle, storyline_id: str) -> threading.RLock:
    with _BUILDS_LOCK:
        return _BUILDS.setdefault((store_key(db), storyline_id), threading.RLock())


def _build_token() -> int:
    """Names one build's placeholder, so a build writes only over its own (or the one it
    took over), not over one a later build put back after `keep_only` removed it."""
    return secrets.randbits(52)


class MergedTimelines:
    """The stored merges of one store; `speaking` and `expand` come from the read queries
    that know what a story's lead is, so this module holds the merge state only."""

    def __init__(
        self, db: StoreHandle, speaking: Speaking, expand: Expand,
        *, merge: Merge | None = None,
    ) -> None:
        self.db = db
        self._speaking = speaking
        self._expand = expand
        # `incremental.remerge` unless given: tests pass one that writes from another
        # connection meanwhile
        self._given_merge = merge

    def _merge(
        self, state: MergedState, days: Iterable[dt.date], touched: Iterable[int],
        flipped_days: Iterable[dt.date],
    ) -> Outcome:
        if self._given_merge is not None:
            return self._given_merge(state, days, touched, flipped_days)
        from digests.timeline.incremental import remerge

        return remerge(state, days, touched, flipped_days)

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
        """Bring the storyline's merge up to the store. Returns the number of days clustered
        again.

        A storyline with no merge yet is built first (`_build`): computed from a snapshot
        outside any write transaction, then written in a short one. Then whatever the log
        holds since (a poll, a `/follow`, the changes made while it was computed) is merged
        in one write transaction, as every refresh after a poll does."""
        built = 0
        state = self.db.execute(
            "SELECT generation FROM timeline_states WHERE storyline_id = ?", [storyline_id]
        ).fetchone()
        if state is None or int(state[0]) == BUILDING:
            # Waits for a build another thread is computing, then finds it written.
            with _one_build_at_a_time(self.db, storyline_id):
                built = self._build(storyline_id)
        return built + self._update(storyline_id)

    def _update(self, storyline_id: str) -> int:
        """Merge the changes the log holds past the storyline's merge (read in this write
        transaction, so later changes wait for the next refresh)."""
        with transaction(self.db):
            generation = self._generation()
            state = self.db.execute(
                "SELECT changes_seen, reports, next_group, generation FROM timeline_states "
                "WHERE storyline_id = ?", [storyline_id],
            ).fetchone()
            if state is None or int(state[3]) == BUILDING:
                return 0  # not built: a build elsewhere lost its place (`keep_only`) or failed
            seen, total, next_group = (int(value) for value in state[:3])
            latest = self._latest()
            items = self._touched(seen, latest)
            before = self._stored_reports(storyline_id, items)
            spoken = self._speaking(storyline_id, items) if items else []
            days, next_group = self._rebuild(storyline_id, total, next_group, spoken, before)
            reports = total - len(before) + len(spoken)
            set_state(self.db, storyline_id, generation, latest, reports, next_group)
        return days

    def _build(self, storyline_id: str) -> int:
        """The first merge of a storyline, which may take minutes: it holds no write lock
        while it computes, so the poller and `/follow` write meanwhile.

        A placeholder state (generation `BUILDING`) is written first: it keeps the change log
        from being emptied past it, so every change committed after the snapshot the merge
        reads is still in the log when the merge is written, and `_update` merges it next.
        The merge is written only if the placeholder is still the one it started from (a
        concurrent build that finished first, or `keep_only`, replace or remove it)."""
        with transaction(self.db):
            state = self.db.execute(
                "SELECT generation, next_group FROM timeline_states WHERE storyline_id = ?",
                [storyline_id],
            ).fetchone()
            if state is not None and int(state[0]) != BUILDING:
                return 0
            if state is None:
                token = _build_token()
                self.db.execute(
                    "INSERT INTO timeline_states (storyline_id, generation, changes_seen, "
                    "reports, next_group) VALUES (?, ?, ?, 0, ?)",
                    [storyline_id, BUILDING, self._latest(), token],
                )
            else:  # left by a build that stopped: take its place
                token = int(state[1])
        with snapshot(self.db):  # the reports and the log position they match
            generation, latest = self._generation(), self._latest()
            spoken = self._speaking(storyline_id, None)
        from digests.timeline.retelling import names

        found = [names(one.report.event.text) for one in spoken]
        view = FirstMerge(spoken, found)
        days = {one.report.event.date for one in spoken}
        outcome = self._merge(view, days, {one.report.id for one in spoken}, ())
        expanded = self._expand([new.event for new in outcome.added_groups], view.story_of())
        reports = report_rows(storyline_id, [], spoken, [], found)
        entries = outcome_rows(storyline_id, outcome, 0, expanded, view)
        with transaction(self.db):  # writing only: every row is encoded already
            state = self.db.execute(
                "SELECT generation, next_group FROM timeline_states WHERE storyline_id = ?",
                [storyline_id],
            ).fetchone()
            if state is None or (int(state[0]), int(state[1])) != (BUILDING, token):
                return 0
            clear(self.db, storyline_id)
            write_reports(self.db, storyline_id, reports)
            write_outcome(self.db, entries)
            set_state(self.db, storyline_id, generation, latest, len(spoken), entries.next_group,
                      prune=False)
        return len(days)

    def _generation(self) -> int:
        return int(self.db.execute(
            "SELECT value FROM timeline_generation WHERE id = 1").fetchone()[0])

    def _latest(self) -> int:
        return int(self.db.execute(
            "SELECT coalesce(max(id), 0) FROM timeline_changes").fetchone()[0])

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

    def _rebuild(
        self, storyline_id: str, total: int, next_group: int,
        spoken: Sequence[Spoken], before: Sequence[tuple[int, str, str]],
    ) -> tuple[int, int]:
        """Replace the `before` reports by `spoken`, then merge the days that changes;
        returns the days clustered again and the next group number."""
        from digests.timeline.distinctive_changes import count_changes, flip_band, flipped
        from digests.timeline.retelling import names

        old_names = [frozenset(json.loads(found)) for _, _, found in before]
        new_names = [names(one.report.event.text) for one in spoken]
        delta = count_changes(old_names, new_names)
        old_counts = self._counts(storyline_id, delta)
        days = {dt.date.fromisoformat(day) for _, day, _ in before}
        days |= {one.report.event.date for one in spoken}
        write_reports(
            self.db, storyline_id, report_rows(storyline_id, before, spoken, old_names, new_names)
        )
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
        view = StoredState(self.db, storyline_id, new_total, spoken)
        # re-read reports may keep their ids while their titles or stories changed
        outcome = self._merge(view, days, {one.report.id for one in spoken}, flipped_days)
        expanded = self._expand([new.event for new in outcome.added_groups], view.story_of())
        rows = outcome_rows(storyline_id, outcome, next_group, expanded, view)
        write_outcome(self.db, rows)
        return len(days), rows.next_group

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
