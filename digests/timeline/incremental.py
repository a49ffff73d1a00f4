"""Merging only what changed into a merged timeline (pure, no I/O).

`merge_events` works day by day and then joins clusters a few days apart, and both steps are
local: a day's clusters depend on that day's reports (in order) and on which of their names
are distinctive (`retelling.distinctive`, counted over the whole storyline), and each
"agrees" edge between two clusters depends on those two clusters only. So when a poll adds,
removes or changes reports, only the days it touched are clustered again (and the days
carrying a name whose distinctiveness flipped), and only the groups those days' clusters
belonged to or now join are grouped again: the result is the timeline a full merge gives,
not an approximation of it (property-tested against `merge_events`).

The caller holds the merged state (a store, or a dictionary in tests) and answers the
questions of `MergedState`; `remerge` returns what to write back. Reports are merged in the
order of (date, id), as the store hands them to a full merge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.timeline.merging import (
    CONFLICT_WINDOW,
    MEMBERS_COMPARED,
    Cluster,
    Member,
    cluster_day,
    first_order,
    join_conflicting,
    timeline_event,
)
from digests.timeline.retelling import names
from digests.timeline.similarity import Features, features
from digests.timeline.touching import join_touching

ClusterKey = tuple[dt.date, int]  # a cluster is named by its day and its first report's id


@dataclass(frozen=True)
class Report:
    """One event as one item reports it; `id` orders reports within a day."""

    id: int
    event: ExtractedEvent
    source: SourceRef


@dataclass(frozen=True)
class StoredCluster:
    """A cluster as the state holds it: its reports' ids in merge order, and its group."""

    reports: tuple[int, ...]
    group: int


class MergedState(Protocol):
    """What `remerge` asks of the stored merge. Reports are the current ones (changes
    applied); clusters and groups are those of the previous merge."""

    def reports(self, day: dt.date) -> Sequence[Report]:
        """The day's reports, any order."""

    def clusters(self, day: dt.date) -> Sequence[StoredCluster]:
        """The day's clusters from the previous merge (none for a day new to the timeline)."""

    def group_days(self, group: int) -> Iterable[dt.date]:
        """The days a group of the previous merge has clusters on."""

    def distinctive(self, found: frozenset[str]) -> frozenset[str]:
        """Which of these names are distinctive in the storyline as it is now."""


@dataclass(frozen=True)
class NewGroup:
    """A merged timeline entry, the clusters it was made of, and the merge position of its
    first report (`order_of`), which orders entries of the same date and text."""

    clusters: tuple[tuple[ClusterKey, tuple[int, ...]], ...]
    event: TimelineEvent
    first: int


@dataclass(frozen=True)
class Outcome:
    """What to write back: the clusters of every day clustered again (empty: the day has no
    reports left) with the group each kept (-1: one of the added groups), the groups of the
    previous merge that are gone and the groups that replace them. Groups not named are
    unchanged."""

    days: Mapping[dt.date, tuple[tuple[tuple[int, ...], int], ...]]
    removed_groups: frozenset[int]
    added_groups: tuple[NewGroup, ...]


def order_of(report: Report) -> int:
    """The position a full merge gives a report: by date, then by id."""
    return report.event.date.toordinal() << 40 | report.id


def remerge(
    state: MergedState, changed: Iterable[dt.date], touched: Iterable[int] = (),
    flipped: Iterable[dt.date] = (),
) -> Outcome:
    """Cluster the `changed` days again and regroup every group they reach. A cluster that
    comes back with the same reports keeps its group, unless it holds a `touched` report
    (one whose source or story changed: its entry must be written again). A day that was
    only appended to resumes its stored clustering, unless it is among the days `flipped`
    (a name on it changed distinctiveness), which are clustered from scratch.

    A group of the previous merge is regrouped when it has a cluster on a changed day, and
    so is any group a regrouped cluster now agrees with, until no group outside the region
    is reached: groups left outside keep exactly the clusters and edges they had.
    """
    loader = _Loader(state, frozenset(changed), frozenset(touched), frozenset(flipped))
    # Groups that lost a cluster: a changed day's clusters that are not there again as they
    # were (a cluster clustered again into the same reports keeps its group and its edges).
    region_groups: set[int] = set()
    for day in loader.changed:
        region_groups.update(loader.lost(day))
    while True:
        days = set(loader.changed)
        for group in region_groups:
            days.update(state.group_days(group))
        near = {
            day + dt.timedelta(days=offset)
            for day in days
            for offset in range(-CONFLICT_WINDOW, CONFLICT_WINDOW + 1)
        }
        everything = [cluster for day in sorted(near) for cluster in loader.day(day)]
        inside = {
            id(cluster)
            for day in near
            for cluster, group in zip(loader.day(day), loader.groups(day), strict=True)
            if group == -1 or group in region_groups
        }
        reached: set[int] = set()
        components = [
            component
            for component in (
                join_conflicting(everything)  # a full merge: every pair is judged anyway
                if len(inside) == len(everything)
                else join_touching(everything, inside)
            )
            if any(id(cluster) in inside for cluster in component)
        ]
        for component in components:
            for cluster in component:
                if id(cluster) not in inside:
                    reached.add(loader.group_of(cluster))
        if not reached:
            break
        region_groups |= reached
    for component in components:
        loader.read_all(component)
    return Outcome(
        days={day: loader.stored_form(day) for day in loader.changed},
        removed_groups=frozenset(region_groups),
        added_groups=tuple(
            NewGroup(
                clusters=tuple(
                    ((cluster.date, cluster.members[0].order & _ID_MASK), _ids(cluster))
                    for cluster in component
                ),
                event=timeline_event(component),
                first=first_order(component),
            )
            for component in components
        ),
    )


