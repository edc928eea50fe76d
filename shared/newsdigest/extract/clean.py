"""Clean article HTML: beautifulsoup4 (on lxml) cleans the article's fragment, nh3 has the last word.

The fragment (:func:`newsdigest.extract.structure.fragment`) holds the page's own elements with their
attributes as they were. The beautifulsoup4 pass makes it an article a reader can show:

* an allow-list of elements (the rest are unwrapped, their text kept; scripts, styles, embeds, form
  controls and the like go with their content) and of attributes per element (event handlers, inline
  styles, classes and ids all go);
* links and images made absolute against the page's URL, or its ``<base>``; URLs of any scheme other
  than http(s) (and mailto/tel for links) are dropped, whatever their case, entities or embedded
  whitespace: ``javascript:``, ``vbscript:``, ``data:``. No ``data:`` image is kept, however small: on
  news pages they are lazy-loading placeholders (the real image is in another attribute) or copies
  inlined by a build tool, and an SVG one can carry script;
* lazy-loading resolved to the real image (``data-src`` and its kin, ``data-srcset``/``srcset``, the
  ``<source>`` of a ``<picture>``, a ``<noscript>`` fallback); tracking pixels and images without a
  usable address dropped;
* figures reduced to their images and one caption; wrappers left empty removed.

Then :mod:`nh3` (the binding to Rust's Ammonia) sanitises the result with the same allow-list: the
maintained sanitiser has the last word, and parses with html5ever, a different parser from lxml's, so
markup that lxml and a browser would read differently cannot slip through both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape, unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

if TYPE_CHECKING:
    import nh3
    from bs4 import BeautifulSoup, Tag

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_ELEMENTS = frozenset(
    ["p", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "table", "caption", "thead", "tbody",
     "tfoot", "tr", "td", "th", "figure", "figcaption", "hr", *_HEADINGS]
)  # fmt: skip
INLINE_ELEMENTS = frozenset(
    ["a", "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "q", "cite",
     "abbr", "dfn", "code", "kbd", "samp", "var", "time", "br", "img"]
)  # fmt: skip
ALLOWED_ELEMENTS = BLOCK_ELEMENTS | INLINE_ELEMENTS
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset(["href", "title"]),
    "img": frozenset(["src", "alt", "title", "width", "height"]),
    "td": frozenset(["colspan", "rowspan"]),
    "th": frozenset(["colspan", "rowspan", "scope"]),
    "ol": frozenset(["start", "reversed"]),
    "li": frozenset(["value"]),
    "time": frozenset(["datetime"]),
    "abbr": frozenset(["title"]),
}
LINK_SCHEMES = frozenset(["http", "https", "mailto", "tel"])
IMAGE_SCHEMES = frozenset(["http", "https"])
# Removed with everything inside: nothing in them is reading matter, and several run code or load
# other documents. (Text the article's paragraphs were read from never sits in one: the extractor
# strips them before it reads the page.)
DROPPED = frozenset(
    ["script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
     "svg", "math", "canvas", "video", "audio", "source", "track", "map", "area", "form", "input",
     "button", "select", "option", "optgroup", "textarea", "datalist", "output", "dialog", "head",
     "title", "meta", "link", "base", "noembed", "noframes", "xmp", "plaintext", "portal", "slot"]
)  # fmt: skip
# Attributes that name the real image of a lazy-loading <img>, in order of preference.
LAZY_SRC = (
    "data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src",
    "data-full-src", "data-src-large", "data-large-src", "data-orig-src", "data-original-src",
    "data-img-src", "data-echo", "data-lazyload",
)  # fmt: skip
LAZY_SRCSET = ("data-srcset", "data-lazy-srcset", "data-original-srcset")
# A src that only holds the place of the real image until a script swaps it in.
_PLACEHOLDER_SRC = re.compile(
    r"(?:^|/)(?:blank|spacer|pixel|transparent|placeholder|lazy[-_]?load\w*|loading|dummy|empty|1x1|grey|gray)"
    r"[\w-]*\.(?:gif|png|svg|jpg)(?:[?#]|$)",
    re.I,
)
# Any other attribute holding an image address (custom lazy-loading attribute names).
_IMAGE_URL = re.compile(r"^\s*\S+\.(?:jpe?g|png|gif|webp|avif)(?:[?#]\S*)?\s*$", re.I)
# An image this small (width or height attribute) is a tracking pixel or a spacer.
MIN_IMAGE_SIDE = 3
MAX_URL_CHARS = 2048
MAX_SRCSET_CHARS = 8192
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# What a browser removes from a URL before reading it: C0 controls and spaces around it, tabs and
# newlines anywhere ("java\tscript:" is "javascript:").
_URL_EDGES = "".join(chr(c) for c in range(0x21))
_URL_INNER = re.compile(r"[\t\n\r]")
_WS = re.compile(r"\s+")


def base_url(url: str | None, base_href: str | None) -> str | None:
    """What relative addresses resolve against: the page's ``<base href>`` (itself resolved against
    the page URL), else the page URL."""
    if base_href:
        base = resolve_url(base_href, url, images=True)
        if base:
            return base
    return url


def resolve_url(value: str | None, base: str | None, *, images: bool = False) -> str | None:
    """``value`` made absolute against ``base``, or ``None`` when it is empty or of a scheme we do not
    keep. Without a base, a relative address stays relative."""
    if not value:
        return None
    url = _URL_INNER.sub("", value.strip(_URL_EDGES))
    if not url or len(url) > MAX_URL_CHARS:
        return None
    allowed = IMAGE_SCHEMES if images else LINK_SCHEMES
    match = _SCHEME.match(url)
    if match is None and base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
        match = _SCHEME.match(url)
    if match is None:
        return None if url.startswith("//") and not images else url
    return _as_browsers_write(url) if match.group(1).lower() in allowed else None


_AUTHORITY = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/?#@]*@)?([^/?#]*)")


def _as_browsers_write(url: str) -> str | None:
    """The URL as a browser's ``a.href`` reads it: host in lower case (IDNA-encoded), characters
    outside ASCII and spaces percent-encoded (w3lib's ``safe_url_string``, which follows WHATWG), and
    an empty path written as ``/`` ("https://host?q" is "https://host/?q" to a browser)."""
    match = _AUTHORITY.match(url)
    if match is None:
        return url
    end = match.end()
    if end == len(url) or url[end] in "?#":
        url = f"{url[:end]}/{url[end:]}"
    if url.isascii() and " " not in url and match.group(0) == match.group(0).lower():
        return url
    from w3lib.url import safe_url_string

    try:
        return str(safe_url_string(url))
    except ValueError:  # not a URL a browser would follow either ("http://host:not-a-port/")
        return None


def image_source(attrs: Mapping[str, Any]) -> str | None:
    """The address of the real image of an ``<img>`` (or ``<source>``), before resolution."""
    for name in LAZY_SRC:
        value = _attr(attrs, name)
        if _usable(value):
            return value
    for name in LAZY_SRCSET:
        best = largest_candidate(_attr(attrs, name))
        if best:
            return best
    src = _attr(attrs, "src")
    if _usable(src) and not _PLACEHOLDER_SRC.search(src):
        return src
    best = largest_candidate(_attr(attrs, "srcset"))
    if best:
        return best
    for name, value in attrs.items():
        if (
            name not in {"src", "alt", "title", "class", "id", "style"}
            and isinstance(value, str)
            and _IMAGE_URL.match(value)
            and _usable(value.strip())
        ):
            return value.strip()
    return None


def largest_candidate(srcset: str) -> str | None:
    """The widest (or densest) image of a ``srcset``. URLs may hold commas (image CDNs write their
    options so); a candidate ends at whitespace, or at a comma right after the URL."""
    if not srcset:
        return None
    text = srcset[:MAX_SRCSET_CHARS]
    best: str | None = None
    best_size = -1.0
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        start = pos
        while pos < end and not text[pos].isspace():
            pos += 1
        url = text[start:pos]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            comma = text.find(",", pos)
            comma = end if comma < 0 else comma
            descriptor = text[pos:comma].strip()
            pos = comma + 1
        if not _usable(url):
            continue
        size = _descriptor_size(descriptor)
        if size > best_size:
            best, best_size = url, size
    return best


def _descriptor_size(descriptor: str) -> float:
    if not descriptor:
        return 1.0  # "1x"
    try:
        if descriptor.endswith("w"):
            return float(descriptor[:-1])
        if descriptor.endswith("x"):
            return float(descriptor[:-1]) * 1.0001  # a density ranks just above a bare URL
    except ValueError:
        return 0.0
    return 0.0


def _attr(attrs: Mapping[str, Any], name: str) -> str:
    value = attrs.get(name)
    return value.strip() if isinstance(value, str) else ""


def _usable(value: str) -> bool:
    return bool(value) and len(value) <= MAX_URL_CHARS and not value[:5].lower().startswith("data:")


@dataclass(frozen=True, slots=True)
class CleanArticle:
    html: str  # after nh3
    tree: Tag  # the cleaned tree nh3 was given (what the Markdown is converted from)


def clean_html(fragment: str, base: str | None) -> CleanArticle:
    """The clean article HTML of ``fragment`` (see the module docstring)."""
    from newsdigest.extract.soup import BeautifulSoup, Tag

    soup = BeautifulSoup(fragment, "lxml", element_classes={Tag: _tag_class()})
    root = soup.body or soup
    _clean_tree(soup, root, base)
    return CleanArticle(sanitise(serialise(root)), root)


# Elements without an end tag: the cleaner keeps no other void element.
_VOID = frozenset(["br", "hr", "img"])


def serialise(root: Tag) -> str:
    """The markup of ``root``'s children, for nh3. After the cleaner every element is an allowed one
    and every attribute value a string, so this walk escapes text and attribute values and writes
    tags, and nothing else: bs4's own ``decode`` (formatter, entity substitution and indentation
    logic per node) took 8 us of CPU per element, a quarter of the structure's cost. Comments,
    doctypes and processing instructions are left out (nh3 would strip them)."""
    from newsdigest.extract.soup import NavigableString, PreformattedString, Tag

    out: list[str] = []
    stack: list[Any] = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):  # the end tag of an element written below
            out.append(node[0])
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                out.append(escape(node, quote=False))
        elif isinstance(node, Tag):
            name = node.name
            attrs = "".join(  # sorted, as bs4 writes them
                f' {key}="{escape(value)}"'
                for key, value in sorted(node.attrs.items())
                if isinstance(value, str)
            )
            out.append(f"<{name}{attrs}>")
            if name not in _VOID:
                stack.append((f"</{name}>",))
                stack.extend(reversed(node.contents))
    return "".join(out)


@cache
def _tag_class() -> type[Tag]:
    from newsdigest.extract.soup import Tag

    class ArticleTag(Tag):
        """bs4's element, with a direct walk for the closest ancestor of a given name.

        markdownify asks each element for its ``pre`` ancestor; bs4's general search builds a filter
        object per call, and that lookup alone was 45 % of the Markdown conversion."""

        def find_parent(self, name: Any = None, attrs: Any = None, **kwargs: Any) -> Any:
            if not isinstance(name, str) or attrs or kwargs:
                return super().find_parent(name, attrs, **kwargs)
            node = self.parent
            while node is not None and node.name != name:
                node = node.parent
            return node

    return ArticleTag


_IMG = frozenset(["img"])
_SOURCE = frozenset(["source"])
_FIGCAPTION = frozenset(["figcaption"])
# What a figure's caption cannot hold: images left over once its pictures are out, their fallbacks.
_NOT_CAPTION = frozenset(["img", "picture", "source", "noscript"])
# Blocks inside a caption, unwrapped: a caption is one line of text.
_CAPTION_BLOCKS = BLOCK_ELEMENTS | {"div"}


def _descendants(tag: Tag, names: frozenset[str]) -> Iterator[Tag]:
    """The elements under ``tag`` named one of ``names``, in document order (what ``find_all`` finds,
    without the filter object it builds per call)."""
    from newsdigest.extract.soup import Tag

    return (node for node in tag.descendants if isinstance(node, Tag) and node.name in names)


def _inside(node: Any, name: str, top: Tag) -> bool:
    """Whether ``node`` has an ancestor named ``name`` below ``top``."""
    parent = node.parent
    while parent is not None and parent is not top:
        if parent.name == name:
            return True
        parent = parent.parent
    return False


def sanitise(html: str) -> str:
    """The last pass, by nh3 with the same allow-list."""
    return str(_sanitiser().clean(html)).strip()


def _clean_tree(soup: BeautifulSoup, root: Tag, base: str | None) -> None:
    from newsdigest.extract.soup import Tag

    figures: list[Tag] = []
    noscripts: list[Tag] = []
    stack = [c for c in reversed(root.contents) if isinstance(c, Tag)]
    while stack:
        tag = stack.pop()
        name = tag.name
        if name in DROPPED:
            tag.decompose()
            continue
        if name == "img":
            _clean_image(tag, base)
            continue
        if name == "picture":
            _clean_picture(tag, base)
            continue
        children = [c for c in tag.contents if isinstance(c, Tag)]
        if name == "a":
            href = tag.get("href")
            href = resolve_url(href, base) if isinstance(href, str) else None
            if href is None:
                tag.unwrap()
            else:
                _keep_attributes(tag)
                tag["href"] = href
        elif name == "noscript":
            noscripts.append(tag)  # a picture's fallback: read with its figure below
        elif name in ALLOWED_ELEMENTS:
            _keep_attributes(tag)
            if name == "figure":
                figures.append(tag)
        else:
            tag.unwrap()
        stack.extend(reversed(children))
    for figure in figures:
        if figure.parent is not None:
            _clean_figure(soup, figure)
    for noscript in noscripts:
        if noscript.parent is None:
            continue
        if next(_descendants(noscript, _IMG), None) is None:
            noscript.decompose()
            continue
        beside = next((s for s in noscript.previous_siblings if isinstance(s, Tag)), None)
        if beside is not None and beside.name == "img":
            beside.decompose()  # the lazy-loading copy of the image the <noscript> holds
        noscript.unwrap()  # its content went through the loop above
    _drop_empty(root, Tag)


_NEVER_EMPTY = frozenset(["img", "br", "hr", "td", "th"])


def _drop_empty(root: Tag, tag_type: type) -> None:
    """Remove wrappers left empty (a link around an icon that went, an empty paragraph), children
    before parents, so that a wrapper holding only emptied wrappers goes too."""
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        tag, done = stack.pop()
        if not done:
            stack.append((tag, True))
            stack.extend((c, False) for c in tag.contents if isinstance(c, tag_type))
            continue
        if tag is root or tag.name in _NEVER_EMPTY:
            continue
        child: Any
        for child in tag.contents:
            if isinstance(child, tag_type):
                if getattr(child, "name", None) not in {"br", "hr"}:
                    break
            elif str(child).strip():
                break
        else:
            if tag.name in INLINE_ELEMENTS:
                tag.unwrap()  # its spaces still part words: "<strong> </strong>"
            else:
                tag.decompose()


def _keep_attributes(tag: Tag) -> None:
    allowed = ALLOWED_ATTRIBUTES.get(tag.name)
    if not allowed:
        tag.attrs = {}
        return
    tag.attrs = {k: v for k, v in tag.attrs.items() if k in allowed and isinstance(v, str)}


def _clean_image(tag: Tag, base: str | None) -> bool:
    src = resolve_url(image_source(tag.attrs), base, images=True)
    if src is None or _is_pixel(tag):
        tag.decompose()
        return False
    alt = tag.get("alt")
    title = tag.get("title")
    tag.attrs = {"src": src}
    if isinstance(alt, str) and alt.strip():
        tag["alt"] = _WS.sub(" ", alt).strip()
    if isinstance(title, str) and title.strip():
        tag["title"] = _WS.sub(" ", title).strip()
    return True


def _is_pixel(tag: Tag) -> bool:
    for name in ("width", "height"):
        value = tag.get(name)
        if isinstance(value, str) and value.strip().isdigit() and int(value.strip()) < MIN_IMAGE_SIDE:
            return True
    return False


def _clean_picture(tag: Tag, base: str | None) -> None:
    """A <picture> becomes its <img>, with the first <source> when the img has no usable address."""
    img = next(_descendants(tag, _IMG), None)
    src = resolve_url(image_source(img.attrs), base, images=True) if img is not None else None
    if src is None:
        for source in _descendants(tag, _SOURCE):
            src = resolve_url(image_source(source.attrs), base, images=True)
            if src:
                break
    if img is None or src is None:
        tag.decompose()
        return
    img["src"] = src
    for name in LAZY_SRC + LAZY_SRCSET + ("srcset",):
        img.attrs.pop(name, None)
    _clean_image(img, base)
    tag.replace_with(img.extract())


def _clean_figure(soup: BeautifulSoup, figure: Tag) -> None:
    """Images (a link around one kept) and one caption; without an image, no figure."""
    from newsdigest.extract.soup import NavigableString, Tag

    # What the page shows without scripts is the real image: lazy-loading themes put a blurred preview
    # or an empty <img> beside a <noscript> copy of it.
    visible: list[Tag] = []
    fallbacks: list[Tag] = []
    for img in _descendants(figure, _IMG):
        (fallbacks if _inside(img, "noscript", figure) else visible).append(img)
    images = fallbacks or visible
    if not images:
        figure.decompose()
        return
    seen: set[str] = set()
    pictures: list[Tag] = []
    for img in images:
        src = img.get("src")
        if not isinstance(src, str) or src in seen:
            continue
        seen.add(src)
        link = img.parent
        if isinstance(link, Tag) and link.name == "noscript":  # a fallback inside the picture's link
            link = link.parent
        if isinstance(link, Tag) and link.name == "a" and link.get_text().strip() == "":
            pictures.append(link)
        else:
            pictures.append(img)
    caption = next(_descendants(figure, _FIGCAPTION), None)
    for picture in pictures:
        picture.extract()
    if caption is None:
        # A caption box the prune pass made a figure (extract/prune.py): what is left of it once the
        # pictures are out is the caption, with its links and emphasis (a caption's link to the
        # article about what the picture shows is the caption's, as a paragraph's is the paragraph's).
        for other in [t for t in figure.descendants if isinstance(t, Tag) and t.name in _NOT_CAPTION]:
            if other.parent is not None:
                other.decompose()  # a duplicate of a picture kept, or the fallback of one
        if any(type(s) is NavigableString and s.strip() for s in figure.descendants):
            caption = soup.new_tag("figcaption")
            caption.extend(list(figure.contents))
    if caption is not None:
        caption.extract()
        for block in list(_descendants(caption, _CAPTION_BLOCKS)):
            block.insert_after(" ")
            if block.name == "hr":
                block.decompose()
            else:
                block.unwrap()
    figure.clear()
    for picture in pictures:
        figure.append(picture)
    if caption is not None and caption.get_text().strip():
        figure.append(caption)


def first_image(html: str) -> str | None:
    match = re.search(r'<img\b[^>]*?\ssrc="([^"]+)"', html)
    return unescape(match.group(1)) if match else None


@cache
def _sanitiser() -> nh3.Cleaner:
    import nh3

    return nh3.Cleaner(
        tags=set(ALLOWED_ELEMENTS),
        clean_content_tags=set(DROPPED - {"head", "title", "meta", "link", "base", "form"}) | {"noscript"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
