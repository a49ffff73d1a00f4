"""The seam between "a digest part must go out" and whoever sends it (Discord or stdout)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from digests.models import MessageSpec


class DeliveryError(Exception):
    """Sending failed; `permanent` means retrying cannot help (channel gone, no access).

    `retry_after` (seconds) comes from Discord's 429 answer; posting waits at least that long.
    """

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Deliverer(Protocol):
    async def send(self, channel_id: int, message: MessageSpec) -> int:
        """Send one message; return its id. Raise `DeliveryError` on failure."""
        ...


@runtime_checkable
class RecentLookup(Protocol):
    """Optional second method of a deliverer: find a message it may already have sent.

    Closes the "sent, then crashed before the id was recorded" window: before re-sending a
    part, posting asks for a message in the channel whose footer or content carries the
    part's marker (`digest 42.ab12 · part 2/3`), sent since the digest was recorded. The
    search covers every message since then, however many others were posted meanwhile. A
    deliverer without it (a plain stream) cannot look back, so that window degrades to
    at-least-once for it.
    """

    async def find_recent(
        self, channel_id: int, marker: str, *, since: dt.datetime | None = None
    ) -> int | None:
        """The id of a message in the channel carrying `marker`, sent at or after `since`
        (None: only the most recent messages), or None."""
        ...
