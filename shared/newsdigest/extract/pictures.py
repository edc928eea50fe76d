"""Pictures of the article: set aside before the furniture goes, put back where the text kept them.

Main-text extraction strips every picture (``figure``, ``picture``, ``img``) before it measures the
page, so that images never sway which box is the article. The structured output needs them back in
reading order: :meth:`Pictures.set_aside` takes each outermost picture out of the tree, with the
elements it stood between, before the strip; once the article's blocks are chosen,
:meth:`Pictures.mark` puts a placeholder (a processing instruction, which the extractor's text
measures ignore) where each picture inside those blocks stood. The content writer keeps the place of
placeholders among its paragraphs and drops them with the furniture around them, so a thumbnail in a
skipped "related stories" list goes with that list.

The tree the extractor sees between the two calls is the one it saw before pictures were set aside:
removing a picture keeps the text after it exactly as ``strip_elements`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from newsdigest.extract.measure import drop
from newsdigest.extract.vocabulary import DROP_TAGS

PICTURE_TAGS = ("figure", "picture", "img")
PLACEHOLDER = "nd-picture"
# A picture is put back before the first of these following siblings still in place (a sibling the
# pruning removed passes the place on); past them, at the end of its parent. Bounds the work per
# picture on pages with thousands of siblings.
_FOLLOWING_KEPT = 3
# Pictures set aside per page at most: galleries and image grids beyond this are not reading matter,
# and the set-aside pass stays linear in the page.
MAX_PICTURES = 400
# Elements stripped with their content before extraction: a picture inside one goes with it.
_STRIPPED = DROP_TAGS - set(PICTURE_TAGS)


@dataclass(slots=True)
class Picture:
    """A picture taken out of the page: its subtree, and where it stood."""

    element: etree._Element
    parent: etree._Element
    following: tuple[etree._Element, ...]
    fallback: etree._Element | None = None  # a <noscript> image right after a lazy-loading one
    # The link the picture is all of (``<a href=full.jpg><img></a>``, blogs' enlargements): it stays in
    # the tree, empty, as it does when pictures are stripped, and is written around the picture.
    link: etree._Element | None = None


@dataclass(slots=True)
class Pictures:
    """The pictures of one page and the page's base URL (read before ``<base>`` is stripped)."""

    base_href: str | None = None
    pictures: list[Picture] = field(default_factory=list)
    placed: dict[etree._Element, Picture] = field(default_factory=dict)  # placeholder -> picture

    def set_aside(self, root: etree._Element) -> None:
        """Take the outermost pictures out of ``root`` (before the furniture strip)."""
        base = next(root.iter("base"), None)
        if base is not None and base.get("href"):
            self.base_href = base.get("href", "").strip() or None
        body = root.find("body")
        if body is None:
            return
        fallbacks: set[etree._Element] = set()
        for el in list(body.iter(*PICTURE_TAGS)):
            if len(self.pictures) >= MAX_PICTURES:
                break
            parent = el.getparent()
            if parent is None or el in fallbacks or _inside_picture_or_stripped(el):
                continue
            following = tuple(_following(el))
            fallback = None
            if el.tag == "img" and following and following[0].tag == "noscript":
                fallback = next(following[0].iter("img"), None)
                if fallback is not None:
                    fallbacks.add(fallback)
            link = parent if parent.tag == "a" and parent.get("href") and _only_picture(parent) else None
            self.pictures.append(Picture(el, parent, following, fallback, link))
            drop(el, {})  # before any measure: no statistics to keep up to date

    def mark(self, blocks: list[etree._Element]) -> list[etree._Element]:
        """Put a placeholder where each picture inside ``blocks``, or between two of them, stood;
        the blocks to write, with the placeholders between blocks among them in reading order."""
        region = set(blocks)
        if not region or not self.pictures:
            return blocks
        parents = {b.getparent() for b in blocks}
        inside: dict[etree._Element, bool] = {}
        between: list[etree._Element] = []
        for picture in self.pictures:
            parent = picture.parent
            within = _within(parent, region, inside)
            if not within and parent not in parents:
                continue
            placeholder = etree.ProcessingInstruction(PLACEHOLDER)
            anchor = next((f for f in picture.following if f.getparent() is parent), None)
            if anchor is not None:
                anchor.addprevious(placeholder)
            else:
                parent.append(placeholder)
            self.placed[placeholder] = picture
            if not within:
                between.append(placeholder)
        return _merge(blocks, between) if between else blocks


def _only_picture(link: etree._Element) -> bool:
    """Whether ``link`` holds a picture and no text (what it links to is the picture's)."""
    return not "".join(link.itertext()).strip()


def _inside_picture_or_stripped(el: etree._Element) -> bool:
    for anc in el.iterancestors():
        tag = anc.tag
        if tag in PICTURE_TAGS or tag in _STRIPPED:
            return True
    return False


def _following(el: etree._Element) -> Iterable[etree._Element]:
    count = 0
    for sib in el.itersiblings():
        tag = sib.tag
        if not isinstance(tag, str) or tag in DROP_TAGS:
            continue  # stripped before extraction, or itself a picture set aside
        yield sib
        count += 1
        if count >= _FOLLOWING_KEPT:
            return


def _merge(blocks: list[etree._Element], placeholders: list[etree._Element]) -> list[etree._Element]:
    """``blocks`` with each placeholder that stands between two blocks of the same parent."""
    merged = list(blocks)
    for placeholder in placeholders:
        parent = placeholder.getparent()
        if parent is None:
            continue
        at = parent.index(placeholder)
        siblings = [(i, parent.index(b)) for i, b in enumerate(merged) if b.getparent() is parent]
        if not siblings or not siblings[0][1] < at < siblings[-1][1]:
            if parent is not None:
                parent.remove(placeholder)  # before or after the text: not the article's
            continue
        position = next(i for i, index in siblings if index > at)
        merged.insert(position, placeholder)
    return merged


def _within(el: etree._Element, region: set[etree._Element], seen: dict[etree._Element, bool]) -> bool:
    """Whether ``el`` is in the tree under one of ``region`` (ancestor answers are remembered)."""
    path = []
    node: etree._Element | None = el
    found = False
    while node is not None:
        known = seen.get(node)
        if known is not None:
            found = known
            break
        path.append(node)
        if node in region:
            found = True
            break
        node = node.getparent()
    for visited in path:
        seen[visited] = found
    return found
