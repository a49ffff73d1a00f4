"""What "healthy" means for `storyline run`, judged from its heartbeat. Pure: no clock, no disk.

A health check that only opens the database says nothing about the service: a hung scheduler,
a poll loop that stopped or a bot that lost Discord would all pass it. The running service
therefore records a `Heartbeat` (written by `digests/heartbeat_file.py`) and `assess` judges
it against the time the caller passes in:

- the scheduler beats every `BEAT_SECONDS`; no beat for `STALE_AFTER` means the event loop or
  the scheduler is stuck (or the process is gone);
- a poll still running after `STUCK_POLLS` poll intervals is stuck (fetches are bounded by
  the HTTP timeouts, so a healthy poll of a normal feed list ends well inside one interval);
- no poll started for `STUCK_POLLS` intervals (plus the scheduler's misfire grace) means the
  poll job is gone;
- `FAILED_POLLS` whole polls failing in a row (the store cannot be written, say, or every
  feed a poll tried failing: no network) is a fault an admin must see, not a blip; a poll
  that tried no feed (all backing off) neither counts nor resets the streak;
- in Discord mode, the gateway down for longer than `DISCORD_GRACE` (discord.py reconnects a
  short drop by itself) means the bot serves no one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

BEAT_SECONDS = 15.0
STALE_AFTER = dt.timedelta(seconds=60)
STUCK_POLLS = 3
POLL_GRACE = dt.timedelta(minutes=5)  # scheduling.POLL_MISFIRE_GRACE_SECONDS
FAILED_POLLS = 3
DISCORD_GRACE = dt.timedelta(minutes=10)

CONSOLE = "console"
CONNECTING = "connecting"
CONNECTED = "connected"
DISCONNECTED = "disconnected"
DISCORD_STATES = (CONSOLE, CONNECTING, CONNECTED, DISCONNECTED)


@dataclasses.dataclass(frozen=True)
class Heartbeat:
    """The running service's state as the health check sees it; all times aware UTC."""

    pid: int
    started: dt.datetime
    beat: dt.datetime
    poll_interval_minutes: float
    discord: str = CONSOLE
    discord_since: dt.datetime | None = None
    poll_started: dt.datetime | None = None
    poll_finished: dt.datetime | None = None
    polls: int = 0
    failed_polls_in_a_row: int = 0
    last_poll: str = ""
    last_failure: str = ""  # the outcome of the last failed poll, named by the problem
    # Set when the service stopped on an error no restart fixes (a token Discord refused).
    fatal: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            f.name: (value.isoformat() if isinstance(value, dt.datetime) else value)
            for f in dataclasses.fields(self)
            for value in [getattr(self, f.name)]
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Heartbeat:
        """Raises ValueError on anything that is not a heartbeat this version wrote."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(data) - set(fields)
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name in {"started", "beat", "discord_since", "poll_started", "poll_finished"}:
                values[name] = _aware(value, name)
            else:
                values[name] = value
        try:
            beat = cls(**values)
        except TypeError as exc:
            raise ValueError(str(exc)) from exc
        if beat.discord not in DISCORD_STATES:
            raise ValueError(f"discord: unknown state {beat.discord!r}")
        return beat


def _aware(value: object, name: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected an ISO time")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{name}: expected a time with its UTC offset")
    return parsed


@dataclasses.dataclass(frozen=True)
class Assessment:
    healthy: bool
    problems: tuple[str, ...]
    summary: str


def _ago(now: dt.datetime, then: dt.datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def assess(beat: Heartbeat, now: dt.datetime, *, process_alive: bool = True) -> Assessment:
    """Every problem the heartbeat shows at `now`; healthy when there is none."""
    problems: list[str] = []
    if beat.fatal:
        problems.append(f"stopped: {beat.fatal}")
    interval = dt.timedelta(minutes=beat.poll_interval_minutes)
    if not process_alive:
        problems.append(f"the service process {beat.pid} is not running")
    if now - beat.beat > STALE_AFTER:
        problems.append(f"scheduler stalled: last heartbeat {_ago(now, beat.beat)}")
    started = beat.poll_started
    running = started is not None and (
        beat.poll_finished is None or beat.poll_finished < started)
    if started is not None and running and now - started > STUCK_POLLS * interval:
        problems.append(f"poll stuck: running since {_ago(now, started)}")
    last_start = started or beat.started
    if not running and now - last_start > STUCK_POLLS * interval + POLL_GRACE:
        problems.append(f"poll loop stopped: no poll started since {_ago(now, last_start)}")
    if beat.failed_polls_in_a_row >= FAILED_POLLS:
        problems.append(f"the last {beat.failed_polls_in_a_row} polls failed: "
                        f"{beat.last_failure or beat.last_poll}")
    if beat.discord in (CONNECTING, DISCONNECTED):
        since = beat.discord_since or beat.started
        if now - since > DISCORD_GRACE:
            problems.append(f"Discord {beat.discord} since {_ago(now, since)}")
    mode = "console mode" if beat.discord == CONSOLE else f"Discord {beat.discord}"
    if started is not None and running:
        poll = f"poll running since {_ago(now, started)}"
    elif beat.poll_finished is not None:
        poll = f"last poll {_ago(now, beat.poll_finished)} ({beat.last_poll})"
    else:
        poll = "no poll yet"
    summary = f"{mode}, {poll}, {beat.polls} poll(s) since start {_ago(now, beat.started)}"
    return Assessment(healthy=not problems, problems=tuple(problems), summary=summary)
