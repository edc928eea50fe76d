"""URL parsing and host normalisation for fetching."""

from __future__ import annotations

import pytest
from newsdigest.errors import FetchError
from newsdigest.fetch.urls import parse_url


@pytest.mark.parametrize(
    ("url", "host", "port", "target", "normalised"),
    [
        ("http://Example.COM/a?b=c#frag", "example.com", 80, "/a?b=c", "http://example.com/a?b=c"),
        ("https://example.com", "example.com", 443, "/", "https://example.com/"),
        ("https://example.com:8443/x", "example.com", 8443, "/x", "https://example.com:8443/x"),
        ("http://example.com:80/", "example.com", 80, "/", "http://example.com/"),
        ("  http://example.com/  ", "example.com", 80, "/", "http://example.com/"),
        (
            "http://bücher.example/straße",
            "xn--bcher-kva.example",
            80,
            "/stra%C3%9Fe",
            "http://xn--bcher-kva.example/stra%C3%9Fe",
        ),
        ("http://example.com./", "example.com", 80, "/", "http://example.com/"),
        ("http://[2606:4700::1]:8080/", "2606:4700::1", 8080, "/", "http://[2606:4700::1]:8080/"),
        ("http://example.com/a b", None, None, None, None),
        ("http://example.com/%7e?q=%20", "example.com", 80, "/%7e?q=%20", "http://example.com/%7e?q=%20"),
    ],
)
def test_parse(url, host, port, target, normalised) -> None:
    if host is None:
        with pytest.raises(FetchError):
            parse_url(url)
        return
    parsed = parse_url(url)
    assert (parsed.host, parsed.port, parsed.target, parsed.url) == (host, port, target, normalised)


def test_host_header() -> None:
    assert parse_url("http://[2606:4700::1]/").host_header == "[2606:4700::1]"
    assert parse_url("https://a.example:444/").host_header == "a.example:444"


@pytest.mark.parametrize(
    "url", ["", "nothing", "http://", "https://:80/", "http://a_b..c/", "http://a/\x00b"]
)
def test_rejects_garbage(url) -> None:
    with pytest.raises(FetchError) as info:
        parse_url(url)
    assert info.value.reason in {"bad_url", "scheme_not_allowed"}


def test_overlong_url() -> None:
    with pytest.raises(FetchError) as info:
        parse_url("http://example.com/" + "a" * 9000)
    assert info.value.reason == "bad_url"


def test_non_string() -> None:
    with pytest.raises(FetchError):
        parse_url(None)  # type: ignore[arg-type]
