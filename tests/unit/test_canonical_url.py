"""Canonical URLs: one form per page, stable under re-canonicalisation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsdigest.discovery.canonical import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/news/1#comments", "https://example.com/news/1"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:80/a?", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?utm_source=x&UTM_Medium=y&utm_campaign=z", "https://example.com/a"),
        ("https://example.com/a?fbclid=1&gclid=2&msclkid=3&p=4", "https://example.com/a?p=4"),
        ("https://example.com/%7Ejo/a b", "https://example.com/~jo/a%20b"),
        ("https://example.com/a/../b/./c", "https://example.com/b/c"),
        ("https://user:pw@example.com/a", "https://example.com/a"),
        ("https://bücher.de/x", "https://xn--bcher-kva.de/x"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ],
)
def test_canonical_form(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_empty_url_is_refused() -> None:
    with pytest.raises(ValueError):
        canonical_url("  ")


_segment = st.text(alphabet="abcXYZ019-_.~%é ", min_size=0, max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    scheme=st.sampled_from(["http", "HTTP", "https"]),
    host=st.sampled_from(["example.com", "EXAMPLE.org", "news.example.co.uk"]),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_segment, max_size=4),
    query=st.lists(
        st.tuples(st.sampled_from(["id", "p", "utm_source", "fbclid", "q", "Page"]), _segment), max_size=4
    ),
    fragment=st.sampled_from(["", "#top", "#a?b"]),
)
def test_canonicalising_twice_changes_nothing(
    scheme: str, host: str, port: str, path: list[str], query: list[tuple[str, str]], fragment: str
) -> None:
    url = f"{scheme}://{host}{port}/" + "/".join(path)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query)
    once = canonical_url(url + fragment)
    assert canonical_url(once) == once
    assert "utm_source" not in once and "fbclid" not in once and "#" not in once
