"""The health verdict (`digests/health.py`) and the heartbeat file it reads, on fixed times."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging
import os
from pathlib import Path

import pytest

from digests.cli import health_probe
from digests.cli.health_probe import check
from digests.cli.hold import hold_after_config_error
from digests.health import (
    CONNECTED,
    CONNECTING,
    DISCONNECTED,
    Heartbeat,
    assess,
)
from digests.service.heartbeat import (
    HeartbeatRecorder,
    HeartbeatUnreadable,
    heartbeat_path,
    process_alive,
    read_heartbeat,
    write_heartbeat,
)

T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def minutes(n: float) -> float:
    return n * 60


# A service started at T0 with a 30-minute poll interval, first poll 09:00:00-09:00:40.
RUNNING = Heartbeat(pid=1, started=T0, beat=at(45), poll_interval_minutes=30,
                    poll_started=at(0), poll_finished=at(40), polls=1,
                    last_poll="1 feed(s), 0 failed, 6 item(s)")


@pytest.mark.parametrize(
    ("name", "beat", "now", "problem"),
    [
        ("fresh", RUNNING, at(50), None),
        ("beats a little late", RUNNING, at(45 + 59), None),
        ("scheduler silent for a minute", RUNNING, at(45 + 61), "scheduler stalled"),
        ("a long poll within three intervals",
         dataclasses.replace(RUNNING, poll_started=at(minutes(30)), beat=at(minutes(100))),
         at(minutes(100)), None),
        ("a poll running for over three intervals",
         dataclasses.replace(RUNNING, poll_started=at(minutes(30)), beat=at(minutes(121))),
         at(minutes(121)), "poll stuck"),
        ("no poll started for three intervals and the grace",
         dataclasses.replace(RUNNING, beat=at(minutes(96))), at(minutes(96)),
         "poll loop stopped"),
        ("no poll yet, just started", dataclasses.replace(
            RUNNING, poll_started=None, poll_finished=None, polls=0, beat=at(5)), at(10), None),
        ("two failed polls in a row",
         dataclasses.replace(RUNNING, failed_polls_in_a_row=2), at(50), None),
        ("three failed polls in a row",
         dataclasses.replace(RUNNING, failed_polls_in_a_row=3, last_poll="failed: disk full"),
         at(50), "the last 3 polls failed: failed: disk full"),
        ("Discord connecting at start",
         dataclasses.replace(RUNNING, discord=CONNECTING, discord_since=T0), at(50), None),
        ("Discord down for five minutes", dataclasses.replace(
            RUNNING, discord=DISCONNECTED, discord_since=at(0), beat=at(minutes(5))),
         at(minutes(5)), None),
        ("Discord down for eleven minutes", dataclasses.replace(
            RUNNING, discord=DISCONNECTED, discord_since=at(0), beat=at(minutes(11))),
         at(minutes(11)), "Discord disconnected"),
        ("Discord never connected", dataclasses.replace(
            RUNNING, discord=CONNECTING, discord_since=at(0), beat=at(minutes(11))),
         at(minutes(11)), "Discord connecting"),
        ("Discord connected for hours", dataclasses.replace(
            RUNNING, discord=CONNECTED, discord_since=at(0), beat=at(minutes(50)),
            poll_started=at(minutes(30)), poll_finished=at(minutes(31))),
         at(minutes(50)), None),
    ],
)
def test_assess(name: str, beat: Heartbeat, now: dt.datetime, problem: str | None) -> None:
    verdict = assess(beat, now)
    if problem is None:
        assert verdict.healthy, (name, verdict.problems)
        assert verdict.problems == ()
    else:
        assert not verdict.healthy, name
        assert any(problem in p for p in verdict.problems), (name, verdict.problems)


def test_a_dead_process_is_unhealthy_even_with_a_fresh_heartbeat() -> None:
    verdict = assess(RUNNING, at(50), process_alive=False)
    assert verdict.problems == ("the service process 1 is not running",)


def test_summary_says_mode_and_last_poll() -> None:
    summary = assess(RUNNING, at(50)).summary
    assert summary.startswith("console mode, last poll 10 s ago (1 feed(s), 0 failed")
    running = dataclasses.replace(RUNNING, poll_started=at(minutes(30)), beat=at(minutes(31)))
    assert "poll running since 60 s ago" in assess(running, at(minutes(31))).summary


def test_json_round_trip_keeps_every_field() -> None:
    beat = dataclasses.replace(RUNNING, discord=CONNECTED, discord_since=at(3))
    assert Heartbeat.from_json(json.loads(json.dumps(beat.to_json()))) == beat


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"pid": 1},
        {**RUNNING.to_json(), "extra": 1},
        {**RUNNING.to_json(), "beat": "2026-06-01T09:00:00"},  # no UTC offset
        {**RUNNING.to_json(), "discord": "sleeping"},
        {**RUNNING.to_json(), "started": 12},
    ],
)
def test_anything_but_a_heartbeat_is_refused(data: object) -> None:
    with pytest.raises(ValueError):
        Heartbeat.from_json(data)  # type: ignore[arg-type]


def test_heartbeat_lives_beside_the_database() -> None:
    assert heartbeat_path(Path("/data/storyline.db")) == Path("/data/storyline.db-heartbeat.json")


def test_recorder_writes_every_change_and_the_reader_gets_it_back(tmp_path: Path) -> None:
    now = [T0]
    path = tmp_path / "live.db-heartbeat.json"
    recorder = HeartbeatRecorder(path, poll_interval_minutes=30, console=False,
                                 clock=lambda: now[0])
    recorder.beat()
    assert read_heartbeat(path).discord == CONNECTING
    now[0] = at(5)
    recorder.poll_started()
    now[0] = at(9)
    recorder.poll_finished("failed: OperationalError: disk I/O error", ok=False)
    recorder.connected(True)
    beat = read_heartbeat(path)
    assert (beat.poll_started, beat.poll_finished, beat.polls) == (at(5), at(9), 1)
    assert beat.failed_polls_in_a_row == 1 and beat.last_poll.startswith("failed: ")
    assert (beat.discord, beat.discord_since, beat.pid) == (CONNECTED, at(9), os.getpid())
    recorder.poll_finished("1 feed(s), 0 failed, 0 item(s)", ok=True)
    assert read_heartbeat(path).failed_polls_in_a_row == 0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_a_failing_write_is_logged_once_and_the_service_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "missing-folder" / "x.db-heartbeat.json"
    recorder = HeartbeatRecorder(path, poll_interval_minutes=30, console=True,
                                 clock=lambda: T0)
    with caplog.at_level(logging.ERROR):
        recorder.beat()
        recorder.beat()
    assert caplog.text.count("cannot write the heartbeat") == 1
    path.parent.mkdir()
    recorder.beat()
    assert read_heartbeat(path).beat == T0


def test_unreadable_heartbeats_say_why(tmp_path: Path) -> None:
    with pytest.raises(HeartbeatUnreadable, match="not running with this database"):
        read_heartbeat(tmp_path / "none.json")
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    with pytest.raises(HeartbeatUnreadable, match="not a heartbeat"):
        read_heartbeat(junk)


def test_process_alive() -> None:
    assert process_alive(os.getpid())
    assert not process_alive(2**22 + 12345)  # above Linux's pid_max


def test_check_reports_healthy_unhealthy_and_missing(tmp_path: Path) -> None:
    database = tmp_path / "live.db"
    status, text = check(database, at(50), as_json=False)
    assert status == 1 and text.startswith("unhealthy: no heartbeat at ")
    write_heartbeat(heartbeat_path(database), dataclasses.replace(RUNNING, pid=os.getpid()))
    assert check(database, at(50), as_json=False) == (
        0, "healthy: console mode, last poll 10 s ago (1 feed(s), 0 failed, 6 item(s)), "
        "1 poll(s) since start 50 s ago")
    status, text = check(database, at(200), as_json=True)
    verdict = json.loads(text)
    assert status == 1 and verdict["healthy"] is False
    assert verdict["problems"] == ["scheduler stalled: last heartbeat 2 min ago"]
    assert verdict["heartbeat"]["pid"] == os.getpid()


def test_a_service_stopped_on_a_fatal_error_says_why() -> None:
    beat = dataclasses.replace(RUNNING, fatal="Discord: bot token: expected a token Discord "
                               "accepts")
    verdict = assess(beat, at(50))
    assert verdict.problems[0] == "stopped: Discord: bot token: expected a token Discord accepts"


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"STORYLINE_POLL_INTERVAL": "5"}, "environment: STORYLINE_POLL_INTERVAL: expected"),
        ({"DISCORD_TOKEN": '"abc"'}, "DISCORD_TOKEN: expected the value without quotes"),
    ],
)
def test_the_probe_reports_what_storyline_run_refuses(
    tmp_path: Path, env: dict[str, str], problem: str
) -> None:
    out = io.StringIO()
    status = health_probe.main(["--config", str(tmp_path)], out=out, env=env)
    assert status == 1
    assert out.getvalue().startswith("unhealthy: configuration error: ")
    assert problem in out.getvalue()
    assert "abc" not in out.getvalue()


def test_holding_prints_how_to_go_on_and_returns_when_stopped() -> None:
    err = io.StringIO()
    waited: list[bool] = []
    hold_after_config_error(err, wait=lambda: waited.append(True))
    assert waited == [True]
    assert "holding after a configuration error" in err.getvalue()
    assert err.getvalue().endswith("storyline run: stopped\n")
