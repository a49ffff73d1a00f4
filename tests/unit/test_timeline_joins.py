"""Joining clusters a few days apart looks only at nearby days, and finds every edge that
judging all pairs finds (`merging.join_conflicting`, `touching.join_touching`, `nearby`)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest

from digests.models import ExtractedEvent, SourceRef
from digests.timeline.merging import (
    CONFLICT,
    CONFLICT_WINDOW,
    SAME_DAY,
    Cluster,
    Joins,
    Member,
    cluster_day,
    compared_members,
    join_conflicting,
)
from digests.timeline.nearby import NearbyIndex, around
from digests.timeline.retelling import distinctive, names
from digests.timeline.similarity import features, similarity
from digests.timeline.touching import join_touching

START = dt.date(2025, 9, 1)
DEVELOPMENTS = [
    "Dockworkers at Pell harbour blocked the grain terminal",
    "The port authority fined the Marrow shipping line",
    "Pell harbour reopened berth four after the blockade",
    "Union leader Ida Sorel met the port authority",
    "Marrow shipping line moved its ships to Tarn",
    "Grain prices in Tarn rose after the Pell blockade",
]
JAPANESE = [
    "ペル港の港湾労働者が穀物ターミナルを封鎖した。",
    "港湾当局がマロー海運に罰金を科した。",
    "組合指導者イダ・ソレルが港湾当局と会談した。",
]
FILLER = ["again", "overnight", "formally", "briefly", "quietly", "at last", "once more"]


def _clusters(rng: random.Random, items: int, days: int) -> list[Cluster]:
    """A storyline's clusters over `days` days, built as `merge_events` builds them: the same
    developments retold day after day, reworded, some dated only by publication, some in
    Japanese, an item often reporting two days."""
    reports = []
    for item in range(items):
        source = SourceRef(f"item{item}", f"Report {item}", f"https://port.test/{item}")
        for _ in range(rng.randint(1, 2)):
            day = START + dt.timedelta(days=rng.randrange(days))
            if rng.random() < 0.2:
                text = rng.choice(JAPANESE)
            else:
                words = rng.choice(DEVELOPMENTS).split()
                words.insert(rng.randrange(1, len(words)), rng.choice(FILLER))
                text = " ".join(words) + "."
            reports.append((ExtractedEvent(day, text, inferred=rng.random() < 0.3), source))
    by_date: dict[dt.date, list[Member]] = defaultdict(list)
    for order, (event, source) in enumerate(reports):
        by_date[event.date].append(
            Member(event, source, features(event.text), order, names(event.text))
        )
    rare = distinctive(member.names for day in by_date.values() for member in day)
    return [cluster for _, day in sorted(by_date.items()) for cluster in cluster_day(day, rare)]


def _all_pairs(
    everything: list[Cluster], inside: set[int] | None = None
) -> list[list[Cluster]]:
    """The reference: every pair of compared members judged, with no index and no window
    (only pairs with a cluster `inside`, by `id`, when given)."""
    joins = Joins(len(everything))
    compared = compared_members(everything)
    for place, (first, one) in enumerate(compared):
        for second, other in compared[place + 1 :]:
            if inside is not None and not inside & {id(everything[first]), id(everything[second])}:
                continue
            gap = abs((everything[first].date - everything[second].date).days)
            if not 1 <= gap <= CONFLICT_WINDOW or one.features.japanese != other.features.japanese:
                continue
            score = similarity(one.features, other.features)
            if one.event.inferred != other.event.inferred:
                if score >= SAME_DAY:
                    joins.join(first, second)
            elif score >= CONFLICT and not everything[first].items() & everything[second].items():
                joins.join(first, second)
    return joins.groups(everything)


def _ids(groups: list[list[Cluster]]) -> list[list[int]]:
    return [[id(cluster) for cluster in group] for group in groups]


@pytest.mark.parametrize("seed", range(6))
def test_joins_over_weeks_equal_judging_every_pair(seed: int) -> None:
    rng = random.Random(seed)
    everything = _clusters(rng, 160, 40)
    expected = _all_pairs(everything)
    assert _ids(join_conflicting(everything)) == _ids(expected)
    # chains of one development told day after day span more than the window
    assert max(len({cluster.date for cluster in group}) for group in expected) > CONFLICT_WINDOW


@pytest.mark.parametrize("seed", range(4))
def test_joins_around_some_clusters_equal_judging_every_pair(seed: int) -> None:
    rng = random.Random(50 + seed)
    everything = _clusters(rng, 120, 30)
    inside = {id(cluster) for cluster in rng.sample(everything, len(everything) // 5)}

    def reaching(groups: list[list[Cluster]]) -> list[list[int]]:
        return [ids for ids in _ids(groups) if inside.intersection(ids)]

    expected = reaching(_all_pairs(everything, inside))
    assert reaching(join_touching(everything, inside)) == expected
    assert any(len(ids) > 1 for ids in expected)


def test_a_retelling_beyond_the_window_is_another_event() -> None:
    text = "The port authority fined the Marrow shipping line again."
    everything = [
        Cluster(day, [Member(ExtractedEvent(day, text), SourceRef(f"i{n}", "", ""),
                             features(text), n)])
        for n, day in enumerate([START, START + dt.timedelta(days=CONFLICT_WINDOW + 1)])
    ]
    assert len(join_conflicting(everything)) == 2
    everything[1].date = START + dt.timedelta(days=CONFLICT_WINDOW)
    assert len(join_conflicting(everything)) == 1


def test_a_nearby_index_offers_only_the_days_asked_for() -> None:
    tokens = features("Dockworkers blocked the grain terminal at Pell").latin
    index = NearbyIndex({}, CONFLICT, 2)
    for offset in range(-8, 9):
        index.add(START + dt.timedelta(days=offset), tokens, offset)
    assert index.candidates(tokens, around(START, 3, later=False)) == {-3, -2, -1}
    assert index.candidates(tokens, around(START, 2)) == {-2, -1, 1, 2}
