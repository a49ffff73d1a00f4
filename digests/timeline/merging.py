"""One timeline from many items: the same event reported twice becomes one event (pure).

Events are bucketed by date and compared only with events of the same day (through an
inverted index of their words), then clusters a few days apart are compared once more with
a stricter bar and within one language only (a Japanese and an English line sharing a name
are the same event on the same day, but not evidence of a date conflict): when different
sources date the same description differently, the event is kept once, under the date most
sources give (earliest on a tie), with the other dates in
`other_dates` so the disagreement is shown, never dropped. No all-pairs pass anywhere.

Description choice: among the members carrying the chosen date, the language most of the
event's sources used (English on a tie, as our digests are written in English), then the
description that agrees most with the others (highest total similarity), then the shorter.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.text import is_japanese
from digests.timeline.similarity import Features, features, similarity

SAME_DAY = 0.5  # similarity at which two same-day descriptions are one event
CONFLICT = 0.7  # stricter: same description, different dates from different sources
CONFLICT_WINDOW = 5  # days: "a few days apart"; further apart they are separate events
MEMBERS_COMPARED = 8  # a cluster is compared through its first few members only


@dataclass
class _Member:
    event: ExtractedEvent
    source: SourceRef
    features: Features
    order: int


@dataclass
class _Cluster:
    date: dt.date
    members: list[_Member] = field(default_factory=list)

    def similarity(self, other: Features, *, same_language: bool = False) -> float:
        return max(
            (
                similarity(member.features, other)
                for member in self.members[:MEMBERS_COMPARED]
                if not same_language or member.features.japanese == other.japanese
            ),
            default=0.0,
        )

    def items(self) -> set[str]:
        return {member.source.item_id for member in self.members}


def merge_events(events: Sequence[tuple[ExtractedEvent, SourceRef]]) -> list[TimelineEvent]:
    """Fold the same event reported by several items into one, sorted by date then text."""
    by_date: dict[dt.date, list[_Member]] = defaultdict(list)
    for order, (event, source) in enumerate(events):
        by_date[event.date].append(_Member(event, source, features(event.text), order))
    clusters = {day: _cluster_day(members) for day, members in sorted(by_date.items())}
    groups = _join_conflicting(clusters)
    merged = [_timeline_event(group) for group in groups]
    return sorted(merged, key=lambda event: (event.date, event.text))


def _cluster_day(members: list[_Member]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    index: dict[str, list[int]] = defaultdict(list)
    for member in members:
        candidates = Counter(
            position for key in member.features.keys for position in index.get(key, ())
        )
        best, best_score = None, SAME_DAY
        for position, shared in candidates.items():
            if shared < 2:
                continue
            score = clusters[position].similarity(member.features)
            if score >= best_score:
                best, best_score = position, score
        if best is None:
            best = len(clusters)
            clusters.append(_Cluster(member.event.date))
        clusters[best].members.append(member)
        for key in member.features.keys:
            if best not in index[key]:
                index[key].append(best)
    return clusters


def _join_conflicting(clusters: dict[dt.date, list[_Cluster]]) -> list[list[_Cluster]]:
    """Union clusters a few days apart whose descriptions agree and whose sources differ."""
    everything = [cluster for day in clusters.values() for cluster in day]
    parent = list(range(len(everything)))
    position = {id(cluster): number for number, cluster in enumerate(everything)}

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    for day, todays in clusters.items():
        for offset in range(1, CONFLICT_WINDOW + 1):
            for earlier in clusters.get(day - dt.timedelta(days=offset), ()):
                for cluster in todays:
                    if earlier.items() & cluster.items():
                        continue  # one item giving two dates tells two events
                    first, second = root(position[id(earlier)]), root(position[id(cluster)])
                    if first == second:
                        continue
                    if (
                        max(
                            earlier.similarity(member.features, same_language=True)
                            for member in cluster.members[:MEMBERS_COMPARED]
                        )
                        >= CONFLICT
                    ):
                        parent[second] = first
    groups: dict[int, list[_Cluster]] = defaultdict(list)
    for number, cluster in enumerate(everything):
        groups[root(number)].append(cluster)
    return list(groups.values())


def _timeline_event(group: list[_Cluster]) -> TimelineEvent:
    members = sorted(
        (member for cluster in group for member in cluster.members), key=lambda member: member.order
    )
    votes: dict[dt.date, set[str]] = defaultdict(set)
    for member in members:
        votes[member.event.date].add(member.source.item_id)
    date = min(votes, key=lambda day: (-len(votes[day]), day))
    sources: dict[str, SourceRef] = {}
    for member in members:
        sources.setdefault(member.source.item_id, member.source)
    return TimelineEvent(
        date=date,
        text=_description([member for member in members if member.event.date == date]),
        sources=tuple(sources.values()),
        other_dates=tuple(sorted(day for day in votes if day != date)),
    )


def _description(members: list[_Member]) -> str:
    languages = Counter("ja" if is_japanese(member.event.text) else "en" for member in members)
    language = "en" if languages["en"] >= languages["ja"] else "ja"

    def rank(member: _Member) -> tuple[bool, float, int, str]:
        agreement = sum(
            similarity(member.features, other.features) for other in members if other is not member
        )
        text = member.event.text
        in_language = ("ja" if is_japanese(text) else "en") == language
        return (not in_language, -agreement, len(text), text)

    return min(members, key=rank).event.text
