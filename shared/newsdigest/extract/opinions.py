"""Second opinions of the article body that do not depend on the rule cascade, and the choice by
agreement when the cascade's result is doubtful.

The opinions are read from the page before the prune pass touches it:

* ``jsonld``: the publisher's ``articleBody`` in JSON-LD;
* ``microdata``: the visible ``itemprop=articleBody`` element (a hidden copy is no opinion);
* ``readability``: a plain readability-style best candidate (Readability.js's unlikely-candidate
  words, its paragraph points, its sibling rule), blind to our furniture vocabulary;
* ``paragraph-run``: the longest run of consecutive paragraph-like blocks in document order.

The cascade's text stands unless it is empty, far shorter than an alternative that another opinion
backs (or the publisher states), or shares little with every opinion; then the candidate that agrees
most with the others wins (agreement: Dice overlap of word 3-gram shingles).

A cascade text that holds most of the page's running text is sound without asking (:func:`sound`):
no opinion made of the rest could replace it. Agreement reads the start of each text only
(``AGREEMENT_MAX_CHARS``), so a page of megabytes costs no more to compare than a long article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from newsdigest.extract import thresholds as T
from newsdigest.extract import vocabulary as V
from newsdigest.extract.boilerplate import class_id, class_weight, is_hidden
from newsdigest.extract.measure import BLOCK_TAGS, HEADINGS, StatsMap, link_density
from newsdigest.extract.textshape import collapse
from newsdigest.extract.trim import trim
from newsdigest.extract.wordsearch import contains_any
from newsdigest.extract.write import Block, Para, blocks_of, write

_WORD = re.compile(r"\w+", re.UNICODE)
_SCORED = frozenset(["p", "pre", "td", "blockquote", "li"])
_WRAPPER_BONUS = {"div": 5, "article": 5, "main": 5, "section": 5, "pre": 3, "td": 3, "blockquote": 3}
_LIST_MALUS = frozenset(["address", "ol", "ul", "dl", "dd", "dt", "li", "form"])
_RUN_TAGS = frozenset(
    BLOCK_TAGS - {"body", "html", "table", "tbody", "thead", "tfoot", "tr", "ul", "ol", "dl"}
)
_PUBLISHER = frozenset(["jsonld", "microdata"])
_UNLIKELY = contains_any(V.UNLIKELY_CANDIDATES)
_MAYBE = contains_any(V.MAYBE_CANDIDATE)
_NEVER_UNLIKELY = frozenset(["a", "body", "table", "tbody", "tr", "td", "th"])


@dataclass(slots=True)
class Opinion:
    path: str
    blocks: list[Block]

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)


def gather(
    body: etree._Element, stats: StatsMap, title: str | None, url: str | None, jsonld: list[Block]
) -> list[Opinion]:
    """Every opinion the page offers, read before pruning (``stats`` are the whole page's)."""
    opinions: list[Opinion] = []
    if jsonld:
        opinions.append(Opinion("jsonld", jsonld))
    hidden, unlikely = _excluded(body)
    marked = _visible_microdata(body, hidden)
    if marked is not None:
        opinions.append(Opinion("microdata", _written([marked], stats, title, url, hidden)))
    # Readability's own retry: without its unlikely-candidate words when they leave too little.
    for excluded in (unlikely, hidden):
        candidate = _readability(body, stats, excluded)
        blocks = _written(candidate, stats, title, url, excluded) if candidate else []
        if sum(len(b.text) for b in blocks) >= T.READABILITY_RETRY_CHARS:
            break
    if blocks:
        opinions.append(Opinion("readability", blocks))
    run = _paragraph_run(body, stats, hidden)
    if run:
        opinions.append(Opinion("paragraph-run", run))
    return [o for o in opinions if o.chars >= T.MIN_ARTICLE_CHARS]


def _written(
    elements: list[etree._Element],
    stats: StatsMap,
    title: str | None,
    url: str | None,
    excluded: set[etree._Element],
) -> list[Block]:
    written = write(elements, stats, title, url, excluded=excluded)
    return blocks_of(trim(written.paras), written.placeholders)


def _excluded(body: etree._Element) -> tuple[set[etree._Element], set[etree._Element]]:
    """Elements (with everything inside them) that no opinion reads: hidden ones and furniture by tag
    or role; and, for the readability opinion, also Readability's unlikely candidates."""
    hidden: set[etree._Element] = set()
    unlikely: set[etree._Element] = set()
    stack = [(child, False) for child in body if isinstance(child.tag, str)]
    while stack:
        el, under = stack.pop()
        role = (el.get("role") or "").lower()
        if is_hidden(el) or el.tag in V.FURNITURE_TAGS or role in V.UNLIKELY_ROLES:
            inside = [e for e in el.iter() if isinstance(e.tag, str)]
            hidden.update(inside)
            unlikely.update(inside)
            continue
        if under:
            unlikely.add(el)
        elif el.tag not in _NEVER_UNLIKELY:
            value = class_id(el)
            if value and _UNLIKELY(value) and not _MAYBE(value):
                unlikely.add(el)
                under = True
        stack.extend((child, under) for child in el if isinstance(child.tag, str))
    return hidden, unlikely


def _visible_microdata(body: etree._Element, excluded: set[etree._Element]) -> etree._Element | None:
    for el in body.iter(etree.Element):
        if (el.get("itemprop") or "").lower() == "articlebody" and el not in excluded:
            return el
    return None


def _readability(
    body: etree._Element, stats: StatsMap, excluded: set[etree._Element]
) -> list[etree._Element]:
    """Readability's best candidate and the siblings its rule joins to it."""
    scores: dict[etree._Element, float] = {}

    def init(el: etree._Element) -> float:
        found = scores.get(el)
        if found is None:
            found = float(class_weight(el) + _WRAPPER_BONUS.get(el.tag, 0))
            if el.tag in _LIST_MALUS:
                found -= 3
            elif el.tag in HEADINGS or el.tag == "th":
                found -= 5
        return found

    for el in body.iter(*_SCORED, "div"):
        if el in excluded:
            continue
        st = stats.get(el)
        if st is None or st.own < T.MIN_UNIT:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        points = 1.0 + st.punct + min(st.own / T.LENGTH_POINTS_PER, T.LENGTH_POINTS_MAX)
        scores[parent] = init(parent) + points
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = init(grand) + points / 2
    if not scores:
        return []
    final = {el: score * (1.0 - link_density(stats[el])) for el, score in scores.items() if el in stats}
    top = max(final, key=lambda el: final[el])
    parent = top.getparent()
    if parent is None or top.tag in {"body", "html"}:
        return [top]
    threshold = max(T.SIBLING_MIN_SCORE, final[top] * T.SIBLING_SCORE_SHARE)
    chosen = []
    for sibling in parent:
        if not isinstance(sibling.tag, str) or sibling in excluded:
            continue
        if sibling is top or final.get(sibling, 0.0) >= threshold:
            chosen.append(sibling)
        elif sibling.tag == "p":
            st = stats[sibling]
            density = link_density(st)
            if (st.own > T.SIBLING_PARA_MIN and density < T.SIBLING_PARA_LINKS) or (
                st.own > 0 and density == 0 and collapse("".join(sibling.itertext())).endswith(".")
            ):
                chosen.append(sibling)
    return chosen


def _own_text(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return collapse("".join(parts))


def _paragraph_run(body: etree._Element, stats: StatsMap, excluded: set[etree._Element]) -> list[Block]:
    """The longest stretch of consecutive paragraph-like blocks: sentence-bearing, barely linked text,
    broken by more than a little other text (menus, teaser lines, bylines) between two of them."""
    best: list[Para] = []
    best_chars = 0
    run: list[Para] = []
    run_chars = 0
    gap = 0
    for el in body.iter(*_RUN_TAGS):
        st = stats.get(el)
        if st is None or not st.own or el in excluded:
            continue
        density = link_density(st)
        heading = el.tag in HEADINGS
        if st.own >= T.MIN_UNIT and density < T.RUN_LINK_SHARE and st.punct > 0:
            text = _own_text(el)
            if text:
                run.append(Para(text, heading, element=el, sources=((el, False),), seq=len(run)))
                run_chars += len(text)
                gap = 0
            continue
        if heading and st.own < T.RUN_HEADING_MAX and density < T.RUN_LINK_SHARE:
            run.append(Para(_own_text(el), True, element=el, sources=((el, False),), seq=len(run)))
            continue
        gap += st.own
        if gap > T.RUN_GAP_MAX:
            if run_chars > best_chars:
                best, best_chars = run, run_chars
            run, run_chars, gap = [], 0, 0
    if run_chars > best_chars:
        best = run
    while best and best[-1].heading:
        best.pop()
    return blocks_of(best, [])


def sound(chars: int, page_para: int) -> bool:
    """Whether the cascade's text (``chars`` long) needs no second opinion: it is an article's length
    and holds so much of the page's paragraph text (``page_para``, measured before pruning) that any
    opinion long enough to replace it would have to share most of its text."""
    return chars >= T.MIN_ARTICLE_CHARS and chars >= T.SOUND_SHARE * page_para


def _start(blocks: list[Block]) -> str:
    """The text of ``blocks`` up to ``AGREEMENT_MAX_CHARS`` (whole blocks, then a cut one)."""
    parts: list[str] = []
    size = 0
    for block in blocks:
        parts.append(block.text)
        size += len(block.text) + 1
        if size >= T.AGREEMENT_MAX_CHARS:
            break
    return " ".join(parts)[: T.AGREEMENT_MAX_CHARS]


def _shingles(blocks: list[Block]) -> set[int]:
    tokens = _WORD.findall(_start(blocks).casefold())
    if len(tokens) < 3:
        return {hash(tuple(tokens))} if tokens else set()
    return {hash((tokens[i], tokens[i + 1], tokens[i + 2])) for i in range(len(tokens) - 2)}


def _dice(a: set[int], b: set[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def arbitrate(mine: Opinion, opinions: list[Opinion]) -> Opinion:
    """The cascade's result unless it is doubtful; then the candidate the others agree with most."""
    if not opinions:
        return mine
    shingles = {id(o): _shingles(o.blocks) for o in [mine, *opinions]}

    def agree(a: Opinion, b: Opinion) -> float:
        return _dice(shingles[id(a)], shingles[id(b)])

    def backed(o: Opinion) -> bool:
        return o.path in _PUBLISHER or any(agree(o, p) >= T.OPINIONS_AGREE for p in opinions if p is not o)

    chars = mine.chars
    if chars < T.MIN_ARTICLE_CHARS:
        pool = list(opinions)
    else:
        # Only an opinion another one backs (or the publisher states) may replace the cascade's text,
        # and never by one much shorter: two opinions can agree on the wrong small box.
        pool = [o for o in opinions if backed(o) and o.chars >= T.REPLACEMENT_MIN_SHARE * chars]
        # An opinion that reads the page its own way and comes to the same text confirms the cascade's.
        confirmed = any(agree(mine, o) >= T.OPINIONS_SAME_TEXT for o in opinions)
        doubtful = not confirmed and (
            any(chars < T.FAR_SHORTER * o.chars for o in pool)
            or all(agree(mine, o) < T.LITTLE_SHARED for o in opinions)
        )
        if not (pool and doubtful):
            return mine
    candidates = [mine, *pool]

    def support(c: Opinion) -> tuple[float, bool, bool]:
        return (sum(agree(c, o) for o in [mine, *opinions] if o is not c), c.chars > 0, c is mine)

    return max(candidates, key=support)
