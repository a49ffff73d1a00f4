"""One timeline from many items: the same event reported twice becomes one event (pure).

Events are bucketed by date and compared only with events of the same day, then clusters
a few days apart are compared once more with a stricter bar and within one language only (a
Japanese and an English line sharing a name are the same event on the same day, but not
evidence of a date conflict): when different sources date the same description differently,
the event is kept once, under the date most sources give (earliest on a tie), with the other
dates in `other_dates` so the disagreement is shown, never dropped. No all-pairs pass anywhere: a
prefix-filtered index (`candidates`) offers only the pairs that can reach each bar, which
keeps a storyline's shared names from making every pair a candidate, and only among the days
a pair can join on (`nearby`), so a storyline's length does not either.

A same-day report whose wording is too different still joins the development it retells
(`retelling`: shared names the storyline rarely mentions, or a bilingual page's other
language). A publication day standing in for a date (`inferred`) is weaker evidence than a
stated date: such a report joins a stated event up to a few days away at the same-day bar,
even from its own item; the stated date then wins and is not a conflict, and reports dated
only by publication keep the first report's day.

Description choice: among the members carrying the chosen date, the language most of the
event's sources used (English on a tie, as our digests are written in English), then the
description that agrees most with the others (highest total similarity), then the shorter.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.text import is_japanese
from digests.timeline.candidates import ContainmentIndex, rarity
from digests.timeline.nearby import NearbyIndex, around
from digests.timeline.retelling import DayRetellings, distinctive, names
from digests.timeline.similarity import Features, features, similarity

SAME_DAY = 0.5  # similarity at which two same-day descriptions are one event
CONFLICT = 0.7  # stricter: same description, different dates from different sources
CONFLICT_WINDOW = 5  # days: "a few days apart"; further apart they are separate events
MEMBERS_COMPARED = 8  # a cluster is compared through its first few members only


@dataclass
class Member:
    event: ExtractedEvent
    source: SourceRef
    features: Features
    order: int
    names: frozenset[str] = frozenset()


@dataclass
class Cluster:
    date: dt.date
    members: list[Member] = field(default_factory=list)

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
    by_date: dict[dt.date, list[Member]] = defaultdict(list)
    for order, (event, source) in enumerate(events):
        by_date[event.date].append(
            Member(event, source, features(event.text), order, names(event.text))
        )
    rare = distinctive(member.names for day in by_date.values() for member in day)
    clusters = [
        cluster for _, members in sorted(by_date.items()) for cluster in cluster_day(members, rare)
    ]
    merged = [(timeline_event(group), first_order(group)) for group in join_conflicting(clusters)]
    merged.sort(key=lambda pair: (pair[0].date, pair[0].text, pair[1]))
    return [event for event, _ in merged]


def first_order(group: Sequence[Cluster]) -> int:
    """The input position of a group's first report: orders events of one date and text."""
    return min(member.order for cluster in group for member in cluster.members)


def cluster_day(
    members: list[Member], rare: frozenset[str], known: Sequence[int] = ()
) -> list[Cluster]:
    """Greedy clustering in input order: each member joins the most similar cluster, else
    the one it retells in other words or another language (`retelling`).

    Only clusters the candidate index offers are scored; a tie goes to the cluster that
    first shared a word with the member last, so the choice does not depend on the index.
    `known` gives the cluster positions this clustering chose for the first members before
    (same members, same `rare`): they are taken as they were instead of being scored again,
    so reports appended to a day cost what they cost alone (`incremental`).
    """
    clusters: list[Cluster] = []
    spaces = _DaySpaces(members)
    retellings = DayRetellings(rare)
    # key -> cluster -> rank among the clusters that key was seen in (first seen first)
    seen: dict[str, dict[int, int]] = defaultdict(dict)
    for number, member in enumerate(members):
        keys = member.features.keys
        best: int | None = known[number] if number < len(known) else None
        scores = spaces.scores(member, clusters) if best is None else {}
        if scores:
            top = max(scores.values())
            tied = [position for position, score in scores.items() if score == top]
            best = max(tied, key=lambda position: _first_seen(position, keys, seen))
        if best is None and number >= len(known):
            best = retellings.retold(
                member.source.item_id, member.features.japanese, member.names,
                functools.partial(_similarity_to, clusters, member.features),
            )
        if best is None or best == len(clusters):
            best = len(clusters)
            clusters.append(Cluster(member.event.date))
        clusters[best].members.append(member)
        retellings.add(best, member.source.item_id, member.features.japanese, member.names)
        if len(clusters[best].members) <= MEMBERS_COMPARED:
            spaces.add(member, best)
        for key in keys:
            ranks = seen[key]
            if best not in ranks:
                ranks[best] = len(ranks)
    return clusters


