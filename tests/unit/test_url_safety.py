"""URL safety: every refusal proved without network, through the pure checks and a fake
resolver."""

from __future__ import annotations

import ipaddress

import pytest

from digests.fetching import FetchError
from digests.fetching.resolving import Resolver, checked_addresses
from digests.fetching.url_safety import (
    PrivateHostAllowance,
    blocked_reason,
    check_address,
    literal_address,
    parse_target,
    redact,
)

NO_ALLOWANCE = PrivateHostAllowance()


@pytest.mark.parametrize(
    ("url", "host", "port", "address"),
    [
        ("https://example.org/feed.xml", "example.org", 443, None),
        ("http://Example.ORG.:8080/rss", "example.org", 8080, None),
        ("http://bücher.de/", "xn--bcher-kva.de", 80, None),
        ("http://93.184.216.34/", "93.184.216.34", 80, "93.184.216.34"),
        ("http://[2606:4700::1]/", "2606:4700::1", 80, "2606:4700::1"),
        ("http://2130706433/", "2130706433", 80, "127.0.0.1"),
        ("http://0x7f.1/", "0x7f.1", 80, "127.0.0.1"),
        ("http://0177.1/", "0177.1", 80, "127.0.0.1"),
        ("http://127.1/", "127.1", 80, "127.0.0.1"),
        ("http://0/", "0", 80, "0.0.0.0"),
    ],
)
def test_parse_target_normalises_hosts(
    url: str, host: str, port: int, address: str | None
) -> None:
    target = parse_target(url)
    assert (target.host, target.port) == (host, port)
    assert target.address == (ipaddress.ip_address(address) if address else None)


@pytest.mark.parametrize(
    ("url", "kind", "says"),
    [
        ("file:///etc/passwd", "blocked-url", "file:"),
        ("ftp://example.org/feed", "blocked-url", "ftp:"),
        ("javascript:alert(1)", "blocked-url", "javascript:"),
        ("gopher://example.org/", "blocked-url", "gopher:"),
        ("example.org/feed", "blocked-url", "no scheme"),
        ("http://user:hunter2@example.org/", "blocked-url", "password"),
        ("http://token@example.org/", "blocked-url", "password"),
        ("http:///feed", "bad-url", "no host"),
        ("http://example.org:0/", "bad-url", "port"),
        ("http://example.org:70000/", "bad-url", "port"),
        ("http://1.2.3.4.5/", "bad-url", "IPv4"),
        ("http://08.0.0.1/", "bad-url", "IPv4"),
        ("http://a b.org/", "bad-url", "host name"),
        ("http://[::1/", "bad-url", "valid URL"),
        ("http://0177.0.0.1/", "bad-url", "IPv4"),  # httpx refuses dotted-quad octal itself
    ],
)
def test_parse_target_refusals(url: str, kind: str, says: str) -> None:
    with pytest.raises(FetchError) as caught:
        parse_target(url)
    assert caught.value.kind == kind
    assert says in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("93.184.216.34", None),
        ("2606:4700::1", None),
        ("::ffff:93.184.216.34", None),
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "private"),  # Python counts 240/4 as private as well as reserved
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("192.0.2.10", "private"),  # documentation range
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::1", "loopback"),  # 6to4 of 127.0.0.1
    ],
)
def test_blocked_reason(address: str, reason: str | None) -> None:
    found = blocked_reason(ipaddress.ip_address(address))
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found


@pytest.mark.parametrize(
    ("host", "expected"),
    [("example.org", None), ("1.2.3.4", "1.2.3.4"), ("0x01020304", "1.2.3.4"),
     ("16909060", "1.2.3.4"), ("1.2.772", "1.2.3.4"), ("[::1]", "::1"), ("1e100.net", None),
     ("0xdead.example", None)],
)
def test_literal_address_forms(host: str, expected: str | None) -> None:
    assert literal_address(host) == (ipaddress.ip_address(expected) if expected else None)


