"""The engine step every storing command ends with: process owed items, then refresh timelines.

`ingest`, `poll` (and the service's poll job, also run once when the service starts) and
`demo` all run it. It processes every item the engine owes (`digests.backlog`), not only what
this command stored, so items left unprocessed by a process killed mid-engine are caught up
by the next command. The merged timelines are stored here, in whatever thread stored the items
(the service's poll thread), so the first `/timeline` or `storyline timeline` afterwards reads
them instead of merging.
"""

from __future__ import annotations

import datetime as dt

from digests.backlog import backlog, process_backlog
from digests.pipeline import ENGINE_VERSION, ProcessReport
from digests.reading.lookups import Lookups
from digests.service.context import ServiceContext
from digests.service.progress import engine_progress


def run_engine(ctx: ServiceContext, now: dt.datetime) -> ProcessReport:
    owed = backlog(ctx.db)
    if owed.older_engine:
        ctx.note(
            f"{owed.older_engine} items were processed by an older engine; processing them "
            f"again with engine version {ENGINE_VERSION}"
        )
    report = process_backlog(
        ctx.db, ctx.storylines, now, owed=owed,
        workers=ctx.settings.engine_workers,
        on_progress=engine_progress(owed.total, ctx.err),
    )
    Lookups(ctx.db, ctx.storylines).refresh_timelines()
    return report
