"""Story clustering benchmark: fingerprints/s, candidate lookups/s, candidates per lookup.

Run with `.venv/bin/python benchmarks/stories.py [ITEMS] [LOOKUPS]` (default 100000 and 2000).
Synthetic items come in storylines of 50 that share their core names (the hard case for name
keys); a few planted copies (re-wrapped and spun) check that lookups still find them. Average
candidates per lookup staying flat while the index grows is what "sub-linear" means here.
Prints figures only; nothing is asserted. Offline: every item is generated in memory.
"""

from __future__ import annotations

import itertools
import os
import platform
import random
import sys
import time

from digests.stories import Fingerprint, StoryIndex, fingerprint, same_story

VOCABULARY = [
    "".join(random.Random(i).choices("abcdefghijklmnopqrstuvwxyz", k=3 + i % 7))
    for i in range(20_000)
]
# Zipf's law (word frequency ∝ 1/rank), roughly what English news looks like.
ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
STORYLINE_SIZE = 50
CHECKPOINTS = (10_000, 25_000, 50_000, 100_000)


def name(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY).capitalize() for _ in range(rng.choice((1, 2, 2, 3))))


def article(rng: random.Random, core: list[str]) -> str:
    """~250 words of Zipf-ish vocabulary with the storyline's core names and a few of its own."""
    own = [name(rng) for _ in range(6)] + [str(rng.randint(10, 99_999))]
    sentences = []
    for _ in range(rng.randint(10, 16)):
        words = rng.choices(VOCABULARY, cum_weights=ZIPF, k=16)
        words.insert(rng.randint(1, 15), rng.choice(core + own))
        sentences.append(" ".join(words) + ".")
    return " ".join(sentences)


def rewrap(text: str) -> str:
    return f"Daily Wire · 2h ago\n{text}\n🔥 Share this! 🚀\nComments (1)\nreader: agreed."


def spin(text: str, rng: random.Random) -> str:
    return " ".join(
        rng.choice(VOCABULARY) if word.islower() and rng.random() < 0.35 else word
        for word in text.split(" ")
    )


def machine() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (f"machine: {os.cpu_count()} cores ({usable} usable by this process), "
            f"Python {platform.python_version()}, {platform.system()} {platform.machine()}; "
            "one core used")


def main(items: int, lookups: int) -> None:
    print(machine(), flush=True)
    rng = random.Random(7)
    index = StoryIndex()
    planted: list[tuple[str, Fingerprint, str]] = []
    checkpoints = sorted({c for c in CHECKPOINTS if c < items} | {items})
    core: list[str] = []
    started = time.perf_counter()
    fingerprint_time = 0.0
    for number in range(items):
        if number % STORYLINE_SIZE == 0:
            core = [name(rng) for _ in range(5)]
        text = article(rng, core)
        tick = time.perf_counter()
        fp = fingerprint(f"Headline {number}", text)
        fingerprint_time += time.perf_counter() - tick
        index.add(f"item{number}", fp)
        if number % (items // 100 or 1) == 0:
            kind = "rewrap" if len(planted) % 2 == 0 else "spin"
            copy = rewrap(text) if kind == "rewrap" else spin(text, rng)
            planted.append((f"item{number}", fingerprint("", copy), kind))
        if number + 1 in checkpoints:
            report(index, rng, number + 1, lookups, planted, fingerprint_time)
    print(f"total build (generate + fingerprint + index + reports) "
          f"{time.perf_counter() - started:.1f} s")


def report(
    index: StoryIndex,
    rng: random.Random,
    size: int,
    lookups: int,
    planted: list[tuple[str, Fingerprint, str]],
    fingerprint_time: float,
) -> None:
    probes = [index.fingerprints[f"item{rng.randrange(size)}"] for _ in range(lookups)]
    tick = time.perf_counter()
    total = sum(len(index.candidates(fp)) for fp in probes)
    lookup_time = time.perf_counter() - tick
    tick = time.perf_counter()
    confirmed = sum(
        same_story(fp, index.fingerprints[other])[0]
        for fp in probes[:200]
        for other in index.candidates(fp)
    )
    confirm_time = time.perf_counter() - tick
    found = {kind: [0, 0] for kind in ("rewrap", "spin")}
    for original, copy, kind in planted:
        found[kind][1] += 1
        candidates = index.candidates(copy)
        found[kind][0] += original in candidates and same_story(
            copy, index.fingerprints[original]
        )[0]
    print(
        f"items {size:>7}: fingerprints/s {size / fingerprint_time:7.0f}"
        f" | lookups/s {lookups / lookup_time:8.0f}"
        f" | candidates/lookup {total / lookups - 1:6.2f} (besides itself)"
        f" | confirmed dups in 200 lookups {confirmed - 200}"
        f" ({confirm_time * 1000 / 200:.2f} ms/lookup incl. confirm)"
        f" | planted found: rewrap {found['rewrap'][0]}/{found['rewrap'][1]},"
        f" spin {found['spin'][0]}/{found['spin'][1]}",
        flush=True,
    )


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*(arguments + [100_000, 2_000][len(arguments) :]))
