"""`DiscordDeliverer`: the `Deliverer` seam on a real discord.py client.

discord.py already waits out short 429s and retries a few 5xx answers itself; what reaches us
is what it gave up on. That maps to `DeliveryError`: rate limits and server errors are
retryable (with Discord's `retry_after` when known), a missing channel or missing access is
permanent so the posting ledger stops retrying and marks the subscription.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import json
import logging

import aiohttp
import discord

from bot.embeds import message_kwargs
from digests.delivery.base import DeliveryError
from digests.models import MessageSpec

log = logging.getLogger(__name__)

RECENT_LIMIT = 50
# A message's time is Discord's clock, the ledger's is ours: search from a little earlier.
CLOCK_SKEW = dt.timedelta(minutes=15)
# What a send can fail with once discord.py has given up: Discord's answers, rate limits
# longer than the client waits, and the network (refused, reset, timed out).
_SEND_ERRORS = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError,
                asyncio.TimeoutError)


def _retry_after(exc: discord.HTTPException) -> float | None:
    response = getattr(exc, "response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None


def message_nonce(message: MessageSpec) -> str:
    """A nonce (at most 25 characters) that is the same whenever the same part is sent again.

    discord.py sends it with `enforce_nonce`, so Discord answers a repeat within a few minutes
    (a retry after a timeout whose message did arrive) with the message it already created
    instead of posting it twice. Every digest part carries its own marker, so two different
    parts never share a nonce; longer gaps are covered by `find_recent`.
    """
    shape = [message.content, [dataclasses.asdict(e) for e in message.embeds]]
    text = json.dumps(shape, ensure_ascii=False, sort_keys=True)
    return "sl" + hashlib.sha256(text.encode()).hexdigest()[:23]


def to_delivery_error(channel_id: int, exc: Exception) -> DeliveryError:
    """Classify a discord.py failure as permanent (give up) or retryable (try later)."""
    where = f"channel {channel_id}"
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(f"{where}: rate limited", permanent=False,
                             retry_after=exc.retry_after)
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(f"{where}: missing access ({exc.text or exc.status})",
                             permanent=True)
    if isinstance(exc, discord.NotFound):
        return DeliveryError(f"{where}: not found ({exc.text or exc.status})", permanent=True)
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429 or exc.status >= 500:
            return DeliveryError(f"{where}: Discord answered {exc.status}", permanent=False,
                                 retry_after=_retry_after(exc))
        return DeliveryError(f"{where}: rejected ({exc.status}: {exc.text})", permanent=True)
    # Network trouble: the message may or may not have arrived; posting checks before resending.
    return DeliveryError(f"{where}: {type(exc).__name__}: {exc}", permanent=False)


class DiscordDeliverer:
    """Sends `MessageSpec`s to channels by id; no gateway cache needed (partial channels)."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    def _channel(self, channel_id: int) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(channel_id)

    async def send(self, channel_id: int, message: MessageSpec) -> int:
        try:
            sent = await self._channel(channel_id).send(
                **message_kwargs(message), nonce=message_nonce(message)
            )
        except _SEND_ERRORS as exc:
            raise to_delivery_error(channel_id, exc) from exc
        return sent.id

    async def find_recent(
        self, channel_id: int, marker: str, *, since: dt.datetime | None = None
    ) -> int | None:
        """Our message carrying `marker` (footer or content), if any.

        Lets the posting ledger learn that a part went out before a crash recorded it. With
        `since` (when the digest was recorded) every message after it is read, oldest first,
        a page of 100 per request, however many were posted meanwhile: a busy channel cannot
        push the part out of reach. Without it, only the last `RECENT_LIMIT` are read.
        """
        me = self.client.user.id if self.client.user else None
        channel = self._channel(channel_id)
        history = (
            channel.history(limit=None, after=since - CLOCK_SKEW, oldest_first=True)
            if since is not None else channel.history(limit=RECENT_LIMIT)
        )
        try:
            async for msg in history:
                if me is not None and msg.author.id != me:
                    continue
                footers = [e.footer.text or "" for e in msg.embeds]
                if marker in msg.content or any(marker in f for f in footers):
                    return msg.id
        except _SEND_ERRORS as exc:
            raise to_delivery_error(channel_id, exc) from exc
        return None
