"""The choose pass: from the best-scoring container to the blocks of the article.

The container widens to ancestors that add only clean text (a standfirst in the header beside the
body, one article split over sibling boxes); siblings that look like more of the same article join
it; small boxes after the body (bios, appeals, read-next teasers) are cut; the standfirst between the
headline and the container is taken along.
"""

from __future__ import annotations

from lxml import etree

from newsdigest.extract import thresholds as T
from newsdigest.extract.boilerplate import class_id, is_marked_boilerplate
from newsdigest.extract.measure import (
    HEADINGS,
    NO_STATS,
    PARA_TAGS,
    StatsMap,
    box_is_links,
    cut,
    link_density,
)
from newsdigest.extract.score import score_candidates
from newsdigest.extract.textshape import SENTENCE_END_STRICT, collapse, is_date_line, normalise_key

# Blocks that carry the body's own text: after the last of them, small boxes are the page's.
_TRAIL_KEEP = frozenset(["p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table"])
_LEAD_TAGS = frozenset(["p", "h2", "h3", "div", "span", "section", "header"])


def choose_blocks(root: etree._Element, stats: StatsMap, title: str | None = None) -> list[etree._Element]:
    """The main container plus siblings that continue the same text, in document order."""
    return choose(root, stats, title)[0]


def choose(
    root: etree._Element, stats: StatsMap, title: str | None = None
) -> tuple[list[etree._Element], set[etree._Element]]:
    """:func:`choose_blocks`, and the best-scoring element with its ancestors: the writer must not
    skip those as link boxes (widening may have climbed past a sidebar beside them)."""
    best = score_candidates(root, stats)
    if best is None:
        # No paragraph anywhere: text typed straight into <body> (or plain text) is all there is.
        st = stats.get(root)
        ok = st is not None and st.own >= T.MIN_UNIT and link_density(st) < 0.5
        return ([root] if ok else []), set()
    core = {best, *best.iterancestors()}
    trailing: list[etree._Element] = _closing_boxes(best, stats)
    best = _widen(best, stats, trailing)
    for box in trailing:
        cut(box, stats)
    parent = best.getparent()
    if parent is None:
        return [best], core
    threshold = max(T.SIBLING_MIN_SCORE, stats[best].score * T.SIBLING_SCORE_SHARE)
    chosen = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is best or _is_article_like(sibling, stats, threshold):
            chosen.append(sibling)
    story = _headlined_story(chosen, stats, title)
    if story is not None:
        chosen = [story]
    return _lead_blocks(root, chosen, stats) + chosen, core


def _is_article_like(el: etree._Element, stats: StatsMap, threshold: float) -> bool:
    st = stats.get(el)
    if st is None or not st.text:
        return False
    if is_marked_boilerplate(class_id(el)):
        return False
    density = link_density(st)
    if st.score >= threshold and (
        density < T.SIBLING_LINK_SHARE or _density_without_link_boxes(el, stats) < T.SIBLING_LINK_SHARE
    ):
        return True
    if el.tag == "p" or (el.tag in {"div", "section"} and st.own >= st.text * T.SIBLING_OWN_SHARE):
        return (st.own > T.SIBLING_PARA_MIN and density < T.SIBLING_PARA_LINKS) or (
            st.own > 0 and density == 0 and st.punct > 0
        )
    return False


def _density_without_link_boxes(el: etree._Element, stats: StatsMap) -> float:
    """Link density of what the writer will keep of ``el``: a "read also" card inside the next
    stretch of body text does not make that text a link list."""
    text, links = stats[el].text, stats[el].links
    for child in el:
        cst = stats.get(child)
        if cst is not None and child.tag not in PARA_TAGS and box_is_links(cst):
            text -= cst.text
            links -= cst.links
    return links / text if text > 0 else 1.0


