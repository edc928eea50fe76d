"""Hostile responses: floods, bombs, trickles, wrong types, throttling.

These are served straight from a loopback server, so they use settings with
``allow_private_addresses=True`` (and nothing else relaxed).
"""

from __future__ import annotations

import gzip
import http.client
import time
from dataclasses import replace

import pytest
from newsdigest.errors import FetchError, TransientError
from newsdigest.fetch import fetch_url

from tests.security.hostile_servers import (
    bomb,
    close_delimited_flood,
    endless_chunked,
    html,
    raw,
    send,
    sequence,
    silent,
    trickle_body,
    trickle_headers,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def _fetch(server, path, settings, **kwargs):
    return fetch_url(server.url(path), settings, **kwargs)


# --- size ---------------------------------------------------------------------------------------


def test_declared_oversize_refused_before_body(target, loopback_ok) -> None:
    big = b"<html>" + b"a" * (loopback_ok.max_bytes + 10)
    target.routes["/big"] = raw(200, big, {"Content-Type": "text/html"})
    with pytest.raises(FetchError) as info:
        _fetch(target, "/big", loopback_ok)
    assert info.value.reason == "too_large"
    assert "Content-Length" in str(info.value)


def test_undeclared_oversize_cut_off_while_streaming(target, loopback_ok) -> None:
    target.routes["/flood"] = close_delimited_flood
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        _fetch(target, "/flood", loopback_ok)
    assert info.value.reason == "too_large"
    assert time.monotonic() - start < 2


def test_endless_chunked_body_cut_off(target, loopback_ok) -> None:
    target.routes["/chunks"] = endless_chunked
    with pytest.raises(FetchError) as info:
        _fetch(target, "/chunks", loopback_ok)
    assert info.value.reason == "too_large"


def test_body_exactly_at_limit_is_accepted(target, loopback_ok) -> None:
    body = b"<html>" + b"a" * (loopback_ok.max_bytes - 6)
    target.routes["/exact"] = raw(200, body, {"Content-Type": "text/html"})
    assert len(_fetch(target, "/exact", loopback_ok).body) == loopback_ok.max_bytes


def test_a_body_ended_by_connection_close_is_read_whole_as_python_313_reads_it(
    target, loopback_ok, monkeypatch
) -> None:
    # Python 3.13's http.client (Lambda's runtime) closes the response, and with it the socket after
    # "Connection: close", as soon as Content-Length bytes are read; older versions wait for one more
    # read. Here every version reads as 3.13 does.
    read1 = http.client.HTTPResponse.read1

    def read1_as_in_313(self: http.client.HTTPResponse, n: int = -1) -> bytes:
        chunk = read1(self, n)
        if self.length == 0 and self.fp is not None:  # on 3.13 itself read1 has closed it already
            self._close_conn()  # type: ignore[attr-defined]
        return chunk

    monkeypatch.setattr(http.client.HTTPResponse, "read1", read1_as_in_313)
    body = b"<html><body>" + b"<p>a paragraph</p>" * 5000 + b"</body></html>"  # several reads
    target.routes["/closing"] = raw(200, body, {"Content-Type": "text/html"})  # sends Connection: close
    assert _fetch(target, "/closing", loopback_ok).body == body


# --- decompression ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "deflate-raw"])
def test_decompression_bomb_cut_off(encoding, target, loopback_ok) -> None:
    target.routes["/bomb"] = bomb(encoding, 20_000_000)  # ~20 KB on the wire, 20 MB decoded
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        _fetch(target, "/bomb", loopback_ok)
    assert info.value.reason == "decompression_bomb"
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("encoding", ["br", "gzip, gzip", "compress", "zstd", "x-evil"])
def test_unsupported_or_stacked_encodings_refused(encoding, target, loopback_ok) -> None:
    target.routes["/enc"] = raw(
        200, b"\x1f\x8b whatever", {"Content-Type": "text/html", "Content-Encoding": encoding}
    )
    with pytest.raises(FetchError) as info:
        _fetch(target, "/enc", loopback_ok)
    assert info.value.reason == "content_encoding_not_allowed"


def test_corrupt_gzip_is_a_bad_response(target, loopback_ok) -> None:
    target.routes["/corrupt"] = raw(
        200, b"\x1f\x8b\x08\x00garbagegarbage", {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError) as info:
        _fetch(target, "/corrupt", loopback_ok)
    assert info.value.reason == "bad_response"


def test_gzip_page_within_limits_is_decoded(target, loopback_ok) -> None:
    page = b"<html><body><p>" + b"news " * 1000 + b"</p></body></html>"
    target.routes["/gz"] = raw(
        200,
        gzip.compress(page),
        {"Content-Type": "text/html; charset=ISO-8859-1", "Content-Encoding": "gzip"},
    )
    result = _fetch(target, "/gz", loopback_ok)
    assert result.body == page
    assert result.charset == "iso-8859-1"
    assert target.requests[0][1]["accept-encoding"] == "gzip, deflate"


# --- time ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "route",
    [trickle_body(0.05), trickle_headers(0.05), silent],
    ids=["trickle-body", "trickle-headers", "silent"],
)
def test_slow_servers_hit_the_overall_deadline(route, target, loopback_ok, sleeps) -> None:
    # Each read is well inside read_timeout; only the overall deadline can stop these.
    settings = replace(loopback_ok, read_timeout=0.5, total_timeout=1.0)
    target.routes["/slow"] = route
    start = time.monotonic()
    with pytest.raises(TransientError) as info:
        _fetch(target, "/slow", settings, sleep=sleeps)
    elapsed = time.monotonic() - start
    assert info.value.reason == "timeout"
    assert elapsed < settings.total_timeout + 0.5


def test_trickle_beats_read_timeout_but_not_deadline(target, loopback_ok, sleeps) -> None:
    """A byte every 0.05 s never trips a 1 s read timeout; the 1.5 s total budget still holds."""
    settings = replace(loopback_ok, read_timeout=1.0, total_timeout=1.5, max_retries=0)
    target.routes["/slow"] = trickle_body(0.05)
    start = time.monotonic()
    with pytest.raises(TransientError):
        _fetch(target, "/slow", settings, sleep=sleeps)
    assert time.monotonic() - start < 2.0


# --- content types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"a": 1}'),
        ("image/png", PNG),
        ("application/octet-stream", b"MZ\x90\x00"),
        ("text/plain", b"<html>looks like html but says plain</html>"),
        ("text/xml", b"<?xml version='1.0'?><a/>"),
        ("application/pdf", b"%PDF-1.7"),
        ("text/html-sandboxed", b"<html></html>"),
        ("video/mp4", b"\0\0\0\x18ftypmp42"),
    ],
)
def test_wrong_content_type_refused(content_type, body, target, loopback_ok) -> None:
    target.routes["/x"] = raw(200, body, {"Content-Type": content_type})
    with pytest.raises(FetchError) as info:
        _fetch(target, "/x", loopback_ok)
    assert info.value.reason == "content_type_not_allowed"


