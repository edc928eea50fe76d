"""Property: for any string, fetch_url either refuses with a NewsdigestError or -- never here, since
every name resolves inward -- fetches; it never raises anything else and never opens a socket."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from newsdigest.errors import NewsdigestError
from newsdigest.fetch import fetch_url
from newsdigest.fetch.client import parse_retry_after

_HOST_BITS = st.sampled_from(
    [
        "127.0.0.1", "0x7f.1", "2130706433", "0177.1", "[::1]", "[::ffff:127.0.0.1]", "localhost",
        "169.254.169.254", "[fd00:ec2::254]", "news.example", "１２７.０.０.１", "%31%32%37.1", "a@b",
        "[", "]", ":", "@", "%", "%00", "\\", ".", "..", "0x", "0", "xn--", "é", "\u3002", "#", "?", "/",
    ]
)  # fmt: skip


@st.composite
def urlish(draw: st.DrawFn) -> str:
    scheme = draw(
        st.sampled_from(["http://", "https://", "HTTP://", "http:", "http:///", "file://", "", "//"])
    )
    host = "".join(draw(st.lists(st.one_of(_HOST_BITS, st.text(max_size=3)), min_size=0, max_size=5)))
    port = draw(st.sampled_from(["", ":80", ":0", ":65536", ":8o", ":", ":-1"]))
    path = draw(st.text(max_size=10))
    return f"{scheme}{host}{port}/{path}"


def _inward(host: str, port: int) -> list[str]:
    return ["10.0.0.1"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.one_of(urlish(), st.text(max_size=40)))
@example(url="http://0127.0.0.1/")  # 87.0.0.1, public
def test_arbitrary_input_is_refused_cleanly(url: str, strict, network_guard) -> None:
    try:
        fetch_url(url, strict, resolver=_inward)
    except NewsdigestError as exc:
        if exc.reason == "connect_failed":
            # The host was an address literal in a form browsers read (``0127.0.0.1`` is 87.0.0.1):
            # the resolver is not asked, and a public address may be dialled. The guard stopped it;
            # what must hold is that nothing but a public address was ever tried.
            tried = [entry[1] if entry[0] == "dns" else entry[0] for entry in network_guard.blocked]
            assert tried and all(ipaddress.ip_address(host).is_global for host in tried), (url, tried)
        else:
            assert exc.reason in {"bad_url", "scheme_not_allowed", "address_not_allowed"}, (url, exc)
    else:  # pragma: no cover - would mean a request went out
        raise AssertionError(f"fetched {url!r}")
    assert all(ipaddress.ip_address(host).is_global for host, _ in network_guard.connections)


def test_an_octal_address_literal_is_read_as_browsers_do(strict, network_guard) -> None:
    with pytest.raises(NewsdigestError) as refused:
        fetch_url("http://0177.0.0.1/", strict, resolver=_inward)  # 127.0.0.1
    assert refused.value.reason == "address_not_allowed"
    with pytest.raises(NewsdigestError):
        fetch_url("http://0127.0.0.1/", strict, resolver=_inward)
    assert ("dns", "87.0.0.1") in network_guard.blocked


@given(st.text(max_size=60))
def test_retry_after_never_raises(value: str) -> None:
    result = parse_retry_after(value)
    assert result is None or result >= 0
