"""`make docker-check`: build the image and run it the way a self-hoster would, for real.

Not part of `make test` (CI has no Docker engine). Needs a Docker engine (`DOCKER_HOST` or
the default socket) and either `docker compose` or `docker-compose`. Everything runs on this
machine: the feed is served from 127.0.0.1 and the containers use the host's network, so
nothing leaves the machine and no Discord token is used (console mode).

What it checks, in order, printing one line per check:
1. the image builds (`docker build --network host`), its size, the user it runs as, that no
   wheel or dependency bytecode is left in it (our own packages ship compiled) and that it
   holds exactly the versions in requirements.lock;
2. failures an admin must be able to read: an unknown setting and a quoted token (exit status
   2, one line), a data folder the image's user cannot write (the path and the uid named), a
   read-only root without a tmpfs (the real SQLite error, not "cannot rollback"), and that
   the image's command holds on a configuration error under the compose restart policy
   (no restart loop, reported unhealthy) and exits 2 when stopped;
3. `storyline demo` in the container leaves the live database alone;
4. the real compose.yaml (with an override that only adds the local feed, the host network
   and a test image name): the hardening is in effect, the service polls the local feed,
   turns healthy, survives a restart with its data, reports "unhealthy" when its process is
   frozen, and stops cleanly within its grace period.

    python -m tests.docker.docker_check [--no-build] [--remove-image]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.docker.lockfile import locked_versions

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "storyline-check.local/storyline:check"
PROJECT = "storyline-check"
UID = "10001"
ITEMS = 6


class CheckFailed(Exception):
    pass


def ok(text: str) -> None:
    print(f"ok    {text}", flush=True)


def note(text: str) -> None:
    print(f"      {text}", flush=True)


def expect(condition: bool, text: str, detail: object = "") -> None:
    if not condition:
        raise CheckFailed(f"{text}: {detail}" if detail != "" else text)
    ok(text)


def sh(*argv: str, check: bool = True, timeout: float = 600,
       env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)
    if check and done.returncode != 0:
        raise CheckFailed(f"{' '.join(argv)} exited {done.returncode}: "
                          f"{(done.stderr or done.stdout).strip()[-2000:]}")
    return done


def docker(*args: str, check: bool = True, timeout: float = 600
           ) -> subprocess.CompletedProcess[str]:
    return sh("docker", *args, check=check, timeout=timeout)


def wait_until(what: str, condition: Callable[[], bool], timeout: float) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise CheckFailed(f"{what}: not within {timeout:.0f} s")
        time.sleep(2)
    return time.monotonic() - start


def compose_command() -> list[str]:
    if sh("docker", "compose", "version", check=False).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise CheckFailed("neither `docker compose` nor `docker-compose` is installed")


# ------------------------------------------------------------------------------ the feed
def feed_xml(port: int) -> bytes:
    """A small RSS feed written for this check (a made-up ferry storyline)."""
    entries = [
        ("Harbour ferry service suspended after engine fault",
         "The island ferry stopped running on Monday after an engine fault was found."),
        ("Ferry operator says repairs will take two weeks",
         "The operator said replacement parts are on their way and repairs take two weeks."),
        ("Island shops report fewer visitors during ferry suspension",
         "Shop owners on the island said visitor numbers fell sharply this week."),
        ("Council arranges water taxis while the ferry is out",
         "The council hired two water taxis to carry commuters until the ferry returns."),
        ("Ferry passes sea trials after engine repair",
         "The repaired ferry completed sea trials on Thursday, the operator said."),
        ("Harbour ferry back in service with extra sailings",
         "The ferry resumed service on Saturday and added sailings for the weekend."),
    ]
    items = "".join(
        f"<item><title>{title}</title><link>http://127.0.0.1:{port}/news/{n}</link>"
        f"<guid>ferry-check-{n}</guid><description>{text}</description>"
        f"<pubDate>Mon, 0{n + 1} Jun 2026 09:00:00 +0000</pubDate></item>"
        for n, (title, text) in enumerate(entries)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Harbour News</title><link>http://127.0.0.1:{port}/</link>"
            f"<description>Local news</description>{items}</channel></rss>").encode()


def write_config(folder: Path, feed_url: str) -> Path:
    config = folder / "config"
    (config / "storylines").mkdir(parents=True)
    (config / "storyline.toml").write_text(
        "poll_interval_minutes = 1\n[http]\nallow_private_hosts = [\"127.0.0.1\"]\n",
        encoding="utf-8")
    (config / "storylines" / "ferry.toml").write_text(
        'id = "ferry"\nname = "Harbour ferry suspension"\n'
        'description = "The island ferry stopped for repairs and came back into service."\n'
        'keywords = ["ferry", "sea trials"]\n'
        f'feeds = ["{feed_url}"]\n[digest]\ntime = "09:00"\ntimezone = "UTC"\n',
        encoding="utf-8")
    for path in [config, *config.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # readable by the image's user
    return config


# ------------------------------------------------------------------------------ checks
def build(no_build: bool) -> None:
    if not no_build:
        start = time.monotonic()
        docker("build", "--network", "host", "-t", IMAGE, str(ROOT), timeout=1800)
        ok(f"image built in {time.monotonic() - start:.0f} s ({IMAGE})")
    size = int(docker("image", "inspect", "-f", "{{.Size}}", IMAGE).stdout)
    note(f"image size: {size / 1e6:.0f} MB")


def image_facts() -> None:
    run = ["run", "--rm", "--network", "host", IMAGE]
    expect(docker(*run, "id", "-u").stdout.strip() == UID, f"runs as uid {UID}")
    leftovers = docker(*run, "sh", "-c",
                       "ls -d /wheels 2>/dev/null; find /opt/storyline -name '*.pyc' "
                       "-not -path '*/site-packages/digests/*' "
                       "-not -path '*/site-packages/bot/*' | wc -l"
                       ).stdout.split()
    expect(leftovers == ["0"], "no wheels and no dependency bytecode left in the image",
           leftovers)
    ours = docker(*run, "sh", "-c",
                  "cd /opt/storyline/lib/python3.11/site-packages && "
                  "find digests bot -name '*.py' | wc -l; "
                  "find digests bot -name '*.pyc' | wc -l").stdout.split()
    expect(len(ours) == 2 and ours[0] == ours[1] != "0",
           "our own packages ship compiled (every module has its bytecode)", ours)
    frozen = docker(*run, "pip", "freeze", "--all", "--exclude", "storyline").stdout
    installed = {}
    for line in frozen.splitlines():
        name, _, version = line.partition("==")
        installed[re.sub(r"[-_.]+", "-", name).lower()] = version
    installed.pop("wheel", None)
    expect(installed == locked_versions(ROOT / "requirements.lock"),
           f"installed packages are exactly requirements.lock ({len(installed)} packages)",
           {k: v for k, v in installed.items()
            if locked_versions(ROOT / "requirements.lock").get(k) != v})


def failures(work: Path) -> None:
    base = ["run", "--rm", "--network", "host"]
    # `storyline run` without the image's --hold-on-config-error: the exit status itself.
    plain = ["storyline", "run"]
    done = docker(*base, "-e", "STORYLINE_POLL_INTERVAL=5", IMAGE, *plain, check=False)
    lines = done.stderr.strip().splitlines()
    expect(done.returncode == 2 and len(lines) == 1 and "STORYLINE_POLL_INTERVAL" in lines[0],
           "an unknown setting: exit status 2 and one line", (done.returncode, lines))
    note(lines[0][:160])

    env_file = work / "quoted.env"
    env_file.write_text('DISCORD_TOKEN="not-a-real-token"\n', encoding="utf-8")
    done = docker(*base, "--env-file", str(env_file), IMAGE, *plain, check=False)
    lines = done.stderr.strip().splitlines()
    expect(done.returncode == 2 and len(lines) == 1 and "without quotes" in lines[0]
           and "not-a-real-token" not in done.stderr,
           "a quoted token from --env-file: exit status 2, one line, token not shown",
           (done.returncode, lines))

    done = docker(*base, "-e", "DISCORD_TOKEN_FILE=/run/secrets/missing", IMAGE, *plain,
                  check=False)
    expect(done.returncode == 2 and "DISCORD_TOKEN_FILE" in done.stderr,
           "DISCORD_TOKEN_FILE naming a missing file: exit status 2", done.stderr.strip())

    locked = work / "root-owned-data"
    locked.mkdir()
    locked.chmod(0o755)
    done = docker(*base, "-v", f"{locked}:/data", IMAGE, check=False, timeout=120)
    message = done.stderr.strip()
    expect(done.returncode == 1 and "/data/storyline.db" in message and f"uid {UID}" in message
           and "Traceback" not in message and len(message.splitlines()) == 1,
           "an unwritable /data: one line naming the file, the folder's owner and the uid",
           (done.returncode, message))
    note(message[:200])

    volume = f"{PROJECT}-readonly"
    done = docker(*base, "--read-only", "-v", f"{volume}:/data", IMAGE, "storyline", "feeds",
                  check=False)
    docker("volume", "rm", "-f", volume, check=False)
    expect("cannot rollback" not in done.stderr,
           "a read-only root without a tmpfs shows SQLite's real error, not 'cannot rollback'",
           done.stderr.strip())
    note(f"exit {done.returncode}: {(done.stderr.strip() or 'works without a tmpfs')[:200]}")

    name = f"{PROJECT}-holds"
    docker("rm", "-f", "-v", name, check=False)
    docker("run", "-d", "--name", name, "--network", "host", "--restart", "unless-stopped",
           "-e", "STORYLINE_NOT_A_SETTING=1", IMAGE)
    try:
        time.sleep(45)  # past the first health probes
        state = json.loads(docker("inspect", "-f", "{{json .}}", name).stdout)
        logs = docker("logs", name).stderr.strip().splitlines()
        expect(state["State"]["Status"] == "running" and state["RestartCount"] == 0
               and len(logs) == 2 and "STORYLINE_NOT_A_SETTING" in logs[0]
               and "holding after a configuration error" in logs[1],
               "a config error under restart: unless-stopped holds: no restart, two log lines",
               (state["State"]["Status"], state["RestartCount"], logs))
        health = state["State"]["Health"]
        expect(health["Status"] in {"starting", "unhealthy"} and
               "configuration error" in health["Log"][-1]["Output"],
               f"the health check reports it ({health['Status']})",
               health["Log"][-1]["Output"] if health["Log"] else health)
        note(health["Log"][-1]["Output"].strip()[:200])
        start = time.monotonic()
        docker("stop", name)
        state = json.loads(docker("inspect", "-f", "{{json .}}", name).stdout)
        expect(state["State"]["ExitCode"] == 2 and state["RestartCount"] == 0,
               f"docker stop ends the hold with exit status 2 in "
               f"{time.monotonic() - start:.0f} s, not restarted",
               (state["State"]["ExitCode"], state["RestartCount"]))
    finally:
        docker("rm", "-f", "-v", name, check=False)


def demo() -> None:
    volume = f"{PROJECT}-demo"
    try:
        done = docker("run", "--rm", "--network", "host", "--read-only", "--tmpfs", "/tmp",
                      "-v", f"{volume}:/data", IMAGE, "storyline", "demo", check=False)
        expect(done.returncode == 0 and "into /data/demo.db" in done.stderr
               and "[channel 0 · message 1]" in done.stdout,
               "`storyline demo` runs in the container and writes /data/demo.db",
               done.stderr.strip()[-500:])
        listing = docker("run", "--rm", "-v", f"{volume}:/data", IMAGE, "ls", "/data").stdout
        expect("storyline.db" not in listing.split(),
               "the demo left the live /data/storyline.db alone", listing.split())
    finally:
        docker("volume", "rm", "-f", volume, check=False)


@contextmanager
def feed_server() -> Iterator[tuple[str, list[object]]]:
    from tests.support.feed_server import conditional, serve

    with serve() as server:
        server.route("/feed.xml", conditional(feed_xml(server.port), etag='"ferry-1"'))
        yield server.url("/feed.xml"), server.requests  # type: ignore[misc]


def write_override(work: Path, config: Path) -> Path:
    override = work / "override.yaml"
    override.write_text(
        "services:\n"
        "  storyline:\n"
        f"    image: {IMAGE}\n"
        "    network_mode: host\n"
        "    volumes:\n"
        f"      - {config}:/app/config:ro\n",
        encoding="utf-8")
    (work / ".env").write_text("STORYLINE_LOG_LEVEL=INFO\n", encoding="utf-8")
    shutil.copy(ROOT / "compose.yaml", work / "compose.yaml")
    return override


def service(work: Path) -> None:
    compose = [*compose_command(), "--project-directory", str(work), "-p", PROJECT,
               "-f", str(work / "compose.yaml"), "-f", str(work / "override.yaml")]

    def container() -> str:
        return sh(*compose, "ps", "-q", "storyline").stdout.strip()

    def health() -> str:
        return docker("inspect", "-f", "{{.State.Health.Status}}", container()).stdout.strip()

    def items() -> int:
        return int(docker("exec", container(), "python", "-c",
                          "import sqlite3; print(sqlite3.connect('/data/storyline.db')"
                          ".execute('select count(*) from items').fetchone()[0])").stdout)

    with feed_server() as (url, requests):
        config = write_config(work, url)
        write_override(work, config)
        sh(*compose, "down", "-v", check=False)
        try:
            sh(*compose, "up", "-d", "--no-build")
            ok(f"compose.yaml (with the check's override) is up: container {container()[:12]}")
            info = json.loads(docker("inspect", container()).stdout)[0]
            host = info["HostConfig"]
            expect(host["ReadonlyRootfs"] and host["CapDrop"] == ["ALL"]
                   and any("no-new-privileges" in o for o in host["SecurityOpt"] or [])
                   and "/tmp" in (host["Tmpfs"] or {})
                   and host["RestartPolicy"]["Name"] == "unless-stopped",
                   "hardening in effect: read-only root, tmpfs /tmp, cap_drop ALL, "
                   "no-new-privileges, restart unless-stopped",
                   {k: host[k] for k in ("ReadonlyRootfs", "CapDrop", "SecurityOpt", "Tmpfs",
                                         "RestartPolicy")})
            denied = docker("exec", container(), "touch", "/app/x", check=False)
            expect(denied.returncode != 0, "the root filesystem refuses writes (/app)")
            waited = wait_until("healthy", lambda: health() == "healthy", 150)
            expect(True, f"health turned healthy {waited:.0f} s after start")
            probe = json.loads(docker("inspect", container()).stdout)[0]["State"]["Health"]
            note(probe["Log"][-1]["Output"].strip()[:200])
            wait_until("the first poll", lambda: items() == ITEMS, 60)
            expect(bool(requests), f"the service polled the local feed: {items()} items stored")

            before = items()
            start = time.monotonic()
            sh(*compose, "restart", "storyline", timeout=120)
            note(f"restart (SIGTERM, then start) took {time.monotonic() - start:.0f} s")
            waited = wait_until("healthy after restart", lambda: health() == "healthy", 150)
            expect(items() == before, f"the data survived the restart ({before} items); "
                   f"healthy again after {waited:.0f} s")
            logs = sh(*compose, "logs", "--no-color", "storyline").stdout
            expect("storyline run: stopped" in logs and "Traceback" not in logs,
                   "the restart stopped the service cleanly (no traceback)")

            docker("kill", "--signal", "STOP", container())
            try:
                time.sleep(70)
                frozen = docker("exec", container(), "storyline-health", check=False)
                expect(frozen.returncode == 1 and "scheduler stalled" in frozen.stdout,
                       "a frozen service is reported unhealthy", frozen.stdout.strip())
                note(frozen.stdout.strip()[:200])
            finally:
                docker("kill", "--signal", "CONT", container())
            waited = wait_until("healthy after thawing",
                                lambda: docker("exec", container(), "storyline-health",
                                               check=False).returncode == 0, 60)
            expect(True, f"healthy again {waited:.0f} s after it resumed")

            name = container()
            start = time.monotonic()
            sh(*compose, "stop", timeout=120)
            took = time.monotonic() - start
            state = json.loads(docker("inspect", name).stdout)[0]["State"]
            expect(state["ExitCode"] == 0 and took < 60,
                   f"docker stop: clean exit (status 0) in {took:.0f} s",
                   (state["ExitCode"], took))
        finally:
            sh(*compose, "down", "-v", check=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--no-build", action="store_true", help="use the image already built")
    parser.add_argument("--remove-image", action="store_true",
                        help="remove the check's image at the end (the next run rebuilds)")
    args = parser.parse_args(argv)
    if sh("docker", "info", check=False).returncode != 0:
        print("docker-check: no Docker engine answers (set DOCKER_HOST or start dockerd)",
              file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="storyline-docker-check-"))
    work.chmod(0o755)
    try:
        build(args.no_build)
        image_facts()
        failures(work)
        demo()
        service(work)
    except (CheckFailed, subprocess.TimeoutExpired) as exc:
        print(f"FAIL  {exc}", flush=True)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.remove_image:
            docker("image", "rm", IMAGE, check=False)
    print("docker-check: every check passed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
