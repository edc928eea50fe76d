"""The score pass: paragraph evidence flows from text blocks to their ancestors with decay
(readability-style); an ancestor's final score is discounted by its link density and nudged by its
class/id words. The best-scoring element is the main container."""

from __future__ import annotations

from lxml import etree

from newsdigest.extract import thresholds as T
from newsdigest.extract.boilerplate import class_weight
from newsdigest.extract.measure import BLOCK_TAGS, StatsMap, link_density
from newsdigest.extract.textshape import PUNCT

# Blocks whose own text is a unit of article text for scoring.
_WRAPPERS = frozenset({"div", "section", "article", "main"})
_TEXT_UNITS = frozenset(
    {"p", "pre", "blockquote", "li", "dd", "dt", "td", "th", "h2", "h3", "h4", "h5", "h6", *_WRAPPERS}
)


def score_candidates(root: etree._Element, stats: StatsMap) -> etree._Element | None:
    """Propagate paragraph evidence upwards and return the best container."""
    # Insertion-ordered, so that ties between equal scores break the same way on every run.
    touched: dict[etree._Element, None] = {}
    for el in root.iter(*_TEXT_UNITS):
        st = stats.get(el)
        if st is None or st.own < T.MIN_UNIT:
            continue
        if st.text and st.links / st.text > T.UNIT_LINK_SHARE:
            continue
        if el.tag in _WRAPPERS and st.own < T.WRAPPER_UNIT_FACTOR * T.MIN_UNIT:
            continue
        points = _points(st.own, st.punct)
        if st.own >= 2 * T.MIN_UNIT and len(el) >= 2:
            # Text that <br><br> breaks into paragraphs earns the points of its paragraphs, as if each
            # were a <p> (Readability turns such runs into paragraphs before it scores): an article
            # typed into one block must not lose to a teaser whose class says "content".
            parts = _br_paragraphs(el)
            if len(parts) > 1:
                points = sum(_points(n, punct) for n, punct in parts if n >= T.MIN_UNIT) or points
        node: etree._Element | None = el
        while node is not None:
            nst = stats.get(node)
            if nst is not None:
                nst.good += st.own
            node = node.getparent()
        parent = el.getparent()
        level = 0
        while parent is not None and level < T.SCORE_LEVELS:
            pst = stats.get(parent)
            if pst is None:
                break
            divider = 1.0 if level == 0 else 2.0 if level == 1 else level * 3.0
            pst.score += points / divider
            pst.units += 1
            touched[parent] = None
            parent = parent.getparent()
            level += 1
    best: etree._Element | None = None
    best_score = 0.0
    for el in touched:
        st = stats[el]
        final = (st.score + class_weight(el)) * (1.0 - link_density(st))
        if el.tag in {"body", "html"}:
            final *= T.ROOT_DISCOUNT  # only when nothing narrower holds the text
        st.score = final
        if final > best_score:
            best, best_score = el, final
    return best


def _points(own: int, punct: int) -> float:
    """Readability's points of one paragraph: 1, its punctuation and its length per 100 (capped)."""
    return 1.0 + min(punct, T.PUNCT_POINTS_MAX) + min(own / T.LENGTH_POINTS_PER, T.LENGTH_POINTS_MAX)


def _br_paragraphs(el: etree._Element) -> list[tuple[int, int]]:
    """Length and punctuation of each stretch of ``el``'s own text between runs of two or more
    ``<br>`` (blocks inside it are units of their own and count for nothing here)."""
    parts: list[tuple[int, int]] = []
    size = punct = 0
    breaks = 0

    def take(text: str | None) -> None:
        nonlocal size, punct, breaks
        if text and not text.isspace():
            if breaks >= 2 and size:
                parts.append((size, punct))
                size = punct = 0
            breaks = 0
            size += len(text.strip())
            punct += len(PUNCT.findall(text))

    take(el.text)
    for child in el:
        tag = child.tag
        if tag == "br":
            breaks += 1
        elif isinstance(tag, str) and tag not in BLOCK_TAGS:
            take("".join(child.itertext()))
        take(child.tail)
    if size:
        parts.append((size, punct))
    return parts
