"""Polling 200 feeds on one local server: our `storyline poll` path against `reader`'s
`update_feeds`, first poll (every feed new) and second poll (every feed answers 304).

    .venv/bin/python benchmarks/polling.py [--feeds 200] [--items 5] [--repeat 5]
                                           [--reader-python /tmp/reader-venv/bin/python]

The server runs in its own process (HTTP/1.1, keep-alive, ETag and Last-Modified on every
feed, 304 to a matching conditional request) and counts the connections each poll opened.
Our poll runs in this process through `cli.poll_cmd.poll_once` (fetch, parse, store, the
engine step), with no storyline (so no article page is fetched). `reader` (lemon24/reader,
issue 14's peer) is never a dependency of the project: give the Python of a separate
virtual environment that has it (`python3 -m venv /tmp/reader-venv &&
/tmp/reader-venv/bin/pip install reader`); without one only our figures are printed.
Also prints each side's import cost and a whole `storyline poll --all` process doing the
second poll. Wall-clock figures are medians; on a shared machine compare the ratios, which
are measured side by side in one run. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAST_MODIFIED = "Wed, 04 Mar 2026 08:30:00 GMT"
PLACES = ["harbour", "rail depot", "library", "water works", "bus station", "market hall"]
WHAT = ["opens late", "closes for repairs", "gets a new roof", "hires staff", "cuts fares"]


def feed_body(number: int, items: int) -> bytes:
    """A small RSS feed in our own words: each item a few sentences naming a place."""
    entries = []
    for i in range(items):
        place = PLACES[(number + i) % len(PLACES)]
        what = WHAT[(number * 7 + i) % len(WHAT)]
        text = (f"The {place} in district {number} {what}, officials said on Tuesday. "
                f"Work on item {i} is expected to take {3 + i % 5} weeks and cost "
                f"{10 + (number * i) % 90} thousand. Residents asked for notice before "
                "any change to opening hours.")
        entries.append(
            f"<item><title>District {number}: the {place} {what}</title>"
            f"<guid>d{number}-i{i}</guid><link>http://news.invalid/{number}/{i}</link>"
            f"<description>{text}</description>"
            f"<pubDate>Wed, 04 Mar 2026 0{i % 10}:00:00 GMT</pubDate></item>"
        )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>District {number}</title>{''.join(entries)}</channel></rss>").encode()


def serve(feeds: int, items: int) -> None:
    """The feed server (run as `polling.py --serve`): prints its port, serves until stdin
    closes. `/_stats` returns and resets the counts since the last call."""
    bodies = {f"/feeds/{n}.xml": feed_body(n, items) for n in range(feeds)}
    lock = threading.Lock()
    stats = {"requests": 0, "not_modified": 0, "connections": set()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path == "/_stats":
                with lock:
                    shown = {"requests": stats["requests"],
                             "not_modified": stats["not_modified"],
                             "connections": len(stats["connections"])}  # type: ignore[arg-type]
                    stats.update(requests=0, not_modified=0, connections=set())
                self._send(200, json.dumps(shown).encode(), {})
                return
            body = bodies.get(self.path)
            if body is None:
                self._send(404, b"not found", {})
                return
            etag = f'"{self.path}-1"'
            validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED,
                          "Content-Type": "application/rss+xml"}
            fresh = (self.headers.get("If-None-Match") == etag
                     or self.headers.get("If-Modified-Since") == LAST_MODIFIED)
            with lock:
                stats["requests"] += 1  # type: ignore[operator]
                stats["not_modified"] += int(fresh)  # type: ignore[operator]
                stats["connections"].add(self.client_address)  # type: ignore[attr-defined]
            if fresh:
                self._send(304, b"", validators)
            else:
                self._send(200, body, validators)

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(httpd.server_address[1], flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    httpd.shutdown()


def server_stats(port: int) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats") as response:
        stats: dict[str, int] = json.loads(response.read())
        return stats


def ours(urls: list[str], repeat: int, workdir: Path, port: int) -> dict[str, object]:
    from digests.cli.context import CliContext
    from digests.config import HttpSettings, Settings
    from digests.service.poll import poll_once
    from digests.store import FeedStore

    settings = Settings(database=workdir / "ours.db", full_text="never", engine_workers=1,
                        http=HttpSettings(allow_private_hosts=("127.0.0.1",)))
    ctx = CliContext(settings=settings, storylines=[], out=io.StringIO(), err=io.StringIO())
    feeds = FeedStore(ctx.db)
    for url in urls:
        feeds.add(url, ctx.clock())

    def poll() -> tuple[float, float, list[str]]:
        wall, cpu = time.perf_counter(), time.process_time()
        results, _ = asyncio.run(poll_once(ctx, include_backing_off=True))
        return (time.perf_counter() - wall, time.process_time() - cpu,
                [r.status for r in results])

    server_stats(port)
    first = poll()
    first_stats = server_stats(port)
    seconds = []
    for _ in range(repeat):
        seconds.append(poll())
        second_stats = server_stats(port)
    ctx.close()
    return {
        "first": {"wall": first[0], "cpu": first[1], **first_stats,
                  "fetched": first[2].count("fetched")},
        "second": {"wall": statistics.median(s[0] for s in seconds),
                   "cpu": statistics.median(s[1] for s in seconds), **second_stats,
                   "not_modified": seconds[-1][2].count("not-modified")},
    }


READER_SCRIPT = textwrap.dedent("""
    import json, statistics, sys, time
    start = time.perf_counter()
    from reader import make_reader
    imported = time.perf_counter() - start
    db, repeat, urls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    reader = make_reader(db)
    for url in urls:
        reader.add_feed(url)
    def poll():
        wall, cpu = time.perf_counter(), time.process_time()
        reader.update_feeds(scheduled=False)  # every feed, like `poll --all`
        return time.perf_counter() - wall, time.process_time() - cpu
    first = poll()
    print(json.dumps({"phase": "first", "wall": first[0], "cpu": first[1]}), flush=True)
    input()
    seconds = [poll() for _ in range(repeat)]
    print(json.dumps({"phase": "second", "import": imported,
                      "wall": statistics.median(s[0] for s in seconds),
                      "cpu": statistics.median(s[1] for s in seconds),
                      "entries": sum(1 for _ in reader.get_entries())}), flush=True)
