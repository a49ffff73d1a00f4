"""Exactly-once posting of digest parts, across crashes and restarts.

The order of operations is the whole design:

1. **Record first.** The rendered parts, each stamped with a marker (`digest 42.ab12 · part
   2/3`), are written to the ledger under the unique (storyline, channel, period_end) key before
   anything is sent. Recording again (a re-run, a restart) finds the same row: never two.
2. **Send part by part, recording each id as it goes out.** A crash between parts leaves the
   first part without an id; `resume_pending()` on start continues from exactly there.
3. **Sent but not recorded.** If the process died after Discord accepted a part but before its
   id was written, the ledger cannot know. So when a part may have gone out before (a resumed
   digest, or a retry after an error), the deliverer is first asked `find_recent(channel,
   marker, since=<when the digest was recorded>)`, which reads every message since then
   however busy the channel; a hit is recorded instead of re-sending.

Rate limits (429) and server errors (5xx) are retried with exponential backoff that honours
`retry_after`, a bounded number of times; then the digest stays pending for the next resume.
A permanent error (channel gone, no access) marks the digest and every follow in that channel
failed, with the reason, and is never retried.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from digests.delivery.base import Deliverer, DeliveryError, RecentLookup
from digests.digest.discord_render import with_marker
from digests.models import MessageSpec
from digests.store.ledger import FAILED, PENDING, SENT, DigestLedger, DigestRecord
from digests.store.subscriptions import SubscriptionStore

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: `attempts` sends per part per run, delays doubling up to `max_delay`."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = min(self.max_delay, self.base_delay * 2.0**attempt)
        return max(backoff, retry_after) if retry_after is not None else backoff


@dataclass(frozen=True)
class PostOutcome:
    digest_id: int
    status: str  # sent | pending | failed
    sent_now: int = 0
    found_already_sent: int = 0
    error: str | None = None


def nonce(storyline_id: str, channel_id: int, period_end: dt.datetime) -> str:
    """Four hex digits tied to the digest's identity, so a marker from another database (with
    the same row id) does not match."""
    key = f"{storyline_id}|{channel_id}|{period_end.astimezone(dt.UTC).isoformat()}"
    return hashlib.sha1(key.encode()).hexdigest()[:4]


def part_marker(digest_id: int, tag: str, index: int, total: int) -> str:
    return f"digest {digest_id}.{tag} · part {index + 1}/{total}"


def record_marker(record: DigestRecord, index: int) -> str:
    tag = nonce(record.storyline_id, record.channel_id, record.period_end)
    return part_marker(record.id, tag, index, len(record.parts))


class Poster:
    """Sends recorded digests through a `Deliverer`; see the module docstring."""

    def __init__(
        self,
        ledger: DigestLedger,
        subscriptions: SubscriptionStore,
        deliverer: Deliverer,
        *,
        sleep: Sleep = asyncio.sleep,
        policy: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.ledger = ledger
        self.subscriptions = subscriptions
        self.deliverer = deliverer
        self.sleep = sleep
        self.policy = policy

    def record(
        self,
        storyline_id: str,
        channel_id: int,
        period_start: dt.datetime,
        period_end: dt.datetime,
        parts: Sequence[MessageSpec],
    ) -> DigestRecord:
        """Write the digest to the ledger with marked parts (idempotent), sending nothing."""
        tag = nonce(storyline_id, channel_id, period_end)

        def mark(digest_id: int, index: int, total: int, part: MessageSpec) -> MessageSpec:
            return with_marker(part, part_marker(digest_id, tag, index, total))

        record, _created = self.ledger.record(
            storyline_id, channel_id, period_start, period_end, parts, mark
        )
        return record

    async def post(
        self,
        storyline_id: str,
        channel_id: int,
        period_start: dt.datetime,
        period_end: dt.datetime,
        parts: Sequence[MessageSpec],
    ) -> PostOutcome:
        """Record, then deliver. Posting the same period again only finishes what is left."""
        record = self.record(storyline_id, channel_id, period_start, period_end, parts)
        return await self.deliver(record)

    async def resume_pending(self) -> list[PostOutcome]:
        """On start: finish every pending digest from its first part without an id."""
        return [await self.deliver(record) for record in self.ledger.pending()]

    async def deliver(self, record: DigestRecord) -> PostOutcome:
        if record.status != PENDING:
            return PostOutcome(record.id, record.status)
        # Any earlier attempt may have sent a part without recording it.
        resumed = record.attempts > 0
        self.ledger.start_attempt(record.id)
        sent = found = 0
        for index, part in enumerate(record.parts):
            if record.message_ids[index] is not None:
                continue
            try:
                message_id, was_found = await self._deliver_part(record, index, part, resumed)
            except DeliveryError as exc:
                return self._failed(record, exc, sent, found)
            record = self.ledger.set_message_id(record.id, index, message_id)
            found += was_found
            sent += not was_found
            resumed = False  # parts after this one were certainly not attempted in this run
        return PostOutcome(record.id, SENT, sent_now=sent, found_already_sent=found)

    async def _already_sent(self, record: DigestRecord, index: int) -> int | None:
        if not isinstance(self.deliverer, RecentLookup):
            log.warning("digest %s part %d: deliverer cannot look back; re-sending may "
                        "duplicate it", record.id, index + 1)
            return None
        return await self.deliverer.find_recent(
            record.channel_id, record_marker(record, index), since=record.created
        )

    async def _deliver_part(
        self, record: DigestRecord, index: int, part: MessageSpec, maybe_sent: bool
    ) -> tuple[int, bool]:
        """Send one part with bounded retries; `(message_id, found_instead_of_sent)`."""
        last: DeliveryError | None = None
        for attempt in range(self.policy.attempts):
            if maybe_sent:
                existing = await self._already_sent(record, index)
                if existing is not None:
                    log.info("digest %s part %d was already sent as %s", record.id, index + 1,
                             existing)
                    return existing, True
            try:
                return await self.deliverer.send(record.channel_id, part), False
            except DeliveryError as exc:
                if exc.permanent:
                    raise
                last = exc
                maybe_sent = True  # a 5xx or timeout may still have delivered it
                if attempt + 1 < self.policy.attempts:
                    delay = self.policy.delay(attempt, exc.retry_after)
                    log.info("digest %s part %d: %s; retrying in %.1fs", record.id, index + 1,
                             exc, delay)
                    await self.sleep(delay)
        assert last is not None
        raise last

    def _failed(self, record: DigestRecord, exc: DeliveryError, sent: int,
                found: int) -> PostOutcome:
        reason = str(exc)
        if exc.permanent:
            log.error("digest %s to channel %s failed for good: %s; the channel's follows are "
                      "marked failed", record.id, record.channel_id, reason)
            self.ledger.note_error(record.id, reason, failed=True)
            self.subscriptions.mark_failed(record.channel_id, reason)
            return PostOutcome(record.id, FAILED, sent, found, reason)
        log.warning("digest %s to channel %s still pending after %d attempts: %s",
                    record.id, record.channel_id, self.policy.attempts, reason)
        self.ledger.note_error(record.id, reason)
        return PostOutcome(record.id, PENDING, sent, found, reason)