def _similarity_to(clusters: list[Cluster], other: Features, position: int) -> float:
    return clusters[position].similarity(other)


def _first_seen(
    position: int, keys: frozenset[str], seen: dict[str, dict[int, int]]
) -> tuple[int, int]:
    return min(
        (number, seen[key][position]) for number, key in enumerate(keys) if position in seen[key]
    )


class _DaySpaces:
    """Candidate indexes over the compared members of one day's clusters.

    English against English is judged by words, Japanese against Japanese by bigrams, and
    one of each by Latin words and name pairs; each judgement gets its own index.
    """

    def __init__(self, members: list[Member]) -> None:
        def index(tokens: list[frozenset[str]], minimum: int) -> ContainmentIndex:
            return ContainmentIndex(rarity(tokens), SAME_DAY, minimum)

        self.english = index([member.features.latin for member in members], 2)
        self.japanese = index([member.features.cjk for member in members], 3)
        mixed = [member.features.mixed for member in members]
        self.mixed = {True: index(mixed, 3), False: index(mixed, 3)}  # by the indexed side
        self.compared: list[tuple[Member, int]] = []  # label -> (member, cluster position)

    def add(self, member: Member, position: int) -> None:
        label = len(self.compared)
        self.compared.append((member, position))
        japanese = member.features.japanese
        same = self.japanese if japanese else self.english
        same.add(member.features.cjk if japanese else member.features.latin, label)
        self.mixed[japanese].add(member.features.mixed, label)

    def scores(self, member: Member, clusters: list[Cluster]) -> dict[int, float]:
        """Cluster position -> similarity, for clusters at or above the same-day bar."""
        japanese = member.features.japanese
        labels = (
            self.japanese.candidates(member.features.cjk)
            if japanese
            else self.english.candidates(member.features.latin)
        )
        labels |= self.mixed[not japanese].candidates(member.features.mixed)
        scores: dict[int, float] = {}
        for label in labels:
            other, position = self.compared[label]
            score = similarity(other.features, member.features)
            if score >= SAME_DAY and score > scores.get(position, -1.0):
                scores[position] = score
        return scores


def join_conflicting(everything: Sequence[Cluster]) -> list[list[Cluster]]:
    """Union clusters a few days apart whose descriptions agree and whose sources differ.

    The outcome is the connected parts of the "agrees" graph, so the order in which the
    candidate index offers pairs does not matter, and each edge depends on its two clusters
    only: run on part of a timeline's clusters it finds the same edges among them
    (`incremental` relies on that). An edge joins clusters one to `CONFLICT_WINDOW` days
    apart, so each cluster looks for partners only among the clusters of those days
    (`nearby`): a merge costs what its days hold, not the square of the storyline. Groups
    come in the order of their first cluster.
    """
    joins = Joins(len(everything))
    compared = compared_members(everything)
    orders = token_orders(compared)
    # Reports of one kind (stated, or dated by publication) meet at the stricter bar…
    strict = {
        (inferred, japanese): NearbyIndex(orders[japanese], CONFLICT, least_shared(japanese))
        for inferred in (True, False) for japanese in (True, False)
    }
    # …and a publication day only bounds when a stated event happened, so a report dated by
    # it joins a stated event at the same-day bar: stated members look for such reports here.
    loose = {japanese: NearbyIndex(orders[japanese], SAME_DAY, least_shared(japanese))
             for japanese in (True, False)}
    for label, (number, member) in enumerate(compared):
        japanese, day = member.features.japanese, everything[number].date
        strict[(member.event.inferred, japanese)].add(day, own_tokens(member), label)
        if member.event.inferred:
            loose[japanese].add(day, own_tokens(member), label)
    items = [cluster.items() for cluster in everything]
    for number, member in compared:
        day = everything[number].date
        japanese, tokens = member.features.japanese, own_tokens(member)
        # each pair once, from its later cluster
        earlier_days = around(day, CONFLICT_WINDOW, later=False)
        for label in strict[(member.event.inferred, japanese)].candidates(tokens, earlier_days):
            other, earlier = compared[label]
            if items[other] & items[number]:
                continue  # one item stating two dates tells two events
            if not joins.joined(other, number) and (
                similarity(earlier.features, member.features) >= CONFLICT
            ):
                joins.join(other, number)
        if member.event.inferred:
            continue
        for label in loose[japanese].candidates(tokens, around(day, CONFLICT_WINDOW)):
            other, earlier = compared[label]
            if not joins.joined(other, number) and (
                similarity(earlier.features, member.features) >= SAME_DAY
            ):
                joins.join(other, number)
    return joins.groups(everything)


