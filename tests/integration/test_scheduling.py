"""APScheduler wiring: poll job options, one cron per follow in its own timezone, re-sync."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from digests.scheduling import (
    DIGEST_MISFIRE_GRACE_SECONDS,
    POLL_JOB_ID,
    add_digest_jobs,
    add_poll_job,
    build_scheduler,
    digest_trigger,
)
from digests.store.subscriptions import Subscription

CREATED = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def sub(channel: int, storyline: str = "moon", time: str = "09:00", tz: str = "UTC",
        status: str = "active") -> Subscription:
    return Subscription(id=channel, guild_id=1, channel_id=channel, storyline_id=storyline,
                        time=time, timezone=tz, status=status, last_error=None, created=CREATED)


async def nothing(*_: object) -> None:
    return None


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    sched = build_scheduler()
    sched.start(paused=True)
    yield sched
    sched.shutdown(wait=False)


async def test_poll_job_never_overlaps_or_replays(scheduler: AsyncIOScheduler) -> None:
    add_poll_job(scheduler, nothing, 30)
    add_poll_job(scheduler, nothing, 15)  # re-adding replaces
    [job] = scheduler.get_jobs()
    assert job.id == POLL_JOB_ID
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.misfire_grace_time > 0
    assert job.trigger.interval == dt.timedelta(minutes=15)


async def test_one_cron_per_active_follow_in_its_timezone(scheduler: AsyncIOScheduler) -> None:
    ids = add_digest_jobs(
        scheduler,
        [sub(1, time="09:00", tz="Asia/Tokyo"), sub(2, time="18:30", tz="Europe/Paris"),
         sub(3, status="failed")],
        nothing,
    )
    assert ids == ["digest:1:moon", "digest:2:moon"]
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert set(jobs) == set(ids)
    tokyo = jobs["digest:1:moon"]
    assert tokyo.args[0].channel_id == 1
    assert (tokyo.coalesce, tokyo.max_instances) == (True, 1)
    assert tokyo.misfire_grace_time == DIGEST_MISFIRE_GRACE_SECONDS


async def test_resync_updates_and_removes(scheduler: AsyncIOScheduler) -> None:
    add_digest_jobs(scheduler, [sub(1), sub(2)], nothing)
    add_poll_job(scheduler, nothing, 30)
    add_digest_jobs(scheduler, [sub(1, time="07:15"), sub(4)], nothing)
    ids = sorted(j.id for j in scheduler.get_jobs())
    assert ids == ["digest:1:moon", "digest:4:moon", POLL_JOB_ID]
    job = scheduler.get_job("digest:1:moon")
    assert job.args[0].time == "07:15"


@pytest.mark.parametrize(
    ("time", "tz", "after", "expected_utc"),
    [
        ("09:00", "UTC", dt.datetime(2026, 6, 26, 8, 0, tzinfo=dt.UTC),
         dt.datetime(2026, 6, 26, 9, 0, tzinfo=dt.UTC)),
        ("09:00", "Asia/Tokyo", dt.datetime(2026, 6, 26, 1, 0, tzinfo=dt.UTC),
         dt.datetime(2026, 6, 27, 0, 0, tzinfo=dt.UTC)),
        # Paris: CEST (+2) in June, CET (+1) in January — the cron follows the wall clock.
        ("09:00", "Europe/Paris", dt.datetime(2026, 6, 26, 0, 0, tzinfo=dt.UTC),
         dt.datetime(2026, 6, 26, 7, 0, tzinfo=dt.UTC)),
        ("09:00", "Europe/Paris", dt.datetime(2026, 1, 26, 0, 0, tzinfo=dt.UTC),
         dt.datetime(2026, 1, 26, 8, 0, tzinfo=dt.UTC)),
    ],
)
def test_cron_fires_at_local_wall_time(time: str, tz: str, after: dt.datetime,
                                       expected_utc: dt.datetime) -> None:
    trigger = digest_trigger(sub(1, time=time, tz=tz))
    fire = trigger.get_next_fire_time(None, after.astimezone(ZoneInfo(tz)))
    assert fire is not None and fire.astimezone(dt.UTC) == expected_utc
