"""The prune pass: remove script/style/media, then hidden, role- and class-marked furniture.

Size decides with the words: a box that holds most of the page is never furniture by its tag or class
alone, and the ancestors of the article's strongest markers are protected outright.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from newsdigest.extract import thresholds as T
from newsdigest.extract import vocabulary as V
from newsdigest.extract.boilerplate import (
    always_furniture,
    class_id,
    is_hidden,
    is_marked_boilerplate,
    other_stories,
)
from newsdigest.extract.measure import StatsMap, cut, drop


def strip_furniture_tags(
    root: etree._Element, before_strip: Callable[[etree._Element], None] | None = None
) -> None:
    """Remove script/style/media/... subtrees (C-level, keeps the text that follows each one).

    ``before_strip`` sees the tree once figures that hold text have become boxes, before the pictures
    go (the structured output sets them aside there, :mod:`.pictures`)."""
    _unwrap_text_figures(root)
    if before_strip is not None:
        before_strip(root)
    etree.strip_elements(root, *V.DROP_TAGS, with_tail=False)


def _unwrap_text_figures(root: etree._Element) -> None:
    """Turn figures that hold text rather than a picture into plain boxes.

    Themes wrap data tables and code listings in ``<figure>`` (WordPress's table block), and an
    unclosed figure can swallow the body paragraphs after it; only the caption is furniture then.
    """
    for fig in list(root.iter("figure")):
        holds_text = fig.find(".//table") is not None or fig.find(".//pre") is not None
        if not holds_text and fig.find(".//p") is not None:
            holds_text = (
                any(True for _ in fig.iter("h2", "h3", "h4"))
                and sum(len(p.xpath("string()")) for p in fig.iter("p")) >= T.FIGURE_TEXT_MIN
            )
        if holds_text:
            etree.strip_elements(fig, "figcaption", with_tail=False)
            fig.tag = "div"


def protected_elements(root: etree._Element, stats: StatsMap) -> set[etree._Element]:
    """Ancestors of the strongest article markers; class words alone never remove these.

    Markers: headings of level one, an ``itemprop=articleBody`` element, and the ``<article>`` holding
    the most text (teaser cards are ``<article>`` elements too, so not all of them).
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
    for el in root.iter(etree.Element):
        if (el.get("itemprop") or "").lower() == "articlebody":
            markers.append(el)
    keep: set[etree._Element] = set()
    for marker in markers:
        node: etree._Element | None = marker
        while node is not None and node not in keep:
            keep.add(node)
            node = node.getparent()
    return keep


def _doomed(el: etree._Element, text: int, links: int, para: int, page_text: int) -> bool:
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
    if not value or not is_marked_boilerplate(value):
        return False
    if el.tag in V.INLINE_TAGS and not any(child.tag in V.CARD_BLOCK_TAGS for child in el):
        # Inline elements with odd classes are text, not furniture; a link wrapping paragraphs or
        # headings is a teaser card.
        return False
    if always_furniture(value):
        return True
    if el.tag == "blockquote":
        return False  # a quotation (embedded posts are quoted as blockquotes too) is article text
    if other_stories(value) and text < T.OTHER_STORIES_PAGE_SHARE * page_text:
        return True
    # Other words ("share", "sidebar", "read-more") also decorate real content wrappers in some themes:
    # only small or link-heavy boxes go, and a box that also calls itself content must be tiny.
    link_heavy = text > 0 and links / text > T.LINK_HEAVY
    if V.CONTENT_WORDS.search(value):
        return link_heavy or text < T.CONTENT_WORD_MAX
    if text >= T.PARAGRAPHS_MIN_TEXT and para >= T.PARAGRAPHS_SHARE * text:
        return False  # reads like article paragraphs: e.g. sections flagged as hosting ad slots
    return link_heavy or text < max(T.MARKED_MAX_TEXT, T.MARKED_PAGE_SHARE * page_text)


def prune(root: etree._Element, stats: StatsMap) -> list[etree._Element]:
    """Remove hidden, role- and class-marked furniture in place; returns the removed elements.

    Decisions read the measures taken before pruning (a box is judged by what it held on the page);
    every removal takes the box out of its ancestors' measures.
    """
    keep = protected_elements(root, stats)
    page_text = stats[root].text if root in stats else 0
    removed: list[etree._Element] = []
    stack = [child for child in reversed(root) if isinstance(child.tag, str)]
    while stack:
        el = stack.pop()
        if el.tag not in V.CONTAINER_TAGS and el not in keep:
            st = stats.get(el)
            text, links, para = (st.text, st.links, st.para) if st is not None else (0, 0, 0)
            if _doomed(el, text, links, para, page_text):
                removed.append(el)
                if text >= T.CUT_MIN_TEXT:
                    cut(el, stats)
                else:
                    drop(el, stats)
                continue
        stack.extend(child for child in reversed(el) if isinstance(child.tag, str))
    return removed
