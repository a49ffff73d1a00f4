"""Analysing batches of items in worker processes while the caller stores earlier ones.

The engine's pure part (`analysis.Analyzer`) is CPU-bound Python, so threads would not help;
processes do. Results come back in submission order and only a few batches run ahead, so
memory stays bounded however many items a backfill brings, and the caller (which clusters and
writes, needing the one SQLite connection) works on batch k while workers analyse k+1, k+2.

Workers are started with "spawn", not "fork": the service forks from a thread while asyncio
and SQLite connections are live, which "fork" would copy half-made. They ignore SIGINT, so
Ctrl-C in a terminal reaches only the parent, which stops the pool itself after the batch in
hand. A worker whose parent dies (a `kill -9`, the OOM killer) exits within
`PARENT_WATCH_SECONDS`, so no orphan keeps its memory: a thread in each worker watches for the
worker being re-parented, which is how POSIX tells a child its parent is gone (Linux also
delivers SIGKILL at once through `PR_SET_PDEATHSIG`). A pool costs about a second to start
(each worker imports the engine), so small batches — a routine poll brings a few dozen items
— are analysed in the calling process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from digests.analysis import Analyzer, ItemAnalysis
from digests.models import Item

log = logging.getLogger(__name__)

# Below this many items a pool's start-up costs more than the second core saves.
POOL_MIN_ITEMS = 200
# Batches submitted ahead of the one being stored, per worker.
AHEAD_PER_WORKER = 2
# How often a worker checks that its parent is still alive.
PARENT_WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_worker_analyzer: Analyzer | None = None


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask, where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(configured: int, items: int) -> int:
    """How many worker processes to use: 0 means one per usable core; 1 means none (the
    calling process analyses), as does a batch too small to repay starting a pool."""
    wanted = configured if configured > 0 else usable_cores()
    return wanted if wanted > 1 and items >= POOL_MIN_ITEMS else 1


def _die_with(parent_pid: int) -> None:
    """End this worker when `parent_pid` is no longer its parent."""
    if sys.platform == "linux":
        import ctypes

        # Immediate on Linux; the watch below covers other systems and the case where the
        # thread that started the worker ends before the parent does.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _install(analyzer: Analyzer, parent_pid: int) -> None:
    global _worker_analyzer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent_pid)
    _worker_analyzer = analyzer


def _analyse_batch(batch: Sequence[Item]) -> list[ItemAnalysis]:
    assert _worker_analyzer is not None, "worker started without its analyzer"
    return [_worker_analyzer(item) for item in batch]


def analysed_batches(
    analyzer: Analyzer, batches: Iterable[Sequence[Item]], workers: int
) -> Iterator[list[ItemAnalysis]]:
    """Each batch's analyses, in order; with `workers` > 1, computed in that many processes.

    If the pool breaks (a worker killed from outside, say by the OOM killer), the batches not
    yet returned are analysed here instead and a warning is logged: slower, nothing lost.
    An exception raised by the analysis itself is re-raised as it would be without a pool.
    """
    if workers <= 1:
        for batch in batches:
            yield [analyzer(item) for item in batch]
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_install,
        initargs=(analyzer, os.getpid()),
    )
    pending: deque[tuple[Sequence[Item], Future[list[ItemAnalysis]] | None]] = deque()
    source = iter(batches)
    broken = False

    def submit(batch: Sequence[Item]) -> None:
        nonlocal broken
        if not broken:
            try:
                pending.append((batch, pool.submit(_analyse_batch, batch)))
                return
            except BrokenProcessPool:
                broken = True
        pending.append((batch, None))

    try:
        for batch in source:
            submit(batch)
            if len(pending) >= workers * AHEAD_PER_WORKER:
                break
        while pending:
            batch, future = pending.popleft()
            result: list[ItemAnalysis] | None = None
            if future is not None:
                try:
                    result = future.result()
                except BrokenProcessPool as exc:
                    if not broken:
                        log.warning("engine workers stopped (%s); analysing in this process", exc)
                    broken = True
            if result is None:
                result = [analyzer(item) for item in batch]
            following = next(source, None)
            if following is not None:
                submit(following)
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