@pytest.mark.parametrize("body", [PNG, b'{"json": true}', b"plain words", b"", b"%PDF-1.4"])
def test_missing_content_type_not_html_refused(body, target, loopback_ok) -> None:
    target.routes["/x"] = raw(200, body, {})
    with pytest.raises(FetchError) as info:
        _fetch(target, "/x", loopback_ok)
    assert info.value.reason == "content_type_not_allowed"


@pytest.mark.parametrize(
    "body", [b"<!DOCTYPE html><html></html>", b"\xef\xbb\xbf  <HTML lang=en>", b"<!-- c -->"]
)
def test_missing_content_type_sniffed_as_html(body, target, loopback_ok) -> None:
    target.routes["/x"] = raw(200, body, {})
    result = _fetch(target, "/x", loopback_ok)
    assert result.content_type == "text/html"
    assert result.charset is None


def test_xhtml_accepted_with_charset(target, loopback_ok) -> None:
    target.routes["/x"] = raw(200, b"<html/>", {"Content-Type": 'application/xhtml+xml; charset="UTF-8"'})
    result = _fetch(target, "/x", loopback_ok)
    assert (result.content_type, result.charset) == ("application/xhtml+xml", "utf-8")


# --- status codes and retries -------------------------------------------------------------------


def test_429_with_retry_after_then_success(target, loopback_ok, sleeps) -> None:
    target.routes["/"] = sequence(raw(429, b"slow down", {"Retry-After": "1"}), html())
    result = _fetch(target, "/", loopback_ok, sleep=sleeps)
    assert result.status == 200
    assert sleeps.calls == [1.0]
    assert target.hits["/"] == 2


