"""The heartbeat file: written by `storyline run`, read by `storyline health`.

It lives beside the database (`storyline.db` → `storyline.db-heartbeat.json`), so the health
check finds it from the same settings as the service, on the same volume, without a port or
a second process. Every write replaces the file atomically (write a temporary file, then
rename), so a reader never sees half a heartbeat. A write that fails (volume full or turned
read-only) is logged and the service goes on: the heartbeat then goes stale and the health
check reports it, which is what the admin should see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from digests.health import CONNECTED, CONNECTING, CONSOLE, DISCONNECTED, Heartbeat

log = logging.getLogger(__name__)

SUFFIX = "-heartbeat.json"


class HeartbeatUnreadable(Exception):
    """No heartbeat file, or one this version cannot read."""


def heartbeat_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def write_heartbeat(path: Path, beat: Heartbeat) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(beat.to_json(), indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def read_heartbeat(path: Path) -> Heartbeat:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise HeartbeatUnreadable(
            f"no heartbeat at {path}: `storyline run` is not running with this database "
            "(or has not started yet)") from exc
    except OSError as exc:
        raise HeartbeatUnreadable(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return Heartbeat.from_json(json.loads(text))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise HeartbeatUnreadable(f"{path}: not a heartbeat ({exc})") from exc


def process_alive(pid: int) -> bool:
    """Whether `pid` runs here (in a container: the same PID namespace as the service)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but running
    return True


class HeartbeatRecorder:
    """The service's side: keeps the current heartbeat and writes it on every change."""

    def __init__(self, path: Path, *, poll_interval_minutes: float, console: bool,
                 clock: Callable[[], dt.datetime]) -> None:
        self.path = path
        self.clock = clock
        now = clock()
        self.current = Heartbeat(
            pid=os.getpid(), started=now, beat=now,
            poll_interval_minutes=poll_interval_minutes,
            discord=CONSOLE if console else CONNECTING, discord_since=now,
        )
        self._failing = False

    def _update(self, **changes: Any) -> None:
        self.current = dataclasses.replace(self.current, beat=self.clock(), **changes)
        try:
            write_heartbeat(self.path, self.current)
        except OSError as exc:
            if not self._failing:  # once per streak, not every 15 s
                log.error("cannot write the heartbeat %s: %s; the health check will fail",
                          self.path, exc)
            self._failing = True
        else:
            if self._failing:
                log.info("heartbeat %s written again", self.path)
            self._failing = False

    def beat(self) -> None:
        self._update()

    def poll_started(self) -> None:
        self._update(poll_started=self.clock())

    def poll_finished(self, outcome: str, *, ok: bool | None) -> None:
        """`ok` None: the poll tried no feed, so the streak of failed polls stays as it is."""
        streak = self.current.failed_polls_in_a_row
        failed = streak if ok is None else 0 if ok else streak + 1
        last_failure = outcome if ok is False else self.current.last_failure
        self._update(poll_finished=self.clock(), polls=self.current.polls + 1,
                     failed_polls_in_a_row=failed, last_poll=outcome, last_failure=last_failure)

    def discord(self, state: str) -> None:
        if state != self.current.discord:
            self._update(discord=state, discord_since=self.clock())

    def stopped(self, reason: str) -> None:
        self._update(fatal=reason)

    def connected(self, up: bool) -> None:
        self.discord(CONNECTED if up else DISCONNECTED)
