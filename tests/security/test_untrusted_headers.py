"""Headers and URLs any server or caller can send: malformed ones end as the project's own errors with
a permanent reason (or are read as a browser reads them), never as ValueError and the like."""

from __future__ import annotations

import contextlib
from http.server import BaseHTTPRequestHandler

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsdigest.errors import FetchError, NewsdigestError
from newsdigest.fetch import fetch_url
from newsdigest.fetch.client import content_length
from newsdigest.fetch.urls import parse_url

from tests.security.hostile_servers import html, raw_location

PAGE = b"<html><body><p>ok</p></body></html>"
#: Locations that are no URL at all: urljoin raised ValueError on each.
NO_URL = ["http://[", "http://[::1:\u2026/", "//[x]y/", "https://[v7.x]/", "http://[::1]x/", "//[/"]


def _fetch(server, path, settings):
    return fetch_url(f"http://127.0.0.1:{server.port}{path}", settings)


@pytest.mark.parametrize("location", NO_URL)
def test_a_redirect_to_no_url_is_a_permanent_bad_redirect(location, target, loopback_ok) -> None:
    target.routes["/"] = raw_location(location)
    with pytest.raises(FetchError) as info:
        _fetch(target, "/", loopback_ok)
    # urljoin refuses most; the rest join to a URL that parse_url refuses.
    assert info.value.reason in {"bad_redirect", "bad_url"}
    assert info.value.permanent


def _length_route(length: str):
    def route(req: BaseHTTPRequestHandler) -> None:
        head = (
            f"HTTP/1.1 200 X\r\nContent-Type: text/html\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n"
        )
        req.wfile.write(head.encode("utf-8") + PAGE)

    return route


@pytest.mark.parametrize("length", ["\u00b2", "\u0663\u0661", "1" * 5000, "-5", "5, 5", " 0x10 "])
def test_a_content_length_that_is_no_decimal_number_does_not_raise(length, target, loopback_ok) -> None:
    """Read like a body without one (as http.client itself does), or refused as too large."""
    target.routes["/"] = _length_route(length)
    try:
        result = _fetch(target, "/", loopback_ok)
    except FetchError as exc:
        assert exc.reason == "too_large" and length == "1" * 5000, exc
    else:
        assert result.body == PAGE


def test_content_length_reads_only_ascii_decimal_numbers() -> None:
    assert content_length(" 1234 ") == 1234
    assert content_length("00012") == 12
    assert content_length("\u00b2") is None
    assert content_length("\u0663") is None  # an Arabic-Indic digit: int() takes it, RFC 9110 does not
    assert content_length("9" * 5000) == 10**18  # past any cap, without converting 5,000 digits
    assert content_length(None) is None


@pytest.mark.parametrize(
    ("url", "outcome"),
    [
        ("http://" + "1" * 5000 + "/", "bad_url"),  # a numeric host past int()'s 4,300-digit limit
        ("http://1." + "0" * 4400 + "1/", "http://1.0.0.1/"),  # leading zeros: octal 1, as in a browser
        ("http://news.example/\ud800", "http://news.example/%EF%BF%BD"),  # a lone surrogate (JSON allows it)
        ("http://\udc00.example/", "bad_url"),
        ("http://[::1:\u2026/", "bad_url"),
    ],
)
def test_hostile_urls_are_read_as_a_browser_would_or_refused(url, outcome) -> None:
    try:
        parsed = parse_url(url)
    except FetchError as exc:
        assert exc.reason == outcome
    else:
        assert parsed.url == outcome


_HEADER_TEXT = st.text(
    alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=40
) | st.sampled_from(
    ["http://[", "//[x]y/", "\u00b2", "1" * 4400, "gzip", "gzip, gzip", "text/html; charset=idna"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from([200, 301, 302, 303, 307, 308, 404, 429, 503]),
    headers=st.dictionaries(
        st.sampled_from(["Location", "Content-Length", "Content-Type", "Content-Encoding", "Retry-After"]),
        _HEADER_TEXT,
        max_size=4,
    ),
)
def test_no_response_headers_make_anything_but_a_project_error_escape(
    status, headers, target, loopback_ok
) -> None:
    def route(req: BaseHTTPRequestHandler) -> None:
        lines = [f"HTTP/1.1 {status} X", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close"]
        req.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + PAGE)

    target.routes["/h"] = route
    target.routes["*"] = html()
    with contextlib.suppress(NewsdigestError):
        _fetch(target, "/h", loopback_ok)


@settings(max_examples=300, deadline=None)
@given(
    url=st.text(max_size=60)
    | st.builds(
        lambda host, path: f"http://{host}/{path}",
        st.text(
            alphabet=st.characters(codec="utf-8") | st.sampled_from(["[", "]", ":", "\ud800", "0", "9"]),
            max_size=30,
        ),
        st.text(max_size=10),
    )
)
def test_no_url_makes_anything_but_a_project_error_escape(url) -> None:
    with contextlib.suppress(NewsdigestError):
        parse_url(url)
