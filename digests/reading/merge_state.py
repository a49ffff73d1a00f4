"""Reading a stored merge back: the `MergedState` that `timeline.incremental.remerge` asks,
over the v16 tables, and the encoding of one stored entry."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.store.handle import StoreHandle

# The incremental merge is imported where `StoredState` uses it: reading a stored page needs
# only `decode` (issue 14: start-up of `storyline timeline`).
if TYPE_CHECKING:
    from digests.timeline.incremental import Report, StoredCluster


@dataclass(frozen=True)
class Spoken:
    """A report with the story its item speaks for (the item itself when it has none)."""

    report: Report
    story_id: str


def as_json(values: Iterable[str]) -> str:
    return json.dumps(sorted(values), ensure_ascii=False)


class FirstMerge:
    """`MergedState` of a storyline merged for the first time: every report is in memory
    and nothing was stored before, so the merge asks the store nothing and runs outside
    any transaction (`merged_timelines`)."""

    def __init__(self, spoken: Sequence[Spoken], found: Sequence[frozenset[str]]) -> None:
        from digests.timeline.distinctive_changes import ceiling, is_distinctive

        self._reports: dict[dt.date, list[Report]] = defaultdict(list)
        self._story: dict[str, str] = {}
        for one in spoken:
            self._reports[one.report.event.date].append(one.report)
            self._story[one.report.source.item_id] = one.story_id
        counts = Counter(name for names in found for name in names)
        bound = ceiling(len(spoken))
        self._rare = frozenset(name for name, count in counts.items()
                               if is_distinctive(count, bound))

    def story_of(self) -> dict[str, str]:
        return self._story

    def reports(self, day: dt.date) -> Sequence[Report]:
        return self._reports.get(day, [])

    def clusters(self, day: dt.date) -> Sequence[StoredCluster]:
        return []

    def group_days(self, group: int) -> Iterable[dt.date]:
        return []

    def distinctive(self, found: frozenset[str]) -> frozenset[str]:
        return found & self._rare


class StoredState:
    """`MergedState` over the tables, reading each day once (the reports just re-read,
    `spoken`, are taken from memory)."""

    def __init__(
        self, db: StoreHandle, storyline_id: str, total: int, spoken: Sequence[Spoken]
    ) -> None:
        self.db = db
        self.storyline_id = storyline_id
        from digests.timeline.distinctive_changes import ceiling

        self.bound = ceiling(total)
        self._reports: dict[dt.date, list[Report]] = defaultdict(list)
        self._story: dict[str, str] = {}
        self._known: set[dt.date] = set()
        for one in spoken:
            self._reports[one.report.event.date].append(one.report)
            self._story[one.report.source.item_id] = one.story_id

    def story_of(self) -> dict[str, str]:
        return self._story

    def reports(self, day: dt.date) -> Sequence[Report]:
        if day in self._known:
            return self._reports.get(day, [])
        self._known.add(day)
        spoken_here = {report.id for report in self._reports.get(day, [])}
        rows = self.db.execute(
            "SELECT r.event_id, e.date, e.text, e.evidence, e.relative, e.inferred, i.id, "
            "i.title, i.url, i.feed_url, r.story_id FROM timeline_reports r "
            "JOIN events e ON e.id = r.event_id JOIN items i ON i.id = e.item_id "
            "WHERE r.storyline_id = ? AND r.day = ?",
            [self.storyline_id, day.isoformat()],
        ).fetchall()
        from digests.timeline.incremental import Report

        for row in rows:
            if int(row[0]) in spoken_here:
                continue
            self._story[row[6]] = row[10]
            self._reports[day].append(Report(
                int(row[0]),
                ExtractedEvent(
                    date=dt.date.fromisoformat(row[1]), text=row[2], evidence=row[3],
                    relative=bool(row[4]), inferred=bool(row[5]),
                ),
                SourceRef(row[6], row[7], row[8], row[9]),
            ))
        return self._reports.get(day, [])

    def clusters(self, day: dt.date) -> Sequence[StoredCluster]:
        row = self.db.execute(
            "SELECT clusters FROM timeline_days WHERE storyline_id = ? AND day = ?",
            [self.storyline_id, day.isoformat()],
        ).fetchone()
        if row is None:
            return []
        from digests.timeline.incremental import StoredCluster

        return [StoredCluster(tuple(ids), int(group)) for group, ids in json.loads(row[0])]

    def group_days(self, group: int) -> Iterable[dt.date]:
        row = self.db.execute(
            "SELECT days FROM timeline_entries WHERE storyline_id = ? AND grp = ?",
            [self.storyline_id, group],
        ).fetchone()
        return [dt.date.fromisoformat(day) for day in json.loads(row[0])] if row else []

    def distinctive(self, found: frozenset[str]) -> frozenset[str]:
        if self.bound is None or not found:
            return frozenset()
        from digests.timeline.distinctive_changes import is_distinctive

        counts = dict(self.db.execute(
            "SELECT name, reports FROM timeline_names WHERE storyline_id = ? "
            "AND name IN (SELECT value FROM json_each(?))", [self.storyline_id, as_json(found)],
        ).fetchall())
        return frozenset(
            name for name in found if is_distinctive(int(counts.get(name, 0)), self.bound)
        )


def encode(event: TimelineEvent) -> str:
    return json.dumps(
        [event.date.isoformat(), event.text,
         [[ref.item_id, ref.title, ref.url, ref.feed] for ref in event.sources],
         [day.isoformat() for day in event.other_dates], event.inferred],
        ensure_ascii=False,
    )


def decode(text: str) -> TimelineEvent:
    date, words, sources, other_dates, inferred = json.loads(text)
    return TimelineEvent(
        date=dt.date.fromisoformat(date), text=words,
        sources=tuple(SourceRef(*ref) for ref in sources),
        other_dates=tuple(dt.date.fromisoformat(day) for day in other_dates),
        inferred=bool(inferred),
    )