class Joins:
    """Union-find over clusters by position: which clusters the "agrees" edges have joined.
    `join_conflicting` and `touching.join_touching` differ only in which edges they judge."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def root(self, number: int) -> int:
        parent = self._parent
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    def joined(self, first: int, second: int) -> bool:
        return self.root(first) == self.root(second)

    def join(self, first: int, second: int) -> None:
        """`second`'s group into `first`'s."""
        self._parent[self.root(second)] = self.root(first)

    def groups(self, everything: Sequence[Cluster]) -> list[list[Cluster]]:
        """The joined clusters, groups in the order of their first cluster."""
        groups: dict[int, list[Cluster]] = defaultdict(list)
        for number, cluster in enumerate(everything):
            groups[self.root(number)].append(cluster)
        return list(groups.values())


def compared_members(everything: Sequence[Cluster]) -> list[tuple[int, Member]]:
    """Each cluster's first few members, with the cluster's position: what joins compare."""
    return [
        (number, member)
        for number, cluster in enumerate(everything)
        for member in cluster.members[:MEMBERS_COMPARED]
    ]


def own_tokens(member: Member) -> frozenset[str]:
    """The tokens a same-language comparison judges by."""
    return member.features.cjk if member.features.japanese else member.features.latin


def least_shared(japanese: bool) -> int:
    """The tokens two descriptions of one language must share to be similar at all."""
    return 3 if japanese else 2


def token_orders(compared: Sequence[tuple[int, Member]]) -> dict[bool, dict[str, int]]:
    """One token order per language for every index of a join (it decides which pairs are
    offered, never which pass)."""
    return {
        japanese: rarity(own_tokens(m) for _, m in compared if m.features.japanese == japanese)
        for japanese in (True, False)
    }


def timeline_event(group: list[Cluster]) -> TimelineEvent:
    members = sorted(
        (member for cluster in group for member in cluster.members), key=lambda member: member.order
    )
    # A date the text states outranks a publication day standing in for one; among stated
    # dates the most sources win (earliest on a tie), among publication days the first
    # report's (a later one is a late report, not a disagreement).
    stated = [member for member in members if not member.event.inferred]
    votes: dict[dt.date, set[str]] = defaultdict(set)
    for member in stated:
        votes[member.event.date].add(member.source.item_id)
    if votes:
        date = min(votes, key=lambda day: (-len(votes[day]), day))
        dated = [member for member in stated if member.event.date == date]
    else:
        date = min(member.event.date for member in members)
        dated = [member for member in members if member.event.date == date]
    sources: dict[str, SourceRef] = {}
    for member in members:
        sources.setdefault(member.source.item_id, member.source)
    return TimelineEvent(
        date=date,
        text=_description(dated),
        sources=tuple(sources.values()),
        other_dates=tuple(sorted(day for day in votes if day != date)),
        inferred=not votes,
    )


def _description(members: list[Member]) -> str:
    """Scored per distinct wording: a development retold word for word by thousands of
    copies has a few hundred wordings, and comparing every pair of members made millions of
    comparisons where a few thousand give the same sums (a member's agreement is the
    similarity to each other wording times its copies, less its own). Sums are exact, so
    wordings that agree equally tie and the shorter wins, whatever order the reports came in."""
    languages = Counter("ja" if is_japanese(member.event.text) else "en" for member in members)
    language = "en" if languages["en"] >= languages["ja"] else "ja"
    copies = Counter(member.event.text for member in members)
    wordings = {member.event.text: member.features for member in members}

    def rank(text: str) -> tuple[bool, float, int, str]:
        own = wordings[text]
        # fsum: wordings that agree equally tie exactly, whatever order they came in
        agreement = math.fsum(
            [count * similarity(own, wordings[other]) for other, count in copies.items()]
            + [-similarity(own, own)]
        )
        in_language = ("ja" if is_japanese(text) else "en") == language
        return (not in_language, -agreement, len(text), text)

    return min(copies, key=rank)
