"""Merging only what changed gives the timeline a full merge gives (`timeline.incremental`)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import pytest

from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.timeline import merge_events
from digests.timeline.distinctive_changes import (
    ceiling,
    count_changes,
    flip_band,
    flipped,
    is_distinctive,
)
from digests.timeline.incremental import Report, StoredCluster, changed_days, remerge
from digests.timeline.retelling import names

START = dt.date(2025, 3, 3)


class MemoryState:
    """A merged timeline held in dictionaries: the fake of the store's tables."""

    def __init__(self) -> None:
        self.by_day: dict[dt.date, dict[int, Report]] = defaultdict(dict)
        self.by_item: dict[str, dict[int, Report]] = defaultdict(dict)
        self.stored: dict[dt.date, list[StoredCluster]] = {}
        self.group_days_of: dict[int, set[dt.date]] = {}
        self.entries: dict[int, TimelineEvent] = {}
        self.counts: Counter[str] = Counter()
        self.total = 0
        self.next_group = 0
        self.remerged_days = 0

    # MergedState
    def reports(self, day: dt.date) -> Sequence[Report]:
        return list(self.by_day.get(day, {}).values())

    def clusters(self, day: dt.date) -> Sequence[StoredCluster]:
        return self.stored.get(day, [])

    def group_days(self, group: int) -> Iterable[dt.date]:
        return self.group_days_of[group]

    def distinctive(self, found: frozenset[str]) -> frozenset[str]:
        bound = ceiling(self.total)
        return frozenset(name for name in found if is_distinctive(self.counts[name], bound))

    # what the store does around `remerge`
    def replace_items(self, items: Iterable[str], reports: Sequence[Report]) -> None:
        """The items' reports are now `reports` (an item with none left is removed)."""
        items = set(items) | {report.source.item_id for report in reports}
        before = [report for item in items for report in self.by_item[item].values()]
        delta = count_changes(
            (names(report.event.text) for report in before),
            (names(report.event.text) for report in reports),
        )
        old_total = self.total
        days = changed_days(before, reports)
        for report in before:
            del self.by_day[report.event.date][report.id]
            del self.by_item[report.source.item_id][report.id]
        for report in reports:
            self.by_day[report.event.date][report.id] = report
            self.by_item[report.source.item_id][report.id] = report
        self.total += len(reports) - len(before)
        old_counts = dict(self.counts)
        self.counts.update(delta)
        flips = flipped(delta, old_counts, old_total, self.total)
        band = flip_band(old_total, self.total)
        if band is not None:
            low, high = band
            flips |= {name for name, count in self.counts.items() if low < count <= high}
        flipped_days = {
            day for day, reports_on in self.by_day.items()
            if any(names(report.event.text) & flips for report in reports_on.values())
        }
        days |= flipped_days
        self.remerged_days += len(days)
        outcome = remerge(self, days, {report.id for report in reports}, flipped_days)
        for group in outcome.removed_groups:
            del self.entries[group]
            del self.group_days_of[group]
        for day, clusters in outcome.days.items():
            self.stored[day] = [StoredCluster(ids, group) for ids, group in clusters]
        for new in outcome.added_groups:
            number = self.next_group
            self.next_group += 1
            self.entries[number] = new.event
            self.group_days_of[number] = {day for (day, _), _ in new.clusters}
            for (day, first), _ in new.clusters:
                self.stored[day] = [
                    StoredCluster(stored.reports, number) if stored.reports[0] == first else stored
                    for stored in self.stored[day]
                ]

    def timeline(self) -> list[TimelineEvent]:
        return sorted(self.entries.values(), key=lambda event: (event.date, event.text))


def _full(reports: Iterable[Report]) -> list[TimelineEvent]:
    ordered = sorted(reports, key=lambda report: (report.event.date, report.id))
    return merge_events([(report.event, report.source) for report in ordered])


ENGLISH = [
    "Council lifted the closure of the Harbour bridge",
    "Ferry operator restored night crossings to Kessa island",
    "Inspectors began repairs on the Harbour bridge deck",
    "Mayor Orlan called a vote on the ferry subsidy",
    "Storm closed the Kessa ferry terminal for the day",
    "Police arrested two men near the Harbour bridge",
]
JAPANESE = [
    "市議会がハーバー橋の通行止めを解除した。",
    "フェリー会社がケッサ島への夜間運航を再開した。",
    "オルラン市長がフェリー補助金の採決を求めた。",
]
FILLER = ["quickly", "again", "officially", "late", "publicly", "finally", "briefly"]


