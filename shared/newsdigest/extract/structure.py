"""The article's structure: HTML and Markdown built from the very blocks of its text.

1. :func:`fragment` writes the blocks of :func:`~newsdigest.extract.content.write_blocks` back out as
   markup, from the page's own nodes: each paragraph with the inline elements its text was read from
   (links, emphasis, code), inside the structural elements around it (lists and items, quotes, tables
   and cells, ``pre``, headings), and each picture placeholder as the picture that stood there. Only
   what the text kept is written, so the markup agrees with ``Article.text`` block for block.
2. :func:`newsdigest.extract.clean.clean_html` cleans that fragment (beautifulsoup4 on lxml, then nh3).
3. :func:`newsdigest.extract.markdown.to_markdown` converts the clean HTML.

Only the article's fragment is ever parsed again, never the page: the page's own tree is lxml's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TypeAlias

from lxml import etree

from newsdigest.extract.clean import ALLOWED_ATTRIBUTES, INLINE_ELEMENTS
from newsdigest.extract.measure import BLOCK_TAGS
from newsdigest.extract.pictures import Picture, Pictures
from newsdigest.extract.write import Block

_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
# Elements the structure is made of; every other block element (div, section, article, ...) is a
# wrapper and is not written.
STRUCTURE = frozenset(
    ["blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr",
     "td", "th", "pre", "p", *_HEADINGS]
)  # fmt: skip
# Elements a paragraph's text is written straight into; text of any other block gets a <p>.
_TEXT_HOLDERS = frozenset(["p", "li", "dt", "dd", "td", "th", "pre", "caption", "blockquote", *_HEADINGS])
# Elements that hold text only, no further structure (the HTML parser would close them).
_PHRASING_ONLY = frozenset(["p", "pre", "dt", "caption", *_HEADINGS])
# Elements that cannot hold text themselves (a browser moves text out of a table before it).
_NO_TEXT = frozenset(["ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"])
# The parent an element needs to be written at all: an item whose list lies outside the article is
# written as a paragraph.
_REQUIRES = {
    "li": frozenset(["ul", "ol"]),
    "dt": frozenset(["dl"]),
    "dd": frozenset(["dl"]),
    "tr": frozenset(["table", "thead", "tbody", "tfoot"]),
    "td": frozenset(["tr"]),
    "th": frozenset(["tr"]),
    "thead": frozenset(["table"]),
    "tbody": frozenset(["table"]),
    "tfoot": frozenset(["table"]),
    "caption": frozenset(["table"]),
}
_CELLS = frozenset(["td", "th"])
_TABLE_PARTS = frozenset(["table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"])
# Blocks that make a cell a page region rather than a datum (see _layout_table).
_REGION_BLOCKS = ("table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# Bounded work: a picture's own markup beyond this is not a picture (a gallery widget, a whole page
# swallowed by an unclosed <figure>) and is left out.
MAX_PICTURE_MARKUP = 50_000


class _Para:
    """A <p> the fragment adds around text that stood in a wrapper (one per block)."""

    tag = "p"


Node: TypeAlias = "etree._Element | _Para"


@dataclass(frozen=True, slots=True)
class Structure:
    html: str
    markdown: str
    image: str | None
    note: str | None = None  # what was left out of the structure, in words


def build(
    blocks: Sequence[Block],
    pictures: Pictures,
    roots: Iterable[etree._Element],
    *,
    url: str | None,
    lead_image: str | None,
) -> Structure:
    """HTML, Markdown and lead image of an article from its blocks (see the module docstring).

    Bounded work: the blocks past the first ``MAX_STRUCTURED_CHARS`` characters of text, or past the
    first ``MAX_STRUCTURED_NODES`` nodes of markup (see :func:`_cost`), are written as plain paragraphs
    (escaped, without their markup or pictures), so the cost of the structure stays linear and small
    whatever the page; ``note`` says so when it happens."""
    from newsdigest.extract.clean import base_url, clean_html, first_image, resolve_url
    from newsdigest.extract.markdown import to_markdown

    head, rest = _split(blocks, pictures)
    base = base_url(url, pictures.base_href)
    clean = clean_html(fragment(head, pictures, roots), base)
    html, markdown = clean.html, to_markdown(clean.tree)
    note = None
    if rest:
        html, markdown = _with_plain(html, markdown, rest)
        note = (
            f"structure: the HTML and Markdown keep the markup of the first {len(head)} paragraphs "
            f"(at most {MAX_STRUCTURED_CHARS} characters of text in {MAX_STRUCTURED_NODES} nodes of markup); "
            f"{len(rest)} later paragraphs are plain"
        )
    image = (resolve_url(lead_image, base, images=True) if lead_image else None) or first_image(html)
    return Structure(html=html, markdown=markdown, image=image, note=note)


# Past this much text, blocks are written as plain paragraphs. Beautifulsoup4 builds a Python object
# per node: a 3.5 MB article took seconds; news articles are far below this (the longest dev page,
# a Wikipedia article, has 106,000 characters in its text).
MAX_STRUCTURED_CHARS = 200_000
# The same for nodes of markup (the fragment's elements and text nodes, as _cost counts them):
# beautifulsoup4's tree, the cleaner, nh3 and markdownify together cost about 18 us of CPU per node,
# so short text in many inline elements is slow too (20,000 <time> elements in one story cost 1.0 s;
# the page cap of extract/limits.py lets that many through). The largest fragments of the 1,036 dev
# pages of both extraction sets: 13,400 nodes (a school's page of timetables) and 10,100 (Wikipedia's
# longest article, 106,000 characters); at this bound the structure costs at most about 0.22 s.
MAX_STRUCTURED_NODES = 12_000


def _cost(block: Block, pictures: Pictures) -> int:
    """Nodes of markup ``block`` adds to the fragment, counted from what the writer read: each text
    node, and each element whose text it read (its block element and inline elements; one read only
    after is opened by the text before it)."""
    if block.kind == "placeholder":
        picture = pictures.placed.get(block.element)
        return sum(1 for _ in picture.element.iter()) if picture is not None else 0
    if not block.sources:  # written whole (_all_sources)
        return 2 * sum(1 for _ in block.element.iter())
    return len(block.sources) + sum(1 for _, tail in block.sources if not tail)


def _split(blocks: Sequence[Block], pictures: Pictures) -> tuple[Sequence[Block], Sequence[Block]]:
    chars = nodes = 0
    for i, block in enumerate(blocks):
        chars += len(block.text)
        nodes += _cost(block, pictures)
        if chars > MAX_STRUCTURED_CHARS or nodes > MAX_STRUCTURED_NODES:
            return blocks[:i], [b for b in blocks[i:] if b.kind != "placeholder"]
    return blocks, ()


def _with_plain(html: str, markdown: str, rest: Sequence[Block]) -> tuple[str, str]:
    from newsdigest.extract.clean import sanitise
    from newsdigest.extract.markdown import escape_text

    plain_html = "".join(
        "<p>" + "<br>".join(escape(line, quote=False) for line in b.text.split("\n")) + "</p>" for b in rest
    )
    plain_md = "\n\n".join(
        "  \n".join(escape_text(line, line_start=True) for line in b.text.split("\n")) for b in rest
    )
    return html + sanitise(plain_html), (markdown.rstrip("\n") + "\n\n" + plain_md).lstrip("\n") + "\n"


def fragment(blocks: Sequence[Block], pictures: Pictures, roots: Iterable[etree._Element]) -> str:
    """The blocks as markup of the page's own elements (attributes as they were: cleaning follows)."""
    writer = _FragmentWriter(set(roots), pictures)
    for block in blocks:
        if block.kind == "placeholder":
            writer.picture(block.element)
        else:
            writer.paragraph(block)
    writer.enter([])
    return "".join(writer.out)


