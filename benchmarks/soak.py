"""Soak: `storyline run` against flaky feeds and the fake Discord, killed and restarted.

For `--minutes` minutes the real `storyline run` (bot mode, talking to the fake Discord from
`tests/bot`) polls a local server whose feeds grow, fail (500), stall, and answer garbage; every
`--kill-after` seconds (a random span) it is killed with SIGKILL and started again. Follows in
several channels are due a minute apart, so digests are posted (and sometimes cut) while the
service is being killed. At the end one clean `storyline poll --all` catches up, then it prints:

- items lost: entries a feed served that are not stored (0 expected: every one stays in its
  feed's window long enough to be fetched again after a kill), and items stored but never
  processed by the engine (0 expected);
- digests doubled: digest parts (by their marker) that reached a channel more than once;
- orphans: processes of a killed service still alive ten seconds later;
- memory: the service's resident memory (with its worker processes) in its first and last run.

Not part of `make test` (it runs for minutes). Run it from the repository root:

    .venv/bin/python benchmarks/soak.py --minutes 5
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bot.fake_discord import FakeDiscord  # noqa: E402
from tests.support.crowd_feed import crowd_entries, rss  # noqa: E402
from tests.support.feed_server import RecordedRequest, Route, serve  # noqa: E402

FEEDS = 4
# A worker killed while it is still importing the engine notices its parent is gone once
# its start-up code runs; on a loaded machine that can take a few seconds.
ORPHAN_GRACE = 10.0
WINDOW = 40  # entries a feed shows at once
FIRST_WINDOW = 260  # the first answer is a backlog, big enough for engine worker processes
MARKER = re.compile(r"digest \d+\.[0-9a-f]{4} · part \d+/\d+")


class FlakyFeeds:
    """Feeds that grow by a few entries per request and often misbehave; remembers what it
    served in every complete 200 answer."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lock = threading.Lock()
        self.counts = dict.fromkeys(range(FEEDS), 0)
        self.served: set[str] = set()  # entry links
        self.window_now: dict[int, set[str]] = {}

    def responder(self, feed: int) -> Callable[[RecordedRequest], Route]:
        def respond(_request: RecordedRequest) -> Route:
            with self.lock:
                roll = self.rng.random()
                if roll < 0.15:
                    return Route(status=500, body=b"upstream trouble")
                if roll < 0.22:
                    return Route(body=b"<html><body>maintenance</body></html>",
                                 headers={"Content-Type": "text/html"})
                grown = self.counts[feed] + (FIRST_WINDOW if self.counts[feed] == 0
                                             else self.rng.randint(1, 6))
                self.counts[feed] = grown
                every = crowd_entries(grown, prefix=f"soak{feed}", seed=feed)
                shown = every[-(FIRST_WINDOW if grown == FIRST_WINDOW else WINDOW):]
                guids = {e["link"] for e in shown}
                self.served |= guids
                self.window_now[feed] = guids
                delay = 2.0 if roll > 0.93 else 0.0
            return Route(body=rss(shown, title=f"Soak {feed}"), delay=delay)

        return respond


class FakeDiscordThread:
    """The fake Discord on its own event loop in a thread, with ids from the real clock."""

    def __init__(self) -> None:
        self.fake = FakeDiscord(clock=lambda: dt.datetime.now(dt.UTC))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> FakeDiscord:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self.loop).result(timeout=10)
        return self.fake

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def write_config(folder: Path, feed_urls: list[str]) -> Path:
    (folder / "storylines").mkdir(parents=True)
    (folder / "storyline.toml").write_text(
        f'database = "{folder / "soak.db"}"\npoll_interval_minutes = 1\n'
        "[http]\nread_timeout = 5.0\nallow_private_hosts = [\"127.0.0.1\"]\n",
        encoding="utf-8",
    )
    feeds = ", ".join(f'"{u}"' for u in feed_urls)
    (folder / "storylines" / "rail.toml").write_text(
        'id = "rail"\nname = "Rail strike"\ndescription = "The Northwind Rail drivers\' strike."\n'
        f'keywords = ["Northwind Rail", "rail strike", "Halvik", "drivers"]\nfeeds = [{feeds}]\n',
        encoding="utf-8",
    )
    return folder