def _widen(best: etree._Element, stats: StatsMap, trailing: list[etree._Element]) -> etree._Element:
    """Climb to ancestors that add only clean text: the standfirst or intro often sits in a header
    next to the body container, and page builders split one article over many sibling boxes.

    What an ancestor adds is judged the way the writer will see it: link lists it skips anyway do
    not count against the climb.
    """
    node = best
    steps = 0
    for _ in range(T.WIDEN_MAX_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag in {"body", "html"} or steps >= T.WIDEN_MAX_STEPS:
            break
        pst = stats.get(parent)
        if pst is None:
            break
        extra = pst.own
        extra_links = 0
        extra_good = 0
        for child in parent:
            if child is node:
                continue
            cst = stats.get(child)
            if cst is None or box_is_links(cst):
                continue
            extra += cst.text
            extra_links += cst.links
            extra_good += cst.good
        nst = stats[node]
        if extra > 0:
            steps += 1
            clean = extra_links / extra <= T.WIDEN_CLEAN_LINKS and extra_good >= T.WIDEN_CLEAN_GOOD * extra
            # A short lead may not be paragraph-shaped (a bold intro div) and still belongs.
            short_lead = (
                extra <= T.WIDEN_LEAD_MAX
                and extra_links / extra <= T.WIDEN_LEAD_LINKS
                and extra <= T.WIDEN_LEAD_SHARE * nst.text
            )
            if not (clean or short_lead):
                break
            trailing.extend(_trailing_boxes(parent, node, stats))
        node = parent
    return node


def _closing_boxes(best: etree._Element, stats: StatsMap) -> list[etree._Element]:
    """Small boxes after the last paragraph of the body container itself (same reading as
    :func:`_trailing_boxes`, one level down)."""
    children = [c for c in best if isinstance(c.tag, str)]
    last = max((i for i, c in enumerate(children) if c.tag in _TRAIL_KEEP), default=-1)
    if last < 0 or last == len(children) - 1:
        return []
    # Text that goes on in many small boxes (one per paragraph) is the body continuing.
    tail = sum(stats[c].text for c in children[last + 1 :] if c in stats)
    if tail >= T.TRAIL_BOX_SHARE * stats[best].text:
        return []
    return _trailing_boxes(best, children[last], stats, stats[best].text, children[: last + 1])


def _trailing_boxes(
    parent: etree._Element,
    node: etree._Element,
    stats: StatsMap,
    body: int = 0,
    body_parts: list[etree._Element] | None = None,
) -> list[etree._Element]:
    """Small boxes that follow the article body inside a wrapper the climb takes in.

    Once the body has ended, a box a tenth of its size is the author's bio, a call to subscribe or
    donate, a newsletter form or a "read next" teaser; continued text is a paragraph of its own or a
    box of comparable size (page builders' text modules).
    """
    body = body or stats[node].text
    if body < T.TRAIL_BOX_MIN_BODY:
        return []
    out: list[etree._Element] = []
    after = False
    for child in parent:
        if child is node:
            after = True
            continue
        if not after or not isinstance(child.tag, str) or child.tag in _TRAIL_KEEP:
            continue
        cst = stats.get(child)
        if cst is not None and 0 < cst.text < T.TRAIL_BOX_SHARE * body:
            out.append(child)
    if out:
        # A box whose paragraphs are styled like the body's own is the body going on (a text-and-
        # picture module).
        styles = {p.get("class") for part in (body_parts or [node]) for p in part.iter("p") if p.get("class")}
        if styles:
            out = [b for b in out if not any(p.get("class") in styles for p in b.iter("p"))]
    return out


def _headlined_story(
    chosen: list[etree._Element], stats: StatsMap, title: str | None
) -> etree._Element | None:
    """The one story under the page's headline when the container holds several full stories.

    Pages that load the next article as the reader scrolls serve several complete ``<article>``
    elements one after the other; only the one headed by the page's own title is this page's story.
    """
    if not title:
        return None
    key = normalise_key(title)
    stories = [
        a for block in chosen for a in block.iter("article") if stats.get(a, NO_STATS).text >= T.STORY_MIN
    ]
    top = set(stories)
    stories = [a for a in stories if not any(anc in top for anc in a.iterancestors())]
    if len(stories) < 2:
        return None
    headed = []
    for story in stories:
        heading = next(story.iter("h1", "h2"), None)
        if heading is not None and normalise_key(collapse("".join(heading.itertext()))) == key:
            headed.append(story)
    return headed[0] if len(headed) == 1 else None


def _lead_blocks(root: etree._Element, chosen: list[etree._Element], stats: StatsMap) -> list[etree._Element]:
    """Standfirst paragraphs between the headline and the main container.

    Templates often put the lead (deck, summary) into the article header next to the ``<h1>``, away
    from the body container. Running text that sits between the last ``<h1>`` before the container and
    the container itself, written as sentences and not as links, belongs to the article.
    """
    if not chosen:
        return []
    first = chosen[0]
    heading: etree._Element | None = None
    between: list[etree._Element] = []
    for el in root.iter(etree.Element):
        if el is first:
            break
        if el.tag == "h1":
            heading = el
            between = []
        elif heading is not None:
            between.append(el)
    if heading is None or not between or len(between) > T.LEAD_MAX_ELEMENTS:
        return []
    inside_heading = set(heading.iter())
    ancestors = set(first.iterancestors())
    leads: list[etree._Element] = []
    taken: set[etree._Element] = set()
    total = 0
    for el in between:
        if el in inside_heading or el in ancestors or el.tag not in _LEAD_TAGS:
            continue
        if any(a in taken for a in el.iterancestors()):
            continue
        st = stats.get(el)
        if (
            st is None
            or st.text < T.LEAD_MIN_TEXT
            or st.own < T.LEAD_OWN_SHARE * st.text
            or st.links > T.LEAD_LINK_SHARE * st.text
        ):
            continue
        if is_marked_boilerplate(class_id(el)):
            continue
        text = collapse("".join(el.itertext()))
        # A deck right under the headline is often a line without a full stop.
        deck = el.getprevious() is heading and el.tag in HEADINGS
        if not (deck or SENTENCE_END_STRICT.search(text)) or is_date_line(text):
            continue
        leads.append(el)
        taken.add(el)
        total += st.text
    if total > T.LEAD_MAX_CHARS:
        return []
    return leads
