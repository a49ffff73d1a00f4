"""The engine step every storing command ends with: process new items, then refresh timelines.

`ingest`, `poll` (and the service's poll job) and `demo` all run it. The merged timelines are
stored here, in whatever thread stored the items (the service's poll thread), so the first
`/timeline` or `storyline timeline` afterwards reads them instead of merging.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from digests.cli.context import CliContext
from digests.cli.progress import engine_progress
from digests.pipeline import ProcessReport, process_items
from digests.store.lookups import Lookups


def run_engine(ctx: CliContext, item_ids: Sequence[str], now: dt.datetime) -> ProcessReport:
    report = process_items(
        ctx.db, ctx.storylines, item_ids, now,
        workers=ctx.settings.engine_workers,
        on_progress=engine_progress(len(item_ids), ctx.err),
    )
    Lookups(ctx.db, ctx.storylines).refresh_timelines()
    return report
