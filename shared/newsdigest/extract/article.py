"""``extract_article``: one HTML page (bytes or text) in, one :class:`~newsdigest.models.Article` out.

Pure: no I/O, no clock, no environment. Raises only :class:`~newsdigest.errors.InputError`, and only
for input that is not a text page at all; pages that parse but hold no article come back with
``status`` ``"not_article"`` or ``"empty"`` and a ``reason``.
"""

from __future__ import annotations

import gc
import re

from lxml import etree

from newsdigest.errors import InputError
from newsdigest.extract import metadata as meta_mod
from newsdigest.extract import thresholds as T
from newsdigest.extract.authors import clean_authors
from newsdigest.extract.content import main_text
from newsdigest.extract.dateline import parse_dateline
from newsdigest.extract.dates import parse_date
from newsdigest.extract.dom import parse_html
from newsdigest.extract.encoding import check_binary, decode_html
from newsdigest.extract.jsonld import JsonLdInfo, parse_jsonld
from newsdigest.extract.language import detect_language, normalise_code
from newsdigest.extract.limits import (
    MAX_FIELD_CHARS,
    MAX_PAGE_BYTES,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    cut,
)
from newsdigest.extract.pictures import Pictures
from newsdigest.extract.prune import strip_furniture_tags
from newsdigest.extract.published import published_date, release_day
from newsdigest.extract.title import choose_title
from newsdigest.models import Article, ArticleStatus

_WORD = re.compile(r"\w+", re.UNICODE)
_ERROR_PAGE = re.compile(r"(?<!\d)(?:404|410|403|500|503)(?!\d)")
_EMPTY_REASON = "no main text found on the page"
# Running text is made of words: most of its characters sit in tokens that are mostly letters, and it
# uses more than a handful of different words. Binary data decoded as a legacy charset is a soup of
# letters and symbols without spaces; a repeated byte is one endless "word".
_MIN_WORDLIKE_SHARE = 0.4
_MIN_DISTINCT_WORDS = 5
_LANGUAGE_SAMPLE = 3000
# Digits, ASCII punctuation and the symbols of the Latin-1/windows-1252 range, where decoded bytes land.
_NON_LETTER = re.compile("[!-@\\[-`{-~\u0080-\u00bf\u00d7\u00f7\u2010-\u203a\u20ac\u2122\ufffd]")
_NOT_LANGUAGE_REASON = "the text does not read as language (binary data or one repeated token?)"


def extract_article(
    html: bytes | str, url: str | None = None, *, http_charset: str | None = None, structure: bool = True
) -> Article:
    """Extract the article of one page. See the module docstring for the error contract.

    ``structure=False`` leaves out the article's HTML and Markdown (and its lead image), for callers
    that need only the text."""
    # The cyclic collector is paused for the call: a page's work allocates hundreds of thousands of
    # short-lived, acyclic objects (element proxies, per-element statistics) that reference counting
    # frees, and the collector's passes over them were 4 % of the CPU time on the segment dev set.
    # The few cycles made meanwhile wait for the next collection after the call; benchmarks/hostile.py
    # shows the same peak memory on every row with and without the pause.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _extract_paused(html, url, http_charset, structure)
    finally:
        if was_enabled:
            gc.enable()


def _extract_paused(html: bytes | str, url: str | None, http_charset: str | None, structure: bool) -> Article:
    notes: list[str] = []  # what the caps of newsdigest.extract.limits left out
    text, encoding = _to_text(html, http_charset, notes)
    root = parse_html(text, notes)
    if root is None:
        return _empty(url, encoding, "the page holds no parseable HTML", notes)
    try:
        return _extract(root, url, encoding, notes, source=text, structure=structure)
    except RecursionError as exc:
        # Markup nested past what the tree walks can follow is the page's doing: a clear outcome.
        # Anything else raised here is a bug in the extractor and propagates as one (the retry
        # policy logs and retries it); it is never reported as an empty page.
        return _empty(url, encoding, f"the page could not be analysed ({type(exc).__name__})", notes)


def _empty(url: str | None, encoding: str | None, reason: str, notes: list[str]) -> Article:
    return Article(
        title=None, text="", url=url, encoding=encoding, status="empty", reason=reason, notes=notes
    )


def _head(data: bytes, notes: list[str]) -> bytes:
    """The first ``MAX_PAGE_BYTES`` of ``data``, not splitting a UTF-8 sequence."""
    if len(data) <= MAX_PAGE_BYTES:
        return data
    end = MAX_PAGE_BYTES
    while end > MAX_PAGE_BYTES - 3 and 0x80 <= data[end] < 0xC0:  # a continuation byte: back off
        end -= 1
    notes.append(f"page cut to {MAX_PAGE_BYTES} bytes")
    return data[:end]


def _to_text(html: bytes | str, http_charset: str | None, notes: list[str]) -> tuple[str, str | None]:
    if isinstance(html, bytearray | memoryview):
        html = bytes(html)
    if isinstance(html, bytes):
        if not html.strip():
            raise InputError("the page is empty", reason="empty")
        return decode_html(_head(html, notes), http_charset)
    if isinstance(html, str):
        if not html.strip():
            raise InputError("the page is empty", reason="empty")
        # Text that came from binary data still betrays itself through control characters.
        check_binary(html[:4096].encode("utf-8", "replace"))
        return html, None
    raise InputError(f"expected bytes or str, got {type(html).__name__}", reason="bad_input")


