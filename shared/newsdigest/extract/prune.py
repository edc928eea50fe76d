"""The prune pass: remove script/style/media, then hidden, role- and class-marked furniture.

Size decides with the words: a box that holds most of the page is never furniture by its tag or class
alone, and the ancestors of the article's strongest markers are protected outright.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from newsdigest.extract import thresholds as T
from newsdigest.extract import vocabulary as V
from newsdigest.extract.boilerplate import (
    always_furniture,
    class_id,
    is_hidden,
    is_marked_boilerplate,
    layer_or_bio,
    names_caption,
    other_stories,
    picture_widget,
    tokens,
)
from newsdigest.extract.measure import StatsMap, cut, drop
from newsdigest.extract.textshape import collapse
from newsdigest.extract.wordsearch import contains_any

_TEASER_BOXES = frozenset(["ul", "ol", "div", "section"])
_SUBHEADINGS = frozenset(["h2", "h3", "h4", "h5", "h6"])


def strip_furniture_tags(
    root: etree._Element, before_strip: Callable[[etree._Element], None] | None = None
) -> None:
    """Remove script/style/media/... subtrees (C-level, keeps the text that follows each one).

    ``before_strip`` sees the tree once figures that hold text have become boxes, before the pictures
    go (the structured output sets them aside there, :mod:`.pictures`)."""
    _unwrap_text_figures(root)
    _mark_picture_captions(root)
    if before_strip is not None:
        before_strip(root)
    etree.strip_elements(root, *V.DROP_TAGS, with_tail=False)


_PICTURE_BOXES = frozenset(["div", "span", "section", "a", "p"])
# Elements below a box named by a class, an id or a custom tag (one C-level query, not a walk).
_NAMED = etree.XPath(".//*[@class or @id or contains(name(), '-')]")
# Elements carrying microdata (found in C; few on any page).
_MICRODATA = etree.XPath("descendant-or-self::*[@itemprop]")
_CAPTION_WORDS = contains_any(V.CAPTION_WORDS)
_CONTENT_WORDS = contains_any(V.CONTENT_WORDS)
_AGENCY_LINE = re.compile(r"^[A-Z]{2,}[A-Z .&'-]{0,30}(?:/.{1,40})?$")


def _mark_picture_captions(root: etree._Element) -> None:
    """Make the caption boxes of pictures figures, in or out of ``<figure>``: a small box that holds a
    picture and a short text ending on a credit (``div.image`` with an agency caption and a
    "REUTERS/Name" line). Position alone is not enough (a lead may sit beside a picture), the credit
    line makes it a caption."""
    read: dict[etree._Element, str | None] = {}  # a gallery's pictures share their boxes

    def text_of(box: etree._Element) -> str | None:
        if box not in read:
            read[box] = _text_upto(box, T.CAPTION_MAX)
        return read[box]

    for img in list(root.iter("img", "picture")):
        box = img.getparent()
        for _ in range(T.PICTURE_BOX_LEVELS):
            if box is None or box.tag not in _PICTURE_BOXES or text_of(box) != "":
                break
            box = box.getparent()
        if box is None or box.tag not in _PICTURE_BOXES or box.getparent() is None:
            continue
        text = text_of(box)
        if not text:
            continue  # no text, or more than a caption: the picture stands in running text
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        last = lines[-1]
        credit = (
            V.CREDIT_END.search(last)
            or last.startswith(V.COPYRIGHT_START)
            or _AGENCY_LINE.match(last)
            or any(_CAPTION_WORDS(class_id(el)) for el in box.iterdescendants(etree.Element))
        )
        if credit:
            # A picture with its caption is a figure: the strip drops it from the text like any
            # other, and the structured output sets it aside and puts it back as one.
            box.tag = "figure"


def _text_upto(box: etree._Element, limit: int) -> str | None:
    """The text of ``box`` (its pieces joined by newlines, "" when there is none) when it holds at
    most ``limit`` characters, else None; reads no further than that, so a picture in a long
    article costs little."""
    parts: list[str] = []
    size = 0
    for piece in box.itertext():
        stripped = piece.strip()
        if not stripped:
            continue
        size += len(stripped) if "\n" not in stripped else sum(len(x.strip()) for x in stripped.split("\n"))
        if size > limit:
            return None
        parts.append(stripped)
    return "\n".join(parts)


def _unwrap_text_figures(root: etree._Element) -> None:
    """Turn figures that hold text rather than a picture into plain boxes.

    Themes wrap data tables and code listings in ``<figure>`` (WordPress's table block), and an
    unclosed figure can swallow the body paragraphs after it; only the caption is furniture then.
    """
    for fig in list(root.iter("figure")):
        holds_text = next(fig.iter("table", "pre"), None) is not None
        if not holds_text and next(fig.iter("p"), None) is not None:
            holds_text = (
                any(True for _ in fig.iter("h2", "h3", "h4"))
                and sum(len(p.xpath("string()")) for p in fig.iter("p")) >= T.FIGURE_TEXT_MIN
            )
        if holds_text:
            etree.strip_elements(fig, "figcaption", with_tail=False)
            fig.tag = "div"


def protected_elements(
    root: etree._Element, stats: StatsMap, article_bodies: list[etree._Element] | None = None
) -> set[etree._Element]:
    """Ancestors of the strongest article markers; class words alone never remove these.

    Markers: headings of level one, an ``itemprop=articleBody`` element, and the ``<article>`` holding
    the most text (teaser cards are ``<article>`` elements too, so not all of them). ``article_bodies``:
    the page's ``itemprop=articleBody`` elements when the caller has them (the metadata pass finds
    them on its walk); those under ``root`` count, and ``root`` is not searched for them.
    """

    def size(el: etree._Element) -> int:
        st = stats.get(el)
        return st.text if st is not None else 0

    markers: list[etree._Element] = []
    biggest: etree._Element | None = None
    for el in root.iter("h1", "article"):
        if el.tag == "h1":
            markers.append(el)
        elif biggest is None or size(el) > size(biggest):
            biggest = el
    if biggest is not None:
        markers.append(biggest)
    if article_bodies is None:
        markers.extend(el for el in _MICRODATA(root) if (el.get("itemprop") or "").lower() == "articlebody")
    else:
        markers.extend(
            el for el in article_bodies if el is root or any(a is root for a in el.iterancestors())
        )
    keep: set[etree._Element] = set()
    for marker in markers:
        if any(is_hidden(node) for node in (marker, *marker.iterancestors())):
            continue  # a hidden copy (a display:none articleBody, a login template's <h1>)
        node: etree._Element | None = marker
        while node is not None and node not in keep:
            keep.add(node)
            node = node.getparent()
    return keep


def _doomed(
    el: etree._Element,
    text: int,
    links: int,
    para: int,
    page_text: int,
    *,
    stats: StatsMap,
    page_para: int,
    in_p: dict[etree._Element, int],
) -> bool:
    role = (el.get("role") or "").lower()
    if role in V.PANEL_ROLES and text >= T.PANEL_MIN_TEXT and para >= T.PANEL_PARA_SHARE * text:
        # Accordions are marked up as tab lists (Bootstrap's panel groups): a real tab strip holds
        # short labels, one whose panels hold paragraphs holds the article's sections.
        return False
    if el.tag in V.FURNITURE_TAGS or role in V.DROP_ROLES or is_hidden(el):
        # Unclosed banners swallow the page and some pages start hidden until a script reveals them:
        # a box holding most of the page's text is not furniture.
        return text < T.FURNITURE_PAGE_SHARE * page_text or page_text < T.FURNITURE_SMALL_PAGE
    if (
        el.tag == "form"
        and text < min(T.FORM_MAX_TEXT, T.FORM_PAGE_SHARE * page_text)
        and para < T.FORM_PARA_SHARE * text
    ):
        return True  # search, login, newsletter and comment forms; not a page builder's wrapper
    value = class_id(el)
    if value and el.tag in _SUBHEADINGS and _anchor_id(el):
        value = class_id(el, with_id=False)
    if not value or not is_marked_boilerplate(value):
        return False
    if el.tag in V.INLINE_TAGS and not any(child.tag in V.CARD_BLOCK_TAGS for child in el):
        # Inline elements with odd classes are text, not furniture; a link wrapping paragraphs or
        # headings is a teaser card.
        return False
    if always_furniture(value):
        return True  # reader comments and consent notices, which can outweigh the article
    if picture_widget(value) and _set_into_text(el, stats, in_p):
        return True  # a gallery's captions, however long, inserted between the story's paragraphs
    if page_para and para >= T.RUNNING_TEXT_SHARE * page_para:
        return False  # a class word on the wrapper of most of the page's running text is not furniture
    if layer_or_bio(value):
        return True
    if el.tag == "blockquote":
        return False  # a quotation (embedded posts are quoted as blockquotes too) is article text
    if other_stories(value) and text < T.OTHER_STORIES_PAGE_SHARE * page_text:
        return True
    # Other words ("share", "sidebar", "read-more") also decorate real content wrappers in some themes:
    # only small or link-heavy boxes go, and a box that also calls itself content must be tiny.
    link_heavy = text > 0 and links / text > T.LINK_HEAVY
    if _CONTENT_WORDS(value):
        return link_heavy or text < T.CONTENT_WORD_MAX
    if text >= T.PARAGRAPHS_MIN_TEXT and para >= T.PARAGRAPHS_SHARE * text:
        return False  # reads like article paragraphs: e.g. sections flagged as hosting ad slots
    return link_heavy or text < max(T.MARKED_MAX_TEXT, T.MARKED_PAGE_SHARE * page_text)


def _anchor_id(heading: etree._Element) -> bool:
    """Whether the heading's id is an anchor made of its own words (a contents list links to
    "nav_nur_die_folie__1", "h-share-your-results"): the slug of its text names no page part."""
    ident = heading.get("id")
    if not ident:
        return False
    words = [t for t in tokens(ident) if t.isalpha() and len(t) > 2]
    if not words:
        return False
    text = collapse("".join(heading.itertext())).casefold()
    return sum(word in text for word in words) >= T.ANCHOR_WORDS_SHARE * len(words)


def _set_into_text(el: etree._Element, stats: StatsMap, in_p: dict[etree._Element, int]) -> bool:
    """Whether ``el`` stands among the paragraphs of a text: within a few levels up, its box's other
    children include paragraphs of running text (an insert in the body, not the body's wrapper).

    ``in_p`` remembers each box's paragraph text in ``<p>`` children, so that a box of many
    galleries is summed once."""
    node = el
    for _ in range(T.INSERT_LEVELS):
        parent = node.getparent()
        if parent is None:
            return False
        held = in_p.get(parent)
        if held is None:
            held = in_p[parent] = sum(stats[c].para for c in parent if c.tag == "p" and c in stats)
        own = stats[node].para if node.tag == "p" and node in stats else 0
        if held - own >= T.INSERT_BESIDE_TEXT:
            return True
        node = parent
    return False


def _teaser_unit(el: etree._Element, stats: StatsMap) -> bool:
    """A teaser: a short box wrapping a linked headline (a heading holding a link, or a link holding a
    heading) and at most a summary."""
    st = stats.get(el)
    if st is None or not st.text or st.text > T.TEASER_UNIT_MAX or not st.links:
        return False
    for heading in el.iter("h2", "h3", "h4", "h5", "h6"):
        if heading.find(".//a") is not None:
            return True
        node = heading.getparent()
        while node is not None and node is not el:  # a link holding the heading, inside the unit
            if node.tag == "a":
                return True
            node = node.getparent()
    return False


def _teaser_list(el: etree._Element, stats: StatsMap) -> bool:
    """A list of other stories by its shape: many teaser units, which make up most of the box (their
    summaries may be punctuated sentences and their link share modest)."""
    if el.tag not in _TEASER_BOXES or len(el) < T.TEASER_LIST_MIN_UNITS:
        return False
    st = stats.get(el)
    if st is None or not st.text:
        return False
    units = [child for child in el if isinstance(child.tag, str) and _teaser_unit(child, stats)]
    if len(units) < T.TEASER_LIST_MIN_UNITS:
        return False
    return sum(stats[u].text for u in units) >= T.TEASER_LIST_SHARE * st.text


def prune(
    root: etree._Element, stats: StatsMap, article_bodies: list[etree._Element] | None = None
) -> list[etree._Element]:
    """Remove hidden, role- and class-marked furniture in place; returns the removed elements.

    Decisions read the measures taken before pruning (a box is judged by what it held on the page);
    every removal takes the box out of its ancestors' measures.
    """
    keep = protected_elements(root, stats, article_bodies)
    page_text = stats[root].text if root in stats else 0
    page_para = stats[root].para if root in stats else 0
    removed: list[etree._Element] = []
    in_p: dict[etree._Element, int] = {}
    stack = [child for child in reversed(root) if isinstance(child.tag, str)]
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag not in V.CONTAINER_TAGS and el not in keep:
            st = stats.get(el)
            text, links, para = (st.text, st.links, st.para) if st is not None else (0, 0, 0)
            # An element without attributes is furniture only by its tag (most elements: the test
            # is the cheap one).
            named = el.attrib or tag in V.FURNITURE_TAGS or tag == "form" or "-" in tag
            if (
                named
                and _doomed(el, text, links, para, page_text, stats=stats, page_para=page_para, in_p=in_p)
            ) or _teaser_list(el, stats):
                removed.append(el)
                if text >= T.CUT_MIN_TEXT:
                    # A picture's caption is not a box a heading introduces: the heading before a
                    # captioned picture is the section's.
                    cut(el, stats, caption=names_caption(class_id(el)))
                else:
                    drop(el, stats)
                continue
        stack.extend(child for child in reversed(el) if isinstance(child.tag, str))
    return removed