def _coverage(rng: random.Random, items: int) -> list[Report]:
    """Items retelling a handful of developments over two weeks, reworded, some a day off,
    some dated only by publication, a few Japanese."""
    reports: list[Report] = []
    number = 0
    for item in range(items):
        for _ in range(rng.randint(1, 3)):
            number += 1
            day = START + dt.timedelta(days=rng.randrange(14))
            if rng.random() < 0.25:
                text = rng.choice(JAPANESE)
            else:
                words = rng.choice(ENGLISH).split()
                words.insert(rng.randrange(1, len(words)), rng.choice(FILLER))
                text = " ".join(words) + "."
            reports.append(
                Report(
                    number,
                    ExtractedEvent(day, text, inferred=rng.random() < 0.3),
                    SourceRef(f"item{item}", f"Report {item}", f"https://news.test/{item}"),
                )
            )
    return reports


def _by_item(reports: Iterable[Report]) -> dict[str, list[Report]]:
    grouped: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        grouped[report.source.item_id].append(report)
    return grouped


@pytest.mark.parametrize("in_order", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_items_added_in_random_batches_give_the_full_merge(seed: int, in_order: bool) -> None:
    """Shuffled, new reports land among a day's old ones; in order (as polls bring them),
    they are appended and a day resumes its stored clustering."""
    rng = random.Random(seed)
    reports = _coverage(rng, 60)
    items = list(_by_item(reports).items())
    if not in_order:
        rng.shuffle(items)
    state = MemoryState()
    added: list[Report] = []
    while items:
        size = rng.randint(1, 9)
        batch, items = items[:size], items[size:]
        for _, own in batch:
            added.extend(own)
        state.replace_items([item for item, _ in batch], [r for _, own in batch for r in own])
        assert state.timeline() == _full(added)


@pytest.mark.parametrize("seed", range(6))
def test_items_removed_and_rewritten_give_the_full_merge(seed: int) -> None:
    """A poll may also drop an item from the storyline or extract it again (new ids)."""
    rng = random.Random(100 + seed)
    reports = _coverage(rng, 50)
    grouped = _by_item(reports)
    state = MemoryState()
    state.replace_items(grouped, reports)
    current = dict(grouped)
    next_id = max(report.id for report in reports)
    for _ in range(12):
        item = rng.choice(sorted(grouped))
        if item in current and rng.random() < 0.5:
            del current[item]
            state.replace_items([item], [])
        else:
            rewritten = []
            for report in grouped[item]:
                next_id += 1
                day = report.event.date + dt.timedelta(days=rng.choice((0, 0, 1)))
                event = ExtractedEvent(day, report.event.text)
                rewritten.append(Report(next_id, event, report.source))
            current[item] = rewritten
            state.replace_items([item], rewritten)
        assert state.timeline() == _full(r for own in current.values() for r in own)


def test_a_few_new_items_cluster_only_their_days_again() -> None:
    rng = random.Random(7)
    reports = _coverage(rng, 80)
    grouped = _by_item(reports)
    state = MemoryState()
    state.replace_items(grouped, reports)
    state.remerged_days = 0
    late = Report(
        10_000, ExtractedEvent(START + dt.timedelta(days=3), "Mayor Orlan resigned suddenly."),
        SourceRef("late", "Late", "https://news.test/late"),
    )
    state.replace_items(["late"], [late])
    assert state.remerged_days <= 2  # its own day, and any day a name flip reaches
    assert state.timeline() == _full([*reports, late])


def test_names_flip_with_the_storyline_size() -> None:
    """The distinctive bar grows with the storyline: a name at the bar flips without
    being added anywhere, and the days carrying it are clustered again."""
    assert flip_band(10, 12) is None  # too few reports to judge either way
    assert flip_band(19, 20) == (-1.0, 20.0)  # from nothing distinctive to judging: all
    assert flip_band(100, 101) is None  # ceiling 5.0 -> 5.05: no whole count in between
    assert flip_band(119, 121) == pytest.approx((5.95, 6.05))  # a name in six reports flips
    assert flipped({"kessa": 1}, {"kessa": 5}, 100, 101) == {"kessa"}
    assert flipped({"kessa": 1}, {"kessa": 2}, 100, 101) == set()
