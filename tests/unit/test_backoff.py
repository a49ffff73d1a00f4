"""The per-feed backoff: doubling per consecutive failure, capped, never overflowing."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest

from digests.config import Settings
from digests.fetching import Fetcher
from digests.fetching.backoff import next_poll_after_failure, site_retry_at
from digests.polling import poll_feeds
from digests.store import FeedStore, open_database

NOW = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("errors", "minutes"),
    [(1, 30), (2, 60), (3, 120), (7, 1440), (2_000, 1440), (10**9, 1440)],
)
def test_backoff_doubles_then_stays_at_the_cap(errors: int, minutes: int) -> None:
    later = next_poll_after_failure(NOW, errors, 30.0, 1440.0)
    assert later - NOW == dt.timedelta(minutes=minutes)


class ExplodingFetcher:
    """A fetcher whose failure is not a `FetchError`: a bug, as the poller sees it."""

    async def fetch(self, url: str, *, etag: str | None = None,
                    last_modified: str | None = None) -> None:
        raise RuntimeError("something nobody expected")


async def test_an_unexpected_failure_is_recorded_and_backs_off() -> None:
    db = open_database(None)
    url = "https://news.example/feed.xml"
    FeedStore(db).add(url, NOW)
    [result] = await poll_feeds(db, cast(Fetcher, ExplodingFetcher()), FeedStore(db).all(),
                                Settings(), lambda: NOW)
    state = FeedStore(db).get(url)
    assert result.status == "failed" and state is not None
    assert state.error_count == 1
    assert "RuntimeError: something nobody expected" in (state.last_error or "")
    assert state.next_poll == NOW + dt.timedelta(minutes=30)


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(1, None), (2, None), (3, 30), (4, 60), (5, 120), (40, 1440)],
)
def test_a_site_is_left_alone_only_after_failing_several_times_in_a_row(
    failures: int, minutes: int | None
) -> None:
    later = site_retry_at(NOW, failures, 3, 30.0, 1440.0)
    assert (None if later is None else later - NOW) == (
        None if minutes is None else dt.timedelta(minutes=minutes)
    )
