"""Address policy: any address in a forbidden network is refused in every spelling."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsdigest.errors import FetchError
from newsdigest.fetch.addresses import _DENY_V4, parse_ipv4_host, refusal_reason
from newsdigest.fetch.resolver import resolve_allowed
from newsdigest.fetch.urls import parse_url

FORBIDDEN_V4 = [net for net, _ in _DENY_V4]
FORBIDDEN_V6 = [
    ipaddress.IPv6Network(n)
    for n in (
        "::1/128",
        "::/128",
        "::/96",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
        "2001:db8::/32",
        "2001::/23",
        "100::/64",
        "64:ff9b:1::/48",
        "3fff::/20",
        "4000::/2",
    )
]


def _in(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> st.SearchStrategy[int]:
    return st.integers(int(net.network_address), int(net.broadcast_address))


forbidden_v4 = st.sampled_from(FORBIDDEN_V4).flatmap(_in)
public_v4 = st.integers(0, 2**32 - 1).filter(lambda n: refusal_reason(ipaddress.IPv4Address(n)) is None)
forbidden_v6 = st.sampled_from(FORBIDDEN_V6).flatmap(_in)


def _num(value: int, radix: str) -> str:
    return {"dec": str(value), "oct": "0" + format(value, "o"), "hex": "0x" + format(value, "x")}[radix]


@st.composite
def ipv4_spelling(draw: st.DrawFn, value: int) -> str:
    """A dotted/short/integer form in mixed radices, as browsers and inet_aton accept."""
    octets = list(value.to_bytes(4, "big"))
    parts = draw(st.sampled_from([4, 3, 2, 1]))
    numbers = [*octets[: parts - 1], int.from_bytes(bytes(octets[parts - 1 :]), "big")]
    radix = st.sampled_from(["dec", "oct", "hex"])
    text = ".".join(_num(n, draw(radix)) for n in numbers)
    if draw(st.booleans()):
        text = text.upper() if "0x" in text and draw(st.booleans()) else text
    return text + ("." if draw(st.booleans()) else "")


def v6_embeddings(value: int) -> list[str]:
    v4 = ipaddress.IPv4Address(value)
    hi, lo = value >> 16, value & 0xFFFF
    return [
        f"[::ffff:{v4}]",
        f"[::ffff:{hi:x}:{lo:x}]",
        f"[0:0:0:0:0:ffff:{v4}]",
        f"[64:ff9b::{hi:x}:{lo:x}]",
        f"[64:ff9b::{v4}]",
        f"[2002:{hi:x}:{lo:x}::1]",
    ]


def _refused(host: str) -> bool:
    try:
        resolve_allowed(parse_url(f"http://{host}/"), allow_private=False, resolver=_no_dns)
    except FetchError as exc:
        return exc.reason == "address_not_allowed"
    return False


def _no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"an IP literal must never reach the resolver: {host}")


@settings(max_examples=300, deadline=None)
@given(data=st.data(), value=forbidden_v4)
def test_forbidden_ipv4_refused_in_every_spelling(data: st.DataObject, value: int) -> None:
    spelling = data.draw(ipv4_spelling(value))
    assert parse_ipv4_host(spelling) == ipaddress.IPv4Address(value)
    assert _refused(spelling), spelling
    for embedded in v6_embeddings(value):
        assert _refused(embedded), embedded


@settings(max_examples=200, deadline=None)
@given(data=st.data(), value=public_v4)
def test_public_ipv4_spellings_normalise_to_the_same_address(data: st.DataObject, value: int) -> None:
    spelling = data.draw(ipv4_spelling(value))
    parsed = parse_url(f"http://{spelling}/")
    assert parsed.ip == ipaddress.IPv4Address(value)
    assert parsed.host == str(ipaddress.IPv4Address(value))
    assert not _refused(spelling)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), value=st.integers(0, 2**32 - 1))
def test_parser_agrees_with_libc_inet_aton(data: st.DataObject, value: int) -> None:
    """The resolver's own numeric parsing (glibc inet_aton) must see the same address we checked."""
    spelling = data.draw(ipv4_spelling(value)).rstrip(".")
    assert socket.inet_aton(spelling) == value.to_bytes(4, "big")
    assert parse_ipv4_host(spelling) == ipaddress.IPv4Address(value)


@settings(max_examples=300, deadline=None)
@given(value=forbidden_v6, style=st.sampled_from(["compressed", "exploded", "upper"]))
def test_forbidden_ipv6_refused(value: int, style: str) -> None:
    address = ipaddress.IPv6Address(value)
    text = {
        "compressed": address.compressed,
        "exploded": address.exploded,
        "upper": address.compressed.upper(),
    }[style]
    assert _refused(f"[{text}]"), text


@pytest.mark.parametrize(
    "text",
    [
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001:800::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
    ],
)
def test_public_addresses_allowed(text: str) -> None:
    assert refusal_reason(ipaddress.ip_address(text)) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("169.254.169.254", "link-local"),
        ("fd00:ec2::254", "unique local"),
        ("100.64.0.1", "shared address"),
        ("::ffff:169.254.169.254", "embeds 169.254.169.254"),
        ("fe80::1%eth0", "scoped"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "documentation"),
    ],
)
def test_refusal_reasons_are_descriptive(text: str, why: str) -> None:
    reason = refusal_reason(ipaddress.ip_address(text))
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.1", "127.0.0.1"),
        ("2852039166", "169.254.169.254"),
        ("0251.0376.0251.0376", "169.254.169.254"),
        ("0xa9fea9fe", "169.254.169.254"),
        ("169.254.43518", "169.254.169.254"),
        ("0x", "0.0.0.0"),
        ("0", "0.0.0.0"),
        ("1.2.3.4.", "1.2.3.4"),
        ("1.2.3.0x", "1.2.3.0"),
    ],
)
def test_ipv4_host_spellings(host: str, expected: str) -> None:
    assert str(parse_ipv4_host(host)) == expected


@pytest.mark.parametrize(
    "host",
    [
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.3.256",
        "0x100000000",
        "4294967296",
        "09.1.1.1",
        "1..2.3",
        "",
        "example.com",
        "0x1g",
    ],
)
def test_not_ipv4(host: str) -> None:
    assert parse_ipv4_host(host) is None


def test_resolver_answers_all_checked() -> None:
    parsed = parse_url("http://news.example/")
    with pytest.raises(FetchError) as info:
        resolve_allowed(parsed, allow_private=False, resolver=lambda h, p: ["93.184.216.34", "10.0.0.1"])
    assert info.value.reason == "address_not_allowed"
    assert "10.0.0.1" in str(info.value)
    ok = resolve_allowed(parsed, allow_private=False, resolver=lambda h, p: ["93.184.216.34", "2606:4700::1"])
    assert [str(a) for a in ok] == ["93.184.216.34", "2606:4700::1"]


def test_allow_private_is_an_explicit_opt_in() -> None:
    parsed = parse_url("http://127.0.0.1:8080/")
    assert [str(a) for a in resolve_allowed(parsed, allow_private=True, resolver=None)] == ["127.0.0.1"]
