"""Page metadata from ``<meta>``, ``<link>``, ``<time>``, microdata and byline markup.

Collected from the whole, unpruned tree (bylines and dates live in the very furniture that main-text
extraction later removes). Each field has an ordered list of sources; the first usable value wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree

from newsdigest.extract.authors import clean_authors
from newsdigest.extract.boilerplate import class_id, class_words, tokens
from newsdigest.extract.dates import parse_date
from newsdigest.extract.dom import attr, text_within
from newsdigest.extract.limits import (
    MAX_BYLINE_CHARS,
    MAX_CANDIDATES,
    MAX_FIELD_CHARS,
    MAX_JSONLD_BLOCKS,
    MAX_JSONLD_CHARS,
    MAX_TITLE_CHARS,
    add_note,
    cut,
)
from newsdigest.extract.wordsearch import contains_any

_PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "published-date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "date",
    "article.published",
    "article_date_original",
    "originalpublicationdate",
    "creation_date",
    "cxenseparse:recs:publishtime",
    "live_date",
    "release_date",
    "og:pubdate",
    "displaydate",
    "weibo:article:create_at",
    "bt:pubdate",
    "article.created",
    "created",
)
_MODIFIED_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "og:article:modified_time",
    "datemodified",
    "lastmod",
    "last-modified",
    "dc.date.modified",
    "dcterms.modified",
    "modified",
    "article.updated",
    "revised",
)
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "og:article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "citation_author",
    "cxenseparse:author",
    "author_name",
    "article.author",
    "twitter:data1:author",
)
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "headline", "parsely-title")
_SITE_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher", "dc.publisher")
_DESC_KEYS = ("og:description", "description", "twitter:description", "dc.description")
_TAG_KEYS = ("article:tag", "og:article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags")
_SECTION_KEYS = ("article:section", "og:article:section", "section", "parsely-section", "category")
_LANG_KEYS = ("content-language", "language", "og:locale", "dc.language", "lang", "locale")
_DATE_WORDS = frozenset(
    [
        "date",
        "datum",
        "time",
        "timestamp",
        "published",
        "publish",
        "pubdate",
        "posted",
        "created",
        "fecha",
        "data",
        "datetime",
        "dateline",
        "meta",
        "byline",
        "info",
    ]
)
_AUTHOR_WORDS = frozenset(
    ["author", "authors", "byline", "autor", "auteur", "autore", "writer", "reporter", "creator"]
)
_COMMENT_WORDS = frozenset(["comment", "comments", "reply", "replies", "respond", "discussion", "forum"])
# Cheap prefilter: only class/id strings containing one of these are tokenised.
_HINT = contains_any(
    re.compile(
        r"date|datum|time|publish|pubdate|posted|created|fecha|data|meta|byline|info|author|autor|auteur|"
        r"writer|reporter|creator|dateline",
    )
)
_SKIP_DATE_WORDS = frozenset(
    ["comment", "comments", "modified", "updated", "update", "reply", "footer", "copyright"]
)


@dataclass
class PageMeta:
    metas: dict[str, list[str]] = field(default_factory=dict)
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)
    canonical: str | None = None
    html_lang: str | None = None
    jsonld_blocks: list[str] = field(default_factory=list)
    time_published: str | None = None
    text_published: str | None = None
    itemprop_authors: list[str] = field(default_factory=list)
    byline_authors: list[str] = field(default_factory=list)
    og_type: str | None = None
    dateline_text: str | None = None  # text of an element marked as the dateline
    elements: int = 0  # elements in the page (counted on the way: htmldate skips huge pages)
    # Elements marked itemprop=articleBody, in document order (found on the way: the prune pass
    # protects them, and need not search the whole tree for them again).
    article_bodies: list[etree._Element] = field(default_factory=list)

    def first(self, keys: tuple[str, ...]) -> str | None:
        for key in keys:
            for value in self.metas.get(key, ()):
                if value:
                    return value
        return None

    def all(self, keys: tuple[str, ...]) -> list[str]:
        return [v for key in keys for v in self.metas.get(key, ()) if v]


#: Characters of an element's text read as a date (what parse_date looks at) or a byline.
_DATE_TEXT_CHARS = 200
_BYLINE_TEXT_CHARS = 200


def collect(root: etree._Element, url: str | None, notes: list[str] | None = None) -> PageMeta:
    """One pass over the unpruned tree gathering every metadata source we use, within the caps of
    :mod:`newsdigest.extract.limits` (what they leave out is noted in ``notes``)."""
    notes = [] if notes is None else notes
    meta = PageMeta()
    html_lang = root.get("lang") or root.get("xml:lang")
    meta.html_lang = html_lang.strip() if html_lang else None
    first_time: str | None = None
    headings = times = jsonld_chars = 0
    for el in root.iter("meta", "link", "title", "h1", "script", "time"):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
            content = el.get("content")
            if key and content is not None:
                value = cut(" ".join(content.split()), MAX_FIELD_CHARS, "metadata value", notes)
                meta.metas.setdefault(key.strip().lower(), []).append(value)
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and meta.canonical is None and el.get("href"):
                meta.canonical = _absolute(url, attr(el, "href"))
        elif tag == "title":
            if meta.title_tag is None:
                title = text_within(el, MAX_TITLE_CHARS)
                meta.title_tag = cut(title, MAX_TITLE_CHARS, "title", notes) or None
        elif tag == "h1":
            if len(meta.h1) < 5 and headings < MAX_CANDIDATES:
                headings += 1
                text = cut(text_within(el, MAX_TITLE_CHARS), MAX_TITLE_CHARS, "heading", notes)
                if text:
                    meta.h1.append(text)
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
                if len(meta.jsonld_blocks) >= MAX_JSONLD_BLOCKS:
                    add_note(notes, f"JSON-LD cut to {MAX_JSONLD_BLOCKS} blocks")
                elif jsonld_chars + len(el.text) > MAX_JSONLD_CHARS:
                    add_note(notes, f"JSON-LD cut to {MAX_JSONLD_CHARS} characters")
                else:
                    jsonld_chars += len(el.text)
                    meta.jsonld_blocks.append(el.text)
        elif tag == "time" and first_time is None and times < MAX_CANDIDATES:
            times += 1
            value = el.get("datetime") or el.get("content") or text_within(el, _DATE_TEXT_CHARS)
            if not _in_skipped_box(el):
                first_time = parse_date(value)
    meta.time_published = first_time
    meta.og_type = meta.first(("og:type",))
    _microdata_and_bylines(root, meta, notes)
    return meta


def _absolute(base: str | None, href: str) -> str | None:
    """``href`` resolved against the page URL; ``None`` when it is no URL at all (``http://[``)."""
    if not base:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def _in_skipped_box(el: etree._Element, skip: frozenset[str] | None = None) -> bool:
    """Dates inside comment threads or 'updated' labels are not the publication date."""
    skip = _SKIP_DATE_WORDS if skip is None else skip
    node: etree._Element | None = el
    depth = 0
    while node is not None and depth < 8:
        if node.tag == "form":
            return True
        words = set(tokens(class_id(node)))
        if words & skip:
            return True
        node = node.getparent()
        depth += 1
    return False


@lru_cache(maxsize=4096)
def _hint_words(classes: str, ident: str, custom: str) -> frozenset[str] | None:
    """Tokens of an element's class/id words (:func:`class_id` of its ``class``, ``id`` and custom
    tag), nothing when they cannot name a byline or a date, ``None`` when it has no such words.

    Keyed by the raw attribute values, so the walk over every element of the page asks one cached
    question per named element instead of building its class/id string first."""
    cls = class_words(classes, ident, custom)
    if not cls:
        return None
    if not _HINT(cls.lower()):
        return frozenset()
    return frozenset(tokens(cls))


_NOT_BYLINE_TAGS = frozenset(["script", "style", "head", "meta", "link"])
_NO_WORDS: frozenset[str] = frozenset()


def _microdata_and_bylines(root: etree._Element, meta: PageMeta, notes: list[str]) -> None:
    byline_seen = 0
    date_seen = 0
    # Elements examined per source, accepted or not: a page of 100,000 byline or date boxes costs what
    # its first MAX_CANDIDATES cost.
    examined = {"author": 0, "date": 0, "byline": 0, "dated": 0}

    def take(source: str) -> bool:
        if examined[source] >= MAX_CANDIDATES:
            add_note(notes, f"{source} candidates cut to {MAX_CANDIDATES}")
            return False
        examined[source] += 1
        return True

    elements = 0
    hint = _HINT
    judged: dict[tuple[str | None, str | None, str], frozenset[str] | None] = {}
    # The one walk over every element of the page in the metadata pass: most elements carry neither
    # microdata nor a class or id, and are passed over after three attribute reads.
    for el in root.iter(etree.Element):
        elements += 1
        get = el.get
        prop = get("itemprop")
        if prop:
            prop_l = prop.lower()
            if prop_l == "articlebody":
                meta.article_bodies.append(el)
            elif prop_l in {"author", "creator"}:
                if take("author"):
                    name_el = next(
                        (c for c in el.iter() if (c.get("itemprop") or "").lower() == "name"), None
                    )
                    value = (name_el.get("content") if name_el is not None else None) or (
                        text_within(name_el, MAX_BYLINE_CHARS)
                        if name_el is not None
                        else (el.get("content") or text_within(el, MAX_BYLINE_CHARS))
                    )
                    if value:
                        meta.itemprop_authors.append(cut(value, MAX_BYLINE_CHARS, "byline", notes))
            elif prop_l in {"datepublished", "datecreated"} and meta.text_published is None and take("date"):
                value = el.get("content") or el.get("datetime") or text_within(el, _DATE_TEXT_CHARS)
                meta.metas.setdefault("datepublished", []).append(value[:MAX_FIELD_CHARS])
            continue
        tag = el.tag
        classes, ident = get("class"), get("id")
        if classes or ident or "-" in tag:
            # A page repeats its class values (every teaser, every list item): each is judged once.
            key = (classes, ident, tag)
            if key in judged:
                words = judged[key]
            else:
                # Few class and id values hold a hint word at all: the raw values are searched first
                # (the words are a subset of them). A link's words are always read: without any, a
                # rel=author link is a byline.
                if tag == "a" or hint(f"{classes or ''} {ident or ''} {tag}".lower()):
                    words = _hint_words(classes or "", ident or "", tag if "-" in tag else "")
                else:
                    words = _NO_WORDS
                judged[key] = words
        else:
            words = None
        if words is None:
            if tag == "a" and "author" in (get("rel") or "").lower().split() and take("author"):
                text = cut(text_within(el, MAX_BYLINE_CHARS), MAX_BYLINE_CHARS, "byline", notes)
                if text:
                    meta.byline_authors.append(text)
            continue
        if not words or tag in _NOT_BYLINE_TAGS:
            continue
        if meta.dateline_text is None and "dateline" in words:
            meta.dateline_text = text_within(el, 200)[:200] or None
        if (
            byline_seen < 3
            and words & _AUTHOR_WORDS
            and el.tag not in {"body", "html", "article", "main"}
            and take("byline")
        ):
            text = text_within(el, _BYLINE_TEXT_CHARS)
            # Reader comments and comment forms name their own "authors".
            if (
                2 < len(text) < _BYLINE_TEXT_CHARS
                and el.tag not in {"label", "input"}
                and not _in_skipped_box(el, _COMMENT_WORDS)
            ):
                meta.byline_authors.append(text)
                byline_seen += 1
        if (
            date_seen < 5
            and meta.text_published is None
            and words & _DATE_WORDS
            and not words & _SKIP_DATE_WORDS
            and take("dated")
        ):
            text = text_within(el, _DATE_TEXT_CHARS)
            if 5 < len(text) < 120:
                date_seen += 1
                found = parse_date(text)
                if found:
                    meta.text_published = found
    meta.elements = elements


def published(meta: PageMeta) -> str | None:
    for value in meta.all(_PUBLISHED_KEYS):
        found = parse_date(value)
        if found:
            return found
    return None


def published_candidates(meta: PageMeta) -> list[str]:
    """One parsed date per publication-date meta key that has one, in priority order."""
    found: list[str] = []
    for key in _PUBLISHED_KEYS:
        for value in meta.metas.get(key, ()):
            parsed = parse_date(value)
            if parsed:
                found.append(parsed)
                break
    return found


def modified(meta: PageMeta) -> str | None:
    for value in meta.all(_MODIFIED_KEYS):
        found = parse_date(value)
        if found:
            return found
    return None


def meta_authors(meta: PageMeta, site_name: str | None, notes: list[str] | None = None) -> list[str]:
    for source in (meta.all(_AUTHOR_KEYS), meta.itemprop_authors, meta.byline_authors):
        names = clean_authors(source, site_name, notes)
        if names:
            return names
    return []


def site_name(meta: PageMeta) -> str | None:
    return meta.first(_SITE_KEYS)


def description(meta: PageMeta) -> str | None:
    return meta.first(_DESC_KEYS)


def title_candidates(meta: PageMeta) -> list[str]:
    return meta.all(_TITLE_KEYS)


def tags(meta: PageMeta) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in meta.all(_TAG_KEYS):
        for part in re.split(r"[,;]", value):
            tag = part.strip()
            if tag and tag.lower() not in seen and len(tag) < 80:
                seen.add(tag.lower())
                out.append(tag)
    return out[:30]


def section(meta: PageMeta) -> str | None:
    return meta.first(_SECTION_KEYS)


def declared_language(meta: PageMeta) -> str | None:
    return meta.html_lang or meta.first(_LANG_KEYS)


_IMAGE_KEYS = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")


def lead_image(meta: PageMeta) -> str | None:
    return meta.first(_IMAGE_KEYS)


def canonical_url(meta: PageMeta) -> str | None:
    return meta.canonical or meta.first(("og:url",))
