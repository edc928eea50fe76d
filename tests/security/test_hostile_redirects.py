"""Redirects from a "public" site into private space, other schemes, or loops.

The public site is ``http://news.example/``: the injected resolver answers a public address, the
policy approves it, and ``connect_override`` dials the loopback "origin" server in its place. Its
redirects must then be judged exactly like first-hop URLs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from newsdigest.errors import FetchError
from newsdigest.fetch import fetch_url

from tests.security.conftest import PUBLIC_IP
from tests.security.hostile_servers import html, redirect, send

HOSTILE_LOCATIONS = [
    ("http://127.0.0.1:{t}/", "address_not_allowed"),
    ("http://[::1]:{t}/", "address_not_allowed"),
    ("http://0x7f000001:{t}/", "address_not_allowed"),
    ("http://2130706433:{t}/", "address_not_allowed"),
    ("http://localhost:{t}/", "address_not_allowed"),
    ("//127.0.0.1:{t}/", "address_not_allowed"),
    ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "address_not_allowed"),
    ("http://0251.0376.0251.0376/latest/meta-data/", "address_not_allowed"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "address_not_allowed"),
    ("http://[::ffff:169.254.169.254]/", "address_not_allowed"),
    ("http://10.0.0.1/", "address_not_allowed"),
    ("http://192.168.0.1:{t}/", "address_not_allowed"),
    ("http://internal.example/", "address_not_allowed"),
    ("http://loopback.example:{t}/", "address_not_allowed"),
    ("http://mixed.example:{t}/", "address_not_allowed"),
    ("file:///etc/passwd", "scheme_not_allowed"),
    ("gopher://127.0.0.1:{t}/", "scheme_not_allowed"),
    ("javascript:alert(1)", "scheme_not_allowed"),
    ("ftp://news.example/", "scheme_not_allowed"),
    ("data:text/html,<p>hi</p>", "scheme_not_allowed"),
    ("http://news.example@127.0.0.1:{t}/", "bad_url"),
    ("http://news.example\\@127.0.0.1:{t}/", "bad_url"),
    ("http://nxdomain.example/", "dns_failed"),
]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(("location", "reason"), HOSTILE_LOCATIONS, ids=[c[0] for c in HOSTILE_LOCATIONS])
def test_redirect_into_forbidden_space_is_refused(
    location, reason, status, origin, target, strict, dns, override, network_guard
) -> None:
    origin.routes["/"] = redirect(location.replace("{t}", str(target.port)), status)
    with pytest.raises(FetchError) as info:
        fetch_url("http://news.example/", strict, resolver=dns, connect_override=override)
    assert info.value.reason == reason, str(info.value)
    assert origin.hits["/"] == 1
    assert target.total_hits == 0
    # The only socket ever opened went to the origin server.
    assert network_guard.connections == [("127.0.0.1", origin.port)]


def test_multi_hop_redirect_into_loopback_is_refused(
    origin, origin2, target, strict, dns, override, network_guard
) -> None:
    origin.routes["/"] = redirect("http://other.example/hop")
    origin2.routes["/hop"] = redirect(f"http://127.0.0.1:{target.port}/admin")
    with pytest.raises(FetchError) as info:
        fetch_url("http://news.example/", strict, resolver=dns, connect_override=override)
    assert info.value.reason == "address_not_allowed"
    assert (origin.hits["/"], origin2.hits["/hop"], target.total_hits) == (1, 1, 0)
    assert network_guard.ports() == [origin.port, origin2.port]


def test_redirect_loop_stops_at_max_redirects(origin, strict, dns, override) -> None:
    origin.routes["/loop"] = redirect("/loop")
    with pytest.raises(FetchError) as info:
        fetch_url("http://news.example/loop", strict, resolver=dns, connect_override=override)
    assert info.value.reason == "too_many_redirects"
    assert origin.hits["/loop"] == strict.max_redirects + 1


def test_redirect_chain_longer_than_limit(origin, strict, dns, override) -> None:
    for n in range(10):
        origin.routes[f"/{n}"] = redirect(f"/{n + 1}")
    origin.routes["/10"] = html()
    with pytest.raises(FetchError) as info:
        fetch_url("http://news.example/0", strict, resolver=dns, connect_override=override)
    assert info.value.reason == "too_many_redirects"
    assert origin.hits["/10"] == 0


def test_redirect_without_location(origin, strict, dns, override) -> None:
    origin.routes["/"] = lambda req: send(req, 302, b"")
    with pytest.raises(FetchError) as info:
        fetch_url("http://news.example/", strict, resolver=dns, connect_override=override)
    assert info.value.reason == "http_error"


def test_relative_redirects_within_limit_succeed(origin, origin2, strict, dns, override) -> None:
    origin.routes["/a"] = redirect("b?x=1")
    origin.routes["/b?x=1"] = redirect("http://other.example/final", 301)
    origin2.routes["/final"] = html("<html><body><p>the article</p></body></html>")
    result = fetch_url("http://news.example/a", strict, resolver=dns, connect_override=override)
    assert result.status == 200
    assert result.final_url == "http://other.example/final"
    assert result.redirects == ["http://news.example/b?x=1", "http://other.example/final"]
    assert b"the article" in result.body
    # Host header carries the name, although the socket went to a (mapped) address.
    assert origin2.requests[0][1]["host"] == "other.example"


def test_dns_rebinding_cannot_swap_the_checked_address(
    origin, target, strict, override, network_guard
) -> None:
    """Resolver answers public once, loopback afterwards: we must resolve once per hop and dial
    the address we checked, never a fresh answer."""
    answers = [[PUBLIC_IP], ["127.0.0.1"]]
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return answers[min(len(calls) - 1, 1)]

    origin.routes["/"] = html()
    override = {**override, ("127.0.0.1", 80): ("127.0.0.1", target.port)}
    result = fetch_url("http://rebind.example/", strict, resolver=rebinding, connect_override=override)
    assert result.status == 200
    assert calls == ["rebind.example"]
    assert target.total_hits == 0
    assert network_guard.ports() == [origin.port]


def test_rebinding_on_second_hop_is_caught(origin, target, strict, override, network_guard) -> None:
    """Same name, new answer on the redirect hop: the redirect is re-resolved and re-checked."""
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])
    origin.routes["/"] = redirect("/again")
    with pytest.raises(FetchError) as info:
        fetch_url(
            "http://rebind.example/", strict, resolver=lambda h, p: next(answers), connect_override=override
        )
    assert info.value.reason == "address_not_allowed"
    assert origin.hits["/again"] == 0
    assert target.total_hits == 0


def test_connect_override_cannot_point_outside_loopback(strict, dns) -> None:
    with pytest.raises(ValueError, match="loopback"):
        fetch_url(
            "http://news.example/", strict, resolver=dns, connect_override={(PUBLIC_IP, 80): ("10.0.0.1", 80)}
        )


def test_https_downgrade_redirect_is_followed_but_rechecked(origin, target, strict, dns, override) -> None:
    origin.routes["/"] = redirect(f"https://127.0.0.1:{target.port}/")
    with pytest.raises(FetchError) as info:
        fetch_url(
            "http://news.example/", replace(strict, max_redirects=1), resolver=dns, connect_override=override
        )
    assert info.value.reason == "address_not_allowed"
    assert target.total_hits == 0
