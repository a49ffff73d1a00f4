"""End-to-end ingest against the parsing floor: `storyline ingest FEED` vs `feedparser.parse`.

Run with `.venv/bin/python benchmarks/end_to_end.py [ITEMS]` (default 2,000 items of 2–4 KB,
a fifth of them Japanese). Offline: the feed is generated into a temporary folder. Each run is
a fresh process (`python -m digests.cli.main ingest`, a new database, the repository's demo
configuration, one engine process), so start-up, parsing, storing, the engine and the timeline
refresh are all counted; `feedparser.parse` of the same bytes runs in a process of its own,
timed around the call only (the floor). Figures are CPU time (user + system), the median of
`--repeat` runs, because wall-clock time on a shared machine says more about the neighbours
than about the code.

`--code DIR` (repeatable) measures another checkout of the project beside this one in the same
run, alternating between them, so before/after figures share the machine's load:
    git archive BASE | tar -x -C /tmp/base
    .venv/bin/python benchmarks/end_to_end.py --code /tmp/base --code .
`--profile FILE` writes a cProfile of one ingest of the first code instead.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from engine import ON_TOPIC, SPEAKERS, machine, synthetic_entry

HERE = Path(__file__).resolve().parent.parent

# Our own Japanese sentences, on and off the demo storyline's topic, with the kinds of date
# the extractor reads (月日, weekdays, 昨日).
JA_ON_TOPIC = [
    "米商務省は6月{d}日、フェイブル5の輸出管理を一部緩和すると発表した。",
    "アンソロピックは{d}日、ミソス5の提供を欧州と日本で再開したと明らかにした。",
    "{speaker}氏は「新しい分類器の審査が終われば規制は解除できる」と述べた。",
    "関係者によると、米政府は昨日、輸出規制の見直しについて協議した。",
]
JA_OFF_TOPIC = [
    "市議会は{d}日、新しいバス路線の計画を承認した。",
    "地元の書店では週末に子ども向けの読み聞かせ会が開かれた。",
    "気象庁によると、来週は各地で気温が平年より高くなる見込みだ。",
    "同社は水曜日、新しい店舗を駅前に開くと発表した。",
]
JA_SYLLABLES = list("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも"
                    "やゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテト"
                    "政府会社市場経済技術研究開発国際関係地域社会文化教育医療")
JA_ENDINGS = ["した。", "している。", "だという。", "とみられる。", "が続いている。"]


def japanese_text(rng: random.Random, size: int) -> str:
    sentences: list[str] = []
    templates = JA_ON_TOPIC if rng.random() < 0.4 else JA_OFF_TOPIC
    while sum(len(s.encode()) for s in sentences) < size:
        if rng.random() < 0.3:
            sentences.append(rng.choice(templates).format(
                d=rng.randint(1, 28), speaker=rng.choice(SPEAKERS)))
            continue
        words = ["".join(rng.choices(JA_SYLLABLES, k=rng.randint(2, 4)))
                 for _ in range(rng.randint(5, 9))]
        ending = rng.choice(JA_ENDINGS)
        sentences.append("の".join(words[:2]) + "は" + "を".join(words[2:]) + ending)
    return "\n".join("".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def english_text(n: int, rng: random.Random, start: dt.datetime, size: int) -> tuple[str, str]:
    entry = synthetic_entry(n, rng, start)
    sentences = entry.text.split(". ")
    while sum(len(s) + 2 for s in sentences) < size:
        extra = synthetic_entry(n, rng, start)
        sentences.extend(extra.text.split(". ")[:4])
        if rng.random() < 0.3:
            sentences.append(rng.choice(ON_TOPIC).format(
                speaker=rng.choice(SPEAKERS), day="Monday", d=rng.randint(1, 28)))
    paragraphs = [". ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return entry.title, "\n".join(paragraphs)


def make_feed(items: int, seed: int = 11) -> bytes:
    rng = random.Random(seed)
    start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Bench</title><link>https://bench.example/</link><description>b</description>"
    ]
    for n in range(items):
        size = rng.randint(2000, 4000)
        published = start + dt.timedelta(minutes=11 * n)
        if n % 5 == 4:
            text = japanese_text(rng, size)
            title = text.split("。")[0][:40]
        else:
            title, text = english_text(n, rng, start, size)
        body = escape("".join(f"<p>{line}</p>" for line in text.splitlines()))
        parts.append(
            f"<item><title>{escape(title)}</title><link>https://bench.example/a/{n}</link>"
            f"<guid>https://bench.example/a/{n}</guid>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{body}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


# The floor: parsing alone, its CPU time measured inside the process (without start-up).
PARSE_ONLY = """
import sys, time, feedparser
body = open(sys.argv[1], "rb").read()
started = time.process_time()
feedparser.parse(body)
print(time.process_time() - started)
"""


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system) of one child process, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, completed.stdout


def ingest_command(db: Path, feed: Path, profile: Path | None = None) -> list[str]:
    runner = ["-m", "cProfile", "-o", str(profile)] if profile else []
    return [sys.executable, *runner, "-m", "digests.cli.main", "--config", str(HERE / "config"),
            "--db", str(db), "ingest", str(feed)]


def environment(code: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code)
    env["STORYLINE_ENGINE_WORKERS"] = "1"
    return env


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("items", nargs="?", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median shown)")
    parser.add_argument("--code", type=Path, action="append",
                        help="a checkout of the project to measure (default: this one)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one ingest here")
    return parser.parse_args()


def main() -> None:
    options = arguments()
    codes = [path.resolve() for path in (options.code or [HERE])]
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        feed = work / "feed.xml"
        feed.write_bytes(make_feed(options.items))
        print(f"feed: {options.items:,} items, {feed.stat().st_size / 1e6:.1f} MB", flush=True)
        if options.profile:
            command = ingest_command(work / "profile.db", feed, options.profile.resolve())
            wall, cpu, _ = timed(command, environment(codes[0]), work)
            print(f"profiled ingest: {wall:.1f} s wall, {cpu:.1f} s CPU -> {options.profile}")
            return
        parse_cpu: list[float] = []
        ingest_cpu: dict[Path, list[float]] = {code: [] for code in codes}
        ingest_wall: dict[Path, list[float]] = {code: [] for code in codes}
        outputs: dict[Path, int] = {}
        for run in range(options.repeat):
            _, _, printed = timed([sys.executable, "-c", PARSE_ONLY, str(feed)],
                                  dict(os.environ), work)
            parse_cpu.append(float(printed))
            for index, code in enumerate(codes):
                db = work / f"run{run}-{index}.db"
                wall, cpu, _ = timed(ingest_command(db, feed), environment(code), work)
                ingest_cpu[code].append(cpu)
                ingest_wall[code].append(wall)
                with sqlite3.connect(db) as connection:
                    outputs[code] = connection.execute("SELECT count(*) FROM events").fetchone()[0]
        parse = statistics.median(parse_cpu)
        print(f"feedparser.parse: {parse:.2f} s CPU = "
              f"{options.items / parse:,.0f} items/s  (runs: "
              + ", ".join(f"{c:.2f}" for c in parse_cpu) + ")")
        for code in codes:
            cpu = statistics.median(ingest_cpu[code])
            wall = statistics.median(ingest_wall[code])
            print(f"storyline ingest [{code}]: {cpu:.2f} s CPU = {options.items / cpu:,.0f} "
                  f"items/s ({wall:.1f} s wall); {cpu / parse:.1f}x the parsing floor; "
                  f"{outputs[code]:,} events stored  (runs: "
                  + ", ".join(f"{c:.2f}" for c in ingest_cpu[code]) + ")", flush=True)


if __name__ == "__main__":
    main()
