"""Connections kept alive and reused per host name (issue 14), without weakening the checks:
every request is still resolved, checked and pinned, and a connection opened for one name
(and, over TLS, verified for it) never carries a request for another name."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Iterator

import pytest

from digests.config import HttpSettings
from digests.fetching import Fetcher, FetchError
from tests.support.feed_server import (
    TLS_HOST,
    TLS_TRUST,
    FeedServer,
    RecordedRequest,
    Route,
    conditional,
    serve,
)

RSS = b'<rss version="2.0"><channel><title>Local</title></channel></rss>'


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def connections(server: FeedServer) -> int:
    return len({r.peer for r in server.requests})


async def test_feeds_on_one_site_share_a_connection(server: FeedServer) -> None:
    urls = [server.route(f"/feed/{n}", Route(body=RSS)) for n in range(8)]
    settings = HttpSettings(per_host=2, allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as fetcher:
        for url in urls[:4]:
            assert (await fetcher.fetch(url)).body == RSS
        results = await asyncio.gather(*(fetcher.fetch(url) for url in urls[4:]))
    assert all(r.body == RSS for r in results)
    assert len(server.requests) == 8
    assert connections(server) <= settings.per_host


async def test_304s_redirects_and_error_pages_leave_their_connection_reusable(
    server: FeedServer,
) -> None:
    url = server.route("/feed", conditional(RSS, etag='"v1"'))
    moved = server.route("/old", Route(status=301, body=b"moved", headers={"location": url}))
    missing = server.route("/missing", Route(status=404, body=b"<p>no such feed</p>"))
    settings = HttpSettings(per_host=1, allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as fetcher:
        statuses = [(await fetcher.fetch(url)).status]
        statuses += [(await fetcher.fetch(url, etag='"v1"')).status for _ in range(3)]
        statuses.append((await fetcher.fetch(moved, etag='"v1"')).status)
        with pytest.raises(FetchError):
            await fetcher.fetch(missing)
        statuses.append((await fetcher.fetch(url, etag='"v1"')).status)
    assert statuses == [200, 304, 304, 304, 304, 304]
    assert len(server.requests) == 8 and connections(server) == 1


async def test_two_names_on_one_address_never_share_a_connection(server: FeedServer) -> None:
    async def resolver(host: str) -> list[str]:
        return {"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]}[host]

    server.route("/feed", Route(body=RSS))
    settings = HttpSettings(per_host=1, allow_private_hosts=("a.test", "b.test"))
    async with Fetcher(settings, resolver=resolver) as fetcher:
        for name in ["a.test", "b.test", "a.test", "b.test"]:
            await fetcher.fetch(f"http://{name}:{server.port}/feed")
    by_name: dict[str, set[tuple[str, int]]] = {}
    for request in server.requests:
        by_name.setdefault(request.headers["host"], set()).add(request.peer)
    assert sorted(by_name) == [f"a.test:{server.port}", f"b.test:{server.port}"]
    assert [len(peers) for peers in by_name.values()] == [1, 1]  # reused, by its name only
    assert not by_name[f"a.test:{server.port}"] & by_name[f"b.test:{server.port}"]


async def test_a_pooled_connection_does_not_outlive_the_address_check(
    server: FeedServer,
) -> None:
    """The name answers a private address next time: refused, though a connection to the
    address it had a moment ago is still open in the pool."""
    answers = iter([["127.0.0.1"], ["10.0.0.7"]])

    async def rebinding(host: str) -> list[str]:
        return next(answers)

    url = server.route("/feed", Route(body=RSS)).replace("127.0.0.1", "feeds.example")
    async with Fetcher(HttpSettings(allow_private_hosts=("127.0.0.1",)),
                       resolver=rebinding) as fetcher:
        assert (await fetcher.fetch(url)).body == RSS
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    assert caught.value.kind == "blocked-url"
    assert len(server.requests) == 1


async def test_over_tls_a_connection_verified_for_one_name_is_not_reused_for_another() -> None:
    async def resolver(host: str) -> list[str]:
        return ["127.0.0.1"]

    trust = ssl.create_default_context(cafile=str(TLS_TRUST))
    with serve(tls=True) as server:
        url = server.route("/feed", Route(body=RSS))
        settings = HttpSettings(allow_private_hosts=(TLS_HOST, "other.test"), per_host=1)
        async with Fetcher(settings, resolver=resolver, verify=trust) as fetcher:
            first = await fetcher.fetch(url)
            again = await fetcher.fetch(url)
            with pytest.raises(FetchError) as caught:
                # Same address, and a verified connection to it is idle in the pool: the
                # other name still gets its own handshake, which its certificate fails.
                await fetcher.fetch(f"https://other.test:{server.port}/feed")
    assert (first.body, again.body) == (RSS, RSS)
    assert server.server_names == [TLS_HOST, "other.test"]  # one handshake per name
    assert len({r.peer for r in server.requests}) == 1
    assert caught.value.kind == "network" and "certificate" in str(caught.value)


def hangs_up_on_reuse(body: bytes) -> Callable[[RecordedRequest], Route]:
    """A server whose keep-alive timeout fires as the second request on a connection arrives:
    the connection closes with no response (the race a reused connection can always lose)."""
    seen: set[tuple[str, int]] = set()

    def respond(request: RecordedRequest) -> Route:
        if request.peer in seen:
            return Route(hang_up=True)
        seen.add(request.peer)
        return Route(body=body)

    return respond


async def test_a_request_the_server_hung_up_on_is_sent_once_more_on_a_new_connection(
    server: FeedServer,
) -> None:
    url = server.route("/feed", hangs_up_on_reuse(RSS))
    settings = HttpSettings(per_host=1, allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as fetcher:
        first = await fetcher.fetch(url)
        second = await fetcher.fetch(url)
    assert (first.body, second.body) == (RSS, RSS)
    assert len(server.requests) == 3 and connections(server) == 2


async def test_a_server_that_always_hangs_up_fails_after_one_more_try(
    server: FeedServer,
) -> None:
    url = server.route("/feed", Route(hang_up=True))
    settings = HttpSettings(per_host=1, allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    assert caught.value.kind == "network"
    assert "disconnected" in str(caught.value).lower()
    assert len(server.requests) == 2  # the request and one more, never a loop
