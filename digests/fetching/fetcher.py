"""Fetching feed URLs over HTTP: conditional GET, redirects, limits and URL safety.

The only place (with its sibling modules) that imports httpx. Every hop of a redirect chain is
checked by `url_safety`, resolved once through the injectable resolver, and the request is
pinned to the checked address (the Host header and TLS server name keep the real host name),
so neither a redirect nor a DNS answer that changes after the check can reach a private
address. Connections are kept alive and reused per host name and address (`pools`), so a
poll of many feeds on one site costs one or two connections, not one per feed. Conditional
requests follow RFC 9110 §13.1 (If-None-Match, If-Modified-Since): a 304
carries no body and saves the parse, which is the expensive step of an ingest.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType

import httpx

from digests.config import HttpSettings
from digests.fetching.decoding import BodyEncodingError, BodyTooLargeError, BoundedBody
from digests.fetching.errors import FetchError
from digests.fetching.limits import HostLimiter
from digests.fetching.pools import PoolPerHost
from digests.fetching.resolving import Resolver, checked_addresses, system_resolver
from digests.fetching.url_safety import (
    IPAddress,
    PrivateHostAllowance,
    Target,
    parse_target,
    redact,
)

# What an article page or a robots.txt request asks for, instead of the feed types.
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
TEXT_ACCEPT = "text/plain,*/*;q=0.1"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/feed+json;q=0.5, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
# Only encodings we can inflate under a size limit ourselves (see `decoding`).
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Asked before each redirect hop is requested (after its address passed the safety check):
# None lets it through, a reason refuses it. Article pages use it for robots.txt of the site
# a page redirects to (RFC 9309 applies to every URL we request, not only the first).
RedirectCheck = Callable[[str], Awaitable[str | None]]
# A server that drips one byte just inside the read timeout would otherwise hold a slot
# for hours; each request gets this many read timeouts on top of one connect.
TOTAL_READ_TIMEOUTS = 3
# The most of a 304, redirect or error body read only to keep its connection for reuse.
DRAIN_BYTES = 64 * 1024
# Failures before a response's status line arrived: no byte of an answer was read, so repeating
# a GET cannot repeat anything the server did for us (RFC 9110 §9.2.2).
NO_RESPONSE_ERRORS = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
# Host names whose idle connections stay open at once (at least; twice `http.concurrency`).
POOLED_HOSTS = 16


@dataclass(frozen=True)
class FetchResult:
    """What a fetch produced: a body (status 2xx) or "unchanged" (status 304, body None)."""

    url: str
    status: int
    body: bytes | None
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class _Redirect:
    location: str


class Fetcher:
    """An HTTP client for untrusted feed URLs; one per poll, closed with `aclose()`.

    `verify` replaces the system's TLS trust store (tests). A custom `transport` (tests)
    replaces the pools per host name: one that keeps connections alive in a single pool
    would let a connection verified for one host name carry a request for another name.
    """

    def __init__(
        self,
        settings: HttpSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self._settings = settings
        self._resolver: Resolver = resolver or system_resolver
        self._allowance = PrivateHostAllowance.from_entries(settings.allow_private_hosts)
        self._limiter = HostLimiter(settings.concurrency, settings.per_host)
        self._deadline = settings.connect_timeout + TOTAL_READ_TIMEOUTS * settings.read_timeout
        self._verify = verify
        if transport is None:
            transport = PoolPerHost(
                self._host_transport, max(POOLED_HOSTS, 2 * settings.concurrency)
            )
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            # Proxies from the environment would defeat address pinning; .netrc would leak.
            trust_env=False,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.connect_timeout + settings.read_timeout,
            ),
            headers={
                "User-Agent": settings.user_agent,
                "Accept": FEED_ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )

    def _host_transport(self) -> httpx.AsyncBaseTransport:
        """One host name's pool: as many connections as requests may run there at once
        (`HostLimiter` holds the rest back), all kept alive between requests."""
        if self._verify is None:
            # Built once per fetcher, not per host: loading the trust store costs milliseconds.
            self._verify = httpx.create_ssl_context()
        per_host = self._settings.per_host
        return httpx.AsyncHTTPTransport(
            verify=self._verify,
            limits=httpx.Limits(max_connections=per_host, max_keepalive_connections=per_host),
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None,
        accept: str | None = None, before_redirect: RedirectCheck | None = None,
    ) -> FetchResult:
        """GET a feed (or, with `accept`, another kind of document: an article page, a
        robots.txt), following safe redirects; raises `FetchError` for every failure, kind
        "refused-redirect" when `before_redirect` refuses a hop."""
        request_headers: dict[str, str] = {}
        if accept:
            request_headers["Accept"] = accept
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        return await self._follow(url, request_headers, before_redirect)

    async def _follow(
        self, url: str, request_headers: dict[str, str], before_redirect: RedirectCheck | None
    ) -> FetchResult:
        current: str | httpx.URL = url
        for hop in range(self._settings.max_redirects + 1):
            target = parse_target(current)
            outcome = await self._hop(target, request_headers,
                                      before_redirect if hop else None)
            if isinstance(outcome, FetchResult):
                return outcome
            try:
                current = target.url.join(outcome.location)
            except httpx.InvalidURL:
                raise FetchError(
                    "bad-url",
                    f"{target.display} redirected to an invalid URL: {outcome.location[:200]!r}",
                ) from None
        raise FetchError(
            "too-many-redirects",
            f"{_shown(url)} redirected more than {self._settings.max_redirects} times "
            f"(last to {_shown(str(current))})",
        )

    async def _hop(
        self, target: Target, request_headers: dict[str, str],
        before_redirect: RedirectCheck | None,
    ) -> FetchResult | _Redirect:
        try:
            async with asyncio.timeout(self._settings.connect_timeout):
                addresses = await checked_addresses(target, self._resolver, self._allowance)
        except TimeoutError:
            raise FetchError(
                "timeout", f"{target.display}: looking up {target.host} timed out"
            ) from None
        if before_redirect is not None:
            # After the address check (an unsafe hop is refused as such, and no robots.txt is
            # asked of a private address), before any slot is held: the check may fetch.
            refusal = await before_redirect(str(target.url))
            if refusal is not None:
                raise FetchError("refused-redirect", refusal)
        # The deadline starts once a slot is ours: waiting behind other feeds is not the
        # server's fault.
        async with self._limiter.slot(target.host):
            try:
                async with asyncio.timeout(self._deadline):
                    response = await self._send_pinned(target, addresses, request_headers)
                    try:
                        return await self._handle(target, response)
                    finally:
                        await response.aclose()
            except TimeoutError:
                raise FetchError(
                    "timeout",
                    f"{target.display}: the response took longer than {self._deadline:g} s "
                    "in total",
                ) from None
            except httpx.TimeoutException as exc:
                raise FetchError(
                    "timeout", f"{target.display}: {_timeout_phase(exc)} timed out"
                ) from None
            except httpx.HTTPError as exc:
                detail = str(exc) or type(exc).__name__
                raise FetchError("network", f"{target.display}: {detail}") from None

    async def _send_pinned(
        self, target: Target, addresses: list[IPAddress], request_headers: dict[str, str]
    ) -> httpx.Response:
        """Send to the first checked address that accepts a connection."""
        headers = {**request_headers, "Host": target.url.netloc.decode("ascii")}
        extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
        last_error: httpx.ConnectError | None = None
        for address in addresses:
            request = self._client.build_request(
                "GET",
                target.url.copy_with(host=str(address)),
                headers=headers,
                extensions=extensions,
            )
            try:
                return await self._send_again_if_dropped(request)
            except httpx.ConnectError as exc:
                last_error = exc
        assert last_error is not None  # addresses is never empty
        raise last_error

    async def _send_again_if_dropped(self, request: httpx.Request) -> httpx.Response:
        """A server may close a kept-alive connection just as our request goes out (its idle
        timeout fires first); the request then fails before any response arrives. A GET is
        safe to repeat, so it is sent once more: the pool has dropped the dead connection, so
        the repeat opens a new one. Once only, so a server that always hangs up costs two
        requests and fails with its own error."""
        try:
            return await self._client.send(request, stream=True)
        except NO_RESPONSE_ERRORS:
            return await self._client.send(request, stream=True)

    async def _handle(self, target: Target, response: httpx.Response) -> FetchResult | _Redirect:
        status = response.status_code
        if not 200 <= status < 300:
            await _drain(response)
        if status in REDIRECT_STATUSES:
            location = response.headers.get("location")
            if not location:
                raise FetchError(
                    "http-status", f"{target.display}: HTTP {status} without a Location",
                    status=status,
                )
            return _Redirect(location)
        headers = {key.lower(): value for key, value in response.headers.items()}
        if status == 304:
            return self._result(target, status, None, headers)
        if not 200 <= status < 300:
            reason = response.reason_phrase or "error"
            raise FetchError(
                "http-status", f"{target.display}: HTTP {status} {reason}", status=status,
                retry_after=response.headers.get("retry-after"),
            )
        body = await self._read_body(target, response)
        return self._result(target, status, body, headers)

    async def _read_body(self, target: Target, response: httpx.Response) -> bytes:
        limit = self._settings.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(target, limit, f"it declares {int(declared)} bytes")
        try:
            if response.is_stream_consumed:
                # Transports that read the body themselves (httpx.MockTransport in tests) hand
                # over decoded content: only the size check can still apply.
                body = BoundedBody(None, limit)
                body.feed(response.content)
                return body.finish()
            body = BoundedBody(response.headers.get("content-encoding"), limit)
            async for chunk in response.aiter_raw():
                body.feed(chunk)
            return body.finish()
        except BodyTooLargeError:
            raise _too_large(target, limit, "it kept streaming past that") from None
        except BodyEncodingError as exc:
            raise FetchError("network", f"{target.display}: {exc}") from None

    @staticmethod
    def _result(
        target: Target, status: int, body: bytes | None, headers: dict[str, str]
    ) -> FetchResult:
        return FetchResult(
            url=str(target.url),
            status=status,
            body=body,
            headers=headers,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
        )


async def _drain(response: httpx.Response) -> None:
    """Read the (empty or small) body of a 304, a redirect or an error page, so its connection
    goes back to the pool: one closed mid-response cannot be reused. A body larger than
    `DRAIN_BYTES` is not worth it; the connection is dropped instead."""
    if response.is_stream_consumed:
        return
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > DRAIN_BYTES:
            return


def _too_large(target: Target, limit: int, detail: str) -> FetchError:
    return FetchError(
        "too-large",
        f"{target.display} is larger than the {limit}-byte limit (http.max_bytes); {detail}",
    )


def _timeout_phase(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connecting"
    if isinstance(exc, httpx.PoolTimeout):
        return "waiting for a connection slot"
    if isinstance(exc, httpx.WriteTimeout):
        return "sending the request"
    return "waiting for the server to send data"


def _shown(url: str) -> str:
    return redact(url)
