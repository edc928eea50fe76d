"""What a fetched discovery document is, and its safe decoding: gzip with an output cap, XML without DTDs.

XML from the web is parsed with entity expansion, external entities and DTD loading all off
(defusedxml): a billion-laughs or XXE document raises ``DocumentError`` (``xml_entities_forbidden``)
instead of expanding; a gzip bomb stops at :data:`limits.MAX_GUNZIPPED_BYTES` (``decompression_bomb``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import Any, Literal

from newsdigest.discovery import limits
from newsdigest.errors import NewsdigestError

DocumentKind = Literal["feed", "json_feed", "sitemap", "html", "unknown"]

#: What Discover accepts from a feed, sitemap or homepage URL, and asks for first.
ACCEPT_HEADER = (
    "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
    "text/xml;q=0.9,text/html;q=0.8,application/json;q=0.7,*/*;q=0.1"
)
ACCEPTED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
        "text/html",
        "application/xhtml+xml",
        "application/gzip",
        "application/x-gzip",
        "application/octet-stream",
        "text/plain",
    }
)
GZIP_MAGIC = b"\x1f\x8b"

_PROLOG_JUNK = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL)
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_FEED_ROOTS = frozenset({b"rss", b"rdf:rdf", b"rdf", b"feed", b"channel"})
_SITEMAP_ROOTS = frozenset({b"urlset", b"sitemapindex"})
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class DocumentError(NewsdigestError):
    """A feed, sitemap or homepage that cannot be read safely: always permanent for that document."""

    reason = "bad_document"


def gunzip(body: bytes, *, max_bytes: int = limits.MAX_GUNZIPPED_BYTES) -> bytes:
    """Decompress a gzip file, refusing to produce more than ``max_bytes``."""
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decoder.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise DocumentError(f"corrupt gzip data: {exc}", reason="bad_gzip") from exc
    if len(out) > max_bytes or decoder.unconsumed_tail:
        raise DocumentError(f"gzip data expands past {max_bytes} bytes", reason="decompression_bomb")
    if not decoder.eof:  # a cut-off download would otherwise pass as a shorter sitemap
        raise DocumentError("truncated gzip data", reason="bad_gzip")
    return out


def _root_tag(body: bytes) -> bytes | None:
    head = body[:65536].lstrip(b"\xef\xbb\xbf")
    pos = 0
    while True:
        match = _PROLOG_JUNK.match(head, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    root = _ROOT.match(head, pos)
    return root.group(1).lower() if root else None


def sniff(body: bytes, content_type: str | None = None) -> DocumentKind:
    """Decide by the bytes (servers label feeds text/html and sitemaps text/plain), then by the type."""
    stripped = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "json_feed" if b"jsonfeed.org" in body[:4096] else "unknown"
    root = _root_tag(body)
    if root is not None:
        local = root.split(b":")[-1] if root != b"rdf:rdf" else root
        if local in _FEED_ROOTS or root in _FEED_ROOTS:
            return "feed"
        if local in _SITEMAP_ROOTS:
            return "sitemap"
        if local in {b"html", b"head", b"body"}:
            return "html"
    if stripped[:1] == b"<" or (content_type or "").startswith(("text/html", "application/xhtml")):
        return "html"
    return "unknown"


def refuse_entity_declarations(body: bytes) -> None:
    """Feeds and sitemaps never need their own entities; declaring any is how billion-laughs and XXE
    documents start. Refused before any parser sees the document (feedparser included)."""
    doctype = _DOCTYPE.search(body, 0, 65536)
    if doctype and _ENTITY_DECLARATION.search(body, doctype.start()):
        raise DocumentError(
            "document declares XML entities (refused: entity expansion)", reason="xml_entities_forbidden"
        )


def iter_xml(body: bytes) -> Iterator[tuple[str, Any]]:
    """``(local tag name, element)`` for each closed element, namespaces dropped; no DTD allowed."""
    import io

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    refuse_entity_declarations(body)
    try:
        for _event, element in iterparse(
            io.BytesIO(body), events=("end",), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ):
            yield element.tag.rsplit("}", 1)[-1], element
    except DefusedXmlException as exc:
        raise DocumentError(f"document refused: {exc}", reason="xml_entities_forbidden") from exc
    except ParseError as exc:
        raise DocumentError(f"malformed XML: {exc}", reason="malformed_xml") from exc
