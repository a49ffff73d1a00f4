"""The fetcher against a real HTTP server on 127.0.0.1 (and MockTransport where no socket
may be opened): conditional GET, redirects, limits, gzip, and refusals of unsafe URLs."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import zlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from digests.config import HttpSettings
from digests.feeds import parse_feed
from digests.fetching import Fetcher, FetchError
from digests.fetching.decoding import BodyEncodingError, BodyTooLargeError, BoundedBody
from digests.fetching.limits import HostLimiter
from tests.support.feed_server import (
    TLS_HOST,
    TLS_TRUST,
    FeedServer,
    Route,
    conditional,
    serve,
)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title>
<item><title>One</title><guid>1</guid></item></channel></rss>"""
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 01 Jul 2026 12:00:00 GMT"
LOCAL = HttpSettings(
    connect_timeout=2.0, read_timeout=2.0, max_bytes=64_000, allow_private_hosts=("127.0.0.1",)
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(LOCAL) as client:
        yield client


async def fetch_error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url)
    return caught.value


async def test_200_returns_body_validators_and_lower_case_headers(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route("/feed", conditional(RSS, etag=ETAG, last_modified=LAST_MODIFIED))
    result = await fetcher.fetch(url)
    assert (result.status, result.body, result.url) == (200, RSS, url)
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)
    assert result.headers["content-type"] == "application/rss+xml"
    sent = server.requests[0].headers
    assert sent["user-agent"] == LOCAL.user_agent
    assert "application/rss+xml" in sent["accept"]
    assert "if-none-match" not in sent