_ID_MASK = (1 << 40) - 1
_UNREAD = Features(frozenset(), frozenset(), frozenset())  # features not needed (yet)


def _ids(cluster: Cluster) -> tuple[int, ...]:
    return tuple(member.order & _ID_MASK for member in cluster.members)


class _Loader:
    """Days of clusters built once per `remerge`: changed days clustered again, others
    rebuilt from their stored clusters."""

    def __init__(
        self, state: MergedState, changed: frozenset[dt.date], touched: frozenset[int],
        reclustered: frozenset[dt.date],
    ) -> None:
        self.state = state
        self.changed = changed
        self.touched = touched
        self.reclustered = reclustered
        self._days: dict[dt.date, list[Cluster]] = {}
        self._groups: dict[dt.date, list[int]] = {}
        self._group_of: dict[int, int] = {}  # id(cluster) -> stored group
        self._features: dict[str, Features] = {}

    def day(self, day: dt.date) -> list[Cluster]:
        if day not in self._days:
            self._load(day)
        return self._days[day]

    def groups(self, day: dt.date) -> list[int]:
        """Stored group per cluster of an unchanged day (-1 on a changed day)."""
        if day not in self._groups:
            self._load(day)
        return self._groups[day]

    def group_of(self, cluster: Cluster) -> int:
        return self._group_of[id(cluster)]

    def stored_form(self, day: dt.date) -> tuple[tuple[tuple[int, ...], int], ...]:
        """The day's clusters and the group each kept (-1: in a new group)."""
        return tuple(
            (_ids(cluster), group)
            for cluster, group in zip(self.day(day), self.groups(day), strict=True)
        )

    def lost(self, day: dt.date) -> set[int]:
        """Groups of the stored clusters of a changed day that did not come back as they were."""
        kept = {
            _ids(cluster)
            for cluster, group in zip(self.day(day), self.groups(day), strict=True)
            if group != -1
        }
        return {stored.group for stored in self.state.clusters(day) if stored.reports not in kept}

    def read_all(self, group: Sequence[Cluster]) -> None:
        """Give every member of a group its features (a description is chosen from all)."""
        for cluster in group:
            for member in cluster.members:
                if member.features is _UNREAD:
                    member.features = self._read(member.event.text)

    def _read(self, text: str) -> Features:
        found = self._features.get(text)
        if found is None:
            found = self._features[text] = features(text)
        return found

    def _known(
        self, day: dt.date, stored: Sequence[StoredCluster], ids: Sequence[int]
    ) -> list[int]:
        """The stored clustering of a day whose reports were only appended to (none gone
        or touched, every new one after them in merge order, no name flipped): the
        clustering of the old reports is then what it was."""
        if day in self.reclustered or not stored:
            return []
        position = {
            number: place for place, cluster in enumerate(stored) for number in cluster.reports
        }
        old = len(position)
        if old > len(ids) or any(number not in position for number in ids[:old]):
            return []
        if self.touched.intersection(ids[:old]):
            return []
        return [position[number] for number in ids[:old]]

    def _load(self, day: dt.date) -> None:
        reports = sorted(self.state.reports(day), key=lambda report: report.id)
        if day in self.changed:
            # names decide retellings, which only a day clustered again looks at
            members = [
                Member(report.event, report.source, self._read(report.event.text),
                       order_of(report), names(report.event.text))
                for report in reports
            ]
            every = frozenset(name for member in members for name in member.names)
            stored_clusters = self.state.clusters(day)
            known = self._known(day, stored_clusters, [report.id for report in reports])
            clusters = (
                cluster_day(members, self.state.distinctive(every), known) if members else []
            )
            before = {stored.reports: stored.group for stored in stored_clusters}
            self._days[day] = clusters
            self._groups[day] = [
                -1 if self.touched.intersection(_ids(cluster)) else before.get(_ids(cluster), -1)
                for cluster in clusters
            ]
            for cluster, group in zip(clusters, self._groups[day], strict=True):
                if group != -1:
                    self._group_of[id(cluster)] = group
            return
        # A cluster left as it was is compared through its first members only; the rest
        # are read if its group is merged again (`read_all`).
        by_id = {report.id: report for report in reports}
        clusters, groups = [], []
        for stored in self.state.clusters(day):
            cluster = Cluster(day, [
                Member(
                    by_id[number].event, by_id[number].source,
                    self._read(by_id[number].event.text) if rank < MEMBERS_COMPARED else _UNREAD,
                    order_of(by_id[number]),
                )
                for rank, number in enumerate(stored.reports)
            ])
            clusters.append(cluster)
            groups.append(stored.group)
            self._group_of[id(cluster)] = stored.group
        self._days[day] = clusters
        self._groups[day] = groups


def changed_days(
    before: Iterable[Report], after: Iterable[Report]
) -> set[dt.date]:
    """Days whose reports differ between two versions of the same items' reports."""
    old = {report.id: report for report in before}
    new = {report.id: report for report in after}
    days: set[dt.date] = set()
    for number in old.keys() | new.keys():
        first, second = old.get(number), new.get(number)
        if first != second:
            days.update(report.event.date for report in (first, second) if report is not None)
    return days