""")


def theirs(python: str, urls: list[str], repeat: int, workdir: Path,
           port: int) -> dict[str, object]:
    server_stats(port)
    process = subprocess.Popen(
        [python, "-c", READER_SCRIPT, str(workdir / "reader.db"), str(repeat), *urls],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    first = json.loads(process.stdout.readline())
    first.update(server_stats(port))
    process.stdin.write("\n")
    process.stdin.flush()
    second = json.loads(process.stdout.readline())
    process.wait(timeout=60)
    # The counts cover all `repeat` second polls: show one poll's worth.
    stats = server_stats(port)
    second.update({key: value // repeat for key, value in stats.items()})
    return {"first": first, "second": second}


def start_up(workdir: Path, repeat: int) -> dict[str, float]:
    """Import cost of our CLI, and a whole `storyline poll --all` process (second poll)."""
    config = workdir / "config"
    config.mkdir(exist_ok=True)
    (config / "storyline.toml").write_text(
        'full_text = "never"\n[http]\nallow_private_hosts = ["127.0.0.1"]\n', encoding="utf-8")
    storyline = Path(sys.executable).parent / "storyline"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's code, not the installed one
    imports, processes = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import digests.cli.main"], check=True, env=env)
        imports.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([str(storyline), "--config", str(config), "--db",
                        str(workdir / "ours.db"), "poll", "--all"],
                       check=True, capture_output=True, env=env)
        processes.append(time.perf_counter() - start)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = time.perf_counter() - start
    return {"python": bare, "import": statistics.median(imports),
            "process": statistics.median(processes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reader-python", default="/tmp/reader-venv/bin/python")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.feeds, args.items)
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--feeds", str(args.feeds), "--items",
         str(args.items)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdin is not None
    port = int(server.stdout.readline())
    urls = [f"http://127.0.0.1:{port}/feeds/{n}.xml" for n in range(args.feeds)]
    print(f"{args.feeds} feeds × {args.items} items on 127.0.0.1:{port}, "
          f"second poll median of {args.repeat}; {os.cpu_count()} cores")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            rows = {"storyline": ours(urls, args.repeat, work, port)}
            if Path(args.reader_python).exists():
                rows["reader"] = theirs(args.reader_python, urls, args.repeat, work, port)
            else:
                print(f"(no {args.reader_python}: reader's figures left out)")
            launch = start_up(work, max(1, args.repeat // 2))
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    for name, row in rows.items():
        first, second = row["first"], row["second"]
        assert isinstance(first, dict) and isinstance(second, dict)
        print(f"{name:>9}  first poll  {first['wall']:6.2f} s wall {first['cpu']:6.2f} s CPU "
              f"{first['requests']:4} requests {first['connections']:4} connections")
        print(f"{'':>9}  second poll {second['wall']:6.3f} s wall {second['cpu']:6.3f} s CPU "
              f"{second['requests']:4} requests {second['not_modified']:4} × 304 "
              f"{second['connections']:4} connections")
    if "reader" in rows:
        mine, peer = rows["storyline"], rows["reader"]
        for phase in ("first", "second"):
            ratio = mine[phase]["wall"] / peer[phase]["wall"]  # type: ignore[index]
            cpu = mine[phase]["cpu"] / peer[phase]["cpu"]  # type: ignore[index]
            print(f"{phase} poll: storyline / reader = {ratio:.2f}× wall, {cpu:.2f}× CPU")
        print(f"reader import: {peer['second']['import']:.3f} s")  # type: ignore[index]
    print(f"python start: {launch['python']:.3f} s; import digests.cli.main: "
          f"{launch['import']:.3f} s; whole `storyline poll --all` (second poll): "
          f"{launch['process']:.3f} s")


if __name__ == "__main__":
    main()