async def test_304_on_matching_etag_has_no_body(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.route("/feed", conditional(RSS, etag=ETAG))
    result = await fetcher.fetch(url, etag=ETAG)
    assert (result.status, result.body, result.etag) == (304, None, ETAG)
    assert server.requests[0].headers["if-none-match"] == ETAG


async def test_304_on_if_modified_since(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.route("/feed", conditional(RSS, last_modified=LAST_MODIFIED))
    result = await fetcher.fetch(url, last_modified=LAST_MODIFIED)
    assert (result.status, result.body) == (304, None)
    assert server.requests[0].headers["if-modified-since"] == LAST_MODIFIED
    changed = await fetcher.fetch(url, last_modified="Tue, 30 Jun 2026 00:00:00 GMT")
    assert (changed.status, changed.body) == (200, RSS)


async def test_redirect_chain_ends_at_final_url(server: FeedServer, fetcher: Fetcher) -> None:
    final = server.route("/final", Route(body=RSS))
    server.route("/b", Route(status=302, headers={"Location": "/final"}))
    start = server.route("/a", Route(status=301, headers={"Location": server.url("/b")}))
    result = await fetcher.fetch(start)
    assert (result.status, result.url, result.body) == (200, final, RSS)
    assert [r.path for r in server.requests] == ["/a", "/b", "/final"]


async def test_conditional_headers_survive_redirects(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/moved", conditional(RSS, etag=ETAG))
    start = server.route("/old", Route(status=308, headers={"Location": "/moved"}))
    result = await fetcher.fetch(start, etag=ETAG)
    assert (result.status, result.url) == (304, server.url("/moved"))


async def test_too_many_redirects(server: FeedServer) -> None:
    for hop in range(5):
        server.route(f"/r{hop}", Route(status=302, headers={"Location": f"/r{hop + 1}"}))
    server.route("/r5", Route(body=RSS))
    async with Fetcher(HttpSettings(max_redirects=3, allow_private_hosts=("127.0.0.1",))) as f:
        error = await fetch_error(f, server.url("/r0"))
    assert error.kind == "too-many-redirects"
    assert len(server.requests) == 4  # the first request and three redirects, no more


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.1/feed", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
     "file:///etc/passwd", "http://0x7f.2/", "http://2130706434/"],
)
async def test_redirect_to_unsafe_target_is_refused(
    server: FeedServer, fetcher: Fetcher, location: str
) -> None:
    start = server.route("/evil", Route(status=302, headers={"Location": location}))
    error = await fetch_error(fetcher, start)
    assert error.kind == "blocked-url"
    assert [r.path for r in server.requests] == ["/evil"]


async def test_redirect_to_private_address_never_reaches_the_transport() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://10.0.0.1/feed"})

    async def resolver(host: str) -> list[str]:
        return {"feeds.example.org": ["93.184.216.34"]}[host]

    async with Fetcher(
        HttpSettings(), transport=httpx.MockTransport(handler), resolver=resolver
    ) as f:
        error = await fetch_error(f, "http://feeds.example.org/rss")
    assert error.kind == "blocked-url"
    assert "10.0.0.1" in str(error)
    assert seen == ["http://93.184.216.34/rss"]


async def test_request_is_pinned_to_the_checked_address() -> None:
    """The resolver's answer is the address dialled; Host keeps the name (no rebinding)."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers["host"]))
        return httpx.Response(200, content=RSS)

    async def rebinding_resolver(host: str) -> list[str]:
        return next(answers)

    async with Fetcher(
        HttpSettings(), transport=httpx.MockTransport(handler), resolver=rebinding_resolver
    ) as f:
        first = await f.fetch("https://feeds.example.org/rss")
        error = await fetch_error(f, "https://feeds.example.org/rss")
    assert first.url == "https://feeds.example.org/rss"
    assert seen == [("93.184.216.34", "feeds.example.org")]
    assert error.kind == "blocked-url"


async def test_allowed_host_name_reaches_local_server_through_resolver(
    server: FeedServer,
) -> None:
    server.route("/feed", Route(body=RSS))

    async def resolver(host: str) -> list[str]:
        return {"nas.lan": ["127.0.0.1"]}[host]

    settings = HttpSettings(allow_private_hosts=("nas.lan",))
    async with Fetcher(settings, resolver=resolver) as f:
        result = await f.fetch(f"http://nas.lan:{server.port}/feed")
    assert result.body == RSS
    assert server.requests[0].headers["host"] == f"nas.lan:{server.port}"


async def test_private_address_refused_without_allowance(server: FeedServer) -> None:
    url = server.route("/feed", Route(body=RSS))
    async with Fetcher(HttpSettings()) as f:
        error = await fetch_error(f, url)
    assert error.kind == "blocked-url"
    assert "allow_private_hosts" in str(error)
    assert server.requests == []


async def test_slow_server_hits_read_timeout(server: FeedServer) -> None:
    url = server.route("/slow", Route(body=RSS, delay=3.0))
    settings = HttpSettings(read_timeout=0.3, allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as f:
        error = await fetch_error(f, url)
    assert error.kind == "timeout"


async def test_dripping_server_hits_total_deadline(server: FeedServer) -> None:
    url = server.route(
        "/drip", Route(chunks=(b"<rss>",) * 40, chunk_delay=0.15, content_length=False)
    )
    # Every chunk comes well within the read timeout (even on a loaded machine); forty of
    # them take ~6 s, past the deadline of 1.0 + 3 × 0.6 = 2.8 s.
    settings = HttpSettings(connect_timeout=1.0, read_timeout=0.6,
                            allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as f:
        error = await fetch_error(f, url)
    assert error.kind == "timeout"
    assert "in total" in str(error)


async def test_declared_content_length_over_limit_is_refused_early(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route("/big", Route(body=b"x" * (LOCAL.max_bytes + 1)))
    error = await fetch_error(fetcher, url)
    assert error.kind == "too-large"
    assert "declares" in str(error)


async def test_undeclared_body_over_limit_is_cut_while_streaming(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route(
        "/stream", Route(chunks=(b"x" * 16_000,) * 10, content_length=False)
    )
    error = await fetch_error(fetcher, url)
    assert error.kind == "too-large"
    assert "streaming" in str(error)


async def test_body_at_the_limit_is_accepted(server: FeedServer, fetcher: Fetcher) -> None:
    body = b"y" * LOCAL.max_bytes
    url = server.route("/exact", Route(chunks=(body,), content_length=False))
    assert (await fetcher.fetch(url)).body == body


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("x-gzip", gzip.compress), ("deflate", zlib.compress),
     ("deflate", lambda data: zlib.compress(data)[2:-4])],  # raw deflate, as some servers send
)
async def test_compressed_bodies_are_inflated(
    server: FeedServer, fetcher: Fetcher, encoding: str, compress: object
) -> None:
    assert callable(compress)
    url = server.route("/z", Route(body=compress(RSS), headers={"Content-Encoding": encoding}))
    result = await fetcher.fetch(url)
    assert result.body == RSS
    assert "gzip" in server.requests[0].headers["accept-encoding"]


async def test_gzip_bomb_is_cut_at_the_decompressed_limit(
    server: FeedServer, fetcher: Fetcher
) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)  # ~50 KB on the wire, 50 MB inflated
    assert len(bomb) < LOCAL.max_bytes
    url = server.route("/bomb", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    error = await fetch_error(fetcher, url)
    assert error.kind == "too-large"


async def test_unsupported_content_encoding_is_a_clear_error(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route("/br", Route(body=b"??", headers={"Content-Encoding": "br"}))
    error = await fetch_error(fetcher, url)
    assert error.kind == "network"
    assert "Content-Encoding" in str(error)


@pytest.mark.parametrize("status", [404, 410, 500, 503])
async def test_error_statuses(server: FeedServer, fetcher: Fetcher, status: int) -> None:
    url = server.route("/gone", Route(status=status, body=b"nope"))
    error = await fetch_error(fetcher, url)
    assert (error.kind, error.status) == ("http-status", status)
    assert f"HTTP {status}" in str(error)


async def test_redirect_without_location_is_an_error(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route("/lost", Route(status=302))
    error = await fetch_error(fetcher, url)
    assert (error.kind, error.status) == ("http-status", 302)


@pytest.mark.parametrize(
    ("url", "kind"),
    [("file:///etc/passwd", "blocked-url"), ("ftp://example.org/feed.xml", "blocked-url"),
     ("javascript:alert(1)", "blocked-url"), ("http://user:secret@example.org/", "blocked-url"),
     ("http://127.0.0.1:99999/", "bad-url"), ("not a url", "blocked-url")],
)
async def test_unsafe_or_malformed_urls_are_refused(
    fetcher: Fetcher, url: str, kind: str
) -> None:
    error = await fetch_error(fetcher, url)
    assert error.kind == kind
    assert "secret" not in str(error)


async def test_connection_refused_is_a_network_error(fetcher: Fetcher) -> None:
    with serve() as stopped:
        port = stopped.port
    error = await fetch_error(fetcher, f"http://127.0.0.1:{port}/feed")
    assert error.kind == "network"


async def test_unresolvable_host_is_a_network_error() -> None:
    async def resolver(host: str) -> list[str]:
        raise OSError(-2, "Name or service not known")

    async with Fetcher(HttpSettings(), resolver=resolver) as f:
        error = await fetch_error(f, "http://no-such-host.invalid/feed")
    assert error.kind == "network"
    assert "could not resolve" in str(error)


async def test_per_host_limit_caps_concurrent_requests(server: FeedServer) -> None:
    url = server.route("/busy", Route(body=RSS, delay=0.2))
    settings = HttpSettings(per_host=2, concurrency=8, allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as f:
        results = await asyncio.gather(*(f.fetch(url) for _ in range(6)))
    assert all(r.body == RSS for r in results)
    assert len(server.requests) == 6
    assert server.max_in_flight == 2


async def test_host_limiter_queues_per_host_and_globally() -> None:
    limiter = HostLimiter(total=3, per_host=1)
    running: set[str] = set()
    peak: dict[str, int] = {"total": 0}
    gate = asyncio.Event()

    async def work(host: str) -> None:
        async with limiter.slot(host):
            assert host not in running  # one at a time per host
            running.add(host)
            peak["total"] = max(peak["total"], len(running))
            await gate.wait()
            running.discard(host)

    tasks = [asyncio.create_task(work(h)) for h in ["a", "a", "b", "c", "d", "e"]]
    for _ in range(5):
        await asyncio.sleep(0)
    assert peak["total"] == 3
    gate.set()
    await asyncio.gather(*tasks)
    assert limiter.tracked_hosts == 0


async def test_gzip_feed_fetched_then_parsed_with_its_headers(
    server: FeedServer, fetcher: Fetcher
) -> None:
    url = server.route(
        "/feed.xml",
        Route(body=gzip.compress(RSS), headers={"Content-Encoding": "gzip",
                                                "Content-Type": "application/rss+xml"}),
    )
    result = await fetcher.fetch(url)
    assert result.body is not None
    feed = parse_feed(result.body, url=result.url, headers=result.headers)
    assert (feed.problem, [e.title for e in feed.entries]) == (None, ["One"])


async def test_waiting_for_a_slot_does_not_count_against_the_deadline(
    server: FeedServer,
) -> None:
    url = server.route("/queue", Route(body=RSS, delay=0.3))
    # Each request has ample room (0.3 s against a 0.9 s read timeout, so a loaded machine
    # does not fail it), while fourteen in a row take ~4.2 s: beyond one deadline of
    # 1.0 + 3 × 0.9 = 3.7 s, which the last ones would miss if queueing counted.
    settings = HttpSettings(connect_timeout=1.0, read_timeout=0.9, per_host=1,
                            allow_private_hosts=("127.0.0.1",))
    async with Fetcher(settings) as f:
        results = await asyncio.gather(*(f.fetch(url) for _ in range(14)))
    assert [r.status for r in results] == [200] * 14


async def test_https_pinned_to_address_keeps_sni_and_certificate_checks() -> None:
    """Dialling the checked IP must not weaken TLS: SNI and verification use the name."""

    async def resolver(host: str) -> list[str]:
        return ["127.0.0.1"]

    trust = ssl.create_default_context(cafile=str(TLS_TRUST))
    with serve(tls=True) as server:
        url = server.route("/feed", Route(body=RSS))
        settings = HttpSettings(allow_private_hosts=(TLS_HOST, "other.test"))
        # Like the default transport: no keep-alive, so no connection crosses host names.
        transport = httpx.AsyncHTTPTransport(
            verify=trust, limits=httpx.Limits(max_keepalive_connections=0)
        )
        async with Fetcher(settings, transport=transport, resolver=resolver) as f:
            result = await f.fetch(url)
            wrong_name = await fetch_error(f, f"https://other.test:{server.port}/feed")
    assert (result.status, result.body, result.url) == (200, RSS, url)
    assert server.requests[0].headers["host"] == f"{TLS_HOST}:{server.port}"
    assert server.server_names[0] == TLS_HOST
    assert wrong_name.kind == "network"
    assert "certificate" in str(wrong_name)


@pytest.mark.parametrize(
    ("encoding", "raw", "expected"),
    [
        ("gzip", gzip.compress(b"one ") + gzip.compress(b"two"), b"one two"),  # two members
        ("gzip", gzip.compress(b"body") + b"\r\n\0junk", b"body"),  # trailing junk ignored
        (None, b"plain", b"plain"),
        ("identity", b"plain", b"plain"),
    ],
)
def test_bounded_body_decodes(encoding: str | None, raw: bytes, expected: bytes) -> None:
    body = BoundedBody(encoding, limit=1024)
    for start in range(0, len(raw), 7):  # arbitrary network chunking
        body.feed(raw[start:start + 7])
    assert body.finish() == expected


@pytest.mark.parametrize(
    ("encoding", "raw", "error"),
    [
        ("gzip", b"\x1f\x8b\x08\x00garbage-not-deflate", BodyEncodingError),
        ("gzip", gzip.compress(b"abc")[:8], BodyEncodingError),  # cut inside the header
        ("br", b"\x0b\x02\x80", BodyEncodingError),
        ("gzip", gzip.compress(b"a" * 2048), BodyTooLargeError),
        (None, b"a" * 1025, BodyTooLargeError),
    ],
)
def test_bounded_body_refuses(encoding: str, raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        body = BoundedBody(encoding, limit=1024)
        body.feed(raw)
        body.finish()