class _FragmentWriter:
    def __init__(self, roots: set[etree._Element], pictures: Pictures) -> None:
        self.roots = roots
        self.pictures = pictures
        self.out: list[str] = []
        self.open: list[Node] = []
        self.chains: dict[etree._Element, list[etree._Element]] = {}
        self.last_cell: dict[etree._Element, etree._Element] = {}  # open row -> its last written cell
        self.layout: dict[etree._Element, bool] = {}  # table -> whether it only lays the page out
        self.last: Node | None = None  # what the last paragraph was written into

    # Structure ---------------------------------------------------------------------------------

    def chain(self, el: etree._Element) -> list[etree._Element]:
        """Structural elements from the article's root down to ``el`` (inclusive), nested validly."""
        cached = self.chains.get(el)
        if cached is not None:
            return cached
        path: list[etree._Element] = []
        node: etree._Element | None = el
        while node is not None:
            path.append(node)
            if node in self.roots:
                break
            node = node.getparent()
        kept: list[etree._Element] = []
        for node in reversed(path):
            tag = node.tag
            if tag not in STRUCTURE:
                continue
            if tag in _TABLE_PARTS and self._in_layout_table(node):
                continue
            if kept and kept[-1].tag in _PHRASING_ONLY:
                break
            need = _REQUIRES.get(tag)
            if need is not None and not (kept and kept[-1].tag in need):
                continue
            kept.append(node)
        self.chains[el] = kept
        return kept

    def _in_layout_table(self, node: etree._Element) -> bool:
        table: etree._Element | None = node
        while table is not None and table.tag != "table":
            table = table.getparent()
        if table is None:
            return True  # a cell without its table: nothing to write it into
        layout = self.layout.get(table)
        if layout is None:
            layout = self.layout[table] = _layout_table(table)
        return layout

    def enter(self, target: Sequence[Node]) -> None:
        """Close what ``target`` does not hold, open what it adds."""
        same = 0
        while same < len(self.open) and same < len(target) and self.open[same] is target[same]:
            same += 1
        for node in reversed(self.open[same:]):
            self._close(node)
        del self.open[same:]
        for node in target[same:]:
            self._open(node)
            self.open.append(node)

    def _open(self, node: Node) -> None:
        if isinstance(node, _Para):
            self.out.append("<p>")
            return
        if node.tag in _CELLS:
            row = node.getparent()
            if row is not None:
                self._empty_cells(row, until=node)
                self.last_cell[row] = node
        self.out.append(_start_tag(node.tag, node))

    def _close(self, node: Node) -> None:
        if not isinstance(node, _Para) and node.tag == "tr":
            self._empty_cells(node, until=None)
            self.last_cell.pop(node, None)
        self.out.append(f"</{node.tag}>")

    def _empty_cells(self, row: etree._Element, until: etree._Element | None) -> None:
        """Cells of ``row`` the text did not keep, written empty so that columns stay aligned."""
        last = self.last_cell.get(row)
        started = last is None
        for cell in row:
            if cell is until:
                return
            if not started:
                started = cell is last
                continue
            if cell.tag in _CELLS:
                self.out.append(f"<{cell.tag}></{cell.tag}>")

    # Blocks ------------------------------------------------------------------------------------

    def paragraph(self, block: Block) -> None:
        chain: list[Node] = list(self.chain(block.element))
        while chain and chain[-1].tag in _NO_TEXT:
            chain.pop()
        if not chain or chain[-1].tag not in _TEXT_HOLDERS:
            chain.append(_Para())
        elif chain[-1] is self.last and self.open and self.open[-1] is chain[-1]:
            # A second paragraph in the element that holds the last one (a box inside it split its
            # text): a paragraph of its own, as in the text.
            if chain[-1].tag in _PHRASING_ONLY:
                self.enter(chain[:-1])
            else:
                chain.append(_Para())
        self.enter(chain)
        self.inline(block)
        self.last = chain[-1]

    def picture(self, placeholder: etree._Element) -> None:
        picture = self.pictures.placed.get(placeholder)
        parent = placeholder.getparent()
        if picture is None or parent is None:
            return
        # A picture between two of the article's blocks stands at its top level.
        chain: list[Node] = [] if placeholder in self.roots else list(self.chain(parent))
        while chain and (chain[-1].tag in _PHRASING_ONLY or chain[-1].tag in _NO_TEXT):
            chain.pop()
        markup = _markup(picture.element)
        if not markup:
            return
        self.enter(chain)
        self.last = None
        markup = _linked(picture, markup + _fallback(picture.fallback))
        if picture.element.tag != "figure":
            markup = f"<figure>{markup}</figure>"
        self.out.append(markup)

    def inline(self, block: Block) -> None:
        stack: list[etree._Element] = []
        out = self.out
        for node, tail in block.sources or _all_sources(block.element):
            tag = node.tag
            if tag is etree.PI:
                picture = self.pictures.placed.get(node)
                if picture is not None:
                    out.append(_inline_picture(picture))
                continue
            container = node.getparent() if tail else node
            if container is None:
                continue
            self._inline_enter(stack, _inline_chain(container, block.element))
            if tag == "br" and not tail:
                out.append("<br>")
                continue
            text = node.tail if tail else node.text
            if text:
                out.append(escape(_INVISIBLE.sub("", text), quote=False))
        self._inline_enter(stack, [])

    def _inline_enter(self, stack: list[etree._Element], target: list[etree._Element]) -> None:
        same = 0
        while same < len(stack) and same < len(target) and stack[same] is target[same]:
            same += 1
        for node in reversed(stack[same:]):
            self.out.append(f"</{node.tag}>")
        del stack[same:]
        for node in target[same:]:
            self.out.append(_start_tag(node.tag, node))
            stack.append(node)


