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
    Cluster,
    Member,
    cluster_day,
    join_conflicting,
    timeline_event,
)
from digests.timeline.retelling import RARE_MINIMUM, RARE_SHARE, REPORTS_TO_JUDGE, names
from digests.timeline.similarity import Features, features

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
    """A merged timeline entry and the clusters it was made of."""

    clusters: tuple[tuple[ClusterKey, tuple[int, ...]], ...]
    event: TimelineEvent


@dataclass(frozen=True)
class Outcome:
    """What to write back: the clusters of every day clustered again (empty: the day has no
    reports left), the groups of the previous merge that are gone and the groups that
    replace them. Groups not named are unchanged."""

    days: Mapping[dt.date, tuple[tuple[int, ...], ...]]
    removed_groups: frozenset[int]
    added_groups: tuple[NewGroup, ...]


def ceiling(total: int) -> float | None:
    """The most reports a distinctive name may appear in, or None when there are too few
    reports to judge (`retelling.distinctive`)."""
    return None if total < REPORTS_TO_JUDGE else max(RARE_MINIMUM, RARE_SHARE * total)


def is_distinctive(count: int, bound: float | None) -> bool:
    return bound is not None and count <= bound


def flip_band(old_total: int, new_total: int) -> tuple[float, float] | None:
    """Counts (low, high] whose names change distinctiveness because the total changed,
    even when their own count did not; None when nothing flips that way."""
    old, new = ceiling(old_total), ceiling(new_total)
    if old is None or new is None:
        return None if old is None and new is None else (-1.0, float(max(old_total, new_total)))
    low, high = min(old, new), max(old, new)
    return (low, high) if int(low) != int(high) else None


def order_of(report: Report) -> int:
    """The position a full merge gives a report: by date, then by id."""
    return report.event.date.toordinal() << 40 | report.id


def remerge(state: MergedState, changed: Iterable[dt.date]) -> Outcome:
    """Cluster the `changed` days again and regroup every group they reach.

    A group of the previous merge is regrouped when it has a cluster on a changed day, and
    so is any group a regrouped cluster now agrees with, until no group outside the region
    is reached: groups left outside keep exactly the clusters and edges they had.
    """
    loader = _Loader(state, frozenset(changed))
    region_groups: set[int] = set()
    for day in loader.changed:
        region_groups.update(stored.group for stored in state.clusters(day))
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
            if day in loader.changed or group in region_groups
        }
        reached: set[int] = set()
        components = [
            component
            for component in join_conflicting(everything)
            if any(id(cluster) in inside for cluster in component)
        ]
        for component in components:
            for cluster in component:
                if id(cluster) not in inside:
                    reached.add(loader.group_of(cluster))
        if not reached:
            break
        region_groups |= reached
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
            )
            for component in components
        ),
    )


_ID_MASK = (1 << 40) - 1


def _ids(cluster: Cluster) -> tuple[int, ...]:
    return tuple(member.order & _ID_MASK for member in cluster.members)


class _Loader:
    """Days of clusters built once per `remerge`: changed days clustered again, others
    rebuilt from their stored clusters."""

    def __init__(self, state: MergedState, changed: frozenset[dt.date]) -> None:
        self.state = state
        self.changed = changed
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

    def stored_form(self, day: dt.date) -> tuple[tuple[int, ...], ...]:
        return tuple(_ids(cluster) for cluster in self.day(day))

    def _member(self, report: Report, changed: bool) -> Member:
        text = report.event.text
        found = self._features.get(text)
        if found is None:
            found = self._features[text] = features(text)
        # names decide retellings only, which only a day clustered again looks at
        known = names(text) if changed else frozenset()
        return Member(report.event, report.source, found, order_of(report), known)

    def _load(self, day: dt.date) -> None:
        reports = sorted(self.state.reports(day), key=lambda report: report.id)
        members = [self._member(report, day in self.changed) for report in reports]
        if day in self.changed:
            every = frozenset(name for member in members for name in member.names)
            clusters = cluster_day(members, self.state.distinctive(every)) if members else []
            self._days[day] = clusters
            self._groups[day] = [-1] * len(clusters)
            return
        by_id = {member.order & _ID_MASK: member for member in members}
        clusters, groups = [], []
        for stored in self.state.clusters(day):
            cluster = Cluster(day, [by_id[number] for number in stored.reports])
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


def count_changes(before: Iterable[Report], after: Iterable[Report]) -> dict[str, int]:
    """How many more (or fewer) reports carry each name, as `distinctive` counts them."""
    delta: dict[str, int] = {}
    for sign, reports in ((-1, before), (1, after)):
        for report in reports:
            for name in names(report.event.text):
                delta[name] = delta.get(name, 0) + sign
    return {name: change for name, change in delta.items() if change}


def flipped(
    delta: Mapping[str, int], old_counts: Mapping[str, int], old_total: int, new_total: int
) -> set[str]:
    """Names whose own count changed and whose distinctiveness changed with it."""
    old, new = ceiling(old_total), ceiling(new_total)
    return {
        name
        for name, change in delta.items()
        if is_distinctive(old_counts.get(name, 0), old)
        != is_distinctive(old_counts.get(name, 0) + change, new)
    }
