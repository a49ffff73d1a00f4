"""Which URLs the fetcher may request: a guard against server-side request forgery (pure).

Feed URLs come from users and from redirects chosen by remote servers, so a URL is only
requested when its scheme is http(s), it carries no credentials, and every address its host
stands for is publicly routable. Literal addresses are normalised the way C's `inet_aton` (and
browsers) read them, so `http://2130706433/` and `http://0x7f.1/` are recognised as
127.0.0.1 instead of being sent to a resolver that would quietly do the same. Self-hosters open
specific private hosts with `http.allow_private_hosts`. Nothing here touches the network; the
resolver step lives in `digests.fetching.resolving`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from digests.fetching.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What may remain of a host name once httpx has IDNA-encoded it.
_LABEL = r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?"
_HOSTNAME_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
# WHATWG URL: a host whose last label is a number is an IPv4 address, in any inet_aton form.
_NUMERIC_LABEL_RE = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_IPV4_FORMS_RE = re.compile(r"^[0-9a-fx.]+$")
# NAT64 (RFC 6052) embeds an IPv4 address that the gateway will actually reach.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class Target:
    """A URL that passed the static checks, with the host as the resolver will see it."""

    url: httpx.URL
    host: str
    port: int
    address: IPAddress | None

    @property
    def display(self) -> str:
        """The URL for messages: never carries credentials (they are refused anyway)."""
        return str(self.url.copy_with(userinfo=b"")) if self.url.userinfo else str(self.url)


def redact(url: str) -> str:
    """A URL safe to print: any `user:password@` part replaced, unparseable text shortened."""
    return re.sub(r"(?<=//)[^/@?#]*@", "***@", url)[:300]


def parse_target(url: str | httpx.URL) -> Target:
    """Check a URL's scheme, credentials, host and port without any I/O."""
    text = str(url)
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError("bad-url", f"not a valid URL: {redact(text)} ({exc})") from None
    scheme = parsed.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchError(
            "blocked-url", f"refusing {redact(text)}: only http and https feeds are fetched "
            f"(got {shown})"
        )
    if parsed.userinfo:
        raise FetchError(
            "blocked-url",
            f"refusing {redact(text)}: feed URLs must not carry a user name or password",
        )
    host = parsed.raw_host.decode("ascii", "replace").lower().rstrip(".")
    if not host:
        raise FetchError("bad-url", f"not a valid URL: {redact(text)} has no host name")
    port = parsed.port if parsed.port is not None else _DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        raise FetchError("bad-url", f"not a valid URL: {redact(text)} has port {port}")
    address = literal_address(host)
    if address is None and not _HOSTNAME_RE.match(host):
        raise FetchError("bad-url", f"not a valid URL: {redact(text)} has a malformed host name")
    return Target(url=parsed, host=host, port=port, address=address)


def literal_address(host: str) -> IPAddress | None:
    """The address a host names literally, in any form a socket library accepts, else None.

    Raises `bad-url` for hosts that look numeric but are no valid address (`1.2.3.4.5`,
    `08.1`), as browsers do, rather than letting a resolver guess.
    """
    bare = host.strip("[]").rstrip(".").lower()
    if ":" in bare:
        try:
            return ipaddress.ip_address(bare)
        except ValueError:
            raise FetchError("bad-url", f"not a valid IPv6 address: {host}") from None
    last_label = bare.rsplit(".", 1)[-1]
    if not _NUMERIC_LABEL_RE.match(last_label):
        return None
    if not _IPV4_FORMS_RE.match(bare):
        raise FetchError("bad-url", f"not a valid IPv4 address: {host}")
    try:
        # inet_aton is pure parsing (no lookup) and reads decimal, octal, hex and short forms.
        packed = socket.inet_aton(bare)
    except OSError:
        raise FetchError("bad-url", f"not a valid IPv4 address: {host}") from None
    return ipaddress.IPv4Address(packed)


def effective_address(address: IPAddress) -> IPAddress:
    """The address a packet really reaches: IPv4 inside mapped, 6to4 and NAT64 IPv6 forms."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def blocked_reason(address: IPAddress) -> str | None:
    """Why an address must not be fetched from (None when it is publicly routable)."""
    inner = effective_address(address)
    checks = (
        (inner.is_unspecified, "an unspecified address"),
        (inner.is_loopback, "a loopback address"),
        (inner.is_link_local, "a link-local address"),
        (inner.is_multicast, "a multicast address"),
        (inner.is_private, "a private address"),
        (inner.is_reserved, "a reserved address"),
        (not inner.is_global, "not a public address"),
    )
    for failed, reason in checks:
        if failed:
            return reason
    if inner is not address and blocked_reason(inner) is not None:
        return "a private address in IPv6 form"
    return None


@dataclass(frozen=True)
class PrivateHostAllowance:
    """The hosts and networks a self-hoster opened on purpose (`http.allow_private_hosts`)."""

    hostnames: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> PrivateHostAllowance:
        """Entries are host names (`nas.lan`), addresses (`10.0.0.5`) or networks (`10.0.0.0/8`)."""
        hostnames: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower().rstrip(".")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hostnames.add(entry)
        return cls(frozenset(hostnames), tuple(networks))

    def permits(self, host: str, address: IPAddress) -> bool:
        """Whether this host name or address was opened explicitly."""
        if host in self.hostnames:
            return True
        candidates = {address, effective_address(address)}
        return any(
            a in net for a in candidates for net in self.networks if a.version == net.version
        )


def check_address(target: Target, address: IPAddress, allowance: PrivateHostAllowance) -> None:
    """Raise `blocked-url` unless the address is public or explicitly allowed."""
    reason = blocked_reason(address)
    if reason is None or allowance.permits(target.host, address):
        return
    shown = target.host if target.address is not None else f"{target.host} resolves to {address}"
    raise FetchError(
        "blocked-url",
        f"refusing {target.display}: {shown}, which is {reason}; "
        "add it to http.allow_private_hosts if this is your own server",
    )
