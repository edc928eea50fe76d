"""Find the main text of a pruned page and write it out as paragraphs in reading order.

1. One bottom-up pass measures, per element, the text it holds, the part of it inside links, and
   the "paragraph evidence" of its text blocks (length, punctuation).
2. Block scores flow to their ancestors with decay (readability-style); an element's final score is
   discounted by its link density and nudged by its class/id words. The best element is the main
   container; siblings that look like more of the same article join it.
3. The container is linearised: every block (paragraph, heading, list item, quote, cell) becomes a
   paragraph; link lists, link-only blocks and leftover furniture inside it are skipped.
   :func:`write_blocks` returns those paragraphs as :class:`Block` values with the nodes they were
   read from, which the structured output (``Article.html``, ``Article.markdown``) is built from.

Everything is iterative: documents can nest thousands of levels deep.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

from lxml import etree

from newsdigest.extract.boilerplate import CUT, class_id, class_weight, cut_marker, is_marked_boilerplate
from newsdigest.extract.dates import parse_date

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
# Blocks whose own text is a unit of article text for scoring.
_TEXT_UNITS = frozenset(
    [
        "p",
        "pre",
        "blockquote",
        "li",
        "dd",
        "dt",
        "td",
        "th",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "div",
        "section",
        "article",
        "main",
    ]
)
_PARA_TAGS = frozenset(["p", "pre", "blockquote", "li", "dd", "td", "h2", "h3", "h4", "h5", "h6"])
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_LISTS = frozenset({"ul", "ol", "dl"})
_ITEMS = frozenset({"li", "dd", "dt", "td", "th"})
_CLOSING_LIST_MIN = 3
_CLOSING_ITEM_MIN = 30
# A profile page on a social network (one path segment), not a post that the story quotes.
_PROFILE_LINK = re.compile(
    r"https?://(?:www\.|[a-z]{2}\.)?(?:twitter|x|facebook|instagram|tiktok|linkedin|pinterest|threads)\.(?:com|net)"
    r"/@?[\w.\-]+/?(?:\?[^#]*)?$",
    re.I,
)
# ... or to the outlet's subscription, newsletter or registration pages.
_SIGNUP_LINK = re.compile(
    r"subscri|suscri|newsletter|/abo(?:nnement)?(?:[/?.-]|$)|abonn|signup|sign-up|/register|/registrier|prenumerat",
    re.I,
)
# App-store pages and messenger or video channels: "download our app", "join our Telegram channel".
_CHANNEL_LINK = re.compile(
    r"https?://(?:(?:apps|itunes)\.apple\.com/|play\.google\.com/store/|t\.me/|(?:chat\.)?whatsapp\.com/|"
    r"(?:www\.)?youtube\.com/(?:@|c/|channel/|user/))",
    re.I,
)
_FOLLOW_MAX = 250

_PUNCT = re.compile(r"[,.;:!?，。、；：！？،]")
# Sentences end in punctuation, closing quotes, or (in informal text) an emoji or emoticon.
_SENTENCE_END_STRICT = re.compile(
    r"(?:[.!?…。！？\"”»)]|[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?|[:;=]-?[)D])\s*$"
)
_SENTENCE_END = re.compile(r"[.!?…。！？:\"”»)]\s*$")
_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Soft hyphens and zero-width spaces/joiners-of-words: invisible on screen, they would split words.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_MIN_UNIT = 25
# A picture caption ends with the picture's credit: "... | © Getty Images", "... (Foto: dpa)",
# "... Photo: AFP". Running text never ends on a credit.
_CREDIT_END = re.compile(
    r"(?:©|\(c\)|\(C\))\s*[^.!?©]{1,60}$|"
    r"\((?:Fotos?|Photos?|Bild|Bilder|Credits?|Image|Imagen|Fot\.)\s*:[^()]{1,80}\)$|"
    r"(?:^|[\s|/–-])(?:Fotos?|Photos?|Bild|Credits?|Fot\.)\s*:\s*[^.!?:]{1,60}$"
)
# ... or it starts with the figure's number or the picture's label ("Abbildung 3:", "Figure 2.",
# "Titelbild:", "Illustration:").
_CAPTION_START = re.compile(
    r"^(?:Abbildung|Abb\.|Figure|Fig\.|Figura|Rysunek|Rys\.|Titelbild|Beitragsbild|Titelfoto|Aufmacherbild|"
    r"Image illustrative|Illustration|Bildquelle|Bildnachweis|Fotonachweis|Fotocredit|Photo credit|"
    r"Image credit)\s*\d*[a-z]?\s*[:.]\s"
)
_CAPTION_MAX = 300
# Error messages a broken PHP site prints into its own pages ("Warning: ... in /www/.../x.php on line 82").
_SERVER_ERROR = re.compile(
    r"^(?:PHP )?(?:Warning|Deprecated|Notice|Strict Standards|(?:Catchable )?[Ff]atal error|Parse error)"
    r": .{1,600}? in \S+ on line \d+"
)
TRAIL_MAX = 80
_LEAD_LABEL_MAX = 40


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


_NO_STATS = Stats()


_CARD_MAX = 300


def _stretched_card(anchor: etree._Element) -> etree._Element | None:
    """The teaser card an empty link is laid over (a "stretched link" that makes the whole card
    clickable): a short box with a headline of its own. The card's text is then link text."""
    card = anchor.getparent()
    if card is None or card.tag in _PARA_TAGS or card.tag in _HEADINGS:
        return None
    if next(card.iter("h2", "h3", "h4", "h5"), None) is None:
        return None
    return card if len("".join(card.itertext()).strip()) <= _CARD_MAX else None


