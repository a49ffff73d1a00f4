"""Timeline merge benchmark: events/s for `merge_events` on a storyline-sized worst case.

Run with `.venv/bin/python benchmarks/timeline_merge.py [EVENTS]` (default 5000).
The synthetic coverage is the hard case for the merge: every description shares the
storyline's names and verbs ("Commerce", "export controls", "Fable 5"), events crowd a few
days, each event is retold by many items in English and Japanese with reworded filler, and
some items give a date a day or two off (conflicts to flag). Prints figures only; nothing is
asserted.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from digests.models import ExtractedEvent, SourceRef
from digests.timeline import merge_events

NAMES = ["Commerce", "Anthropic", "Fable 5", "Mythos 5", "the White House", "Sacks", "Lutnick"]
VERBS = ["lifted", "ordered", "disabled", "restored", "reviewed", "defended", "criticised"]
OBJECTS = ["the export controls", "access for customers", "the classifiers", "the directive"]
# Reworded filler: a few hundred plain words, as varied as a week of news prose.
FILLER = [
    "".join(random.Random(seed).choices("abcdefghijklmnopqrstuvwxyz", k=4 + seed % 5))
    for seed in range(300)
]
JA_NAMES = ["商務省", "アンソロピック", "Fable 5", "Mythos 5", "ホワイトハウス"]
JA_VERBS = ["輸出規制を解除した", "提供を停止した", "アクセスを再開した", "分類器を審査した"]
START = dt.date(2026, 6, 8)
DAYS = 6  # a crowded week: the worst case is many events per day


def storyline_events(count: int, seed: int = 11) -> list[tuple[ExtractedEvent, SourceRef]]:
    """`count` reports of about count/12 distinct events; deterministic for a seed."""
    rng = random.Random(seed)
    bases = []
    for number in range(max(1, count // 12)):
        english = " ".join(
            [
                rng.choice(NAMES),
                rng.choice(VERBS),
                rng.choice(OBJECTS),
                *rng.sample(FILLER, 5),
                f"case {number}",
            ]
        )
        japanese = f"{rng.choice(JA_NAMES)}は案件{number}で{rng.choice(JA_VERBS)}。"
        bases.append((START + dt.timedelta(days=rng.randrange(DAYS)), english, japanese))
    pairs = []
    for order in range(count):
        day, english, japanese = rng.choice(bases)
        if rng.random() < 0.25:
            text = japanese
        else:
            words = english.split()
            words[rng.randrange(3, len(words) - 2)] = rng.choice(FILLER)
            text = " ".join(words) + "."
        if rng.random() < 0.05:
            day += dt.timedelta(days=rng.choice((-2, -1, 1, 2)))
        item = f"item{order}"
        pairs.append(
            (
                ExtractedEvent(day, text),
                SourceRef(item, f"Report {order}", f"https://x.test/{item}"),
            )
        )
    return pairs


def main(count: int) -> None:
    pairs = storyline_events(count)
    for size in sorted({count // 4, count // 2, count}):
        started = time.perf_counter()
        merged = merge_events(pairs[:size])
        elapsed = time.perf_counter() - started
        flagged = sum(1 for event in merged if event.other_dates)
        print(
            f"{size:>6} events -> {len(merged):>5} merged ({flagged} with conflicting dates): "
            f"{elapsed:6.2f} s, {size / elapsed:8.0f} events/s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
