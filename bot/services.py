"""What every slash command needs, handed in once instead of read from globals.

Commands close over one `BotServices`; tests build it over a real SQLite file and a fixed
clock, so nothing in `bot/` reads the environment, the wall clock or a config singleton.

Every store call runs off the event loop (`BotServices.on_store`), in a small pool of worker
threads that each own a SQLite connection: a lookup that has to merge a big timeline, or one
that waits behind the poller's write lock, holds its thread and nothing else, so the gateway
heartbeat and every other command go on (issue 13). One connection per thread rather than one
shared connection with `check_same_thread=False`: a connection carries its transaction state
(the read snapshot a timeline lookup opens), which two threads must not interleave. WAL mode
lets these readers run beside the poll thread's writer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.errors import UserError
from digests.config import Settings
from digests.models import StorylineDefinition
from digests.reading.lookups import Lookups
from digests.store.busy import is_busy

T = TypeVar("T")

# Enough for a few slow lookups at once without one Discord command holding up the others;
# each thread keeps one SQLite connection for its life.
STORE_THREADS = 4
# How long a deferred write keeps trying while a poll holds SQLite's one write lock (each try
# already waits the connection's busy timeout). A deferred interaction may answer for 15
# minutes; a poll's batch is seconds, so a minute covers a slow one without holding forever.
WRITE_PATIENCE_S = 60.0
WRITE_RETRY_PAUSE_S = 0.25
STORE_BUSY = ("The store is busy with a long write (a poll or a timeline rebuild), so nothing "
              "was changed. Try again in a minute.")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class StoreSession:
    """One worker thread's connection and the read API over it."""

    db: Any  # sqlite_utils.Database; typed loosely so only `digests.store` imports sqlite_utils
    lookups: Lookups


OpenLookups = Callable[[Any, Sequence[StorylineDefinition]], Lookups]


@dataclass
class BotServices:
    """How to reach the store, the storylines and the clock, shared by every command.

    `connect` opens a new connection to the store (called once per worker thread);
    `open_lookups` builds the read API over one (tests pass a slow one to show that a held
    lookup delays nothing else)."""

    connect: Callable[[], Any]
    storylines: Sequence[StorylineDefinition]
    settings: Settings
    clock: Callable[[], dt.datetime] = utc_now
    on_subscriptions_changed: Callable[[], None] | None = None
    open_lookups: OpenLookups = Lookups
    threads: int = STORE_THREADS
    write_patience: float = WRITE_PATIENCE_S
    _executor: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)
    _opened: list[Any] = field(default_factory=list, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _session(self) -> StoreSession:
        """This worker thread's session, opened on its first call."""
        session: StoreSession | None = getattr(self._local, "session", None)
        if session is None:
            db = self.connect()
            with self._lock:
                self._opened.append(db)
            session = StoreSession(db=db, lookups=self.open_lookups(db, self.storylines))
            self._local.session = session
        return session

    async def on_store(self, work: Callable[[StoreSession], T]) -> T:
        """Run `work` with a worker thread's session and await its result on the loop."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.threads,
                                                thread_name_prefix="storyline-store")
        executor = self._executor
        return await asyncio.get_running_loop().run_in_executor(
            executor, lambda: work(self._session()))

    async def write_on_store(self, work: Callable[[StoreSession], T]) -> T:
        """`on_store` for a write that may find the store's write lock taken: try again until
        `write_patience` has passed, then tell the user plainly that nothing changed (the
        failed tries rolled back). Only for commands that deferred their answer first."""
        started = time.monotonic()
        while True:
            try:
                return await self.on_store(work)
            except Exception as exc:
                if not is_busy(exc):
                    raise
                if time.monotonic() - started >= self.write_patience:
                    raise UserError(STORE_BUSY) from exc
            await asyncio.sleep(WRITE_RETRY_PAUSE_S)

    async def aclose(self) -> None:
        """Let running store work finish (in a thread, so the loop is not held), then close
        every connection the workers opened. Safe to call twice."""
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True)
        with self._lock:
            opened, self._opened = self._opened, []
        for db in opened:
            db.conn.close()

    def subscriptions_changed(self) -> None:
        """Tell the scheduler to re-read follows (new, moved or removed digest crons)."""
        if self.on_subscriptions_changed is not None:
            self.on_subscriptions_changed()

    def storyline(self, storyline_id: str) -> StorylineDefinition:
        """The definition for a typed id, or a `UserError` naming the known ones."""
        wanted = storyline_id.strip().lower()
        for definition in self.storylines:
            if definition.id == wanted:
                return definition
        known = ", ".join(d.id for d in self.storylines) or "none configured"
        raise UserError(f"Unknown storyline `{wanted[:64]}`. Known: {known}.")

    def default_storyline(self, storyline_id: str | None) -> StorylineDefinition:
        """An explicit id, or the only configured storyline when there is just one."""
        if storyline_id:
            return self.storyline(storyline_id)
        if len(self.storylines) == 1:
            return self.storylines[0]
        if not self.storylines:
            raise UserError("No storylines are configured yet.")
        raise UserError("Several storylines are tracked: pick one with the `storyline` option.")