_LAYOUT_CELL_PARAGRAPHS = 2


def _layout_table(table: etree._Element) -> bool:
    """A table that lays out a page region rather than holding data: it nests a table, has one
    column, or has cells holding headings, lists or several paragraphs (old templates put whole
    articles in one). Its text is written as plain blocks; Markdown has no table that could hold them."""
    rows = [row for row in table.iter("tr")]
    if not rows or all(sum(1 for c in row if c.tag in _CELLS) <= 1 for row in rows):
        return True
    for cell in table.iter("td", "th"):
        if next(cell.iter(*_REGION_BLOCKS), None) is not None:
            return True
        if sum(1 for _ in cell.iter("p")) >= _LAYOUT_CELL_PARAGRAPHS:
            return True
    return False


def _all_sources(el: etree._Element) -> list[tuple[etree._Element, bool]]:
    """The text and tail nodes of ``el``'s subtree, for a block whose text is all of it (the
    baseline pass reads whole elements)."""
    sources: list[tuple[etree._Element, bool]] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            sources.append((node, False))
        elif node is not el:
            sources.append((node, True))
    return sources


def _inline_chain(container: etree._Element, block_element: etree._Element) -> list[etree._Element]:
    """Inline elements around text read from ``container`` that an article can keep (links,
    emphasis, code, ...), outermost first. Others (spans, fonts, labels) are not written at all: the
    cleaner would unwrap them."""
    chain: list[etree._Element] = []
    node: etree._Element | None = container
    while node is not None and node is not block_element:
        tag = node.tag
        if not isinstance(tag, str) or tag in BLOCK_TAGS:
            break
        if tag in INLINE_ELEMENTS:
            chain.append(node)
        node = node.getparent()
    chain.reverse()
    return chain


