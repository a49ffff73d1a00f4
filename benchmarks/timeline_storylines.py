"""Timeline quality on real storylines: does each day's development become one dated entry?

Run with `.venv/bin/python benchmarks/timeline_storylines.py [CORPUS_DIR]` (default
`../shared/corpora/storylines-dev` beside the repository). The corpus is read at run time and
never copied: each storyline is a file of daily updates written by news editors. Matching is
taken as given (every update of a storyline is one of its items, published on its `Date`), so
the figures measure extraction and merging alone: the real `extract_events` on each update,
then the real `merge_events` over the storyline.

Printed per storyline and micro-averaged over all of them: date precision, recall and F1 of the
timeline's dates against the update dates (exact, and within one day), and timeline entries per
update day. Targets (issue 8): date F1 within a day >= 0.75, at most 1.3 entries per update day.
`--title none` gives items no headline (the update's first sentence is the default headline);
`--show NAME` lists one storyline's timeline. Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.text import split_sentences
from digests.timeline import extract_events, merge_events

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "storylines-dev"
HEADLINE_MAX = 110  # a headline is about this long; the first sentence is cut to it
_DATE = re.compile(r"\[?(\d{4}-\d{2}-\d{2})\]?")


@dataclass(frozen=True)
class Update:
    """One editor's update: the day it reports and its text (paragraphs as lines)."""

    day: dt.date
    text: str


@dataclass(frozen=True)
class Scores:
    """Counts behind one storyline's (or all storylines') figures."""

    timeline_dates: int = 0
    update_days: int = 0
    dates_right: int = 0  # timeline dates that are update days
    days_found: int = 0  # update days the timeline has
    dates_near: int = 0  # timeline dates within a day of an update day
    days_near: int = 0  # update days with a timeline date within a day
    entries: int = 0
    inferred: int = 0  # entries dated by publication only

    def __add__(self, other: Scores) -> Scores:
        return Scores(*(a + b for a, b in zip(vars(self).values(), vars(other).values(),
                                              strict=True)))


def read_updates(path: Path) -> list[Update]:
    """A storyline's updates; a literal `\\n` in the file separates paragraphs."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    updates = []
    for row in rows:
        found = _DATE.search(row.get("Date") or "")
        if found is None:
            continue
        text = (row.get("Update") or "").replace("\\n", "\n").strip()
        if text:
            updates.append(Update(dt.date.fromisoformat(found.group(1)), text))
    return updates


def headline(text: str) -> str:
    first = next(iter(split_sentences(text.splitlines()[0])), "")
    if len(first) <= HEADLINE_MAX:
        return first
    return first[: HEADLINE_MAX].rsplit(" ", 1)[0] + "…"


def timeline(name: str, updates: list[Update], titles: bool) -> list[TimelineEvent]:
    reports: list[tuple[ExtractedEvent, SourceRef]] = []
    for number, update in enumerate(updates):
        published = dt.datetime.combine(update.day, dt.time(12), tzinfo=dt.UTC)
        title = headline(update.text) if titles else ""
        source = SourceRef(f"{name}-{number}", title or f"{name} {update.day}", None, name)
        reports.extend(
            (event, source) for event in extract_events(update.text, published, title=title)
        )
    return merge_events(reports)


def score(updates: list[Update], events: list[TimelineEvent]) -> Scores:
    days = {update.day for update in updates}
    dates = {event.date for event in events}

    def near(day: dt.date, pool: set[dt.date]) -> bool:
        return any(day + dt.timedelta(days=shift) in pool for shift in (-1, 0, 1))

    return Scores(
        timeline_dates=len(dates),
        update_days=len(days),
        dates_right=len(dates & days),
        days_found=len(days & dates),
        dates_near=sum(near(date, days) for date in dates),
        days_near=sum(near(day, dates) for day in days),
        entries=len(events),
        inferred=sum(event.inferred for event in events),
    )


def _f1(right: int, found: int, near: int, wanted: int) -> tuple[float, float, float]:
    precision = right / found if found else 0.0
    recall = near / wanted if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def row(label: str, scores: Scores) -> str:
    exact = _f1(scores.dates_right, scores.timeline_dates, scores.days_found, scores.update_days)
    near = _f1(scores.dates_near, scores.timeline_dates, scores.days_near, scores.update_days)
    per_day = scores.entries / scores.update_days if scores.update_days else 0.0
    return (
        f"{label:<20} {scores.update_days:>5} {scores.entries:>7} {scores.inferred:>8}"
        + "".join(f" {value:>6.3f}" for value in (*exact, *near))
        + f" {per_day:>8.2f}"
    )


def storylines(corpus: Path) -> Iterator[tuple[str, list[Update]]]:
    for path in sorted(corpus.glob("*.tsv")):
        yield path.stem, read_updates(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--title", choices=("first-sentence", "none"), default="first-sentence")
    parser.add_argument("--show", metavar="NAME", help="print this storyline's timeline")
    args = parser.parse_args(argv)
    readme = args.corpus / "README.md"
    if not readme.is_file():
        print(f"{args.corpus}: no corpus here (expected README.md and *.tsv)", file=sys.stderr)
        return 2
    print(f"cores: {os.cpu_count()}, Python {platform.python_version()}")
    print(f"corpus: {args.corpus} ({readme.read_text(encoding='utf-8').splitlines()[0]})")
    print(f"headlines: {args.title}")
    print()
    print(f"{'storyline':<20} {'days':>5} {'entries':>7} {'inferred':>8}"
          f" {'P':>6} {'R':>6} {'F1':>6} {'P±1':>6} {'R±1':>6} {'F1±1':>6} {'per day':>8}")
    total = Scores()
    started = time.perf_counter()
    for name, updates in storylines(args.corpus):
        events = timeline(name, updates, args.title != "none")
        scores = score(updates, events)
        total = total + scores
        print(row(name, scores))
        if args.show == name:
            for event in events:
                mark = " (publication date)" if event.inferred else ""
                print(f"    {event.date}{mark} [{len(event.sources)}] {event.text[:150]}")
    print(row("all (micro)", total))
    print()
    print(f"targets: F1±1 >= 0.75, per day <= 1.30; took {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
