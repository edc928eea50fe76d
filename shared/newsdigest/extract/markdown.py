"""Markdown of the clean article HTML, by markdownify (a maintained converter built on beautifulsoup4).

html-to-markdown (Rust) converts faster, but its compiled module alone is 22 MB unpacked and would
take the layer past its 40 MB budget; markdownify is 100 kB of Python on the beautifulsoup4 the
cleaner already loads. ``benchmarks/structure.py --converters`` measures both on the dev pages.

What the converter leaves to its caller, this module does:

* text is escaped so that no character of it turns into markup: ``*``, ``_``, backticks, brackets,
  and ``<`` above all (a Markdown renderer passes raw HTML through; text that reads
  ``<img onerror=...>`` must stay text). What is markup only at the start of a line (``#``, ``>``,
  ``-``, ``1.``) is escaped only there, so "May 11." stays as written. Whitespace inside a paragraph
  is one space, as in the HTML: a line break in the page's source cannot start a list item;
* link and image addresses are written so that nothing in them ends the destination early (``<...>``
  form when they hold spaces, parentheses or angle brackets), and alt texts and titles are escaped: an
  address or a caption cannot smuggle a second link into the Markdown.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bs4 import Tag

_UNSAFE_DESTINATION = re.compile(r"[\s()<>\\`]|[\x00-\x1f]")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w{1,32};)")
_ANY_SPECIAL = re.compile(r"[\\`*_\[\]<>~|&]")
# Markup only at the start of a line: headings, list markers, setext underlines, numbered items.
_LINE_MARKER = re.compile(r"^(\s*)(#{1,6}|[-+=]|-{2,}|={2,})(?=\s|$)")
_LINE_NUMBER = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_LINE_START_CHARS = frozenset("#-+=0123456789")
_WS = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Elements whose first text starts a line of Markdown.
_LINE_BLOCKS = frozenset(
    ["p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "dd", "dt",
     "caption", "figure", "[document]", "body"]
)  # fmt: skip


_BLOCK_NAMES = _LINE_BLOCKS | {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "pre", "div"}


def _is_block(node: Any) -> bool:
    """Whether ``node`` is a block element (whitespace next to one is not text)."""
    return node is not None and getattr(node, "name", None) in _BLOCK_NAMES


def destination(url: str) -> str:
    """``url`` as a CommonMark link destination that ends where the URL does."""
    if not _UNSAFE_DESTINATION.search(url):
        return url
    safe = url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C")
    safe = re.sub(r"[\x00-\x20]", lambda m: f"%{ord(m.group()):02X}", safe)
    return f"<{safe}>"


def escape_text(text: str, *, line_start: bool) -> str:
    """Text as Markdown that renders as exactly this text."""
    # Most text holds none of these: one scan instead of four substitutions.
    if _ANY_SPECIAL.search(text):
        text = _INLINE_SPECIAL.sub(r"\\\1", text)
        if "&" in text:
            text = _ENTITY_LIKE.sub(r"\\&", text)
    if line_start and text.lstrip()[:1] in _LINE_START_CHARS:
        text = _LINE_MARKER.sub(r"\1\\\2", text, count=1)
        text = _LINE_NUMBER.sub(r"\1\\\2", text, count=1)
    return text


def _title(title: str | None) -> str:
    if not title:
        return ""
    escaped = " ".join(title.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f' "{escaped}"'


@cache
def _converter() -> Any:
    # bs4 through newsdigest.extract.soup before markdownify imports it (see there); order matters.
    import newsdigest.extract.soup  # noqa: F401, I001
    from markdownify import ATX, MarkdownConverter

    class Converter(MarkdownConverter):
        def process_text(self, el: Any, parent_tags: set[str] | None = None) -> str:
            parent_tags = parent_tags or set()
            text = str(el)
            if "pre" in parent_tags:
                return text
            text = _WS.sub(" ", text)
            previous = el.previous_sibling
            parent = el.parent
            at_start = previous is None and parent is not None and parent.name in _LINE_BLOCKS
            after_break = previous is not None and getattr(previous, "name", None) == "br"
            if "_noformat" not in parent_tags:
                text = escape_text(text, line_start=at_start or after_break)
            following = el.next_sibling
            if (previous is None and _is_block(parent)) or after_break or _is_block(previous):
                text = text.lstrip()
            if (following is None and _is_block(parent)) or _is_block(following):
                text = text.rstrip()
            return text

        def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
            href = el.get("href")
            if not href or not text.strip() or "_noformat" in parent_tags:
                return text
            prefix = text[: len(text) - len(text.lstrip())]
            suffix = text[len(text.rstrip()) :]
            return f"{prefix}[{text.strip()}]({destination(href)}{_title(el.get('title'))}){suffix}"

        def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
            src = el.get("src")
            alt = escape_text(" ".join((el.get("alt") or "").split()), line_start=False)
            if not src:
                return alt
            return f"![{alt}]({destination(src)}{_title(el.get('title'))})"

        def convert_br(self, el: Any, text: str, parent_tags: set[str]) -> str:
            # A run of line breaks is one: two in a row would end the paragraph in Markdown.
            previous: Any = el.previous_sibling
            while previous is not None and isinstance(previous, str) and not previous.strip():
                previous = getattr(previous, "previous_sibling", None)
            if previous is None or getattr(previous, "name", None) == "br":
                return ""
            return " " if "_inline" in parent_tags else "  \n"

        def convert_figcaption(self, el: Any, text: str, parent_tags: set[str]) -> str:
            text = " ".join(text.split())
            return f"\n\n*{text}*\n\n" if text else ""

    return Converter(
        heading_style=ATX,
        bullets="-",
        strong_em_symbol="*",
        keep_inline_images_in=["a", "td", "th", "li", "p", "figure", "figcaption", "span", "strong", "em",
                               "b", "i", "dd", "dt", "blockquote", "caption"],
        bs4_options="lxml",
    )  # fmt: skip


def to_markdown(html: str | Tag) -> str:
    """Markdown of clean article HTML, or of the cleaned tree it was serialised from
    (:func:`newsdigest.extract.clean.clean_html`)."""
    converter = _converter()
    if isinstance(html, str):
        text = converter.convert(html) if html.strip() else ""
    else:
        text = converter.convert_soup(html)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return text + "\n" if text else ""