def follow_every_minute(config: Path, minutes: int) -> int:
    """One channel per minute of the soak, each due at its own minute (UTC)."""
    from digests.config import load_settings
    from digests.store import open_database
    from digests.store.subscriptions import SubscriptionStore

    db = open_database(load_settings(config, {}).database)
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    for n in range(minutes):
        at = start + dt.timedelta(minutes=n)
        SubscriptionStore(db).follow(1, 5000 + n, "rail", at.strftime("%H:%M"), "UTC")
    db.conn.close()
    return minutes


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def service(argv: list[str], base: str, gateway: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYLINE_", "DISCORD_"))}
    env["DISCORD_TOKEN"] = "soak-token"
    return subprocess.Popen(
        [sys.executable, __file__, "--child", base, gateway, *argv],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def child(base: str, gateway: str, argv: list[str]) -> int:
    """The service itself, its Discord pointed at the fake (as tests/bot does in-process)."""
    import discord
    import yarl

    from digests.cli.main import main

    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    return main(argv)


def doubled_parts(fake: FakeDiscord) -> tuple[int, int]:
    markers: Counter[str] = Counter()
    for messages in list(fake.messages.values()):
        for message in messages:
            texts = [message.get("content") or ""]
            texts += [(e.get("footer") or {}).get("text") or "" for e in message["embeds"]]
            markers.update({m for t in texts for m in MARKER.findall(t)})
    return len(markers), sum(1 for count in markers.values() if count > 1)


def store_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "items": one("SELECT count(*) FROM items"),
            "unprocessed": one("SELECT count(*) FROM items i WHERE NOT EXISTS "
                               "(SELECT 1 FROM item_processing p WHERE p.item_id = i.id)"),
            "digests": one("SELECT count(*) FROM digests"),
            "pending": one("SELECT count(*) FROM digests WHERE status = 'pending'"),
            "integrity_ok": int(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"),
        }
    finally:
        conn.close()


def stored_links(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT url FROM items")}
    finally:
        conn.close()


def soak(minutes: float, kill_after: tuple[float, float], seed: int) -> None:
    rng = random.Random(seed)
    flaky = FlakyFeeds(rng)
    print(f"soak: {minutes:g} min, kills every {kill_after[0]:g}-{kill_after[1]:g} s, "
          f"seed {seed}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp, serve() as server, \
            FakeDiscordThread() as fake:
        urls = [server.route(f"/feed-{n}.xml", flaky.responder(n)) for n in range(FEEDS)]
        config = write_config(Path(tmp) / "config", urls)
        db = Path(tmp) / "config" / "soak.db"
        follows = follow_every_minute(config, max(1, int(minutes)))
        runs, orphans, memory = 0, 0, []
        deadline = time.monotonic() + minutes * 60
        while time.monotonic() < deadline:
            process = service(["--config", str(config), "run"], fake.base_url, fake.gateway_url)
            time.sleep(min(rng.uniform(*kill_after), max(0.5, deadline - time.monotonic())))
            family = descendants(process.pid)
            memory.append(rss_mb(family))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            settle = time.monotonic() + ORPHAN_GRACE
            while any(alive(pid) for pid in family[1:]) and time.monotonic() < settle:
                time.sleep(0.2)
            for pid in (pid for pid in family[1:] if alive(pid)):
                orphans += 1
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                print(f"  orphan {pid}: {command[:120].decode(errors='replace')}")
            runs += 1
        final = service(["--config", str(config), "poll", "--all"], fake.base_url,
                        fake.gateway_url)
        final.wait(timeout=600)
        counts = store_counts(db)
        missing = flaky.served - stored_links(db)
        in_window = missing & set().union(*flaky.window_now.values())
        parts, doubled = doubled_parts(fake)
    print(f"runs killed: {runs}; follows: {follows}; requests served: {len(server.requests)}")
    print(f"items served: {len(flaky.served)}; stored: {counts['items']}; "
          f"lost: {len(missing)} (still in a feed's window at the end: {len(in_window)})")
    print(f"items stored but not processed: {counts['unprocessed']}")
    print(f"digests recorded: {counts['digests']} ({counts['pending']} pending); "
          f"parts posted: {parts}; parts doubled: {doubled}")
    print(f"orphan processes after kills: {orphans}; integrity ok: {bool(counts['integrity_ok'])}")
    if memory:
        print(f"memory (service + workers, MB): first run {memory[0]:.0f}, last run "
              f"{memory[-1]:.0f}, peak {max(memory):.0f}")


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--kill-after", type=float, nargs=2, default=(15.0, 45.0),
                        metavar=("MIN", "MAX"), help="seconds a run lives before SIGKILL")
    parser.add_argument("--seed", type=int, default=None)
    return parser.parse_args(argv)


def _main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(argv[1], argv[2], argv[3:])
    args = arguments(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    soak(args.minutes, tuple(args.kill_after), seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
