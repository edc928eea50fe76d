"""Digest feeds: summary items as an Atom feed (RFC 4287), for any feed reader.

Each entry is one article: its title, the source page as the ``alternate`` link, its publication and
update times, its authors, and as content the summary sentences followed by a link to the source.
Ids are ``urn:uuid:`` URNs derived from the article id, so an entry keeps its id across digests and
readers do not show it twice.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
#: Namespace of the name-based UUIDs of feeds and entries (fixed: changing it re-identifies them all).
ID_NAMESPACE = uuid.UUID("6f0d3c1e-8f4b-5a7e-9c2d-4e1b0a9d7c35")
GENERATOR = "newsdigest"
#: RFC 4287 requires an updated time on every feed; an empty digest has no entry to take it from.
EPOCH = "1970-01-01T00:00:00Z"

#: What XML 1.0 cannot carry at all (its Char production): C0 controls but tab, LF and CR, lone
#: surrogates, U+FFFE and U+FFFF. ElementTree writes them without complaint and the feed no longer
#: parses, so one stored title or author holding one would break the whole digest.
NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("", ATOM_NS)


@dataclass(frozen=True, slots=True)
class FeedInfo:
    title: str
    #: Identifies the digest itself (its site and day, or "latest"), for the feed's stable id.
    key: str
    #: Where the feed is served, when known: the ``self`` link readers subscribe to.
    self_url: str | None = None
    subtitle: str | None = None


def _id(kind: str, key: str) -> str:
    return uuid.uuid5(ID_NAMESPACE, f"{kind}:{key}").urn


def _xml(text: str) -> str:
    return NOT_XML_CHAR.sub("", text)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _content(item: Mapping[str, Any], link: str | None) -> str:
    """The entry's content as HTML: one paragraph per summary sentence, then the source link."""
    paragraphs = [f"<p>{escape(str(s), quote=False)}</p>" for s in item.get("summary") or []]
    if link:
        where = escape(str(item.get("site_name") or item.get("site") or link))
        paragraphs.append(f'<p><a href="{escape(link, quote=True)}">Read the full article at {where}</a></p>')
    return "\n".join(paragraphs)


def _entry(feed: ET.Element, item: Mapping[str, Any]) -> None:
    entry = _el(feed, "entry")
    link = item.get("canonical_url") or item.get("url")
    _el(entry, "id", _id("article", str(item["article_id"])))
    _el(entry, "title", str(item.get("title") or link or item["article_id"]))
    _el(entry, "updated", str(item.get("updated_at") or item.get("published_at") or EPOCH))
    if item.get("published_at"):
        _el(entry, "published", str(item["published_at"]))
    for name in item.get("authors") or []:
        _el(_el(entry, "author"), "name", str(name))
    if link:
        _el(entry, "link", rel="alternate", type="text/html", href=str(link))
    if item.get("site_name") or item.get("site"):
        source_name = str(item.get("site_name") or item.get("site"))
        _el(entry, "category", term=str(item.get("site") or source_name), label=source_name)
    content = _el(entry, "content", _content(item, str(link) if link else None), type="html")
    if item.get("language"):
        content.set("{http://www.w3.org/XML/1998/namespace}lang", str(item["language"]))


def build_feed(info: FeedInfo, items: Iterable[Mapping[str, Any]]) -> bytes:
    """The Atom document (UTF-8) for ``items``, newest first as given."""
    entries = list(items)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _el(feed, "id", _id("digest", info.key))
    _el(feed, "title", info.title)
    if info.subtitle:
        _el(feed, "subtitle", info.subtitle)
    updated = max(
        (str(i.get("updated_at") or i.get("published_at") or EPOCH) for i in entries), default=EPOCH
    )
    _el(feed, "updated", updated)
    # A feed-level author lets entries without authors stay valid (RFC 4287 section 4.1.1).
    _el(_el(feed, "author"), "name", GENERATOR)
    _el(feed, "generator", GENERATOR)
    if info.self_url:
        _el(feed, "link", rel="self", type="application/atom+xml", href=info.self_url)
    for item in entries:
        _entry(feed, item)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
