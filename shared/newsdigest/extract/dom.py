"""Parse decoded HTML into an lxml tree, defensively, plus small tree helpers.

We parse with lxml's libxml2 HTML parser, the same parser the ``lxml`` builder of BeautifulSoup drives,
but keep lxml's C-level tree: building BeautifulSoup's Python object tree alone costs more than the
whole extraction budget (measured ~36 ms median per dev page versus ~2 ms for the lxml tree).

libxml2 stops descending at a nesting depth limit and silently drops what lies deeper; for pathological
nesting we re-parse a flattened copy so the text survives. All traversals elsewhere are iterative.
"""

from __future__ import annotations

import math
import re
from itertools import islice

import lxml.html
from lxml import etree

from newsdigest.extract.limits import MAX_HTML_CHARS
from newsdigest.extract.markup import bound_markup

# C0 controls other than tab/newline/carriage return/form feed: NUL in particular would make libxml2
# stop reading the document.
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 0x7F])
# What libxml2 would keep in the tree but lxml refuses to be given back (a pass that joins a tail to
# the text before it would fail on the page), and an XML feed of the article could not carry: the form
# feed, whitespace in HTML, becomes a space; the other C0 controls go (raw above, or written as
# references, "&#1;"); the noncharacters U+FFFE and U+FFFF become U+FFFD. A reference's digits are
# ASCII ([0-9], not \d): a digit of another script after it is text, as a browser reads it.
_FORM_FEED_TO_SPACE = bytes.maketrans(b"\x0c", b" ")
_NONCHARACTERS = ("\ufffe", "\uffff")
_BAD_REFERENCE = re.compile(
    r"&#(?:0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9])|[xX]0*(?:[1-8bcefBCEF]|1[0-9a-fA-F]|[fF]{3}[eEfF])"
    r"(?![0-9a-fA-F]));?"
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_START_TAG = re.compile(r"<[a-zA-Z]")
# Wrapper tags that carry no paragraph structure; dropped when re-parsing over-deep documents.
_WRAPPERS = re.compile(
    r"</?(?:div|span|section|article|main|font|center|table|tbody|thead|tr|td|th|ul|ol|li|dl|dt|dd|"
    r"blockquote|b|i|u|em|strong|small|big|a|label|header|footer|aside|nav|form|fieldset|figure|q|"
    r"sub|sup|abbr|cite|mark|s|strike|tt|code|ins|del)\b[^>]*>",
    re.I,
)


# Every element is an ``lxml.html`` element, so htmldate takes the tree as it is instead of parsing the
# page a second time; but looked up in C. ``lxml.html``'s own parser asks a Python method for the class
# of every element each time Python first touches it (a form, an input, ...; nothing here uses those
# classes), which cost more than the parse itself over a whole extraction.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction
)


def clean_text_input(text: str, notes: list[str]) -> str:
    if len(text) > MAX_HTML_CHARS:
        text = text[:MAX_HTML_CHARS]
        notes.append(f"page cut to {MAX_HTML_CHARS} characters")
    return _XML_DECL.sub("", text, count=1)


def _parse(text: str, notes: list[str]) -> etree._Element | None:
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        no_network=True,
        default_doctype=False,
        # No table of the page's ids: nothing looks elements up by id, and building it was a tenth
        # of libxml2's parse (every id hashed, each duplicate one reported as an error).
        collect_ids=False,
    )
    parser.set_element_class_lookup(_HTML_CLASSES)
    try:
        # The pattern starts with "&#", which the regex engine looks for as fast as a test for it
        # first would: most pages have references, and the test was a second scan of the page.
        text = _BAD_REFERENCE.sub(_reference_as_xml, text)
        # The noncharacters are looked for in the str, where a page without characters beyond
        # U+00FF is answered at once and the others scanned two bytes a character; the same test on
        # the encoded bytes was a tenth of the parse. Deleting ASCII control bytes after encoding is
        # safe (UTF-8 continuation bytes are >= 0x80) and far cheaper than doing it on the str.
        for nonchar in _NONCHARACTERS:
            if nonchar in text:
                text = text.replace(nonchar, "\ufffd")
        data = text.encode("utf-8", "replace").translate(_FORM_FEED_TO_SPACE, _CONTROL_BYTES)
        data = bound_markup(data, notes)
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    return root


def _reference_as_xml(match: re.Match[str]) -> str:
    """What a reference to a character lxml refuses stands for (see ``_BAD_REFERENCE``)."""
    digits = match.group()[2:].rstrip(";")
    code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
    return " " if code == 0x0C else "\ufffd" if code >= 0xFFFE else ""


def parse_html(text: str, notes: list[str] | None = None) -> etree._Element | None:
    """The document element, or ``None`` when nothing parseable is left. What the page had beyond the
    caps of :mod:`newsdigest.extract.limits` is left out, with a note appended to ``notes``."""
    notes = [] if notes is None else notes
    text = clean_text_input(text, notes)
    if not text.strip():
        return None
    root = _parse(text, notes)
    if root is None:
        return None
    # Far fewer elements than start tags means libxml2 gave up below its depth limit. Each start tag
    # opens with "<": while the elements number at least a quarter of the "<" (end tags and all),
    # they number at least a quarter of the start tags, which then need no counting (most pages).
    bound = text.count("<", 0, 2_000_000)
    if bound <= 2000:
        return root
    quarter = math.ceil(0.25 * bound)
    count = sum(1 for _ in islice(root.iter(etree.Element), quarter))  # every element, when < quarter
    if count >= quarter:
        return root
    tags = len(_START_TAG.findall(text, 0, 2_000_000))
    if tags > 2000 and count < 0.25 * tags and _depth_limited(root):
        flat = _parse(_WRAPPERS.sub(" ", text), [])  # the same caps, noted on the first parse
        if flat is not None:
            return flat
    return root


def _depth_limited(root: etree._Element) -> bool:
    deepest = 0
    for el in root.iter(etree.Element):
        depth = 0
        node = el
        while node is not None and depth < 300:
            node = node.getparent()
            depth += 1
        deepest = max(deepest, depth)
        if deepest >= 250:
            return True
    return False


def text_of(el: etree._Element) -> str:
    """All text under ``el``, whitespace collapsed."""
    return " ".join("".join(el.itertext()).split())


def attr(el: etree._Element, name: str) -> str:
    value = el.get(name)
    return value.strip() if value else ""


def text_within(el: etree._Element, limit: int) -> str:
    """``text_of(el)`` when that has at most ``limit`` characters; otherwise a longer start of it (its
    first ``limit`` characters are those of ``text_of(el)``), read without walking the rest of ``el``:
    an element wrapping the whole page costs what its first words cost."""
    pieces: list[str] = []
    read = 0
    check = 2 * limit + 64
    for piece in el.itertext():
        pieces.append(piece)
        read += len(piece)
        if read > check:
            text = " ".join("".join(pieces).split())
            if len(text) > limit:
                return text
            check = 2 * read
    return " ".join("".join(pieces).split())
