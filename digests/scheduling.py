"""APScheduler 3.x wiring: the feed poll interval and one daily digest cron per follow.

Why these options (APScheduler 3.x semantics):
- `coalesce=True`: runs missed while the process was busy or asleep collapse into one run,
  so a restart never replays a backlog of polls or digests.
- `max_instances=1`: a slow poll is never overlapped by the next one.
- `misfire_grace_time`: a run that starts late (event loop busy, machine suspended) still
  happens within this window, and is skipped after it. A skipped digest is not lost: the next
  digest's period starts where the last recorded one ended (`delivery.digest_job`).
Digest crons use each follow's own IANA timezone, so 09:00 stays 09:00 across DST.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from digests.store.subscriptions import Subscription

log = logging.getLogger(__name__)

POLL_JOB_ID = "poll"
HEARTBEAT_JOB_ID = "heartbeat"
DIGEST_JOB_PREFIX = "digest:"
POLL_MISFIRE_GRACE_SECONDS = 5 * 60
DIGEST_MISFIRE_GRACE_SECONDS = 6 * 60 * 60

PollFunc = Callable[[], Awaitable[Any]]
DigestFunc = Callable[[Subscription], Awaitable[Any]]


def build_scheduler(tz: str = "UTC") -> AsyncIOScheduler:
    """A scheduler on the running asyncio loop (start it from inside that loop)."""
    return AsyncIOScheduler(
        timezone=ZoneInfo(tz),
        job_defaults={"coalesce": True, "max_instances": 1},
    )


def add_poll_job(scheduler: AsyncIOScheduler, func: PollFunc, minutes: float) -> Any:
    """Poll every `minutes`; never overlapping, never replaying missed polls."""
    return scheduler.add_job(
        func,
        IntervalTrigger(minutes=minutes),
        id=POLL_JOB_ID,
        name="poll feeds",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=POLL_MISFIRE_GRACE_SECONDS,
        replace_existing=True,
    )


def add_heartbeat_job(
    scheduler: AsyncIOScheduler, func: Callable[[], Awaitable[Any]], seconds: float
) -> Any:
    """Beat every `seconds` through the scheduler itself, so a beat proves the scheduler and
    the event loop both still run (`digests/health.py`). A late beat is dropped, not queued."""
    return scheduler.add_job(
        func,
        IntervalTrigger(seconds=seconds),
        id=HEARTBEAT_JOB_ID,
        name="heartbeat",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=max(1, int(seconds)),
        replace_existing=True,
    )


def digest_job_id(subscription: Subscription) -> str:
    return f"{DIGEST_JOB_PREFIX}{subscription.channel_id}:{subscription.storyline_id}"


def digest_trigger(subscription: Subscription) -> CronTrigger:
    hour, minute = subscription.time.split(":")
    return CronTrigger(hour=int(hour), minute=int(minute),
                       timezone=ZoneInfo(subscription.timezone))


def add_digest_jobs(
    scheduler: AsyncIOScheduler, subscriptions: Iterable[Subscription], func: DigestFunc
) -> list[str]:
    """Make the digest jobs match `subscriptions` exactly; call again whenever they change.

    Active follows get (or keep, with an updated time/zone) a cron job `func(subscription)`;
    jobs of follows that were removed or failed are removed. Returns the active job ids.
    """
    wanted = {digest_job_id(s): s for s in subscriptions if s.active}
    for job in scheduler.get_jobs():
        if job.id.startswith(DIGEST_JOB_PREFIX) and job.id not in wanted:
            scheduler.remove_job(job.id)
            log.info("digest job %s removed", job.id)
    for job_id, subscription in wanted.items():
        scheduler.add_job(
            func,
            digest_trigger(subscription),
            args=[subscription],
            id=job_id,
            name=f"digest {subscription.storyline_id} → {subscription.channel_id}",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=DIGEST_MISFIRE_GRACE_SECONDS,
            replace_existing=True,
        )
    return sorted(wanted)
