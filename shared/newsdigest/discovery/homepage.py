"""A site's homepage: its advertised feeds (autodiscovery), else the links that look like articles.

Feed autodiscovery is the RSS Advisory Board's ``<link rel="alternate" type="application/rss+xml">``
(Atom and JSON Feed types too). Without feeds, links are kept when they stay on the site and their path
looks like a story: a dated path, a numeric id, or a slug of several words; section, tag, author,
paging, account and file links are navigation and are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from newsdigest.discovery import limits
from newsdigest.discovery.candidates import Candidate

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
    }
)

# ---- what an article path looks like (named once; each pattern says what it recognises) -----------
#: /2024/05/11/ or /2024-05-11 style dates in the path.
_DATED_PATH = re.compile(r"/(?:19|20)\d{2}[/-](?:0?[1-9]|1[0-2])(?:[/-](?:0?[1-9]|[12]\d|3[01]))?(?:/|-|$)")
#: A numeric story id of 5+ digits as a segment or a slug's tail (/news/123456, /story-123456.html).
_NUMERIC_ID = re.compile(r"(?:/|-|_)\d{5,}(?:\.html?|/|$)")
#: A slug of at least four words (/world/grain-harvest-hits-record-high).
_WORDY_SLUG = re.compile(r"/[^/]*[a-z0-9][-_][a-z0-9]+[-_][a-z0-9]+[-_][a-z0-9]+[^/]*/?$", re.IGNORECASE)
#: Navigation, not stories: sections by name, taxonomy, paging, accounts, search, feeds.
_NAVIGATION = re.compile(
    r"/(?:tags?|topics?|category|categories|section|author|authors|page|search|login|signin|signup|"
    r"register|account|subscribe|newsletter|about|contact|privacy|terms|cookies?|feed|rss|live-tv)(?:/|$)",
    re.IGNORECASE,
)
#: Files that are never article pages.
_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|mp[34]|zip|xml|rss|json|css|js|ico)$", re.IGNORECASE)


@dataclass(slots=True)
class Homepage:
    feeds: list[str] = field(default_factory=list)
    links: list[Candidate] = field(default_factory=list)


def site_of(host: str) -> str:
    """The host a site's pages share: ``www.`` dropped, so www.example.com and example.com are one."""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, site: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == site or host.endswith("." + site)


def looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if not path or path == "/" or _FILE.search(path) or _NAVIGATION.search(path):
        return False
    return bool(_DATED_PATH.search(path) or _NUMERIC_ID.search(path) or _WORDY_SLUG.search(path))


def parse_homepage(body: bytes, base_url: str) -> Homepage:
    import lxml.html
    from lxml import etree

    try:
        document = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return Homepage()
    base = document.xpath("string(//base/@href)") or base_url
    base = urljoin(base_url, base)
    page = Homepage()
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(base, href)
            if url not in page.feeds:
                page.feeds.append(url)
    site = site_of(urlsplit(base_url).hostname or "")
    seen: set[str] = set()
    for anchor in document.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base, href)
        if url in seen or len(url) > limits.MAX_URL_LENGTH:
            continue
        seen.add(url)
        if urlsplit(url).scheme in {"http", "https"} and same_site(url, site) and looks_like_article(url):
            page.links.append(Candidate(url))
        if len(page.links) >= limits.MAX_ENTRIES_PER_DOCUMENT:
            break
    return page
