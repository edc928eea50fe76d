"""Body policy helpers: content types, HTML sniffing, capped decoders, Retry-After."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime

import pytest
from newsdigest.errors import FetchError
from newsdigest.fetch.body import looks_like_html, make_decoder, parse_content_type
from newsdigest.fetch.client import parse_retry_after


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html", ("text/html", None)),
        ("Text/HTML; Charset=UTF-8", ("text/html", "utf-8")),
        ('text/html; charset="windows-1252"; foo=bar', ("text/html", "windows-1252")),
        ("text/html;charset=", ("text/html", None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_content_type(header, expected) -> None:
    assert parse_content_type(header) == expected


@pytest.mark.parametrize(
    ("body", "html"),
    [
        (b"<!doctype html>", True),
        (b"\n\n  <html>", True),
        (b"<p>hello", True),
        (b"<pre>", False),
        (b"<a href=x>", True),
        (b"<abbr>", False),
        (b"%PDF", False),
        (b"", False),
    ],
)
def test_sniff(body, html) -> None:
    assert looks_like_html(body) is html


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda d: zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).compress(d) + b""),
    ],
)
def test_decoder_output_never_exceeds_limit_plus_one(encoding, compress) -> None:
    payload = b"\0" * 5_000_000
    if encoding == "deflate" and compress is not zlib.compress:
        obj = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        data = obj.compress(payload) + obj.flush()
    else:
        data = compress(payload)
    decoder, compressed = make_decoder(encoding)
    assert compressed
    out = decoder.feed(data, 1000)
    assert len(out) == 1001


def test_decoder_streams_small_chunks() -> None:
    page = b"<html>" + b"abc" * 10_000
    data = gzip.compress(page)
    decoder, _ = make_decoder("gzip")
    out = b"".join(decoder.feed(data[i : i + 7], 10**6) for i in range(0, len(data), 7))
    assert out + decoder.finish(10**6) == page


def test_identity_and_unknown() -> None:
    assert make_decoder(None)[1] is False
    assert make_decoder("identity")[1] is False
    with pytest.raises(FetchError) as info:
        make_decoder("br")
    assert info.value.reason == "content_encoding_not_allowed"


def test_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-1") is None
    assert parse_retry_after("¹") is None  # a digit to str.isdigit(), not to RFC 9110
    assert parse_retry_after("٣٠") is None
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now=lambda: now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=lambda: now) == 0.0