def _len(text: str | None) -> int:
    return len(text.strip()) if text else 0


def measure(root: etree._Element) -> dict[etree._Element, Stats]:
    """Per-element text statistics, children before parents (reverse document order)."""
    elements = [el for el in root.iter(etree.Element) if isinstance(el.tag, str)]
    stats: dict[etree._Element, Stats] = {el: Stats() for el in elements}
    # Everything inside a link is link text, also when the link wraps blocks (a teaser card's
    # headline and summary); otherwise removing part of a card leaves more link than text above it.
    linked: set[etree._Element] = set()
    for anchor in root.iter("a"):
        if len(anchor):
            linked.update(d for d in anchor.iterdescendants() if isinstance(d.tag, str))
        elif not (anchor.text and anchor.text.strip()) and anchor.get("href"):
            card = _stretched_card(anchor)
            if card is not None:
                linked.add(card)
                linked.update(d for d in card.iterdescendants() if isinstance(d.tag, str))
    inline_own: dict[etree._Element, tuple[int, int]] = {}
    for el in reversed(elements):
        st = stats[el]
        own = _len(el.text)
        punct = len(_PUNCT.findall(el.text)) if el.text else 0
        text = own
        links = 0
        para = 0
        for child in el:
            cst = stats.get(child)
            tail = child.tail
            if tail:
                n = _len(tail)
                own += n
                text += n
                punct += len(_PUNCT.findall(tail))
            if cst is None:
                continue
            text += cst.text
            links += cst.links
            para += cst.para
            if child.tag not in BLOCK_TAGS:
                c_own, c_punct = inline_own.get(child, (0, 0))
                own += c_own
                punct += c_punct
        if el.tag == "a" or el in linked:
            links = text
        st.text = text
        st.links = links
        if el.tag in _PARA_TAGS and own >= _MIN_UNIT and links < 0.5 * text:
            para += own
        st.para = para
        if el.tag in BLOCK_TAGS:
            st.own = own
            st.punct = punct
        else:
            inline_own[el] = (own, punct)
    return stats


def size_of(stats: dict[etree._Element, Stats]) -> Callable[[etree._Element], tuple[int, int, int]]:
    """``(text, links, paragraph text)`` lookup over ``stats``, the shape :func:`boilerplate.prune` reads."""

    def size(el: etree._Element) -> tuple[int, int, int]:
        st = stats.get(el)
        return (st.text, st.links, st.para) if st is not None else (0, 0, 0)

    return size


def forget(el: etree._Element, stats: dict[etree._Element, Stats]) -> None:
    """Subtract a subtree about to be removed from its ancestors' measures."""
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


def link_density(st: Stats) -> float:
    return st.links / st.text if st.text else 0.0


