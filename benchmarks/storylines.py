"""Matching and timelines on real storylines, from the minimal definitions a new user writes.

Usage: .venv/bin/python benchmarks/storylines.py [CORPUS_DIR] [--definitions DIR]
           [--titles lead|none] [--errors N] [--workers N]

CORPUS_DIR defaults to ../shared/corpora/storylines-dev beside the repository (its README says
what it is). Nothing of the corpus is copied into the project: at run time every update of
every storyline becomes one item of a single RSS feed written to a temporary folder, dated by
its `Date`, and the real `storyline ingest` command stores and processes the whole feed in one
go, as a user would on their first poll of a busy feed. The storyline definitions are the
corpus's `definitions/` (the four required keys only) unless `--definitions` names another
folder of `<id>.toml` files whose ids are the corpus file names' first word ("libya" for
`libyan_war.tsv`, see `_STORYLINE_OF`).

Item titles: feeds carry a headline; the corpus has none, so by default the update's first
sentence (cut at 120 characters) stands in for it (`--titles lead`); `--titles none` gives
every item the same neutral title, to see how much the title carries.

Printed, per storyline and micro-averaged over all nine:
- matching: precision, recall, F1 of the items that ended up in each storyline against that
  storyline's own updates (the other storylines' updates are the negatives);
- timeline: the dates of the storyline's merged timeline against its update dates, precision,
  recall and F1, exact and within one day, and timeline entries per update day.
`--errors N` lists up to N false positives and misses per storyline with the engine's reasons.

`--distractors DIR` adds unrelated real news to the feed, as a general feed would carry: every
article of a PolNeAR-style folder (`text/<source>_<YYYY-MM-DD>_<slug>.txt`, headline on the first
line), dated by its file name moved back `--shift-years` years (default 5, so 2015–2016 US
election coverage lands among the 2010–2011 storylines). They belong to no storyline: every
one that matches counts as a false positive of that storyline.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import email.utils
import io
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import sqlite_utils

from digests.cli.main import main as storyline_main
from digests.config import StorylineDefinition, load_storylines
from digests.reading.lookups import Lookups
from digests.text import split_sentences

_DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "storylines-dev"
# Corpus file stem → the id its definition uses (the definitions' own naming).
_STORYLINE_OF = {
    "financial_crisis": "financial", "gaza_conflict": "gaza", "haitian_earthquake": "haiti",
    "iraq_war": "iraq", "libyan_war": "libya", "mj_death": "mj", "syrian_crisis": "syria",
    "ukraine_conflict": "ukraine", "yemen_crisis": "yemen",
}
csv.field_size_limit(10_000_000)


@dataclass(frozen=True)
class Update:
    storyline: str
    date: dt.date
    text: str

    @property
    def guid(self) -> str:
        return f"{self.storyline}-{self.date.isoformat()}"


def read_updates(corpus: Path) -> list[Update]:
    updates = []
    for path in sorted(corpus.glob("*.tsv")):
        storyline = _STORYLINE_OF.get(path.stem, path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                day = dt.date.fromisoformat(row["Date"].strip("[] "))
                text = row["Update"].replace("\\n", "\n").strip()
                if text:
                    updates.append(Update(storyline, day, text))
    updates.sort(key=lambda u: (u.date, u.storyline))
    return updates


def read_distractors(folder: Path, shift_years: int) -> list[Update]:
    """Unrelated articles as updates of no storyline ("-"), headline first."""
    found = []
    for path in sorted((folder / "text").glob("*.txt")):
        match = re.search(r"_(\d{4})-(\d{2})-(\d{2})_", path.name)
        if not match:
            continue
        year, month, day = (int(g) for g in match.groups())
        day = min(day, 28) if month == 2 else day
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        found.append(Update(f"-{path.stem}", dt.date(year - shift_years, month, day), text))
    return found


def _title(update: Update, mode: str) -> str:
    if mode == "none":
        return "Daily update"
    if update.storyline.startswith("-"):
        return update.text.split("\n", 1)[0][:200]
    sentences = split_sentences(update.text.split("\n", 1)[0])
    first = sentences[0] if sentences else update.text
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def write_feed(updates: list[Update], path: Path, titles: str) -> None:
    items = []
    for update in updates:
        stamp = dt.datetime.combine(update.date, dt.time(12, 0), tzinfo=dt.UTC)
        items.append(
            "<item>"
            f"<title>{escape(_title(update, titles))}</title>"
            f"<link>https://news.example.org/{update.storyline}/{update.date.isoformat()}</link>"
            f"<guid isPermaLink=\"false\">{update.guid}</guid>"
            f"<pubDate>{email.utils.format_datetime(stamp)}</pubDate>"
            f"<description>{escape(update.text)}</description>"
            "</item>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Storylines</title><link>https://news.example.org/</link>"
        "<description>Daily updates</description>" + "".join(items) + "</channel></rss>",
        encoding="utf-8",
    )


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _date_scores(got: set[dt.date], gold: set[dt.date], slack: int) -> tuple[int, int, int]:
    def near(day: dt.date, pool: set[dt.date]) -> bool:
        return any(day + dt.timedelta(days=d) in pool for d in range(-slack, slack + 1))

    tp_p = sum(1 for d in got if near(d, gold))
    tp_r = sum(1 for d in gold if near(d, got))
    return tp_p, len(got) - tp_p, len(gold) - tp_r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=_DEFAULT_CORPUS)
    parser.add_argument("--definitions", type=Path, default=None)
    parser.add_argument("--titles", choices=("lead", "none"), default="lead")
    parser.add_argument("--errors", type=int, default=0, metavar="N")
    parser.add_argument("--workers", type=int, default=0,
                        help="engine_workers for the run (0: one per core)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the store in this file")
    parser.add_argument("--distractors", type=Path, default=None, metavar="DIR",
                        help="a folder of unrelated articles (text/*.txt) to add to the feed")
    parser.add_argument("--shift-years", type=int, default=5)
    args = parser.parse_args()
    definitions = args.definitions or args.corpus / "definitions"
    if not args.corpus.is_dir() or not definitions.is_dir():
        print(f"corpus or definitions not found: {args.corpus}, {definitions}", file=sys.stderr)
        return 2
    updates = read_updates(args.corpus)
    extra = read_distractors(args.distractors, args.shift_years) if args.distractors else []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        feed = tmp / "storylines.xml"
        write_feed(sorted(updates + extra, key=lambda u: (u.date, u.storyline)), feed,
                   args.titles)
        db_path = args.keep or tmp / "bench.db"
        if db_path.exists():
            db_path.unlink()
        config = tmp / "config"
        config.mkdir()
        (config / "storyline.toml").write_text(
            f'database = "{db_path}"\nstorylines_dir = "{definitions.resolve()}"\n'
            f"engine_workers = {args.workers}\n",
            encoding="utf-8",
        )
        started = time.perf_counter()
        err = io.StringIO()
        status = storyline_main(["--config", str(config), "ingest", str(feed)],
                                out=io.StringIO(), err=err, env={})
        elapsed = time.perf_counter() - started
        if status != 0:
            print(err.getvalue(), file=sys.stderr)
            return status
        db = sqlite_utils.Database(sqlite3.connect(db_path))
        storylines = load_storylines(definitions)
        report(db, storylines, updates, args.errors, extra)
        if extra:
            print(f"\n{len(extra)} unrelated articles from {args.distractors} in the feed")
        print(f"\n{len(updates)} updates ingested and processed in {elapsed:.1f} s "
              f"(titles: {args.titles}, definitions: {definitions})")
    return 0


def report(db: sqlite_utils.Database, storylines: list[StorylineDefinition],
           updates: list[Update], errors: int, extra: list[Update] | None = None) -> None:
    guid_of = {row["id"]: row["guid"] for row in db.query("SELECT id, guid FROM items")}
    truth = {u.guid: u for u in [*updates, *(extra or [])]}
    matched: dict[str, set[str]] = defaultdict(set)
    reasons: dict[tuple[str, str], str] = {}
    for row in db.query("SELECT item_id, storyline_id, match, score, reasons FROM matches"):
        guid = guid_of.get(row["item_id"], "")
        reasons[(guid, row["storyline_id"])] = f"{row['score']:.2f} {row['reasons']}"
        if row["match"]:
            matched[row["storyline_id"]].add(guid)
    lookups = Lookups(db, storylines)
    totals = [0, 0, 0]
    date_totals = {0: [0, 0, 0], 1: [0, 0, 0]}
    entries_total = days_total = 0
    print(f"{'storyline':<11} {'P':>5} {'R':>5} {'F1':>5} | {'dP':>5} {'dR':>5} {'dF1':>5} "
          f"{'dF1±1':>6} {'per day':>7}")
    for definition in storylines:
        sid = definition.id
        gold = {u.guid for u in updates if u.storyline == sid}
        got = matched.get(sid, set())
        tp, fp, fn = len(got & gold), len(got - gold), len(gold - got)
        for i, v in enumerate((tp, fp, fn)):
            totals[i] += v
        p, r, f = _prf(tp, fp, fn)
        gold_days = {u.date for u in updates if u.storyline == sid}
        events = lookups.timeline(sid)
        event_days = {e.date for e in events}
        exact = _date_scores(event_days, gold_days, 0)
        near = _date_scores(event_days, gold_days, 1)
        for slack, scores in ((0, exact), (1, near)):
            for i, v in enumerate(scores):
                date_totals[slack][i] += v
        entries_total += len(events)
        days_total += len(gold_days)
        dp, dr, df = _prf(*exact)
        print(f"{sid:<11} {p:5.2f} {r:5.2f} {f:5.2f} | {dp:5.2f} {dr:5.2f} {df:5.2f} "
              f"{_prf(*near)[2]:6.2f} {len(events) / max(1, len(gold_days)):7.2f}")
        if errors:
            for guid in sorted(got - gold)[:errors]:
                print(f"    FP {guid}: {reasons.get((guid, sid), '')[:400]}")
                print(f"       {truth[guid].text[:160]!r}")
            for guid in sorted(gold - got)[:errors]:
                print(f"    FN {guid}: {reasons.get((guid, sid), '')[:400]}")
                print(f"       {truth[guid].text[:160]!r}")
    p, r, f = _prf(*totals)
    dp, dr, df = _prf(*date_totals[0])
    np_, nr, nf = _prf(*date_totals[1])
    print(f"{'micro':<11} {p:5.2f} {r:5.2f} {f:5.2f} | {dp:5.2f} {dr:5.2f} {df:5.2f} "
          f"{nf:6.2f} {entries_total / max(1, days_total):7.2f}")
    print(f"\nmatching: precision {p:.3f} recall {r:.3f} F1 {f:.3f} "
          f"(targets: F1 >= 0.90 with precision >= 0.90)")
    print(f"timeline dates: exact P {dp:.3f} R {dr:.3f} F1 {df:.3f}; within a day "
          f"P {np_:.3f} R {nr:.3f} F1 {nf:.3f} (target F1 >= 0.75); "
          f"{entries_total / max(1, days_total):.2f} entries per update day (target <= 1.3)")


if __name__ == "__main__":
    sys.exit(main())
