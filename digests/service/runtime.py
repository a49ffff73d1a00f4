"""The long-running service behind `storyline run`: scheduler, poll job, digest jobs, bot.

Everything runs in one asyncio loop. The poll job's work (HTTP fetching and the engine, which
is CPU-bound) runs in a worker thread with its own SQLite connection, so the Discord gateway
heartbeat and slash commands never wait behind a big poll; SQLite's WAL mode lets the bot read
while the poll writes. Digest jobs run in the loop because they talk to the Discord client.

Console mode (no token) runs the same jobs; each storyline's digest, on its configured
schedule, goes to stdout as "channel 0". Follows of real Discord channels are left alone in
console mode, so a digest meant for Discord is never marked sent by printing it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from digests.config import StorylineDefinition
from digests.delivery.base import Deliverer
from digests.delivery.console import CONSOLE_CHANNEL, ConsoleDeliverer
from digests.delivery.digest_job import send_digest
from digests.delivery.posting import Poster, PostOutcome
from digests.health import BEAT_SECONDS
from digests.reading.lookups import Lookups
from digests.scheduling import (
    HEARTBEAT_JOB_ID,
    POLL_JOB_ID,
    add_digest_jobs,
    add_heartbeat_job,
    add_poll_job,
    build_scheduler,
)
from digests.service.context import ServiceContext
from digests.service.engine_step import run_engine
from digests.service.heartbeat import HeartbeatRecorder
from digests.service.poll import poll_once
from digests.store.ledger import DigestLedger
from digests.store.subscriptions import ACTIVE, Subscription, SubscriptionStore

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

# A Discord outage at start-up is waited out: log in again after this long, doubling, capped.
LOGIN_RETRY_SECONDS = 5.0
LOGIN_RETRY_MAX_SECONDS = 300.0


def console_subscriptions(
    storylines: Sequence[StorylineDefinition], now: dt.datetime
) -> list[Subscription]:
    """One in-memory follow per storyline on the console channel, on its configured schedule."""
    return [
        Subscription(id=0, guild_id=None, channel_id=CONSOLE_CHANNEL, storyline_id=d.id,
                     time=d.digest.time, timezone=d.digest.timezone, status=ACTIVE,
                     last_error=None, created=now)
        for d in storylines
    ]


@dataclasses.dataclass(frozen=True)
class PollSummary:
    feeds: int
    failed: int
    items: int

    @property
    def counts_as_working(self) -> bool | None:
        """For the health check: a poll in which every feed it tried failed is a failed poll
        (no network, no DNS, a proxy gone: the service reads nothing though it runs), one
        that tried some is working, and one that tried none (every feed backing off or not
        due) says nothing either way (None), so backoff cannot reset a streak of failures."""
        if self.feeds == 0:
            return None
        return self.failed < self.feeds


def _engine_in_thread(ctx: ServiceContext) -> PollSummary:
    """The engine alone over what it owes (items a killed run stored but never processed)."""
    own = ctx.detached()
    try:
        report = run_engine(own, own.clock())
    finally:
        own.close()
    return PollSummary(feeds=0, failed=0, items=report.items)


def _poll_in_thread(ctx: ServiceContext) -> PollSummary:
    """One poll with a private connection (SQLite connections stay in their thread)."""
    own = ctx.detached()
    try:
        results, processed = asyncio.run(poll_once(own, include_backing_off=False))
    finally:
        own.close()
    failed = sum(1 for r in results if r.status == "failed")
    return PollSummary(feeds=len(results), failed=failed, items=processed)


class Service:
    """Owns the scheduler and the poster; `Service.start` wires the jobs, `stop` undoes it."""

    def __init__(self, ctx: ServiceContext, *, console: bool,
                 heartbeat: HeartbeatRecorder | None = None) -> None:
        self.ctx = ctx
        self.console = console
        self.heartbeat = heartbeat
        self.scheduler: AsyncIOScheduler = build_scheduler()
        self.poster: Poster | None = None
        self.by_id = {d.id: d for d in ctx.storylines}
        self.polls = 0
        self._running_poll: asyncio.Future[PollSummary] | None = None
        self._catch_up: asyncio.Future[None] | None = None

    # -------------------------------------------------------------------------- jobs
    async def poll(self) -> PollSummary | None:
        """The poll job: never raises, so one bad poll does not disturb the scheduler."""
        if self.heartbeat is not None:
            self.heartbeat.poll_started()
        self._running_poll = asyncio.ensure_future(asyncio.to_thread(_poll_in_thread, self.ctx))
        try:
            # Shielded: stopping the service waits for the poll (`drain`) instead of leaving
            # its thread writing after the loop is gone.
            summary = await asyncio.shield(self._running_poll)
        except Exception as exc:
            log.exception("poll failed; the next one runs on schedule")
            if self.heartbeat is not None:
                self.heartbeat.poll_finished(f"failed: {type(exc).__name__}: {exc}", ok=False)
            return None
        self.polls += 1
        if self.heartbeat is not None:
            self.heartbeat.poll_finished(
                f"{summary.feeds} feed(s), {summary.failed} failed, {summary.items} item(s)",
                ok=summary.counts_as_working)
        log.info("poll: %d feed(s) fetched, %d failed, %d item(s) processed",
                 summary.feeds, summary.failed, summary.items)
        return summary

    async def catch_up(self) -> None:
        """At start without a poll: process what a previous run stored but did not process."""
        self._running_poll = asyncio.ensure_future(asyncio.to_thread(_engine_in_thread, self.ctx))
        try:
            summary = await asyncio.shield(self._running_poll)
        except Exception:
            log.exception("processing stored items failed; the next poll tries again")
            return
        if summary.items:
            log.info("processed %d stored item(s) left by an earlier run", summary.items)

    async def digest(self, subscription: Subscription) -> PostOutcome | None:
        """A digest job: the subscription's due digest, posted exactly once."""
        storyline = self.by_id.get(subscription.storyline_id)
        if storyline is None:
            log.warning("channel %s follows unknown storyline %r; skipped",
                        subscription.channel_id, subscription.storyline_id)
            return None
        if self.poster is None:
            log.warning("digest %s → %s: not connected yet; it will be sent on the next run",
                        storyline.id, subscription.channel_id)
            return None
        try:
            outcome = await send_digest(
                subscription, storyline, Lookups(self.ctx.db, self.ctx.storylines),
                self.poster, self.ctx.clock(), quiet_day=self.ctx.settings.quiet_day,
            )
        except Exception:
            log.exception("digest %s → %s failed; it stays pending and is resumed later",
                          storyline.id, subscription.channel_id)
            return None
        if outcome is not None:
            log.info("digest %s → %s: %s (%d message(s) now)", storyline.id,
                     subscription.channel_id, outcome.status, outcome.sent_now)
        return outcome

    # -------------------------------------------------------------------------- wiring
    def subscriptions(self) -> list[Subscription]:
        if self.console:
            return console_subscriptions(self.ctx.storylines, self.ctx.clock())
        return SubscriptionStore(self.ctx.db, clock=self.ctx.clock).list(active_only=True)

    def sync_digest_jobs(self) -> None:
        """Called once a deliverer is attached and after every /follow or /unfollow."""
        jobs = add_digest_jobs(self.scheduler, self.subscriptions(), self.digest)
        log.debug("digest jobs: %s", ", ".join(jobs) or "none")

    async def attach(self, deliverer: Deliverer) -> None:
        """A deliverer is ready (console at once, Discord after login): resume, then schedule."""
        ledger = DigestLedger(self.ctx.db, clock=self.ctx.clock)
        self.poster = Poster(ledger, SubscriptionStore(self.ctx.db, clock=self.ctx.clock),
                             deliverer)
        pending = [r for r in ledger.pending()
                   if (r.channel_id == CONSOLE_CHANNEL) == self.console]
        for record in pending:
            outcome = await self.poster.deliver(record)
            log.info("resumed digest %d → %s: %s", record.id, record.channel_id,
                     outcome.status)
        self.sync_digest_jobs()

    async def beat(self) -> None:
        """The heartbeat job (`digests/health.py` says what the health check makes of it)."""
        if self.heartbeat is not None:
            self.heartbeat.beat()

    def start(self, *, poll_now: bool) -> None:
        self.scheduler.start()
        if self.heartbeat is not None:
            self.heartbeat.beat()
            add_heartbeat_job(self.scheduler, self.beat, BEAT_SECONDS)
        job = add_poll_job(self.scheduler, self.poll, self.ctx.settings.poll_interval_minutes)
        if poll_now:
            job.modify(next_run_time=dt.datetime.now(dt.UTC))  # the poll processes the backlog
        else:
            self._catch_up = asyncio.ensure_future(self.catch_up())
        # Digest jobs join in `attach`, once there is somewhere to post them.

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def drain(self) -> None:
        """Let a poll in progress finish its writes (fetches are bounded by the timeouts).

        Runs before `stop`: shutting the scheduler down cancels running jobs, so new runs are
        paused first and the running one is awaited."""
        if self.scheduler.running:
            self.scheduler.pause()
        running = self._running_poll
        if running is not None and not running.done():
            log.info("waiting for the running poll to finish")
            await asyncio.wait([running])
            await asyncio.sleep(0)  # let the job coroutine record its result

    def describe(self) -> list[str]:
        """What is scheduled, for the start-up banner."""
        lines: list[str] = []
        for job in sorted(self.scheduler.get_jobs(), key=lambda j: j.id):
            if job.id == HEARTBEAT_JOB_ID:
                continue
            when = job.next_run_time.isoformat(timespec="minutes") if job.next_run_time else "-"
            if job.id == POLL_JOB_ID:
                minutes = self.ctx.settings.poll_interval_minutes
                lines.append(f"poll every {minutes:g} min (next {when})")
            else:
                [subscription] = job.args
                target = "console" if self.console else subscription.channel_id
                lines.append(f"digest {subscription.storyline_id} → {target} (next {when})")
        return lines


