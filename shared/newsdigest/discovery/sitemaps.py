"""Sitemaps (sitemaps.org 0.9): indexes, urlsets, Google News sitemaps; read with defusedxml."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from newsdigest.discovery import limits
from newsdigest.discovery.candidates import Candidate, parse_w3c_datetime
from newsdigest.discovery.documents import DocumentError, iter_xml


@dataclass(slots=True)
class Sitemap:
    #: Article candidates of a ``urlset`` (Google News ``news:publication_date`` preferred to lastmod).
    urls: list[Candidate] = field(default_factory=list)
    #: Child sitemaps of a ``sitemapindex``, with their lastmod (newest are read first).
    children: list[Candidate] = field(default_factory=list)
    truncated: bool = False


def _text(element: object, name: str) -> str | None:
    for child in element:  # type: ignore[attr-defined]
        if child.tag.rsplit("}", 1)[-1] == name:
            return (child.text or "").strip() or None
    return None


def _news_date(element: object) -> str | None:
    for child in element:  # type: ignore[attr-defined]
        if child.tag.rsplit("}", 1)[-1] == "news":
            return _text(child, "publication_date")
    return None


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    result = Sitemap()
    root_seen = False
    for tag, element in iter_xml(body):
        if tag == "url":
            loc = _text(element, "loc")
            if loc:
                when = parse_w3c_datetime(_news_date(element) or _text(element, "lastmod"))
                result.urls.append(Candidate(urljoin(base_url, loc), when))
            element.clear()
        elif tag == "sitemap":
            loc = _text(element, "loc")
            if loc:
                result.children.append(
                    Candidate(urljoin(base_url, loc), parse_w3c_datetime(_text(element, "lastmod")))
                )
            element.clear()
        elif tag in {"urlset", "sitemapindex"}:
            root_seen = True
        if len(result.urls) + len(result.children) >= limits.MAX_ENTRIES_PER_DOCUMENT:
            result.truncated = True
            break
    if not root_seen and not result.truncated:
        raise DocumentError("not a sitemap (no urlset or sitemapindex)", reason="not_a_sitemap")
    return result