def _start_tag(tag: str, el: etree._Element) -> str:
    """The start tag of a structural or inline element with only the attributes the cleaner could
    keep on it: the rest (classes, styles, data attributes, event handlers) would only be parsed
    again to be removed. Pictures are written whole (:func:`_markup`): what an image's address is
    read from has no fixed name."""
    allowed = ALLOWED_ATTRIBUTES.get(tag)
    if not allowed or not el.attrib:
        return f"<{tag}>"
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in el.attrib.items() if name in allowed)
    return f"<{tag}{attrs}>"


def _markup(el: etree._Element) -> str:
    markup = etree.tostring(el, method="html", encoding="unicode", with_tail=False)
    return markup if len(markup) <= MAX_PICTURE_MARKUP else ""


def _fallback(el: etree._Element | None) -> str:
    return f"<noscript>{_markup(el)}</noscript>" if el is not None else ""


def _inline_picture(picture: Picture) -> str:
    """A picture inside a paragraph's text: only its image, no caption."""
    el = picture.element
    if el.tag == "figure":
        inner = next(el.iter("picture", "img"), None)
        if inner is None:
            return ""
        el = inner
    return _linked(picture, _markup(el) + _fallback(picture.fallback))


def _linked(picture: Picture, markup: str) -> str:
    """``markup`` inside the link the picture was all of, if it was."""
    if picture.link is None or not markup:
        return markup
    return f"{_start_tag('a', picture.link)}{markup}</a>"
