"""How many requests run at once: a global cap and a smaller cap per host.

Polite to publishers (no more than `per_host` connections to one site) and to ourselves (no
more than `concurrency` sockets at once). Slots are taken per request, never nested across
redirect hops, so a waiting request holds nothing another one needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass
class _HostSlots:
    semaphore: asyncio.Semaphore
    users: int = 0


class HostLimiter:
    """Async slots bounded globally and per host; idle hosts are forgotten."""

    def __init__(self, total: int, per_host: int) -> None:
        self._total = asyncio.Semaphore(max(1, total))
        self._per_host = max(1, per_host)
        self._hosts: dict[str, _HostSlots] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of `host`'s slots and one global slot (host first, so a queue for one busy
        host never occupies global slots other hosts could use)."""
        slots = self._hosts.get(host)
        if slots is None:
            slots = self._hosts[host] = _HostSlots(asyncio.Semaphore(self._per_host))
        slots.users += 1
        try:
            async with slots.semaphore, self._total:
                yield
        finally:
            slots.users -= 1
            if slots.users == 0:
                del self._hosts[host]

    @property
    def tracked_hosts(self) -> int:
        """Hosts with a request running or waiting (for tests and diagnostics)."""
        return len(self._hosts)