async def run_console(service: Service) -> None:
    await service.attach(ConsoleDeliverer(service.ctx.out))


async def run_discord(service: Service, token: str) -> None:
    """Run the bot until cancelled; waits out a Discord outage, gives up on a bad token."""
    from bot.runner import refused, run_bot

    ctx = service.ctx
    heartbeat = service.heartbeat
    delay = LOGIN_RETRY_SECONDS
    while True:
        try:
            await run_bot(token, connect=ctx.connect, storylines=ctx.storylines,
                          settings=ctx.settings, clock=ctx.clock, on_ready=service.attach,
                          on_subscriptions_changed=service.sync_digest_jobs,
                          on_connection=heartbeat.connected if heartbeat else None)
            return
        except Exception as exc:
            if refused(exc) is not None:
                raise  # a wrong token or missing intent: retrying cannot help
            # An outage surfaces as many types (connection errors, 5xx, a failed handshake
            # that discord.py reports as AttributeError); polling continues meanwhile.
            service.poster = None
            if heartbeat is not None:
                heartbeat.connected(False)
            log.error("Discord unreachable (%s: %s); polling goes on, retrying in %.0f s",
                      type(exc).__name__, exc, delay, exc_info=ctx.verbose)
            await asyncio.sleep(delay)
            delay = min(delay * 2, LOGIN_RETRY_MAX_SECONDS)
