"""Per-element text statistics of the page, and the only ways to remove an element while they are in use.

One bottom-up pass measures, per element, the text it holds, the part of it inside links, its own text
and punctuation, and the text of its paragraph-like blocks. Removing an element goes through
:func:`cut` or :func:`drop`, which take its measures out of its ancestors' in the same step, so no pass
has to keep the statistics in step by hand.

Everything is iterative: documents can nest thousands of levels deep.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from newsdigest.extract import thresholds as T
from newsdigest.extract.textshape import PUNCT

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "address",
        "details",
        "summary",
        "center",
        "form",
        "fieldset",
        "legend",
        "body",
        "html",
    ]
)
# Blocks whose text is a paragraph of running text when it is long enough and not mostly links.
PARA_TAGS = frozenset(["p", "pre", "blockquote", "li", "dd", "td", "h2", "h3", "h4", "h5", "h6"])
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])

CUT = "nd-cut"  # placeholder tag left where a box with text was removed
CAPTION_CUT = "caption"  # attribute of a placeholder that stands for a picture's caption
LABELLED_CUT = "labelled"  # attribute of a placeholder for a box with a label of its own (labelled())


@dataclass(slots=True)
class Stats:
    text: int = 0  # characters of text in the subtree
    links: int = 0  # characters of that text inside <a>
    own: int = 0  # characters directly in this block (not in nested blocks)
    punct: int = 0  # punctuation in ``own`` text
    score: float = 0.0  # paragraph evidence received from descendants
    units: int = 0  # paragraph-like blocks inside
    good: int = 0  # characters of clean paragraph text in the subtree
    para: int = 0  # characters in paragraph-like blocks (p, li, quote, ...) that are not link lists


NO_STATS = Stats()
StatsMap = dict[etree._Element, Stats]


def _stretched_card(anchor: etree._Element) -> etree._Element | None:
    """The teaser card an empty link is laid over (a "stretched link" that makes the whole card
    clickable): a short box with a headline of its own. The card's text is then link text."""
    card = anchor.getparent()
    if card is None or card.tag in PARA_TAGS or card.tag in HEADINGS:
        return None
    if next(card.iter("h2", "h3", "h4", "h5"), None) is None:
        return None
    return card if len("".join(card.itertext()).strip()) <= T.STRETCHED_CARD_MAX else None


def measure(root: etree._Element) -> StatsMap:
    """Per-element text statistics, children before parents (reverse document order)."""
    # The hot loop of the extractor: every node's text, tail and tag are read once.
    elements = list(root.iter())
    # Everything inside a link is link text, also when the link wraps blocks (a teaser card's
    # headline and summary); otherwise removing part of a card leaves more link than text above it.
    linked: set[etree._Element] = set()
    for anchor in root.iter("a"):
        if len(anchor):
            linked.update(anchor.iterdescendants(etree.Element))
        elif not (anchor.text and anchor.text.strip()) and anchor.get("href"):
            card = _stretched_card(anchor)
            if card is not None:
                linked.add(card)
                linked.update(card.iterdescendants(etree.Element))
    stats: StatsMap = {}
    punctuation = PUNCT.findall
    # What each element's children have passed up so far: text, links, own text and its punctuation
    # (a child's tail and an inline child's own text are its parent's own), paragraph text. Children
    # come first in reverse document order, so each pushes its sums to its parent once: no pass over
    # every element's children, and none at all for the leaves, most elements.
    pushed: dict[etree._Element, list[int]] = {}
    take = pushed.pop
    min_unit, unit_links = T.MIN_UNIT, T.UNIT_LINK_SHARE
    for el in reversed(elements):
        tag = el.tag
        if isinstance(tag, str):
            value = el.text
            own = len(value.strip()) if value else 0
            punct = len(punctuation(value)) if own else 0
            sums = take(el, None)
            if sums is None:
                text = own
                links = para = 0
            else:
                text = own + sums[0]
                links = sums[1]
                own += sums[2]
                punct += sums[3]
                para = sums[4]
            if tag == "a" or el in linked:
                links = text
            if tag in PARA_TAGS and own >= min_unit and links < unit_links * text:
                para += own
            if tag in BLOCK_TAGS:
                stats[el] = Stats(text, links, own, punct, 0.0, 0, 0, para)
                own = punct = 0
            else:
                stats[el] = Stats(text, links, 0, 0, 0.0, 0, 0, para)
        else:  # a comment or processing instruction: only its tail is text, its parent's own
            text = links = own = punct = para = 0
        if el is root:
            continue
        tail = el.tail
        if tail:
            n = len(tail.strip())
            if n:
                own += n
                text += n
                punct += len(punctuation(tail))
        parent = el.getparent()
        sums = pushed.get(parent)
        if sums is None:
            pushed[parent] = [text, links, own, punct, para]
        else:
            sums[0] += text
            sums[1] += links
            sums[2] += own
            sums[3] += punct
            sums[4] += para
    return stats


