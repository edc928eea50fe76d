"""Response body policy: content types, HTML sniffing and size-capped incremental decoding."""

from __future__ import annotations

import zlib
from typing import Protocol

from newsdigest.errors import FetchError

ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Codings we advertise: those make_decoder decodes with a hard output cap. Brotli is deliberately
#: absent: its stdlib-free decoders give no output bound per call, so a br bomb could not be cut off
#: in time.
ACCEPT_ENCODING = "gzip, deflate"

# WHATWG MIME sniffing "HTML" signatures; each must be followed by a tag-terminating byte.
_HTML_SIGNATURES = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
)
_TAG_END = frozenset(b" >\t\n\r\x0c")


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``(mime type, charset)`` from a Content-Type header, both lower case; ``(None, None)`` if absent."""
    if value is None or not value.strip():
        return None, None
    mime, *params = value.split(";")
    charset = None
    for param in params:
        key, sep, val = param.partition("=")
        if sep and key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return mime.strip().lower() or None, charset


def looks_like_html(body: bytes) -> bool:
    head = body[:1024]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :]
    head = head.lstrip(b" \t\n\r\x0c").lower()
    for sig in _HTML_SIGNATURES:
        if head.startswith(sig):
            rest = head[len(sig) : len(sig) + 1]
            if sig == b"<!--" or (rest and rest[0] in _TAG_END):
                return True
    return False


class Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...
    def finish(self, limit: int) -> bytes: ...


class _Identity:
    def feed(self, data: bytes, limit: int) -> bytes:
        return data

    def finish(self, limit: int) -> bytes:
        return b""


class _Zlib:
    """Incremental zlib/gzip/raw-deflate decoding that never produces more than ``limit + 1`` bytes.

    ``max_length`` keeps each step bounded, so a 10 MB bomb expanding to 10 GB is stopped after
    ``limit`` bytes of output instead of after the allocation.
    """

    def __init__(self, wbits: int | None) -> None:
        # None: "deflate", whose wrapper is decided by the first bytes (servers send both forms).
        self._obj: zlib._Decompress | None = None if wbits is None else zlib.decompressobj(wbits)
        self._pending = b""

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._obj is None:
            self._pending += data
            if len(self._pending) < 2:
                return b""
            b0, b1 = self._pending[0], self._pending[1]
            is_zlib = (b0 & 0x0F) == 8 and (b0 << 8 | b1) % 31 == 0
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if is_zlib else -zlib.MAX_WBITS)
            data, self._pending = self._pending, b""
        out: list[bytes] = []
        produced = 0
        buf = data
        try:
            while buf and not self._obj.eof:
                piece = self._obj.decompress(buf, limit - produced + 1)
                produced += len(piece)
                out.append(piece)
                if produced > limit:
                    break
                buf = self._obj.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}", reason="bad_response") from exc
        return b"".join(out)

    def finish(self, limit: int) -> bytes:
        if self._obj is None:
            if self._pending:
                raise FetchError("truncated deflate body", reason="bad_response")
            return b""
        try:
            return self._obj.flush()[: limit + 1]
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}", reason="bad_response") from exc


def make_decoder(content_encoding: str | None) -> tuple[Decoder, bool]:
    """Decoder for a Content-Encoding header, and whether the body is compressed at all."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity(), False
    if len(codings) > 1:
        # Stacked codings multiply bomb ratios and no real site needs them.
        raise FetchError(
            f"stacked content encodings {codings} refused", reason="content_encoding_not_allowed"
        )
    coding = codings[0]
    if coding in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS), True
    if coding == "deflate":
        return _Zlib(None), True
    raise FetchError(
        f"content encoding {coding[:20]!r} is not supported", reason="content_encoding_not_allowed"
    )
