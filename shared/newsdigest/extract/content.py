"""The main text of a page: the passes in order, and the fallbacks when they find too little.

prune (:mod:`.prune`) → score (:mod:`.score`) → choose (:mod:`.choose`) → write (:mod:`.write`) →
trim (:mod:`.trim`). The per-element statistics (:mod:`.measure`) are taken once, before pruning, and
every removal keeps them up to date. When the passes find too little, every paragraph-like block of
the page (the baseline) or the publisher's own JSON-LD ``articleBody`` stands in.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from newsdigest.extract import opinions
from newsdigest.extract import thresholds as T
from newsdigest.extract.choose import choose, choose_blocks
from newsdigest.extract.emphasis import unwrap_strong
from newsdigest.extract.measure import HEADINGS, StatsMap, link_density, measure
from newsdigest.extract.prune import prune
from newsdigest.extract.textshape import collapse
from newsdigest.extract.trim import dedupe, trim
from newsdigest.extract.write import Block, Para, blocks_of, write

__all__ = ["Block", "MainText", "choose_blocks", "linearise", "main_text", "measure", "write_blocks"]

_BASELINE_TAGS = ("p", "blockquote", "pre", "li", "h2", "h3", "td", "dd")
_ITEM_TAGS = frozenset({"li", "dd", "dt", "td", "th"})
_TAG = re.compile(r"<[^>]{0,2000}>")
_WORD = re.compile(r"\w+", re.UNICODE)
# Some CMSs write ``articleBody`` in their Markdown source: embed directives for pictures and
# other stories ("[#image: /photos/1]|||caption", "+++group"), headings, emphasis and links.
_MD_EMBED = re.compile(r"^(?:\[#\w+:[^\]]*\]|\+{3})")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_LINK = re.compile(r"\[([^\]\[]+)\]\((?:https?:|/)[^)\s]*\)")


@dataclass(slots=True)
class MainText:
    """The article body as blocks, and which path produced them (``cascade``, ``baseline``, ``jsonld``)."""

    blocks: list[Block]
    path: str
    roots: list[etree._Element] = field(default_factory=list)  # the chosen blocks the cascade wrote

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind != "placeholder"]


def write_blocks(
    blocks: list[etree._Element], stats: StatsMap, title: str | None, url: str | None = None
) -> list[Block]:
    """The write and trim passes over the chosen ``blocks``: the article's paragraphs as
    :class:`Block` values, with the placeholders that stood among them."""
    written = write(blocks, stats, title, url)
    return blocks_of(trim(written.paras), written.placeholders)


def linearise(
    blocks: list[etree._Element], stats: StatsMap, title: str | None, url: str | None = None
) -> list[str]:
    """Paragraph texts of ``blocks`` in document order."""
    return [b.text for b in write_blocks(blocks, stats, title, url) if b.kind != "placeholder"]


def main_text(
    body: etree._Element,
    title: str | None,
    url: str | None,
    jsonld_body: str | None,
    *,
    unpruned: Callable[[], etree._Element] | None = None,
    mark: Callable[[list[etree._Element]], list[etree._Element]] | None = None,
    article_bodies: list[etree._Element] | None = None,
) -> MainText:
    """Run the passes over ``body`` (pruned in place), fall back when they find too little, and check
    a doubtful result against the second opinions (:mod:`.opinions`).

    The opinions read the page as it was before the prune pass: ``unpruned`` gives a fresh copy of
    ``body`` as it is now, asked for only when the cascade's result is in doubt (without it, ``body``
    is copied before pruning). ``mark`` sees the chosen blocks before they are written and returns
    the blocks to write (the structured output puts picture placeholders among them,
    :mod:`.pictures`). ``article_bodies``: the page's ``itemprop=articleBody`` elements, when the
    caller found them already (:func:`.prune.protected_elements`)."""
    stats = measure(body)
    ld_blocks = _jsonld_blocks(jsonld_body) if jsonld_body else []
    page_para = stats[body].para if body in stats else 0
    intact = copy.deepcopy(body) if unpruned is None else None
    prune(body, stats, article_bodies)
    chosen, core = choose(body, stats, title)
    if mark is not None:
        chosen = mark(chosen)
    written = write(chosen, stats, title, url, keep=core)
    found = MainText(blocks_of(trim(written.paras), written.placeholders), "cascade", chosen)
    if _chars(found.blocks) < T.MIN_ARTICLE_CHARS:
        fallback = baseline_blocks(body, stats)
        if _chars(fallback) > T.BASELINE_FACTOR * _chars(found.blocks):
            found = MainText(fallback, "baseline")
    if ld_blocks and _prefer_jsonld(found.paragraphs, [b.text for b in ld_blocks]):
        found = MainText(ld_blocks, "jsonld")
    if found.path == "cascade" and opinions.sound(_chars(found.blocks), page_para):
        return found
    if intact is None:
        assert unpruned is not None
        intact = unpruned()
    views = opinions.gather(intact, measure(intact), title, url, ld_blocks)
    mine = opinions.Opinion(found.path, found.blocks)
    verdict = opinions.arbitrate(mine, views)
    return found if verdict is mine else MainText(verdict.blocks, verdict.path)


def _chars(blocks: list[Block]) -> int:  # placeholders have no text
    return sum(len(b.text) for b in blocks)


def baseline_blocks(root: etree._Element, stats: StatsMap) -> list[Block]:
    """Fallback: every paragraph-like block of the page that is not mostly links."""
    out: list[Para] = []
    for el in root.iter(*_BASELINE_TAGS):
        st = stats.get(el)
        if st is None or st.own < T.MIN_UNIT or link_density(st) > T.UNIT_LINK_SHARE:
            continue
        text = collapse("".join(el.itertext()))
        if text:
            out.append(Para(text, el.tag in HEADINGS, el.tag in _ITEM_TAGS, element=el, seq=len(out)))
    return blocks_of(dedupe(out), [])


def _jsonld_blocks(body: str) -> list[Block]:
    """The publisher's ``articleBody`` as paragraphs; it has no elements on the page, so each is
    given a ``<p>`` of its own, outside the page's tree."""
    body = html_lib.unescape(_TAG.sub("\n", body)) if "<" in body else html_lib.unescape(body)
    paras = [collapse(p) for p in re.split(r"\n\s*\n|\r\n|\n", body)]
    if any(p.startswith(("[#", "+++", "#", "**")) for p in paras):
        paras = [_unmark(p) for p in paras if not _MD_EMBED.match(p)]
    blocks = []
    for text in paras:
        if text:
            element = etree.Element("p")
            element.text = text
            blocks.append(Block("paragraph", element, text, ((element, False),)))
    return blocks


def _unmark(para: str) -> str:
    para = _MD_HEADING.sub("", para)
    para = _MD_LINK.sub(r"\1", para)
    return unwrap_strong(para)


def _prefer_jsonld(paragraphs: list[str], ld_paras: list[str]) -> bool:
    """Use the publisher's own ``articleBody`` when the DOM passes clearly missed the article."""
    ld_len = sum(len(p) for p in ld_paras)
    dom_len = sum(len(p) for p in paragraphs)
    if ld_len < T.JSONLD_MIN_CHARS or ld_len <= dom_len:
        return False
    ld_words = set(_WORD.findall(" ".join(ld_paras).casefold()))
    dom_words = set(_WORD.findall(" ".join(paragraphs).casefold()))
    overlap = len(ld_words & dom_words) / max(1, len(ld_words))
    # The DOM text is a different text (wrong box chosen) or a fragment of the same one.
    return overlap < T.JSONLD_WORD_OVERLAP or dom_len < T.JSONLD_DOM_SHARE * ld_len