def link_density(st: Stats) -> float:
    return st.links / st.text if st.text else 0.0


def box_is_links(st: Stats) -> bool:
    """A box the writer will skip as a link list (menus, related stories, tag clouds)."""
    if not st.text:
        return False
    density = st.links / st.text
    if density > T.LINK_BOX_SHARE:
        return True
    small = st.text < T.LINK_BOX_SMALL_TEXT and st.punct < T.LINK_BOX_SMALL_PUNCT
    return small and density > T.LINK_BOX_SMALL_SHARE


def _forget(el: etree._Element, stats: StatsMap) -> None:
    """Subtract a subtree about to be removed from its ancestors' measures, and forget the measures
    inside it.

    Forgetting them here, while ``el`` is still held, keeps the cost of freeing the subtree linear:
    lxml frees a detached subtree only once no element of it is referenced, and checks that by
    walking the whole subtree each time one of its references goes; the map's references going one
    by one later, parents first, made that quadratic (a 20,000-teaser box took minutes).
    """
    for inner in el.iterdescendants():
        stats.pop(inner, None)
    st = stats.get(el)
    if st is None or not st.text:
        return
    text, links, para = st.text, st.links, st.para
    parent = el.getparent()
    while parent is not None:
        pst = stats.get(parent)
        if pst is not None:
            pst.text -= text
            pst.links -= links
            pst.para -= para
        parent = parent.getparent()


def cut(el: etree._Element, stats: StatsMap, *, caption: bool = False) -> None:
    """Remove ``el`` and leave an empty placeholder: the writer then knows a box stood here, and can
    drop the heading that introduced it ("Related stories", "Mehr zum Thema"); not for a picture's
    ``caption``, which no heading introduces."""
    parent = el.getparent()
    if parent is None:
        return
    _forget(el, stats)
    marker = etree.Element(CUT, {CAPTION_CUT: "1"} if caption else None)
    if not caption and labelled(el):
        marker.set(LABELLED_CUT, "1")
    marker.tail = el.tail
    parent.replace(el, marker)


def labelled(el: etree._Element) -> bool:
    """Whether the box names itself before its first link ("Main article: <a>...</a>", "See also:"):
    a note of the section it stands in. A heading before it is the section's, not the box's label,
    which a list of other stories leaves to the heading above it."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "a":
                break
            parts.append((node.text or "") if isinstance(node.tag, str) else "")
        elif node is not el:
            parts.append(node.tail or "")
    lead = " ".join("".join(parts).split())
    return 0 < len(lead) < T.BOX_LABEL_MAX and lead.endswith(":")


def drop(el: etree._Element, stats: StatsMap) -> None:
    """Remove ``el`` and its subtree, keeping the text that follows it."""
    if el.getparent() is None:
        return
    _forget(el, stats)
    drop_keep_tail(el)


def drop_keep_tail(el: etree._Element) -> None:
    """Remove ``el`` from a tree that is not measured yet, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
