"""Schema.org JSON-LD: the article node and the fields we use from it.

Pages embed several blocks (breadcrumbs, organisation, website, the article), sometimes as
``@graph`` lists, sometimes with trailing commas or HTML entities. We flatten them all and pick the
node whose type says "article"; everything here tolerates malformed input.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "socialmediaposting",
    "liveblogposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "advertisercontentarticle",
    "satiricalarticle",
    "medicalscholarlyarticle",
    "discussionforumposting",
    "review",
    "recipe",
    "howto",
}
_LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_MAX_NODES = 2000


@dataclass
class JsonLdInfo:
    """What the JSON-LD blocks of a page say about its article (all optional)."""

    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    body: str | None = None
    description: str | None = None
    publisher: str | None = None
    language: str | None = None
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    url: str | None = None
    image: str | None = None
    is_article: bool = False
    is_listing: bool = False
    types: set[str] = field(default_factory=set)


# JSON escapes of what lxml refuses in a text and an XML feed cannot carry (the page's own such
# characters are gone before parsing, newsdigest.extract.dom): a form feed is a space, the other C0
# controls go, the noncharacters U+FFFE/U+FFFF are U+FFFD.
_BAD_ESCAPE = re.compile(r"\\u(?:000[0-8bBcCeEfF]|001[0-9a-fA-F]|[fF]{3}[eEfF])")


def _escape_as_xml(match: re.Match[str]) -> str:
    code = int(match.group()[2:], 16)
    return " " if code == 0x0C else "\\ufffd" if code >= 0xFFFE else ""


def _load(raw: str) -> Any:
    raw = raw.strip()
    if "\\u" in raw:
        raw = _BAD_ESCAPE.sub(_escape_as_xml, raw)
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip().rstrip(";")
    # RecursionError: hostile nesting ("[[[[...") exhausts the C decoder's stack guard.
    try:
        return json.loads(raw, strict=False)
    except (ValueError, RecursionError):
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", raw), strict=False)
    except (ValueError, RecursionError):
        return None


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    # Iterative so that hostile nesting cannot exhaust the Python stack.
    stack = [data]
    seen = 0
    while stack and seen < _MAX_NODES:
        item = stack.pop()
        seen += 1
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))
            main = item.get("mainEntity")
            if isinstance(main, dict | list):
                stack.append(main)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = html.unescape(str(value)).replace("\x0c", " ").strip()  # "&#12;" is a form feed
        return text or None
    return None


def _names(value: Any) -> list[str]:
    items: Iterable[Any] = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            name = _text(item.get("name"))
            if name is None and (item.get("givenName") or item.get("familyName")):
                name = " ".join(str(p) for p in (item.get("givenName"), item.get("familyName")) if p)
        else:
            name = _text(item)
        if name and not name.startswith(("http://", "https://")):
            names.append(name)
    return names


def _image(value: Any) -> str | None:
    """The address of ``image``: a URL, an ImageObject (``url``, ``contentUrl``, ``@id``), or a list of
    either (the first)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
        if isinstance(value, list):
            value = value[0] if value else None
    return value.strip() or None if isinstance(value, str) else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list):
        return [k.strip() for k in value if isinstance(k, str) and k.strip()]
    return []


def parse_jsonld(blocks: Iterable[str]) -> JsonLdInfo:
    info = JsonLdInfo()
    article: dict[str, Any] | None = None
    fallback: dict[str, Any] | None = None
    for raw in blocks:
        data = _load(raw)
        if data is None:
            continue
        for node in _walk(data):
            types = _types(node)
            info.types |= types
            if types & _LISTING_TYPES:
                info.is_listing = True
            if types & _ARTICLE_TYPES:
                # Prefer the node that carries the body, then the first one.
                if article is None or (not article.get("articleBody") and node.get("articleBody")):
                    article = node
            elif "webpage" in types and fallback is None:
                fallback = node
            if info.publisher is None and types & {"organization", "newsmediaorganization", "website"}:
                name = _text(node.get("name"))
                if name and "website" in types:
                    info.publisher = name
    chosen = article or fallback
    if chosen is None:
        return info
    node = chosen
    info.is_article = article is not None
    info.headline = _text(node.get("headline")) or (_text(node.get("name")) if article else None)
    info.authors = _names(node.get("author")) or _names(node.get("creator"))
    info.published = _text(node.get("datePublished")) or _text(node.get("dateCreated"))
    info.modified = _text(node.get("dateModified"))
    body = node.get("articleBody") or node.get("text")
    if isinstance(body, str) and body.strip():
        info.body = body
    info.description = _text(node.get("description"))
    publisher = node.get("publisher")
    pub_names = _names(publisher) if isinstance(publisher, list) else []
    pub_name = pub_names[0] if pub_names else _text(publisher)
    info.publisher = pub_name or info.publisher
    info.language = _text(node.get("inLanguage"))
    info.section = _text(node.get("articleSection"))
    info.keywords = _keywords(node.get("keywords"))
    info.image = _image(node.get("image")) or _image(node.get("thumbnailUrl"))
    main = node.get("mainEntityOfPage")
    url = _text(main.get("@id") if isinstance(main, dict) else main) or _text(node.get("url"))
    info.url = url if url and url.startswith("http") else None
    return info