def _extract(
    root: etree._Element,
    url: str | None,
    encoding: str | None,
    notes: list[str],
    *,
    source: str,
    structure: bool,
) -> Article:
    meta = meta_mod.collect(root, url, notes)
    jl = parse_jsonld(meta.jsonld_blocks)
    site_name = _line(meta_mod.site_name(meta) or jl.publisher, notes, "site name")
    title_sources = meta_mod.title_candidates(meta)
    if jl.headline:
        title_sources.append(jl.headline)
    if meta.title_tag:
        title_sources.append(meta.title_tag)
    title_sources = [cut(source, MAX_TITLE_CHARS, "title", notes) for source in title_sources]
    title = choose_title(title_sources, site_name=site_name, url=url, headings=meta.h1)

    # Before any pruning: the whole page.
    release = release_day(root, url, page_chars=len(source), elements=meta.elements)
    body = root.find("body")
    if body is None:
        body = root
    pictures = Pictures()
    strip_furniture_tags(root, pictures.set_aside if structure else None)
    published = published_date(release, url=url, jl=jl, meta=meta, body=body, headings=meta.h1)
    found = main_text(
        body,
        title,
        url,
        jl.body,
        unpruned=lambda: _unpruned_body(source),
        mark=pictures.mark if structure else None,
        article_bodies=meta.article_bodies,
    )
    paragraphs = found.paragraphs
    text = "\n\n".join(paragraphs)
    html = markdown = ""
    image = None
    if structure and paragraphs:
        from newsdigest.extract.structure import build

        # The baseline's and the publisher's articleBody's blocks stand on their own.
        roots = found.roots if found.path == "cascade" else [b.element for b in found.blocks]
        done = build(found.blocks, pictures, roots, url=url, lead_image=meta_mod.lead_image(meta) or jl.image)
        html, markdown, image = done.html, done.markdown, done.image
        if done.note:
            notes.append(done.note)

    modified = parse_date(jl.modified) or meta_mod.modified(meta)
    authors = clean_authors(jl.authors, site_name, notes) or meta_mod.meta_authors(meta, site_name, notes)
    year = int(published[:4]) if published else None
    # Wire copy opens its first body paragraph with the dateline; a standfirst may come before it.
    dateline = next((d for d in (parse_dateline(p, year) for p in paragraphs[:3]) if d is not None), None)
    if dateline is None and meta.dateline_text:
        dateline = parse_dateline(meta.dateline_text + " ", year)
    if published is None and dateline is not None and dateline.date and dateline.date[:4].isdigit():
        published = dateline.date

    status, reason = _status(text, " ".join(filter(None, [meta.title_tag, *meta.h1[:1]])), jl)
    tags = [cut(tag, MAX_TITLE_CHARS, "tag", notes) for tag in meta_mod.tags(meta) or jl.keywords[:30]]
    canonical = meta_mod.canonical_url(meta) or jl.url
    description = meta_mod.description(meta) or jl.description
    return Article(
        title=title,
        text=text,
        authors=authors,
        published=published,
        modified=modified,
        site_name=site_name,
        language=_language(meta_mod.declared_language(meta) or jl.language, text),
        canonical_url=cut(canonical, MAX_URL_CHARS, "canonical URL", notes) if canonical else None,
        description=cut(description, MAX_FIELD_CHARS, "description", notes) if description else None,
        image=image,
        dateline=dateline,
        url=url,
        tags=tags,
        section=_line(meta_mod.section(meta) or jl.section, notes, "section"),
        encoding=encoding,
        status=status,
        reason=reason,
        html=html,
        markdown=markdown,
        notes=notes,
        extraction=found.path if text else "none",
    )


def _unpruned_body(source: str) -> etree._Element:
    """The body as the main-text passes first saw it (parsed, furniture tags stripped), for the second
    opinions: parsed again from the page on the few pages that ask, rather than copied on every page
    before the prune pass in case they do."""
    root = parse_html(source, [])  # the caps were noted on the first parse
    if root is None:  # it parsed the first time; the same text parses the same way
        raise AssertionError("the page no longer parses")
    strip_furniture_tags(root)
    body = root.find("body")
    return root if body is None else body


def _line(value: str | None, notes: list[str], what: str) -> str | None:
    return cut(value, MAX_TITLE_CHARS, what, notes) if value else value


def _language(declared: str | None, text: str) -> str | None:
    code = normalise_code(declared)
    guess, confidence = detect_language(text) if len(text) >= 200 or code is None else (None, 0.0)
    if code is None:
        return guess
    # Templates often keep a default lang attribute; trust a clear contrary reading of the text.
    if guess is not None and guess != code and confidence >= 0.6 and len(text) >= 500:
        return guess
    return code


def _status(text: str, title: str, jl: JsonLdInfo) -> tuple[ArticleStatus, str | None]:
    if len(text) < 600 and title and _ERROR_PAGE.search(title):
        return "not_article", "the page looks like an error page (its title carries an HTTP error code)"
    if not text:
        return "empty", _EMPTY_REASON
    if len(text) < T.MIN_ARTICLE_CHARS:
        if jl.is_listing and not jl.is_article:
            return "not_article", "the page is a listing, not an article"
        return "not_article", "too little running text for an article"
    if not _reads_as_language(text):
        return "not_article", _NOT_LANGUAGE_REASON
    return "ok", None


def _reads_as_language(text: str) -> bool:
    """Whether ``text`` looks like words of some language rather than decoded binary noise."""
    sample = text[:_LANGUAGE_SAMPLE]
    total = 0
    wordlike = 0
    for token in sample.split():
        n = len(token)
        total += n
        # ASCII letters alone hold none of _NON_LETTER's characters (most tokens: no search).
        if (token.isascii() and token.isalpha()) or len(_NON_LETTER.findall(token)) <= 0.3 * n:
            wordlike += n
    if not total or wordlike < _MIN_WORDLIKE_SHARE * total:
        return False
    distinct: set[str] = set()
    for match in _WORD.finditer(sample):
        distinct.add(match.group().casefold())
        if len(distinct) >= _MIN_DISTINCT_WORDS:
            return True
    return False