def score_candidates(root: etree._Element, stats: dict[etree._Element, Stats]) -> etree._Element | None:
    """Propagate paragraph evidence upwards and return the best container."""
    # Insertion-ordered, so that ties between equal scores break the same way on every run.
    touched: dict[etree._Element, None] = {}
    for el in root.iter(*_TEXT_UNITS):
        st = stats.get(el)
        if st is None or st.own < _MIN_UNIT:
            continue
        if st.text and st.links / st.text > 0.5:
            continue
        if el.tag in {"div", "section", "article", "main"} and st.own < 2 * _MIN_UNIT:
            continue
        points = 1.0 + min(st.punct, 12) + min(st.own / 100.0, 3.0)
        node: etree._Element | None = el
        while node is not None:
            nst = stats.get(node)
            if nst is not None:
                nst.good += st.own
            node = node.getparent()
        parent = el.getparent()
        level = 0
        while parent is not None and level < 5:
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
            final *= 0.9  # only when nothing narrower holds the text
        st.score = final
        if final > best_score:
            best, best_score = el, final
    return best


def _is_article_like(el: etree._Element, stats: dict[etree._Element, Stats], threshold: float) -> bool:
    st = stats.get(el)
    if st is None or not st.text:
        return False
    if is_marked_boilerplate(class_id(el)):
        return False
    density = link_density(st)
    if st.score >= threshold and (density < 0.35 or _density_without_link_boxes(el, stats) < 0.35):
        return True
    if el.tag == "p" or (el.tag in {"div", "section"} and st.own >= st.text * 0.8):
        return (st.own > 80 and density < 0.25) or (st.own > 0 and density == 0 and st.punct > 0)
    return False


def _density_without_link_boxes(el: etree._Element, stats: dict[etree._Element, Stats]) -> float:
    """Link density of what the writer will keep of ``el``: a "read also" card inside the next
    stretch of body text does not make that text a link list."""
    text, links = stats[el].text, stats[el].links
    for child in el:
        cst = stats.get(child)
        if cst is not None and child.tag not in _PARA_TAGS and _box_is_links(cst):
            text -= cst.text
            links -= cst.links
    return links / text if text > 0 else 1.0


def _box_is_links(st: Stats) -> bool:
    """A box the writer will skip as a link list (menus, related stories, tag clouds)."""
    if not st.text:
        return False
    density = st.links / st.text
    return density > 0.5 or (density > 0.2 and st.text < 400 and st.punct < 3)


def _widen(
    best: etree._Element, stats: dict[etree._Element, Stats], trailing: list[etree._Element] | None = None
) -> etree._Element:
    """Climb to ancestors that add only clean text: the standfirst or intro often sits in a header
    next to the body container, and page builders split one article over many sibling boxes.

    What an ancestor adds is judged the way the writer will see it: link lists it skips anyway do
    not count against the climb.
    """
    node = best
    steps = 0
    for _ in range(40):
        parent = node.getparent()
        if parent is None or parent.tag in {"body", "html"} or steps >= 8:
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
            if cst is None or _box_is_links(cst):
                continue
            extra += cst.text
            extra_links += cst.links
            extra_good += cst.good
        nst = stats[node]
        if extra > 0:
            steps += 1
            clean = extra_links / extra <= 0.25 and extra_good >= 0.6 * extra
            # A short lead may not be paragraph-shaped (a bold intro div) and still belongs.
            short_lead = extra <= 400 and extra_links / extra <= 0.1 and extra <= 0.5 * nst.text
            if not (clean or short_lead):
                break
            if trailing is not None:
                trailing.extend(_trailing_boxes(parent, node, stats))
        node = parent
    return node


_TRAIL_BOX_SHARE = 0.1
_TRAIL_BOX_MIN_BODY = 500
_TRAIL_KEEP = frozenset(["p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table"])


def _closing_boxes(best: etree._Element, stats: dict[etree._Element, Stats]) -> list[etree._Element]:
    """Small boxes after the last paragraph of the body container itself (same reading as
    :func:`_trailing_boxes`, one level down)."""
    children = [c for c in best if isinstance(c.tag, str)]
    last = max((i for i, c in enumerate(children) if c.tag in _TRAIL_KEEP), default=-1)
    if last < 0 or last == len(children) - 1:
        return []
    # Text that goes on in many small boxes (one per paragraph) is the body continuing.
    tail = sum(stats[c].text for c in children[last + 1 :] if c in stats)
    if tail >= _TRAIL_BOX_SHARE * stats[best].text:
        return []
    return _trailing_boxes(best, children[last], stats, stats[best].text, children[: last + 1])


