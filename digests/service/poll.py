"""One poll of the due feeds, then the engine: for `storyline poll` and the service's poll job."""

from __future__ import annotations

from digests.fetching import Fetcher
from digests.fetching.url_safety import redact
from digests.fulltext.pages import PageFetcher
from digests.pipeline import build_matchers
from digests.polling import FeedResult, poll_feeds, register_configured_feeds
from digests.service.context import ServiceContext
from digests.service.engine_step import run_engine
from digests.service.progress import Progress
from digests.store import FeedStore, IngestOutcome


def page_fetcher(ctx: ServiceContext, fetcher: Fetcher) -> PageFetcher:
    """Article pages for one poll, fetched only for items some storyline could match."""
    matchers = list(build_matchers(ctx.db, ctx.storylines).values())

    def can_matter(title: str, text: str) -> bool:
        """A storyline's term in the title or summary: worth the article's page."""
        return any(m.decide(title, text).score > 0 for m in matchers)

    return PageFetcher(fetcher, ctx.settings, can_matter, ctx.clock)


async def poll_once(
    ctx: ServiceContext, *, include_backing_off: bool
) -> tuple[list[FeedResult], int]:
    """Shared by `poll` and the scheduler job in `run`: returns results and items processed."""
    now = ctx.clock()
    register_configured_feeds(ctx.db, ctx.storylines, now)
    feeds = FeedStore(ctx.db)
    states = feeds.all() if include_backing_off else feeds.due(now)
    progress = Progress(len(states), ctx.err, "poll")

    async with Fetcher(ctx.settings.http) as fetcher:
        pages = page_fetcher(ctx, fetcher)
        results = await poll_feeds(
            ctx.db, fetcher, states, ctx.settings, ctx.clock,
            on_done=lambda r: progress.advance(redact(r.url)), pages=pages,
        )
    total = IngestOutcome()
    for result in results:
        total.merge(result.outcome)
    report = run_engine(ctx, ctx.clock())
    return results, report.items
