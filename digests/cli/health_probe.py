"""`storyline-health`: the Docker health check, light enough to run every 30 seconds.

`storyline health` answers the same question, but the `storyline` command imports every
command module (discord.py, numpy, sqlite-utils, APScheduler...), which costs seconds of CPU
per call on a small host. This entry point imports only the settings loader, the heartbeat
file and the pure verdict (`digests/health.py`), so the check costs about what starting
Python costs. Exit status 0 healthy, 1 unhealthy, as Docker expects (2 is reserved there, so
a configuration error is reported as unhealthy with its one-line message).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from digests.config.errors import ConfigError
from digests.config.secrets import TOKEN_VARIABLES, read_secret
from digests.config.settings import load_settings
from digests.health import assess
from digests.service.heartbeat import (
    HeartbeatUnreadable,
    heartbeat_path,
    process_alive,
    read_heartbeat,
)


def check(database: Path, now: dt.datetime, *, as_json: bool) -> tuple[int, str]:
    """(exit status, text to print) for the heartbeat beside `database` at `now`."""
    path = heartbeat_path(database)
    try:
        beat = read_heartbeat(path)
    except HeartbeatUnreadable as exc:
        if as_json:
            return 1, json.dumps({"healthy": False, "problems": [str(exc)]}, ensure_ascii=False)
        return 1, f"unhealthy: {exc}"
    verdict = assess(beat, now, process_alive=process_alive(beat.pid))
    status = 0 if verdict.healthy else 1
    if as_json:
        return status, json.dumps(
            {"healthy": verdict.healthy, "problems": list(verdict.problems),
             "summary": verdict.summary, "heartbeat": beat.to_json()},
            ensure_ascii=False, indent=1)
    if verdict.healthy:
        return status, f"healthy: {verdict.summary}"
    return status, f"unhealthy: {'; '.join(verdict.problems)} ({verdict.summary})"


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="storyline-health",
        description="Exit 0 when `storyline run` on this database is healthy, 1 otherwise "
        "(see `storyline health --help`).")
    parser.add_argument("--config", type=Path, default=Path(env.get("STORYLINE_CONFIG", "config")),
                        help="configuration folder (default: $STORYLINE_CONFIG or ./config)")
    parser.add_argument("--db", type=Path, default=None, help="the service's SQLite file")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    args = parser.parse_args(argv)
    try:
        database = args.db or load_settings(args.config, env).database
        for name, file_name in TOKEN_VARIABLES:  # what `storyline run` would refuse
            read_secret(env, name, file_name)
    except ConfigError as exc:
        print(f"unhealthy: configuration error: {exc}", file=out)
        return 1
    status, text = check(database, dt.datetime.now(dt.UTC), as_json=args.json)
    print(text, file=out)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