def _trailing_boxes(
    parent: etree._Element,
    node: etree._Element,
    stats: dict[etree._Element, Stats],
    body: int = 0,
    body_parts: list[etree._Element] | None = None,
) -> list[etree._Element]:
    """Small boxes that follow the article body inside a wrapper the climb takes in.

    Once the body has ended, a box a tenth of its size is the author's bio, a call to subscribe or
    donate, a newsletter form or a "read next" teaser; continued text is a paragraph of its own or a
    box of comparable size (page builders' text modules).
    """
    body = body or stats[node].text
    if body < _TRAIL_BOX_MIN_BODY:
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
        if cst is not None and 0 < cst.text < _TRAIL_BOX_SHARE * body:
            out.append(child)
    if out:
        # A box whose paragraphs are styled like the body's own is the body going on (a text-and-
        # picture module).
        styles = {p.get("class") for part in (body_parts or [node]) for p in part.iter("p") if p.get("class")}
        if styles:
            out = [b for b in out if not any(p.get("class") in styles for p in b.iter("p"))]
    return out


def choose_blocks(
    root: etree._Element, stats: dict[etree._Element, Stats], title: str | None = None
) -> list[etree._Element]:
    """The main container plus siblings that continue the same text, in document order."""
    best = score_candidates(root, stats)
    if best is None:
        # No paragraph anywhere: text typed straight into <body> (or plain text) is all there is.
        st = stats.get(root)
        return [root] if st is not None and st.own >= _MIN_UNIT and link_density(st) < 0.5 else []
    trailing: list[etree._Element] = _closing_boxes(best, stats)
    best = _widen(best, stats, trailing)
    for box in trailing:
        forget(box, stats)
        cut_marker(box)
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, stats[best].score * 0.2)
    chosen = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is best or _is_article_like(sibling, stats, threshold):
            chosen.append(sibling)
    story = _headlined_story(chosen, stats, title)
    if story is not None:
        chosen = [story]
    return _lead_blocks(root, chosen, stats) + chosen


_STORY_MIN = 1000


def _headlined_story(
    chosen: list[etree._Element], stats: dict[etree._Element, Stats], title: str | None
) -> etree._Element | None:
    """The one story under the page's headline when the container holds several full stories.

    Pages that load the next article as the reader scrolls serve several complete ``<article>``
    elements one after the other; only the one headed by the page's own title is this page's story.
    """
    if not title:
        return None
    key = normalise_key(title)
    stories = [
        a for block in chosen for a in block.iter("article") if stats.get(a, _NO_STATS).text >= _STORY_MIN
    ]
    top = set(stories)
    stories = [a for a in stories if not any(anc in top for anc in a.iterancestors())]
    if len(stories) < 2:
        return None
    headed = []
    for story in stories:
        heading = next(story.iter("h1", "h2"), None)
        if heading is not None and normalise_key(" ".join("".join(heading.itertext()).split())) == key:
            headed.append(story)
    return headed[0] if len(headed) == 1 else None


_LEAD_TAGS = frozenset(["p", "h2", "h3", "div", "span", "section", "header"])
_LEAD_MAX_ELEMENTS = 150
_LEAD_MAX_CHARS = 800


def _lead_blocks(
    root: etree._Element, chosen: list[etree._Element], stats: dict[etree._Element, Stats]
) -> list[etree._Element]:
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
    if heading is None or not between or len(between) > _LEAD_MAX_ELEMENTS:
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
        if st is None or st.text < 50 or st.own < 0.9 * st.text or st.links > 0.1 * st.text:
            continue
        if is_marked_boilerplate(class_id(el)):
            continue
        text = " ".join("".join(el.itertext()).split())
        # A deck right under the headline is often a line without a full stop.
        deck = el.getprevious() is heading and el.tag in _HEADINGS
        if not (deck or _SENTENCE_END_STRICT.search(text)) or _is_date_line(text):
            continue
        leads.append(el)
        taken.add(el)
        total += st.text
    if total > _LEAD_MAX_CHARS:
        return []
    return leads


