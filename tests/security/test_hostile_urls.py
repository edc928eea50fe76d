"""Hostile URL suite: every URL here must be refused before any byte reaches its target.

``{t}`` in a URL is the port of the loopback "target" server (standing in for an internal
service). Each refused case asserts the stable reason code, zero hits on the target, and -- via the
network guard in conftest -- that no connection was attempted at all.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from newsdigest.errors import FetchError, TransientError
from newsdigest.fetch import fetch_url

SCHEMES = [
    "file:///etc/passwd",
    "file://127.0.0.1:{t}/etc/passwd",
    "FILE:///etc/passwd",
    " file:///etc/passwd",
    "ftp://127.0.0.1:{t}/",
    "gopher://127.0.0.1:{t}/_GET%20/%20HTTP/1.0%0d%0a",
    "data:text/html,<p>hi</p>",
    "javascript:alert(1)",
    "dict://127.0.0.1:{t}/info",
    "ldap://127.0.0.1:{t}/",
    "ws://127.0.0.1:{t}/",
    "jar:http://127.0.0.1:{t}/x.jar!/",
    "netdoc:///etc/passwd",
    "view-source:http://127.0.0.1:{t}/",
    "//127.0.0.1:{t}/",
    "127.0.0.1:{t}/",
]

LOOPBACK = [
    "http://127.0.0.1:{t}/",
    "HTTP://127.0.0.1:{t}/",
    "http://127.1:{t}/",
    "http://127.0.1:{t}/",
    "http://2130706433:{t}/",
    "http://0x7f000001:{t}/",
    "http://0X7F000001:{t}/",
    "http://0x7f.1:{t}/",
    "http://0177.0.0.1:{t}/",
    "http://0177.1:{t}/",
    "http://017700000001:{t}/",
    "http://0177.0.0.0x1:{t}/",
    "http://127.000.000.001:{t}/",
    "http://127.0.0.1.:{t}/",
    "http://%31%32%37.0.0.1:{t}/",
    "http://１２７.０.０.１:{t}/",
    "http://127。0。0。1:{t}/",
    "http://127.255.255.254:{t}/",
    "http://0:{t}/",
    "http://0.0.0.0:{t}/",
    "http://0x0:{t}/",
    "http://localhost:{t}/",
    "http://LOCALHOST:{t}/",
    "http://localhost.:{t}/",
    "http://app.localhost:{t}/",
    "http://[::1]:{t}/",
    "http://[0000:0000:0000:0000:0000:0000:0000:0001]:{t}/",
    "http://[::ffff:127.0.0.1]:{t}/",
    "http://[::ffff:7f00:1]:{t}/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]:{t}/",
    "http://[::127.0.0.1]:{t}/",
    "http://[::]:{t}/",
    "http://[2002:7f00:1::]:{t}/",
    "http://[64:ff9b::7f00:1]:{t}/",
]

METADATA = [
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.169.254/latest/api/token",
    "http://2852039166/",
    "http://0251.0376.0251.0376/",
    "http://0xa9fea9fe/",
    "http://0xa9.0xfe.0xa9.0xfe/",
    "http://169.254.43518/",
    "http://169.16689662/",
    "http://0251.0xfe.43518/",
    "http://025177524776/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[64:ff9b::169.254.169.254]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://169.254.170.2/v2/credentials",
    "http://[fe80::a9fe:a9fe%25eth0]/",
    "http://[fe80::1]/",
]

PRIVATE_AND_SPECIAL = [
    "http://10.0.0.1/",
    "http://10.1/",
    "http://012.0.0.1/",
    "http://167772161/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://0xc0a80101/",
    "http://100.64.0.1/",
    "http://100.127.255.254/",
    "http://224.0.0.1/",
    "http://239.255.255.250:1900/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
    "http://198.18.0.1/",
    "http://192.0.0.170/",
    "http://192.0.2.1/",
    "http://[fd00::1]/",
    "http://[fc00::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[2001:db8::1]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "http://[100::1]/",
    "http://[64:ff9b:1::a00:1]/",
    "http://[2002:a00:1::]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:100.64.0.1]/",
]

DNS_INWARD = [
    "http://internal.example/",
    "http://metadata.example/latest/meta-data/",
    "http://loopback.example:{t}/",
    "http://v6loop.example:{t}/",
    "http://v6meta.example/",
    "http://mapped.example/",
    "http://nat64.example/",
    "http://cgnat.example/",
    "http://mixed.example:{t}/",
    "http://mixed-late.example/",
    "http://zero.example:{t}/",
]

DNS_FAILS = [
    "http://nxdomain.example/",
    "http://empty.example/",
    "http://garbage.example/",
    "http://127.0.0.0x7g/",
]

BAD_URLS = [
    "http://news.example@127.0.0.1:{t}/",
    "http://user:pass@news.example/",
    "http://news.example\\@127.0.0.1:{t}/",
    "http://news.example%40127.0.0.1:{t}/",
    "http://127.0.0.1%2f@news.example/",
    "http:///127.0.0.1:{t}/",
    "http:127.0.0.1:{t}/",
    "http://127.0.0.1:{t}\t/",
    "http://news.example/\r\nX-Injected: 1",
    "http://1.2.3.4.5/",
    "http://0x100000000/",
    "http://256.0.0.1/",
    "http://[::1/",
    "http://[127.0.0.1]/",
    "http://news.example:99999/",
    "http://news.example:-1/",
    "http://news.example:80:{t}/",
    "http://news example/",
    "http://news.example%00.evil/",
    "http:// /",
]

# Userinfo-free tricks that parse to a loopback host: refused by the address policy.
CONFUSION = [
    "http://127.0.0.1:{t}#@news.example/",
    "http://127.0.0.1:{t}?@news.example/",
    "http://127.0.0.1:{t}/news.example/",
]

CASES = (
    [(u, "scheme_not_allowed") for u in SCHEMES[:-2]]
    + [(u, "bad_url") for u in SCHEMES[-2:]]
    + [(u, "address_not_allowed") for u in LOOPBACK + METADATA + PRIVATE_AND_SPECIAL + DNS_INWARD + CONFUSION]
    + [(u, "dns_failed") for u in DNS_FAILS]
    + [(u, "bad_url") for u in BAD_URLS]
)


def test_suite_is_big_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("template", "reason"), CASES, ids=[c[0] for c in CASES])
def test_hostile_url_is_refused_without_any_connection(
    template, reason, target, strict, dns, override, network_guard
) -> None:
    url = template.replace("{t}", str(target.port))
    with pytest.raises(FetchError) as info:
        fetch_url(url, strict, resolver=dns, connect_override=override)
    assert info.value.reason == reason, str(info.value)
    assert info.value.permanent
    assert target.total_hits == 0
    assert network_guard.connections == []


@pytest.mark.parametrize("template", SCHEMES[:2] + LOOPBACK[:5] + METADATA[:3] + DNS_INWARD[:3])
def test_refusals_hold_with_robots_enabled(template, target, strict, dns, override, network_guard) -> None:
    """robots.txt fetching must not become a side door to the refused host."""
    url = template.replace("{t}", str(target.port))
    with pytest.raises(FetchError):
        fetch_url(url, replace(strict, respect_robots=True), resolver=dns, connect_override=override)
    assert target.total_hits == 0
    assert network_guard.connections == []


def test_transient_dns_failure_is_transient(strict, override) -> None:
    import socket

    def flaky(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(TransientError) as info:
        fetch_url(
            "http://news.example/", strict, resolver=flaky, connect_override=override, sleep=lambda s: None
        )
    assert info.value.reason == "dns_failed"
