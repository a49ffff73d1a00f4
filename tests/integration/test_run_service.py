"""`storyline run`: the real scheduler polling a local feed server, digests in console mode and
through the real discord.py client against the fake Discord, and a clean stop on a signal."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

import bot.runner
from bot.client import StorylineBot
from bot.runner import create_bot
from digests.cli import run_cmd
from digests.cli.context import CliContext
from digests.cli.health_probe import check
from digests.config import ConfigError, load_settings, load_storylines
from digests.delivery.console import CONSOLE_CHANNEL
from digests.health import assess
from digests.service import serving
from digests.service.heartbeat import HeartbeatRecorder, heartbeat_path, read_heartbeat
from digests.service.runtime import Service, run_console
from digests.service.serving import serve
from digests.store import open_database
from digests.store.ledger import SENT, DigestLedger
from digests.store.subscriptions import SubscriptionStore
from tests.bot.fake_discord import FakeDiscord
from tests.support.feed_server import FeedServer, Route, conditional
from tests.support.feed_server import serve as serve_feeds

ROOT = Path(__file__).resolve().parents[2]
FEED = (ROOT / "seeds" / "demo" / "feed.xml").read_bytes()
CHANNEL = 4242


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with serve_feeds() as server:
        server.route("/feed.xml", conditional(FEED, etag='"v1"'))
        yield server


def write_config(tmp_path: Path, feed_url: str) -> Path:
    config = tmp_path / "config"
    (config / "storylines").mkdir(parents=True)
    (config / "storyline.toml").write_text(
        f'database = "{tmp_path / "run.db"}"\n'
        'poll_interval_minutes = 60\n'
        '[http]\nallow_private_hosts = ["127.0.0.1"]\n',
        encoding="utf-8",
    )
    (config / "storylines" / "fable.toml").write_text(
        'id = "fable"\nname = "Fable export controls"\n'
        'description = "US export controls on the Fable 5 and Mythos 5 models."\n'
        'keywords = ["Fable 5", "Mythos 5", "export controls", "輸出管理"]\n'
        f'feeds = ["{feed_url}"]\n[digest]\ntime = "09:00"\ntimezone = "Asia/Tokyo"\n',
        encoding="utf-8",
    )
    return config


def make_context(config: Path, out: io.StringIO, err: io.StringIO) -> CliContext:
    settings = load_settings(config, {})
    return CliContext(settings=settings, storylines=load_storylines(settings.storylines_dir),
                      out=out, err=err)


async def start_fake_discord(monkeypatch: pytest.MonkeyPatch) -> FakeDiscord:
    """REST on 127.0.0.1; the gateway URL points there too (a silent socket), never outside."""
    fake = FakeDiscord()
    monkeypatch.setattr(discord.http.Route, "BASE", await fake.start())
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(fake.gateway_url))
    return fake


async def wait_for(condition: Callable[[], object]) -> None:
    """Poll `condition` until true; the overall bound is a generous 15 s, not a speed claim."""
    async with asyncio.timeout(15):
        while not condition():  # noqa: ASYNC110 - state written by other threads, no event
            await asyncio.sleep(0.05)


async def test_console_mode_polls_at_start_and_prints_due_digests(
    tmp_path: Path, feeds: FeedServer
) -> None:
    out, err = io.StringIO(), io.StringIO()
    now = [dt.datetime.now(dt.UTC)]
    ctx = dataclasses.replace(
        make_context(write_config(tmp_path, feeds.url("/feed.xml")), out, err),
        clock=lambda: now[0],
    )
    service = Service(ctx, console=True)
    service.start(poll_now=True)
    try:
        await run_console(service)
        await wait_for(lambda: service.polls == 1)
        stored = ctx.db.execute("SELECT count(*) FROM items").fetchone()[0]
        assert stored == 36
        jobs = {job.id for job in service.scheduler.get_jobs()}
        assert jobs == {"poll", "digest:0:fable"}
        # Not due yet: the next poll fetches nothing.
        summary = await service.poll()
        assert summary is not None and summary.feeds == 0
        # An interval later it is a conditional GET answered 304: nothing re-processed.
        now[0] += dt.timedelta(minutes=61)
        summary = await service.poll()
        assert summary is not None and (summary.feeds, summary.items) == (1, 0)
        assert feeds.requests[-1].headers.get("if-none-match") == '"v1"'

        [subscription] = service.subscriptions()
        assert (subscription.channel_id, subscription.timezone) == (CONSOLE_CHANNEL, "Asia/Tokyo")
        outcome = await service.digest(subscription)
        assert outcome is not None and outcome.status == SENT
        assert "[channel 0 · message 1]" in out.getvalue()
        assert "Fable export controls" in out.getvalue()
        # The job firing again for the same period posts nothing more (exactly once).
        again = await service.digest(subscription)
        assert again is not None and again.sent_now == 0
        assert out.getvalue().count("[channel 0 · message 1]") == 1
    finally:
        service.stop()
        ctx.close()


async def test_a_failing_poll_is_logged_and_the_service_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out, err = io.StringIO(), io.StringIO()
    config = write_config(tmp_path, "http://127.0.0.1:9/feed.xml")
    ctx = make_context(config, out, err)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    # A database that cannot be opened makes the whole poll fail, not just one feed.
    ctx = dataclasses.replace(
        ctx, settings=dataclasses.replace(ctx.settings, database=blocker / "x.db")
    )
    service = Service(ctx, console=True)
    assert await service.poll() is None
    assert service.polls == 0
    assert "poll failed; the next one runs on schedule" in caplog.text


async def test_serve_stops_cleanly_when_asked(tmp_path: Path, feeds: FeedServer) -> None:
    out, err = io.StringIO(), io.StringIO()
    ctx = make_context(write_config(tmp_path, feeds.url("/feed.xml")), out, err)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(ctx, token=None, poll_now=True, stop=stop))
    await wait_for(lambda: "press Ctrl-C to stop" in err.getvalue())
    await wait_for(lambda: len(feeds.requests) >= 1)
    stop.set()
    await asyncio.wait_for(task, timeout=15)
    banner = err.getvalue()
    assert "console mode (no DISCORD_TOKEN)" in banner
    assert "poll every 60 min" in banner
    assert "digest fable → console" in banner
    ctx.close()


async def test_bot_mode_posts_follows_through_discord_and_resyncs_on_follow(
    tmp_path: Path, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = await start_fake_discord(monkeypatch)
    out, err = io.StringIO(), io.StringIO()
    ctx = make_context(write_config(tmp_path, feeds.url("/feed.xml")), out, err)
    SubscriptionStore(ctx.db).follow(1, CHANNEL, "fable", "09:00", "UTC")
    service = Service(ctx, console=False)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(ctx, token="fake-token", poll_now=True, stop=stop, service=service)
    )
    try:
        await wait_for(lambda: ctx.db.execute("SELECT count(*) FROM items").fetchone()[0] == 36)
        await wait_for(lambda: service.scheduler.get_job(f"digest:{CHANNEL}:fable") is not None)
        assert fake.synced, "slash commands were synced at login"
        # Console follows are not scheduled in bot mode, and vice versa.
        assert service.scheduler.get_job("digest:0:fable") is None
        job = service.scheduler.get_job(f"digest:{CHANNEL}:fable")
        await job.func(*job.args)
        posted = fake.messages[CHANNEL]
        assert posted, "the digest reached the fake Discord"
        sent = fake.bodies("POST", f"/channels/{CHANNEL}/messages")
        assert all(body["allowed_mentions"] == {"parse": []} for body in sent)
        [record] = DigestLedger(ctx.db).recent()
        assert record.status == SENT and record.channel_id == CHANNEL
        assert out.getvalue() == ""  # nothing printed to the console in bot mode
        # /follow from Discord calls back into the service: the new channel gets its cron.
        SubscriptionStore(ctx.db).follow(1, CHANNEL + 1, "fable", "18:00", "Europe/Paris")
        service.sync_digest_jobs()
        assert service.scheduler.get_job(f"digest:{CHANNEL + 1}:fable") is not None
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)
        await fake.stop()
        ctx.close()


async def test_a_rejected_token_is_a_clear_error(
    tmp_path: Path, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = await start_fake_discord(monkeypatch)
    fake.reject_token = True
    out, err = io.StringIO(), io.StringIO()
    ctx = make_context(write_config(tmp_path, feeds.url("/feed.xml")), out, err)
    try:
        # A configuration error (exit status 2 from `main`): restarting cannot fix it.
        with pytest.raises(ConfigError, match=r"^Discord: bot token: .*refused"):
            await asyncio.wait_for(
                serve(ctx, token="bad-token", poll_now=False, stop=asyncio.Event()), timeout=15
            )
    finally:
        await fake.stop()
        ctx.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_real_command_stops_cleanly_on_sigint(tmp_path: Path, feeds: FeedServer) -> None:
    config = write_config(tmp_path, feeds.url("/feed.xml"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYLINE_", "DISCORD_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "digests.cli.main", "--config", str(config), "run"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not feeds.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert feeds.requests, "the first poll ran at start"
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "storyline run: press Ctrl-C to stop" in stderr
    assert stderr.rstrip().endswith("storyline run: stopped")
    assert "Traceback" not in stderr, stderr
    db = open_database(tmp_path / "run.db")
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 36


async def test_the_service_keeps_a_heartbeat_the_health_check_reads(
    tmp_path: Path, feeds: FeedServer
) -> None:
    out, err = io.StringIO(), io.StringIO()
    ctx = make_context(write_config(tmp_path, feeds.url("/feed.xml")), out, err)
    path = heartbeat_path(ctx.database_path)
    recorder = HeartbeatRecorder(path, poll_interval_minutes=60, console=True, clock=ctx.clock)
    service = Service(ctx, console=True, heartbeat=recorder)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(ctx, token=None, poll_now=True, stop=stop,
                                     service=service))
    try:
        await wait_for(lambda: service.polls == 1)
        assert service.scheduler.get_job("heartbeat") is not None
        assert "heartbeat" not in err.getvalue()  # not listed in the start-up banner
        beat = read_heartbeat(path)
        assert beat.polls == 1 and beat.failed_polls_in_a_row == 0
        assert beat.last_poll == "1 feed(s), 0 failed, 36 item(s)"
        assert check(ctx.database_path, ctx.clock(), as_json=False)[0] == 0
        # The scheduler's heartbeat job is what keeps the file fresh.
        before = beat.beat
        job = service.scheduler.get_job("heartbeat")
        await job.func()
        assert read_heartbeat(path).beat >= before
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)
        ctx.close()


async def test_failed_polls_are_counted_in_the_heartbeat(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    ctx = make_context(write_config(tmp_path, "http://127.0.0.1:9/feed.xml"), out, err)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    ctx = dataclasses.replace(
        ctx, settings=dataclasses.replace(ctx.settings, database=blocker / "x.db"))
    path = tmp_path / "heartbeat.json"
    recorder = HeartbeatRecorder(path, poll_interval_minutes=60, console=True, clock=ctx.clock)
    service = Service(ctx, console=True, heartbeat=recorder)
    for _ in range(3):
        assert await service.poll() is None
    beat = read_heartbeat(path)
    assert beat.failed_polls_in_a_row == 3 and beat.polls == 3
    assert beat.last_poll.startswith("failed: ")
    status, text = check_heartbeat_file(path, ctx.clock())
    assert status == 1 and "the last 3 polls failed" in text


async def test_polls_in_which_every_feed_fails_count_as_failed_polls(
    tmp_path: Path, feeds: FeedServer
) -> None:
    """The service runs and its store works, but it reads nothing: that is not healthy."""
    down = feeds.route("/down.xml", Route(status=503, body=b"maintenance"))
    out, err = io.StringIO(), io.StringIO()
    days = iter(dt.datetime(2026, 3, d, 9, tzinfo=dt.UTC) for d in (5, 5, 6, 7, 7))
    today = [next(days)]
    ctx = dataclasses.replace(make_context(write_config(tmp_path, down), out, err),
                              clock=lambda: today[0])
    path = tmp_path / "heartbeat.json"
    recorder = HeartbeatRecorder(path, poll_interval_minutes=60, console=True, clock=ctx.clock)
    service = Service(ctx, console=True, heartbeat=recorder)
    summaries = []
    for _ in range(5):  # a day apart, the feed's backoff over; twice within its backoff
        summaries.append(await service.poll())
        if len(summaries) == 3:
            middle = read_heartbeat(path)
        today[0] = next(days, today[0])
    ctx.close()
    beat = read_heartbeat(path)
    assert [(s.feeds, s.failed) for s in summaries if s is not None] == [
        (1, 1), (0, 0), (1, 1), (1, 1), (0, 0)]
    assert middle.failed_polls_in_a_row == 2  # the poll that tried nothing did not reset it
    assert beat.polls == 5 and beat.failed_polls_in_a_row == 3
    assert beat.last_failure.startswith("1 feed(s), 1 failed")
    assert beat.last_poll.startswith("0 feed(s)")
    problem = check_heartbeat_file(path, today[0])[1]
    assert "the last 3 polls failed: 1 feed(s), 1 failed, 0 item(s)" in problem
    assert beat.last_poll.endswith("failed, 0 item(s)")


def test_a_poll_that_tried_no_feed_leaves_the_streak_of_failures_alone(tmp_path: Path) -> None:
    now = dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)
    recorder = HeartbeatRecorder(tmp_path / "h.json", poll_interval_minutes=15, console=True,
                                 clock=lambda: now)
    recorder.poll_finished("2 feed(s), 2 failed, 0 item(s)", ok=False)
    recorder.poll_finished("2 feed(s), 2 failed, 0 item(s)", ok=False)
    recorder.poll_finished("0 feed(s), 0 failed, 0 item(s)", ok=None)  # all backing off
    assert recorder.current.failed_polls_in_a_row == 2
    recorder.poll_finished("2 feed(s), 2 failed, 0 item(s)", ok=False)
    assert not assess(recorder.current, now).healthy
    recorder.poll_finished("2 feed(s), 1 failed, 4 item(s)", ok=True)
    assert recorder.current.failed_polls_in_a_row == 0 and assess(recorder.current, now).healthy


def check_heartbeat_file(path: Path, now: dt.datetime) -> tuple[int, str]:
    verdict = assess(read_heartbeat(path), now)
    return (0 if verdict.healthy else 1), "; ".join(verdict.problems)


async def test_bot_mode_heartbeat_follows_the_discord_gateway(
    tmp_path: Path, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = await start_fake_discord(monkeypatch)
    clients: list[StorylineBot] = []

    def keep(**kwargs: Any) -> StorylineBot:
        clients.append(create_bot(**kwargs))
        return clients[-1]

    monkeypatch.setattr(bot.runner, "create_bot", keep)
    out, err = io.StringIO(), io.StringIO()
    ctx = make_context(write_config(tmp_path, feeds.url("/feed.xml")), out, err)
    path = heartbeat_path(ctx.database_path)
    recorder = HeartbeatRecorder(path, poll_interval_minutes=60, console=False, clock=ctx.clock)
    service = Service(ctx, console=False, heartbeat=recorder)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(ctx, token="fake-token", poll_now=False, stop=stop, service=service))
    try:
        await wait_for(lambda: service.poster is not None)
        # Logged in (REST) but the fake gateway never says READY: still "connecting".
        assert read_heartbeat(path).discord == "connecting"
        [client] = clients
        # discord.py's gateway events, as the real client dispatches them.
        client.dispatch("ready")
        await wait_for(lambda: read_heartbeat(path).discord == "connected")
        client.dispatch("disconnect")
        await wait_for(lambda: read_heartbeat(path).discord == "disconnected")
        client.dispatch("resumed")
        await wait_for(lambda: read_heartbeat(path).discord == "connected")
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)
        await fake.stop()
        ctx.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "env", [{"STORYLINE_POLL_INTERVAL": "5"}, {"DISCORD_TOKEN": '"quoted-token"'}])
def test_the_image_command_holds_on_a_configuration_error_until_stopped(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """One line, then a wait (no exit for a supervisor to restart), then status 2 on SIGTERM."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STORYLINE_", "DISCORD_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "digests.cli.main", "--config", str(tmp_path), "--db",
         str(tmp_path / "x.db"), "run", "--hold-on-config-error"],
        cwd=ROOT, env={**clean, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        second = process.stderr.readline()
        assert first.startswith("storyline: error: environment: ")
        assert "holding after a configuration error" in second
        time.sleep(0.5)
        assert process.poll() is None, "it holds instead of exiting"
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 2
    assert rest.strip() == "storyline run: stopped"


def test_a_refused_token_is_recorded_in_the_heartbeat_for_the_health_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the container holds after a refused token, health must say why, not just that
    the scheduler went quiet."""
    async def refused(*_args: object, **_kwargs: object) -> None:
        raise ConfigError("Discord", "bot token", "a token Discord accepts")

    monkeypatch.setattr(serving, "serve", refused)
    out, err = io.StringIO(), io.StringIO()
    ctx = make_context(write_config(tmp_path, "http://127.0.0.1:9/feed.xml"), out, err)
    ctx = dataclasses.replace(ctx, environ={"DISCORD_TOKEN": "token-for-tests"})
    args = argparse.Namespace(console=False, poll_now=False)
    with pytest.raises(ConfigError):
        run_cmd.run(args, ctx)
    ctx.close()
    beat = read_heartbeat(heartbeat_path(tmp_path / "run.db"))
    assert beat.fatal == "Discord: bot token: expected a token Discord accepts"
    assert beat.discord == "connecting"
    status, text = check(tmp_path / "run.db", beat.beat, as_json=False)
    assert status == 1
    assert text.startswith("unhealthy: stopped: Discord: bot token: expected a token")