BlockKind = Literal["heading", "item", "paragraph", "placeholder"]
# A node the writer read: (element, False) for its text, (element, True) for its tail. A <br> and a
# placeholder stand for themselves.
Source = tuple[etree._Element, bool]


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
class _Para:
    text: str
    heading: bool
    item: bool = False  # a list item or table cell
    follow: bool = False  # links to a social-network profile or a subscription page
    element: etree._Element | None = None
    sources: tuple[Source, ...] = ()
    seq: int = 0  # order of writing, kept while paragraphs are dropped

    def block(self) -> Block:
        kind: BlockKind = "heading" if self.heading else "item" if self.item else "paragraph"
        assert self.element is not None
        return Block(kind, self.element, self.text, self.sources)


class _Writer:
    """Collects inline text into paragraphs; a block boundary ends the current paragraph."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.paras: list[_Para] = []
        self.heading_depth = 0
        self.item_depth = 0
        self.follow = False
        self.sources: list[Source] = []
        self.open: list[etree._Element] = []  # block elements entered and not yet left
        self.root: etree._Element | None = None  # the chosen block being written
        self.written = 0
        # Placeholders met between paragraphs, each with the ``seq`` of the paragraph written before
        # it (-1: before the first).
        self.placeholders: list[tuple[int, etree._Element]] = []

    def add(self, text: str | None, node: etree._Element, tail: bool) -> None:
        if text:
            self.parts.append(text)
            self.sources.append((node, tail))

    def placeholder(self, node: etree._Element) -> None:
        if self.parts:
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
        if _INVISIBLE.search(raw):
            raw = _INVISIBLE.sub("", raw)
        lines = [_WS.sub(" ", line).strip() for line in raw.split("\n")]
        if " on line " in raw:
            lines = [line for line in lines if not _SERVER_ERROR.match(line)]
        text = "\n".join(line for line in lines if line)
        if text and len(text) < 40 and _is_date_line(text):
            return  # a bare date line is metadata, kept in ``published``
        if text and len(text) < 200 and text.startswith(("©", "(c) ", "(C) ", "Copyright")):
            return  # picture credits and copyright notices
        if text and len(text) < _CAPTION_MAX and (_CREDIT_END.search(text) or _CAPTION_START.match(text)):
            return  # a picture caption
        if text:
            element = self.open[-1] if self.open else self.root
            heading, item = self.heading_depth > 0, self.item_depth > 0
            para = _Para(text, heading, item, follow, element, sources, self.written)
            self.paras.append(para)
            self.written += 1

    def drop_dangling_heading(self) -> None:
        # A heading whose box was skipped ("Related articles", "Mehr zum Thema:") is furniture too.
        if self.parts or not self.paras:
            return
        last = self.paras[-1]
        if _is_box_label(last):
            self.paras.pop()


def _skip(
    el: etree._Element,
    stats: dict[etree._Element, Stats],
    title_key: str | None,
    site: str | None,
    refs: dict[etree._Element, bool],
) -> bool:
    tag = el.tag
    st = stats.get(el)
    if st is None:
        return False
    if tag == "h1" and title_key is not None and SKIP_TITLE:
        return normalise_key(" ".join("".join(el.itertext()).split())) == title_key
    if st.text == 0:
        return False
    density = st.links / st.text
    if tag in _LISTS or tag in {"div", "section", "article", "table", "tr", "header"}:
        if tag in {"div", "section"} and st.links and st.text < _CALL_BOX_MAX and _calls_to_follow(el):
            return True  # a sign-up box set into the story ("Get our newsletter", "Follow us")
        if tag == "div" and density <= 0.5 and _wraps_one_paragraph(el, st):
            return False  # a text module around a paragraph with a few links in it
        # Lists and boxes that are mostly links: menus, related stories, tag lists.
        links = _box_is_links(st) or (
            density > 0.2 and tag not in {"table", "tr"} and _teaser_list(el, stats)
        )
        return links and not (site and tag in {"ul", "ol"} and _is_reference(el, site, refs))
    if tag in {"p", "li", "dd", "td", "blockquote", "h2", "h3", "h4", "h5", "h6"}:
        if density > 0.65 and tag == "li" and site:
            parent = el.getparent()
            return parent is None or not _is_reference(parent, site, refs)
        return density > 0.65
    return False


_HOST = re.compile(r"^https?://(?:www\.)?([^/:?#]+)", re.I)
_REFERENCE_ITEM_MIN = 25


_SECOND_LEVEL = frozenset(["co", "com", "org", "net", "gov", "ac", "or", "ne", "gv", "go"])


def site_of(url: str | None) -> str | None:
    """The name an outlet goes by in its host ('bbc' for www.bbc.co.uk and bbc.com alike): its
    sister domains are its own pages too."""
    match = _HOST.match(url or "")
    if not match:
        return None
    labels = match.group(1).lower().split(".")
    if len(labels) > 2 and labels[-2] in _SECOND_LEVEL:
        labels.pop()
    return labels[-2] if len(labels) > 1 else labels[0]


def _is_reference(el: etree._Element, site: str, refs: dict[etree._Element, bool]) -> bool:
    """:func:`_reference_list`, remembered per list in ``refs`` (each of its items asks again)."""
    found = refs.get(el)
    if found is None:
        found = refs[el] = _reference_list(el, site)
    return found


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
        if len(" ".join("".join(li.itertext()).split())) < _REFERENCE_ITEM_MIN:
            return False
        if any(_is_follow_link(a.get("href")) for a in li.iter("a")):
            return False
        items += 1
    return items >= 2


_CALL_BOX_MAX = 500


def _calls_to_follow(el: etree._Element) -> bool:
    hrefs = [a.get("href") for a in el.iter("a")]
    return bool(hrefs) and all(_is_follow_link(h) for h in hrefs)


def _wraps_one_paragraph(el: etree._Element, st: Stats) -> bool:
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag != "p" or st.para < 0.9 * st.text:
        return False
    return bool(_SENTENCE_END_STRICT.search("".join(children[0].itertext())))


SKIP_TITLE = True
_TEASER_MAX = 150
_TEASER_MIN_ITEMS = 3


def _teaser_list(el: etree._Element, stats: dict[etree._Element, Stats]) -> bool:
    """A box of three or more short entries that each carry a link: headlines of other stories
    with a kicker or a line of summary ("Mehr zum Thema", "Read next"). Running text has longer
    paragraphs, and most of them hold no link at all."""
    items = 0
    for child in el:
        cst = stats.get(child)
        if cst is None or not cst.text or child.tag in _HEADINGS:
            continue
        if cst.links == 0 or cst.text > _TEASER_MAX:
            return False
        items += 1
    return items >= _TEASER_MIN_ITEMS


_KEY = re.compile(r"[\W_]+", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


def _is_date_line(text: str) -> bool:
    if parse_date(text) is None:
        return False
    # What is left besides the date: at most a short label ("Published", "Stand:", "Updated").
    words = _LETTERS.findall(text)
    return len(words) <= 3


def normalise_key(text: str) -> str:
    return _KEY.sub(" ", text.casefold()).strip()


def linearise(
    blocks: list[etree._Element],
    stats: dict[etree._Element, Stats],
    title: str | None,
    url: str | None = None,
) -> list[str]:
    """Paragraph texts of ``blocks`` in document order."""
    return [b.text for b in write_blocks(blocks, stats, title, url) if b.kind != "placeholder"]


def write_blocks(
    blocks: list[etree._Element],
    stats: dict[etree._Element, Stats],
    title: str | None,
    url: str | None = None,
) -> list[Block]:
    """The paragraphs of ``blocks`` in document order, as :class:`Block` values (see there)."""
    writer = _Writer()
    title_key = normalise_key(title) if title else None
    site = site_of(url)
    refs: dict[etree._Element, bool] = {}
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
                    if tag in _HEADINGS:
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
                writer.drop_dangling_heading()
                writer.add(el.tail, el, True)
                continue
            if el is not block and _skip(el, stats, title_key, site, refs):
                if tag in BLOCK_TAGS:
                    writer.flush()
                    if stats[el].text >= 50:
                        writer.drop_dangling_heading()
                writer.add(el.tail, el, True)
                continue
            if tag in BLOCK_TAGS:
                writer.flush()
                writer.open.append(el)
                if tag in _HEADINGS:
                    writer.heading_depth += 1
                elif tag in _ITEMS:
                    writer.item_depth += 1
            elif tag == "br":
                writer.add("\n", el, False)
            elif tag == "a" and _is_follow_link(el.get("href")):
                writer.follow = True
            writer.add(el.text, el, False)
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        writer.flush()
    # A trailing heading with nothing after it belongs to whatever box followed it.
    while writer.paras and writer.paras[-1].heading:
        writer.paras.pop()
    # Short unpunctuated lines trailing the text are calls to action and box labels
    # ("Kommentar schreiben", "Lade weitere Inhalte"), not the story's last words.
    # A list that closes the text (sources, further reading) is made of such lines too; rating
    # stars, share buttons and signature lists are lists of a word or two.
    items = 0
    while (
        items < len(writer.paras)
        and writer.paras[-1 - items].item
        and len(writer.paras[-1 - items].text) >= _CLOSING_ITEM_MIN
    ):
        items += 1
    while (
        len(writer.paras) > 1
        and items < _CLOSING_LIST_MIN
        and len(writer.paras[-1].text) < TRAIL_MAX
        and not _SENTENCE_END_STRICT.search(writer.paras[-1].text)
    ):
        writer.paras.pop()
        items = max(0, items - 1)
    # A closing line that links to the outlet's social-network profiles or subscription pages is a
    # "follow us" or "subscribe" call.
    while len(writer.paras) > 1 and writer.paras[-1].follow and len(writer.paras[-1].text) < _FOLLOW_MAX:
        writer.paras.pop()
    # Likewise a short label line above the first paragraph is a kicker or section name ("Promis",
    # "Anzeige"); headings are kept, they may be the text's own.
    for _ in range(2):
        if (
            len(writer.paras) > 1
            and not writer.paras[0].heading
            and _is_trailing_label(writer.paras[0].text)
            and len(writer.paras[0].text) < _LEAD_LABEL_MAX
            and len(writer.paras[1].text) >= 100
        ):
            writer.paras.pop(0)
    return _with_placeholders(_dedupe(writer.paras, lambda p: p.text), writer.placeholders)


def _with_placeholders(kept: list[_Para], placeholders: list[tuple[int, etree._Element]]) -> list[Block]:
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


def _is_follow_link(href: str | None) -> bool:
    if not href:
        return False
    return bool(_PROFILE_LINK.match(href) or _SIGNUP_LINK.search(href) or _CHANNEL_LINK.match(href))


def _is_box_label(para: _Para) -> bool:
    """A short line that names the box after it ("Related articles", "Mehr zum Thema:"); a heading
    written as a full sentence is a subheading or standfirst of the text itself."""
    if len(para.text) < 80 and not _SENTENCE_END_STRICT.search(para.text):
        return True
    return para.heading and len(para.text) < 120 and not _SENTENCE_END_STRICT.search(para.text)


def _is_trailing_label(text: str) -> bool:
    return len(text) < TRAIL_MAX and not _SENTENCE_END_STRICT.search(text)


_T = TypeVar("_T")


def _dedupe(paras: Iterable[_T], text: Callable[[_T], str]) -> list[_T]:
    out: list[_T] = []
    seen: set[str] = set()
    for para in paras:
        key = normalise_key(text(para))
        if not key or (key in seen and len(key) > 20):
            continue
        seen.add(key)
        out.append(para)
    return out


def baseline_paragraphs(root: etree._Element, stats: dict[etree._Element, Stats]) -> list[str]:
    """Fallback: every paragraph-like block of the page that is not mostly links."""
    out: list[str] = []
    for el in root.iter("p", "blockquote", "pre", "li", "h2", "h3", "td", "dd"):
        st = stats.get(el)
        if st is None or st.own < _MIN_UNIT or link_density(st) > 0.5:
            continue
        text = " ".join("".join(el.itertext()).split())
        if text:
            out.append(text)
    return _dedupe(out, str)


def looks_like_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))