@pytest.mark.parametrize(
    ("entries", "host", "address", "permitted"),
    [
        (("127.0.0.1",), "127.0.0.1", "127.0.0.1", True),
        (("127.0.0.1",), "127.0.0.2", "127.0.0.2", False),
        (("10.0.0.0/8",), "nas.lan", "10.9.8.7", True),
        (("nas.lan",), "nas.lan", "192.168.1.5", True),
        (("NAS.lan.",), "nas.lan", "192.168.1.5", True),
        (("nas.lan",), "other.lan", "192.168.1.5", False),
        (("10.0.0.0/8",), "x", "::ffff:10.1.1.1", True),
        (("::1",), "x", "127.0.0.1", False),
    ],
)
def test_private_host_allowance(
    entries: tuple[str, ...], host: str, address: str, permitted: bool
) -> None:
    allowance = PrivateHostAllowance.from_entries(entries)
    assert allowance.permits(host, ipaddress.ip_address(address)) is permitted


def fake_resolver(answers: dict[str, list[str]]) -> Resolver:
    async def resolve(host: str) -> list[str]:
        if host not in answers:
            raise OSError(-2, "Name or service not known")
        return answers[host]

    return resolve


DNS = {
    "public.example": ["93.184.216.34", "2606:2800:220:1::1"],
    "loopback.example": ["127.0.0.1"],
    "mixed.example": ["93.184.216.34", "10.0.0.7"],
    "metadata.example": ["169.254.169.254"],
    "mapped.example": ["::ffff:192.168.0.1"],
    "mapped-public.example": ["::ffff:93.184.216.34"],
    "scoped.example": ["fe80::1%eth0"],
    "empty.example": [],
    "garbage.example": ["not-an-ip"],
}


@pytest.mark.parametrize(
    ("url", "allow", "outcome"),
    [
        ("http://public.example/", (), ["93.184.216.34", "2606:2800:220:1::1"]),
        ("http://mapped-public.example/", (), ["93.184.216.34"]),
        ("http://loopback.example/", (), "blocked-url"),
        ("http://loopback.example/", ("loopback.example",), ["127.0.0.1"]),
        ("http://loopback.example/", ("127.0.0.0/8",), ["127.0.0.1"]),
        ("http://mixed.example/", (), "blocked-url"),
        ("http://metadata.example/", (), "blocked-url"),
        ("http://mapped.example/", (), "blocked-url"),
        ("http://scoped.example/", (), "blocked-url"),
        ("http://empty.example/", (), "network"),
        ("http://garbage.example/", (), "network"),
        ("http://unknown.example/", (), "network"),
        ("http://169.254.169.254/", (), "blocked-url"),
        ("http://2130706433/", (), "blocked-url"),
        ("http://[::ffff:7f00:1]/", (), "blocked-url"),
        ("http://8.8.8.8/", (), ["8.8.8.8"]),
    ],
)
async def test_checked_addresses(
    url: str, allow: tuple[str, ...], outcome: list[str] | str
) -> None:
    target = parse_target(url)
    allowance = PrivateHostAllowance.from_entries(allow)
    resolver = fake_resolver(DNS)
    if isinstance(outcome, list):
        found = await checked_addresses(target, resolver, allowance)
        assert [str(a) for a in found] == outcome
    else:
        with pytest.raises(FetchError) as caught:
            await checked_addresses(target, resolver, allowance)
        assert caught.value.kind == outcome


def test_blocked_message_tells_the_self_hoster_what_to_do() -> None:
    target = parse_target("http://loopback.example/feed")
    with pytest.raises(FetchError) as caught:
        check_address(target, ipaddress.ip_address("127.0.0.1"), NO_ALLOWANCE)
    message = str(caught.value)
    assert "loopback.example resolves to 127.0.0.1" in message
    assert "http.allow_private_hosts" in message


@pytest.mark.parametrize(
    ("url", "shown"),
    [("http://u:p@example.org/x", "http://***@example.org/x"),
     ("http://example.org/a@b", "http://example.org/a@b")],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown
