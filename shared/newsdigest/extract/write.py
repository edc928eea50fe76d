"""The write pass: the chosen blocks in reading order, one paragraph per block of text.

Every block element (paragraph, heading, list item, quote, cell) ends the paragraph before it; link
lists, link-only blocks and leftover furniture inside the chosen blocks are skipped. Each paragraph
keeps the lxml element and the text nodes it was read from, and :func:`blocks_of` turns the ones the
trim pass keeps into :class:`Block` values, so other renderings (HTML, Markdown) are built from
exactly the blocks the text is made of.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from lxml import etree

from newsdigest.extract import thresholds as T
from newsdigest.extract import vocabulary as V
from newsdigest.extract.measure import (
    BLOCK_TAGS,
    CAPTION_CUT,
    CUT,
    HEADINGS,
    LABELLED_CUT,
    Stats,
    StatsMap,
    box_is_links,
    labelled,
)
from newsdigest.extract.textshape import (
    INVISIBLE,
    PUNCT,
    SENTENCE_BREAK,
    SENTENCE_END_STRICT,
    WS,
    collapse,
    is_date_line,
    normalise_key,
)

BlockKind = Literal["heading", "item", "paragraph", "placeholder"]
# A node the writer read: (element, False) for its text, (element, True) for its tail. A <br> and a
# placeholder stand for themselves.
Source = tuple[etree._Element, bool]

_LISTS = frozenset({"ul", "ol", "dl"})
_ITEMS = frozenset({"li", "dd", "dt", "td", "th"})
_BOXES = frozenset({"div", "section", "article", "table", "tr", "header"})
_TEXT_BLOCKS = frozenset({"p", "li", "dd", "td", "blockquote", "h2", "h3", "h4", "h5", "h6"})
_ELLIPSES = ("…", "...", "….")
_HOST = re.compile(r"^https?://(?:www\.)?([^/:?#]+)", re.I)


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the written text and where it was read from.

    ``element`` is the innermost block element open while the text was written (a ``<p>``, an
    ``<li>``, or a ``<div>`` holding the text directly); ``sources`` are the text and tail nodes the
    text was joined from, in order. A ``placeholder`` block is a processing instruction another layer
    put into the tree (the structured output marks where a picture stood): the writer only keeps its
    place among the paragraphs, and drops it with the furniture around it.
    """

    kind: BlockKind
    element: etree._Element
    text: str
    sources: tuple[Source, ...] = ()


@dataclass(slots=True)
class Para:
    """A paragraph while the write and trim passes still decide on it."""

    text: str
    heading: bool
    item: bool = False  # a list item or table cell
    follow: bool = False  # links to a social-network profile or a subscription page
    element: etree._Element | None = None
    sources: tuple[Source, ...] = ()
    seq: int = 0  # order of writing, kept while paragraphs are dropped
    linked: bool = False  # a heading made of a link (see _linked_headings_without_text)
    boxed: bool = False  # a sign-off-shaped line before a skipped box: kept only if it closes the text
    # A heading before a skipped box with running text after it: kept if its level heads sections.
    before_box: bool = False

    def block(self) -> Block:
        kind: BlockKind = "heading" if self.heading else "item" if self.item else "paragraph"
        assert self.element is not None
        return Block(kind, self.element, self.text, self.sources)


@dataclass(slots=True)
class Written:
    """What the write pass produced: the paragraphs, and the placeholders met between them, each with
    the ``seq`` of the paragraph written before it (-1: before the first)."""

    paras: list[Para]
    placeholders: list[tuple[int, etree._Element]]


class _Writer:
    """Collects inline text into paragraphs; a block boundary ends the current paragraph."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.paras: list[Para] = []
        self.heading_depth = 0
        self.item_depth = 0
        self.follow = False
        self.linked = False
        self.sources: list[Source] = []
        self.open: list[etree._Element] = []  # block elements entered and not yet left
        self.root: etree._Element | None = None  # the chosen block being written
        self.written = 0
        self.placeholders: list[tuple[int, etree._Element]] = []
        self.pre_depth = 0  # inside <pre>: the source's line breaks are the text's
        # A heading before a skipped box, and the element holding both: the next paragraph decides.
        self.pending: tuple[Para, etree._Element] | None = None
        self.pending_boxes = 0  # further boxes skipped while it waits: each takes a label if it goes

    def add(self, text: str | None, node: etree._Element, tail: bool) -> None:
        if text:
            if not self.pre_depth and ("\n" in text or "\r" in text) and (tail or node.tag != "br"):
                # A line break in the page's source is a space on screen (only <br> and <pre> break
                # lines): hard-wrapped paragraphs read as the paragraphs they are.
                text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
            self.parts.append(text)
            self.sources.append((node, tail))

    def opening(self) -> bool:
        """Whether nothing of the text is written yet."""
        return not self.paras and all(part.isspace() for part in self.parts)

    def placeholder(self, node: etree._Element) -> None:
        if any(not part.isspace() for part in self.parts):
            self.sources.append((node, False))  # inside a paragraph's text
        else:
            self.placeholders.append((self.written - 1, node))

    def flush(self) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts.clear()
        sources = tuple(self.sources)
        self.sources.clear()
        follow, self.follow = self.follow, False
        linked, self.linked = self.linked, False
        if raw.isspace():
            # Most flushes: the whitespace between blocks, which writes nothing. No invisible
            # character is whitespace, so the steps below would make it "" too.
            return
        if INVISIBLE.search(raw):
            raw = INVISIBLE.sub("", raw)
        if "\n" in raw:
            lines = [WS.sub(" ", line).strip() for line in raw.split("\n")]
            if " on line " in raw:
                lines = [line for line in lines if not V.SERVER_ERROR.match(line)]
            text = "\n".join(line for line in lines if line)
        else:  # one line (most paragraphs): no list to build and join
            text = WS.sub(" ", raw).strip()
            if " on line " in raw and V.SERVER_ERROR.match(text):
                text = ""
        if text and len(text) < T.DATE_LINE_MAX and is_date_line(text):
            return  # a bare date line is metadata, kept in ``published``
        if text and len(text) < T.COPYRIGHT_MAX and text.startswith(V.COPYRIGHT_START):
            return  # picture credits and copyright notices
        if text and len(text) < T.CAPTION_MAX and (V.CREDIT_END.search(text) or V.CAPTION_START.match(text)):
            return  # a picture caption
        if text:
            element = self.open[-1] if self.open else self.root
            heading, item = self.heading_depth > 0, self.item_depth > 0
            para = Para(text, heading, item, follow, element, sources, self.written, linked)
            if self.pending is not None:
                self.settle(para)
            self.paras.append(para)
            self.written += 1

    def settle(self, after: Para | None) -> None:
        """Keep or drop the heading before a skipped box, now that ``after`` (None: the end of the
        chosen block) is known. It heads a section of the text when the section's running text goes
        on after the box: the next paragraph is one of sentences, inside the element that holds the
        heading and the box. Another heading, a list item, a label, a teaser cut short, running text
        outside that element (the heading and the box were a box of their own) or nothing at all
        after it: the heading named the box."""
        assert self.pending is not None
        heading, holder = self.pending
        boxes, self.pending, self.pending_boxes = self.pending_boxes, None, 0
        if after is not None and _goes_on(after, holder):
            heading.before_box = True  # see _section_headings()
            return
        self.paras.remove(heading)
        for _ in range(boxes):
            self.drop_dangling_heading()

    def drop_dangling_heading(self, *, headings: bool = True, box: etree._Element | None = None) -> None:
        # A heading whose box was skipped ("Related articles", "Mehr zum Thema:") is furniture too;
        # so is a label before it. ``headings=False``: labels only. ``box``: the skipped box, after
        # which a heading waits for the next paragraph (see settle()).
        if self.parts or not self.paras or (not headings and self.paras[-1].heading):
            return
        last = self.paras[-1]
        if self.pending is not None and self.pending[0] is last:
            if box is not None:
                self.pending_boxes += 1
                return
            self.settle(None)  # a removed box or another heading after the skipped box
            if self.parts or not self.paras:
                return
            last = self.paras[-1]
        if last.item or (last.element is not None and last.element.tag == "pre"):
            return  # an item of a list or a line of code belongs to its list or listing, not a box
        if not last.heading and last.text.endswith(":") and len(last.text.split()) >= T.INTRO_LINE_WORDS:
            return  # a sentence that introduces what follows ("Es gibt viele Gründe für ...:")
        if is_box_label(last):
            if last.heading and box is not None and last.element is not None:
                self.pending = (last, _holder(last.element, box))
            elif len(self.paras) > 1 and signs_off(*self.paras[-2:]):
                last.boxed = True  # a sign-off if nothing follows it (see write())
            else:
                self.paras.pop()


def write(
    blocks: list[etree._Element],
    stats: StatsMap,
    title: str | None,
    url: str | None = None,
    *,
    excluded: Collection[etree._Element] = frozenset(),
    keep: Collection[etree._Element] = frozenset(),
) -> Written:
    """The paragraphs of ``blocks`` in document order; elements in ``excluded`` are skipped, elements
    in ``keep`` never are."""
    writer = _Writer()
    title_key = normalise_key(title) if title else None
    site = site_of(url)
    refs = _Listed(site)
    for block in blocks:
        writer.flush()
        writer.root = block
        stack: list[tuple[etree._Element, bool]] = [(block, False)]
        while stack:
            el, closing = stack.pop()
            tag = el.tag
            if closing:
                if tag in BLOCK_TAGS:
                    writer.flush()
                    writer.open.pop()
                    if tag == "pre":
                        writer.pre_depth -= 1
                    if tag in HEADINGS:
                        writer.heading_depth -= 1
                    elif tag in _ITEMS:
                        writer.item_depth -= 1
                if el is not block:
                    writer.add(el.tail, el, True)
                continue
            if not isinstance(tag, str):
                if tag is etree.PI:
                    writer.placeholder(el)
                if el is not block:
                    writer.add(el.tail, el, True)
                continue
            if tag == CUT:
                writer.flush()
                caption = el.get(CAPTION_CUT) is not None
                note = el.get(LABELLED_CUT) is not None
                writer.drop_dangling_heading(headings=not caption, box=el if note else None)
                writer.add(el.tail, el, True)
                continue
            if el is not block and (
                el in excluded
                or (el not in keep and _skip(el, stats, title_key, refs, opening=writer.opening()))
            ):
                if tag in BLOCK_TAGS:
                    writer.flush()
                    if stats[el].text >= T.DANGLING_BOX_MIN:
                        # A note of the section waits for the text after it (a skipped heading, the
                        # headline again, never does).
                        note = tag not in HEADINGS and labelled(el)
                        writer.drop_dangling_heading(box=el if note else None)
                writer.add(el.tail, el, True)
                continue
            if tag in BLOCK_TAGS:
                writer.flush()
                writer.open.append(el)
                if tag == "pre":
                    writer.pre_depth += 1
                if tag in HEADINGS:
                    writer.heading_depth += 1
                    if el is not block and tag in _TEXT_BLOCKS and _is_linked_heading(el, stats):
                        writer.linked = True
                        if stats[el].text >= T.DANGLING_BOX_MIN:
                            writer.drop_dangling_heading()  # as for a skipped box: another story's
                elif tag in _ITEMS:
                    writer.item_depth += 1
            elif tag == "br":
                writer.add("\n", el, False)
            elif tag == "a" and is_follow_link(el.get("href")):
                writer.follow = True
            writer.add(el.text, el, False)
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        writer.flush()
        if writer.pending is not None:
            writer.settle(None)
    # A line that looked like a sign-off before a skipped box, with text after it, was the box's label.
    paras = [p for i, p in enumerate(writer.paras) if not p.boxed or i == len(writer.paras) - 1]
    return Written(_linked_headings_without_text(_section_headings(paras)), writer.placeholders)


def _holder(heading: etree._Element, box: etree._Element) -> etree._Element:
    """The nearest element holding both ``heading`` and ``box``."""
    above = {heading, *heading.iterancestors()}
    return next((el for el in box.iterancestors() if el in above), heading)


def _goes_on(para: Para, holder: etree._Element) -> bool:
    """Whether ``para`` is running text of the section whose heading stands in ``holder``."""
    if not _running(para):
        return False
    assert para.element is not None
    return para.element is holder or any(el is holder for el in para.element.iterancestors())


def _running(para: Para) -> bool:
    """A paragraph of sentences: not a heading, an item, a label or a teaser cut short."""
    if para.heading or para.item or para.element is None or is_box_label(para):
        return False
    if para.text.endswith(_ELLIPSES):
        return False
    # (a break between sentences: paragraphs that end on a footnote mark "[12]")
    return bool(SENTENCE_END_STRICT.search(para.text) or SENTENCE_BREAK.search(para.text))


def _section_headings(paras: list[Para]) -> list[Para]:
    """``paras`` without the headings before a skipped box whose level heads no section of the text.

    A section's own heading is one of its kind: the text's other headings of its level (``<h2>`` for
    an ``<h2>``) head running text directly. A "Related" heading before a link list set between the
    story's paragraphs stands alone at its level, and goes with its box."""
    levels = {
        para.element.tag
        for para, after in pairwise(paras)
        if para.heading and not para.before_box and para.element is not None and _running(after)
    }
    return [p for p in paras if not p.before_box or (p.element is not None and p.element.tag in levels)]


def _is_linked_heading(el: etree._Element, stats: StatsMap) -> bool:
    st = stats.get(el)
    return st is not None and st.text > 0 and st.links / st.text > T.ITEM_LINK_SHARE


def _linked_headings_without_text(paras: list[Para]) -> list[Para]:
    """``paras`` without the headings made of a link, unless they head sections of running text.

    Headings that are links are the sections' own in listicles ("20) <a>Faces Places</a>", linking
    the film's review) and in documentation (back-links to the contents): a series of them, each
    followed by a paragraph of sentences. Otherwise they are other stories' headlines: in a row of
    teasers (another heading, a list item, a label, a summary cut short with an ellipsis or nothing
    follows each), or one set between the story's paragraphs ("Mire: <a>...</a>")."""
    heads = [
        i
        for i, para in enumerate(paras)
        if para.linked
        and i + 1 < len(paras)
        and not (paras[i + 1].heading or paras[i + 1].item)
        and _opens_section(paras[i + 1].text)
    ]
    if len(heads) < T.LINKED_SECTIONS_MIN:
        return [para for para in paras if not para.linked]
    # Those are the sections' headings, so a linked heading right above one of a lower level heads
    # the section those make up ("Sharing" above "Setting up" and "Example 1").
    keep = set(heads)
    for i in range(len(paras) - 2, -1, -1):
        if paras[i].linked and i + 1 in keep and _level(paras[i]) < _level(paras[i + 1]):
            keep.add(i)
    return [para for i, para in enumerate(paras) if not para.linked or i in keep]


def _opens_section(text: str) -> bool:
    """Whether a paragraph after a heading is running text: it ends a sentence (not a summary cut
    short), or is sentences ending on a colon that introduces what follows (a manual's listing)."""
    if text.endswith(_ELLIPSES):
        return False
    return bool(SENTENCE_END_STRICT.search(text) or (text.endswith(":") and SENTENCE_BREAK.search(text)))


def _level(para: Para) -> int:
    tag = para.element.tag if para.element is not None else ""
    return int(tag[1]) if tag in HEADINGS else 7


def blocks_of(kept: list[Para], placeholders: list[tuple[int, etree._Element]]) -> list[Block]:
    """``kept`` as blocks, each placeholder after the paragraph written before it or, when that one was
    dropped, after the nearest kept one before it. Placeholders after the last kept paragraph and a
    dropped one went with the closing furniture."""
    last = kept[-1].seq if kept else -1
    marks = iter([(after, node) for after, node in placeholders if after <= last])
    mark = next(marks, None)
    out: list[Block] = []
    for para in kept:
        while mark is not None and mark[0] < para.seq:
            out.append(Block("placeholder", mark[1], ""))
            mark = next(marks, None)
        out.append(para.block())
    while mark is not None:
        out.append(Block("placeholder", mark[1], ""))
        mark = next(marks, None)
    return out


def _skip(
    el: etree._Element,
    stats: StatsMap,
    title_key: str | None,
    refs: _Listed,
    *,
    opening: bool,
) -> bool:
    """Whether the writer skips ``el``; ``opening``: nothing of the text is written yet."""
    tag = el.tag
    st = stats.get(el)
    if st is None:
        return False
    if tag in HEADINGS and title_key is not None and (tag == "h1" or opening):
        return _is_headline(el, title_key)
    if st.text == 0:
        return False
    density = st.links / st.text
    if tag in _LISTS or tag in _BOXES:
        if tag in {"div", "section"} and st.links and st.text < T.CALL_BOX_MAX and _calls_to_follow(el):
            return True  # a sign-up box set into the story ("Get our newsletter", "Follow us")
        if tag == "div" and density <= T.ONE_PARAGRAPH_LINKS and _wraps_one_paragraph(el, st):
            return False  # a text module around a paragraph with a few links in it
        # Lists and boxes that are mostly links: menus, related stories, tag lists.
        links = (box_is_links(st) and not _punctuated_list(el, st)) or (
            density > T.LINK_BOX_SMALL_SHARE and tag not in {"table", "tr"} and _teaser_list(el, stats)
        )
        return links and not (tag in {"ul", "ol"} and refs.listed(_outer_list(el))) and not refs.contents(el)
    if tag in _TEXT_BLOCKS:
        if tag in HEADINGS:
            return False  # a heading made of a link: what follows decides (_linked_headings_without_text)
        if density > T.ITEM_LINK_SHARE and tag == "li":
            parent = el.getparent()
            if parent is None:
                return True
            # An entry of the text's references, notes, contents or enumeration is one of its items.
            outer = _outer_list(parent)
            return not (refs.enumeration(outer, stats) or refs.listed(outer))
        return density > T.ITEM_LINK_SHARE
    return False


def _is_headline(el: etree._Element, title_key: str) -> bool:
    """Whether heading ``el`` says the article's title: the headline again, which the article keeps
    as its title (themes set it in an ``<h2>`` or ``<h3>`` above the story, as well as ``<h1>``)."""
    return normalise_key(collapse("".join(el.itertext()))) == title_key


def _punctuated_list(el: etree._Element, st: Stats) -> bool:
    """A small list that is not mostly links but whose items are punctuated (the points of a text,
    a few of them linked): the measures count a list's own punctuation, which its items hold. Or
    one set between two paragraphs of running text, the one before introducing it: the text's own
    enumeration, however short its items ("A body is one of these types: ArrayBuffer, Blob, ...")."""
    if el.tag not in _LISTS or st.links > T.LINK_BOX_SHARE * st.text:
        return False
    return len(PUNCT.findall("".join(el.itertext()))) >= T.LINK_BOX_SMALL_PUNCT or _between_sentences(el)


def _between_sentences(el: etree._Element) -> bool:
    before, after = el.getprevious(), el.getnext()
    if before is None or after is None or before.tag != "p" or after.tag != "p":
        return False
    intro, then = collapse("".join(before.itertext())), collapse("".join(after.itertext()))
    return bool(
        (intro.endswith(":") or SENTENCE_END_STRICT.search(intro)) and SENTENCE_END_STRICT.search(then)
    )


def site_of(url: str | None) -> str | None:
    """The name an outlet goes by in its host ('bbc' for www.bbc.co.uk and bbc.com alike): its
    sister domains are its own pages too."""
    match = _HOST.match(url or "")
    if not match:
        return None
    labels = match.group(1).lower().split(".")
    if len(labels) > 2 and labels[-2] in V.SECOND_LEVEL_LABELS:
        labels.pop()
    return labels[-2] if len(labels) > 1 else labels[0]


class _Listed:
    """Which link-dense lists of a page are the text's own, remembered per list (each of its items
    asks again): its references (:func:`_reference_list`), its notes (:meth:`notes`) and its table of
    contents (:meth:`contents`); and which lists are its enumerations (:meth:`enumeration`). The page's
    in-page link targets are gathered on the first ask. Bounded work: without the memory, each item of
    a long list would read the whole list's text again."""

    def __init__(self, site: str | None) -> None:
        self.site = site
        self.known: dict[etree._Element, bool] = {}
        self.enumerations: dict[etree._Element, bool] = {}
        self.targets: dict[str, etree._Element | None] | None = None

    def listed(self, el: etree._Element) -> bool:
        found = self.known.get(el)
        if found is None:
            found = self.known[el] = bool(
                (self.site and _reference_list(el, self.site)) or self.notes(el) or self.contents(el)
            )
        return found

    def enumeration(self, el: etree._Element, stats: StatsMap) -> bool:
        """A list of the text's points set between two paragraphs of it (see :func:`_punctuated_list`)."""
        found = self.enumerations.get(el)
        if found is None:
            st = stats.get(el)
            found = self.enumerations[el] = (
                st is not None and _punctuated_list(el, st) and _between_sentences(el)
            )
        return found

    def _targets(self, el: etree._Element) -> dict[str, etree._Element | None]:
        """Each fragment an in-page link of the page points to, with the element of that id."""
        if self.targets is None:
            root = el.getroottree().getroot()
            wanted: dict[str, etree._Element | None] = {}
            for a in root.iter("a"):
                href = a.get("href")
                if href and href.startswith("#") and len(href) > 1:
                    wanted[href[1:]] = None
            if wanted:
                for node in root.iter(etree.Element):
                    ident = node.get("id")
                    if ident in wanted and wanted[ident] is None:
                        wanted[ident] = node
            self.targets = wanted
        return self.targets

    def notes(self, el: etree._Element) -> bool:
        """A list whose entries are the targets of links in the page (a note mark "[12]" in the text
        points to each): the text's footnotes, however linked their sources are."""
        if el.tag not in {"ul", "ol"}:
            return False
        items = [li for li in el if li.tag == "li"]
        if len(items) < 2:
            return False
        targets = self._targets(el)
        return sum(li.get("id") in targets for li in items) >= T.LISTED_TARGETS_SHARE * len(items)

    def contents(self, el: etree._Element) -> bool:
        """A box whose links all lead into the page, to its headings: the text's table of contents.
        Menus and teasers lead to other pages; a "skip to content" link is one link alone."""
        hrefs = [a.get("href") or "" for a in el.iter("a")]
        if len(hrefs) < 2 or not all(h.startswith("#") and len(h) > 1 for h in hrefs):
            return False
        targets = self._targets(el)
        return sum(_heads_section(targets.get(h[1:])) for h in hrefs) >= T.LISTED_TARGETS_SHARE * len(hrefs)


def _outer_list(el: etree._Element) -> etree._Element:
    """The list ``el`` is nested in, through its items, or ``el`` (a contents entry's sub-entries)."""
    while True:
        item = el.getparent()
        outer = item.getparent() if item is not None and item.tag == "li" else None
        if outer is None or outer.tag not in {"ul", "ol"}:
            return el
        el = outer


def _heads_section(node: etree._Element | None) -> bool:
    """Whether ``node`` is a heading, sits in one, or opens with one (a section element)."""
    if node is None:
        return False
    parent = node.getparent()
    first = next((c for c in node if isinstance(c.tag, str)), None)
    return any(n is not None and n.tag in HEADINGS for n in (node, parent, first))


def _reference_list(el: etree._Element, site: str) -> bool:
    """A list whose every entry is a full title linking to another site: the story's sources or
    further reading. An outlet's menus and teasers link to its own pages, share buttons are a word."""
    items = 0
    for li in el:
        if li.tag != "li":
            continue
        hosts = [site_of(a.get("href")) for a in li.iter("a")]
        if not hosts or any(h is None or h == site for h in hosts):
            return False
        if len(collapse("".join(li.itertext()))) < T.REFERENCE_ITEM_MIN:
            return False
        if any(is_follow_link(a.get("href")) for a in li.iter("a")):
            return False
        items += 1
    return items >= 2


def _calls_to_follow(el: etree._Element) -> bool:
    hrefs = [a.get("href") for a in el.iter("a")]
    return bool(hrefs) and all(is_follow_link(h) for h in hrefs)


def _wraps_one_paragraph(el: etree._Element, st: Stats) -> bool:
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag != "p" or st.para < T.ONE_PARAGRAPH_SHARE * st.text:
        return False
    return bool(SENTENCE_END_STRICT.search("".join(children[0].itertext())))


def _teaser_list(el: etree._Element, stats: StatsMap) -> bool:
    """A box of three or more short entries that each carry a link: headlines of other stories
    with a kicker or a line of summary ("Mehr zum Thema", "Read next"). Running text has longer
    paragraphs, and most of them hold no link at all."""
    items = 0
    for child in el:
        cst = stats.get(child)
        if cst is None or not cst.text or child.tag in HEADINGS:
            continue
        if cst.links == 0 or cst.text > T.TEASER_ITEM_MAX:
            return False
        items += 1
    return items >= T.TEASER_MIN_ITEMS


def is_follow_link(href: str | None) -> bool:
    if not href:
        return False
    return bool(V.PROFILE_LINK.match(href) or V.SIGNUP_LINK.search(href) or V.CHANNEL_LINK.match(href))


def signs_off(before: Para, last: Para) -> bool:
    """Whether ``last``, a short closing line, is one more unlinked paragraph of the text's own
    container after a paragraph of sentences: the writer's sign-off ("Euer Hans", "x Franzi"), not
    the label of a box ("Mehr zum Thema:"), a credit ("Crédits photos : X") or the desk's initials
    and agency ("aja/PAP")."""
    el, prev = last.element, before.element
    if el is None or prev is None or el.tag != "p" or prev.tag != "p" or last.heading or before.heading:
        return False
    if el.getparent() is not prev.getparent() or el.find(".//a") is not None:
        return False
    if any(mark in last.text for mark in ":/"):
        return False
    return bool(SENTENCE_END_STRICT.search(before.text))


def is_box_label(block: Para) -> bool:
    """A short line that names the box after it ("Related articles", "Mehr zum Thema:"); a heading
    written as a full sentence is a subheading or standfirst of the text itself."""
    if len(block.text) < T.BOX_LABEL_MAX and not SENTENCE_END_STRICT.search(block.text):
        return True
    short = len(block.text) < T.BOX_HEADING_MAX
    return block.heading and short and not SENTENCE_END_STRICT.search(block.text)
