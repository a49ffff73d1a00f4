"""Host name → checked addresses, through an injectable resolver.

The fetcher connects to exactly the addresses returned here (it pins the request to them),
so a DNS answer that changes between the check and the connection ("DNS rebinding") cannot
steer a request to a private address. Tests inject a resolver and never touch DNS.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

from digests.fetching.errors import FetchError
from digests.fetching.url_safety import (
    IPAddress,
    PrivateHostAllowance,
    Target,
    check_address,
)

Resolver = Callable[[str], Awaitable[list[str]]]


def connect_address(address: IPAddress) -> IPAddress:
    """IPv4-mapped IPv6 is dialled as plain IPv4; other forms are dialled as given."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


async def system_resolver(host: str) -> list[str]:
    """The event loop's `getaddrinfo`, in the system's preferred order, duplicates removed."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]), None)
    return list(seen)


async def checked_addresses(
    target: Target, resolver: Resolver, allowance: PrivateHostAllowance
) -> list[IPAddress]:
    """Every address of the target, each checked; one refused address refuses the host.

    A name that resolves to both public and private addresses is treated as hostile: picking
    the public one would make the outcome depend on the resolver's order.
    """
    if target.address is not None:
        check_address(target, target.address, allowance)
        return [connect_address(target.address)]
    try:
        answers = await resolver(target.host)
    except OSError as exc:
        detail = exc.strerror or str(exc) or type(exc).__name__
        raise FetchError(
            "network", f"could not resolve {target.host} for {target.display}: {detail}"
        ) from None
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(answer.split("%", 1)[0])
        except ValueError:
            raise FetchError(
                "network", f"resolver returned {answer!r} for {target.host}, not an address"
            ) from None
        check_address(target, address, allowance)
        addresses.append(connect_address(address))
    if not addresses:
        raise FetchError("network", f"{target.host} has no addresses ({target.display})")
    return addresses