def test_503_retries_exhausted_is_transient(target, loopback_ok, sleeps) -> None:
    target.routes["/"] = raw(503, b"down", {})
    with pytest.raises(TransientError) as info:
        _fetch(target, "/", loopback_ok, sleep=sleeps)
    assert info.value.reason == "http_error"
    assert not info.value.permanent
    assert target.hits["/"] == loopback_ok.max_retries + 1
    assert sleeps.calls == [0.01, 0.02]  # exponential backoff from backoff_base


def test_retry_after_beyond_cap_gives_up_without_sleeping(target, loopback_ok, sleeps) -> None:
    target.routes["/"] = raw(429, b"", {"Retry-After": "3600"})
    with pytest.raises(TransientError) as info:
        _fetch(target, "/", loopback_ok, sleep=sleeps)
    assert "3600" in str(info.value)
    assert sleeps.calls == []
    assert target.hits["/"] == 1


def test_retry_after_http_date(target, loopback_ok, sleeps) -> None:
    target.routes["/"] = sequence(raw(503, b"", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), html())
    assert _fetch(target, "/", loopback_ok, sleep=sleeps).status == 200
    assert sleeps.calls == [0.01]  # a date in the past means "now": the plain backoff applies


def test_retry_sleep_never_exceeds_the_deadline(target, loopback_ok, sleeps) -> None:
    settings = replace(loopback_ok, total_timeout=1.0, max_retry_wait=5.0)
    target.routes["/"] = raw(503, b"", {"Retry-After": "2"})
    with pytest.raises(TransientError):
        _fetch(target, "/", settings, sleep=sleeps)
    assert sleeps.calls == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 451])
def test_client_errors_are_permanent_and_not_retried(status, target, loopback_ok, sleeps) -> None:
    target.routes["/"] = raw(status, b"no", {"Content-Type": "text/html"})
    with pytest.raises(FetchError) as info:
        _fetch(target, "/", loopback_ok, sleep=sleeps)
    assert info.value.reason == "http_error"
    assert str(status) in str(info.value)
    assert target.hits["/"] == 1
    assert sleeps.calls == []


def test_connection_refused_is_transient(loopback_ok, sleeps) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TransientError) as info:
        fetch_url(f"http://127.0.0.1:{port}/", loopback_ok, sleep=sleeps)
    assert info.value.reason == "connect_failed"


def test_garbage_status_line_is_a_bad_response(target, loopback_ok) -> None:
    target.routes["/"] = lambda req: req.wfile.write(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")
    with pytest.raises(FetchError) as info:
        _fetch(target, "/", loopback_ok, sleep=lambda s: None)
    assert info.value.reason == "bad_response"


def test_too_many_headers_is_a_bad_response(target, loopback_ok) -> None:
    headers = {f"X-H{i}": "v" for i in range(200)}
    target.routes["/"] = lambda req: send(
        req, 200, b"<html></html>", {"Content-Type": "text/html", **headers}
    )
    with pytest.raises(FetchError) as info:
        _fetch(target, "/", loopback_ok)
    assert info.value.reason == "bad_response"


def test_request_headers(target, loopback_ok) -> None:
    target.routes["/"] = html()
    result = _fetch(target, "/", loopback_ok)
    headers = target.requests[0][1]
    assert headers["user-agent"] == loopback_ok.user_agent
    assert headers["host"] == f"127.0.0.1:{target.port}"
    assert "cookie" not in headers and "authorization" not in headers
    assert result.requested_url == result.final_url == target.url("/")
    assert result.redirects == [] and result.elapsed_ms >= 0
