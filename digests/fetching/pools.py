"""Kept-alive connections, one pool per host name, so a poll reuses connections (issue 14).

The fetcher pins every request to an address it has just checked: the URL carries the IP,
the Host header and the TLS server name carry the name (`fetcher`, `resolving`). httpx keys
its pool by the URL's origin, that is by address, so a single pool would let a connection
opened (and certificate-verified) for one name carry a request for another name served at
the same address. Here each (scheme, Host) gets its own httpx transport, and inside it httpx
keys by address: a kept-alive connection is reused only for the same name *and* the same
checked address. The address check still runs before every request and decides the URL, so
reuse can never reach an address the check did not pass for that request.

Idle pools are closed oldest first beyond `max_hosts`, so a poll of many sites does not
keep a socket open per site until it ends.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable

import httpx

PoolKey = tuple[str, str]


class _Pool:
    """One host name's transport and how many of its responses are still open."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self.transport = transport
        self.open_responses = 0


class _Released(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed (the connection is idle then)."""

    def __init__(self, stream: httpx.AsyncByteStream, pool: _Pool) -> None:
        self._stream = stream
        self._pool = pool
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.open_responses -= 1
        await self._stream.aclose()


class PoolPerHost(httpx.AsyncBaseTransport):
    """Routes each request to the transport of its (scheme, Host header)."""

    def __init__(
        self, make_transport: Callable[[], httpx.AsyncBaseTransport], max_hosts: int
    ) -> None:
        self._make = make_transport
        self._max_hosts = max(1, max_hosts)
        self._pools: OrderedDict[PoolKey, _Pool] = OrderedDict()

    @property
    def hosts(self) -> list[PoolKey]:
        """The pools open now, oldest use first (for tests and diagnostics)."""
        return list(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.headers.get("host") or request.url.netloc.decode("ascii")
        key = (request.url.scheme, host.lower())
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _Pool(self._make())
            await self._close_idle(keep=key)
        self._pools.move_to_end(key)
        pool.open_responses += 1
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.open_responses -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_Released(response.stream, pool),
            extensions=response.extensions,
        )

    async def _close_idle(self, keep: PoolKey) -> None:
        excess = len(self._pools) - self._max_hosts
        for key in list(self._pools):
            if excess <= 0:
                break
            pool = self._pools[key]
            if key != keep and pool.open_responses == 0:
                del self._pools[key]
                excess -= 1
                await pool.transport.aclose()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.transport.aclose()
