"""`PoolPerHost`: one transport per (scheme, Host), idle ones closed oldest first."""

from __future__ import annotations

import httpx

from digests.fetching.pools import PoolPerHost


class CountingTransport(httpx.AsyncBaseTransport):
    """A transport that answers every request and records when it is closed."""

    def __init__(self, name: int, closed: list[int]) -> None:
        self.name = name
        self._closed = closed

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=f"pool {self.name}".encode())

    async def aclose(self) -> None:
        self._closed.append(self.name)


def pools(max_hosts: int) -> tuple[PoolPerHost, list[int]]:
    made: list[int] = []
    closed: list[int] = []

    def make() -> httpx.AsyncBaseTransport:
        made.append(len(made))
        return CountingTransport(made[-1], closed)

    return PoolPerHost(make, max_hosts), closed


async def get(client: httpx.AsyncClient, host: str, *, scheme: str = "http") -> str:
    response = await client.get(f"{scheme}://127.0.0.1/feed", headers={"Host": host})
    return response.text


async def test_requests_go_to_the_pool_of_their_host_name_not_their_address() -> None:
    transport, _closed = pools(8)
    async with httpx.AsyncClient(transport=transport) as client:
        answers = [await get(client, host) for host in ["a.test", "b.test", "A.test"]]
        answers.append(await get(client, "a.test", scheme="https"))
        assert transport.hosts == [("http", "b.test"), ("http", "a.test"), ("https", "a.test")]
    assert answers == ["pool 0", "pool 1", "pool 0", "pool 2"]
    assert transport.hosts == []


async def test_idle_pools_beyond_the_cap_are_closed_oldest_first() -> None:
    transport, closed = pools(2)
    async with httpx.AsyncClient(transport=transport) as client:
        for host in ["a.test", "b.test", "a.test", "c.test"]:
            await get(client, host)
        assert closed == [1]  # b.test was the least recently used
        assert transport.hosts == [("http", "a.test"), ("http", "c.test")]
    assert sorted(closed) == [0, 1, 2]  # the rest when the client closes


async def test_a_pool_with_a_response_still_open_is_not_closed() -> None:
    transport, closed = pools(1)
    async with httpx.AsyncClient(transport=transport) as client:
        request = client.build_request("GET", "http://127.0.0.1/", headers={"Host": "a.test"})
        streaming = await client.send(request, stream=True)
        await get(client, "b.test")
        assert closed == []  # a.test's response is open: its pool stays
        await streaming.aclose()
        await get(client, "c.test")
        assert closed == [0, 1]
