"""One scheduled digest for one subscription: period → build → render → record → send.

The period ends at the subscription's most recent scheduled time (its HH:MM in its own
timezone), not at "now": a job that fires late, twice, or again after a restart computes the
same `period_end`, and the ledger's unique key turns the repeat into a no-op. The period
starts where the last recorded digest for that channel ended, so a day the bot was down is
folded into the next digest instead of being lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from digests.delivery.posting import Poster, PostOutcome
from digests.digest.building import Digest, build_digest
from digests.digest.discord_render import render_messages
from digests.models import StorylineDefinition
from digests.reading.lookups import Lookups
from digests.store.subscriptions import Subscription

log = logging.getLogger(__name__)

FIRST_DIGEST_LOOKBACK = dt.timedelta(days=1)
MAX_LOOKBACK = dt.timedelta(days=7)


def due_period_end(time: str, timezone: str, now: dt.datetime) -> dt.datetime:
    """The latest `time` in `timezone` at or before `now`, in UTC (DST-aware via zoneinfo)."""
    zone = ZoneInfo(timezone)
    hour, minute = (int(p) for p in time.split(":"))
    local_now = now.astimezone(zone)
    candidate = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate > local_now:
        candidate = (local_now - dt.timedelta(days=1)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
    # Round-trip through UTC so a wall time that does not exist (DST gap) is normalised.
    return candidate.astimezone(dt.UTC)


def period_for(poster: Poster, storyline_id: str, channel_id: int,
               period_end: dt.datetime) -> dt.datetime:
    """Where the period starts: the last recorded end, bounded to a week, else one day back."""
    last = poster.ledger.last_period_end(storyline_id, channel_id)
    if last is None:
        return period_end - FIRST_DIGEST_LOOKBACK
    return max(min(last, period_end), period_end - MAX_LOOKBACK)


def digest_between(lookups: Lookups, storyline: StorylineDefinition,
                   start: dt.datetime, end: dt.datetime) -> Digest:
    return build_digest(storyline, lookups.new_since(storyline.id, start, end), start, end)


async def send_digest(
    subscription: Subscription,
    storyline: StorylineDefinition,
    lookups: Lookups,
    poster: Poster,
    now: dt.datetime,
    *,
    quiet_day: str = "note",
) -> PostOutcome | None:
    """Post the subscription's due digest exactly once; None when it is not active."""
    if not subscription.active:
        return None
    end = due_period_end(subscription.time, subscription.timezone, now)
    existing = poster.ledger.find(storyline.id, subscription.channel_id, end)
    if existing is not None:
        return await poster.deliver(existing)  # finishes a pending one, no-op when sent
    start = period_for(poster, storyline.id, subscription.channel_id, end)
    digest = digest_between(lookups, storyline, start, end)
    parts = render_messages(digest, quiet_day=quiet_day)
    log.info("digest %s → channel %s: %d stories, %d events, %d quotes, %d parts",
             storyline.id, subscription.channel_id, len(digest.stories), len(digest.events),
             len(digest.quotes), len(parts))
    return await poster.post(storyline.id, subscription.channel_id, start, end, parts)
