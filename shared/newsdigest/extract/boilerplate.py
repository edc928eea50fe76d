"""Markup signals that separate page furniture from article text, and the pruning that uses them.

The signals are language-neutral: tag names, ARIA roles, hidden-ness, and the words developers put
into ``class``/``id`` attributes ("share", "related", "cookie", ...), which are English-ish jargon
on sites in every language. Words are matched as tokens of the attribute (split on punctuation and
camelCase) and, for long unambiguous words, as substrings so that ``sharebar`` or ``relatedPosts``
count too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml import etree

# Removed with their content before anything else is looked at.
DROP_TAGS = frozenset(
    [
        "script",
        "style",
        "template",
        "svg",
        "math",
        "canvas",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "button",
        "select",
        "option",
        "optgroup",
        "textarea",
        "input",
        "datalist",
        "dialog",
        "head",
        "link",
        "meta",
        "base",
        "figure",
        "picture",
        "img",
        # Ruby annotations: the reading aids above CJK characters would be spliced into the text.
        "rt",
        "rp",
    ]
)
# Furniture by tag, removed in the pruning walk (so that they leave a placeholder) unless they hold
# most of the page: some sites wrap everything in <noscript> or an unclosed <nav>.
_FURNITURE_TAGS = frozenset(["nav", "aside", "menu", "footer", "noscript"])
# Roles that mark furniture, whatever the tag.
_DROP_ROLES = frozenset(
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "menu",
        "menubar",
        "dialog",
        "alertdialog",
        "toolbar",
        "tablist",
        "tooltip",
    ]
)
_PANEL_ROLES = frozenset(["tablist", "tabpanel"])
# Long words: matched anywhere inside class/id ("socialShareBar", "related-posts").
_STRONG_SUBSTRINGS = (
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "breadcrumb",
    "share",
    "sharing",
    "social",
    "related",
    "recommend",
    "popular",
    "trending",
    "mostread",
    "most-read",
    "outbrain",
    "taboola",
    "disqus",
    "comment",
    "sponsor",
    "advert",
    "promo",
    "pagination",
    "subscribe",
    "signup",
    "sign-up",
    "login",
    "sidebar",
    "navbar",
    "navigation",
    "toolbar",
    "masthead",
    "footer",
    "banner",
    "byline",
    "author",
    "timestamp",
    "published",
    "updated",
    "skiplink",
    "skip-link",
    "jump-link",
    "paywall-banner",
    "caption",
    "credit",
    "more-from",
    "see-also",
    "also-read",
    "tagcloud",
    "tag-cloud",
    "keyword",
    "feedback",
    "modal",
    "popup",
    "overlay",
    "lightbox",
    "carousel",
    "slider",
    "gallery",
    "offcanvas",
    "dropdown",
    "accessibility",
    "headline-list",
    "toplist",
    "ticker",
    "contact-box",
    "placeholder",
    "copyright",
    "tweet",
    "instagram",
    "tiktok",
    "embed",
    "post-nav",
    "next-post",
    "prev-post",
    "previous-post",
    "nextstory",
    "next-article",
    "teaser",
    "disclaimer",
    "disclosure",
    # Picture captions and credits under other names.
    "bildunter",
    "bildquelle",
    "imagedesc",
    "image-desc",
    "img-desc",
    "image-subtitle",
    "image-source",
    "imagesource",
    "img-meta",
    "image-meta",
    "donation",
    "affiliate",
    "metadata",
    "licence",
    "license",
    "subscription",
    # Left out of the printed page by the site itself.
    "noprint",
    "no-print",
    "print-none",
    "hidden-print",
    "nicht-drucken",
    "replies",
    "buybox",
    "sociable",
    "notice",
)
# Short or ambiguous words: matched only as whole tokens.
_STRONG_TOKENS = frozenset(
    [
        "nav",
        "menu",
        "forum",
        "forums",
        "adb",
        "adblock",
        "adblocker",
        "ad",
        "ads",
        "adv",
        "advertisement",
        "werbung",
        "anzeige",
        "sponsored",
        "share",
        "tags",
        "rating",
        "ratings",
        "vote",
        "poll",
        "polls",
        "meta",
        "date",
        "time",
        "rss",
        "extra",
        "extras",
        "aside",
        "topbar",
        "links",
        "follow",
        "cta",
        "respond",
        "legend",
        "dialog",
    ]
)
_STRONG_RE = re.compile("|".join(re.escape(w) for w in _STRONG_SUBSTRINGS))
# Never drop on the word alone: "commentary"/"Kommentar" are article genres, not reader comments.
_SAFE_SUBSTRINGS = ("commentar", "kommentar")
# Utility classes that hide an element outright (responsive variants like "hidden-xs" do not).
_HIDDEN_CLASSES = frozenset(
    [
        "hidden",
        "hide",
        "d-none",
        "is-hidden",
        "u-hidden",
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screenreader-only",
        "offscreen",
        "element-invisible",
        "invisible",
    ]
)
# Words that mark furniture however big the box is (reader comments can outweigh the article).
_ALWAYS_FURNITURE = (
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "comment",
    "disqus",
    "outbrain",
    "taboola",
    "breadcrumb",
)
# Layers a script opens over the page (privacy notices, sign-up and login forms); the article itself
# is protected by its headline and markers.
# Ad-blocker notices ("adb-notification", "adblocker-wall") are such layers too.
_OVERLAYS = frozenset(["modal", "popup", "dialog", "overlay", "adb", "adblock", "adblocker"])
_INLINE = frozenset(
    ["a", "em", "strong", "b", "i", "u", "small", "sup", "sub", "mark", "abbr", "cite", "q", "code"]
)
_CARD_BLOCKS = frozenset(["p", "div", "h2", "h3", "h4", "h5", "h6", "ul", "section"])
# Boxes of other stories: removed even when large, but never when they hold most of the page
# (scripts toggle "related" state classes on real article wrappers too).
_THREADS = frozenset(["forum", "forums"])
_OTHER_STORIES = ("related", "recommend", "popular", "trending", "mostread", "most-read")
# Positive hints for the containers of article text (scoring only).
_POSITIVE = re.compile(
    r"article|artikel|articulo|articolo|body|content|contenu|contenido|conteudo|inhalt|main|story|"
    r"text|texte|entry|post|blog|prose|richtext|rte|copy|beitrag|nachricht|noticia|detail",
    re.I,
)
# Words with which themes name the article's own wrapper ("entry-content", "article-body").
_CONTENT_WORDS = re.compile(r"content|article|artikel|body|entry|story|text|main|inhalt", re.I)
_NEGATIVE_SCORE = re.compile(
    r"comment|share|social|related|sidebar|footer|header|nav|menu|teaser|promo|widget|banner|ad-|"
    r"-ad|sponsor|meta|info|extra|more|links|list|rail|aside|tag|author|byline|date|caption|credit",
    re.I,
)
_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# State classes under a short namespace ("h--hide", "u-hide", "js-hidden"); responsive variants
# ("hidden-xs", "mobile-hide") name the screen they hide on and do not match.
_HIDDEN_STATE = re.compile(r"^[a-z]{1,2}-{1,2}hid(?:e|den)$", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Elements that can hold the article itself and are never pruned on their class words alone.
_CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})


# Taxonomy classes CMSs stamp on the post wrapper ("tag-public-housing", "category-sport") carry
# arbitrary editorial words, not layout roles.
_TAXONOMY = re.compile(r"^(?:tag|category|cat|topic|series|term|format|status|type|postid|prominence)[-_]")


def class_id(el: etree._Element) -> str:
    classes = el.get("class") or ""
    if "-" in classes or "_" in classes:
        classes = " ".join(c for c in classes.split() if not _TAXONOMY.match(c))
    value = f"{classes} {el.get('id') or ''}".strip()
    tag = el.tag
    # Custom elements name themselves like classes do (<pp-inline-teaser>, <share-bar>).
    if isinstance(tag, str) and "-" in tag:
        value = f"{value} {tag}"
    return value


def tokens(value: str) -> list[str]:
    return [t for t in _SPLIT.split(_CAMEL.sub("-", value).lower()) if t]


@lru_cache(maxsize=4096)
def is_marked_boilerplate(value: str) -> bool:
    """Whether a class/id string names page furniture."""
    if not value:
        return False
    low = value.lower()
    if _reader_comments(low):
        return True
    if any(safe in low for safe in _SAFE_SUBSTRINGS):
        return False
    if "comment" in low and "live" in tokens(value):
        return False  # a live ticker's running commentary ("live-match-comment") is the story
    # Themes join words with hyphens, underscores or camelCase alike ("img_description", "seeAlso").
    if _STRONG_RE.search(low) or _STRONG_RE.search(_CAMEL.sub("-", value).lower().replace("_", "-")):
        return True
    return any(tok in _STRONG_TOKENS for tok in tokens(value))


def _reader_comments(low: str) -> bool:
    # The plural is the readers' comment section, the singular an article genre.
    return "kommentare" in low or "kommentarmodul" in low


def class_weight(el: etree._Element) -> int:
    """Readability-style +/-25 from the element's class and id."""
    value = class_id(el)
    return _weight(value) if value else 0


@lru_cache(maxsize=4096)
def _weight(value: str) -> int:
    weight = 0
    if _POSITIVE.search(value):
        weight += 25
    if _NEGATIVE_SCORE.search(value):
        weight -= 25
    return weight


def is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None:
        return True
    if (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = el.get("class")
    return bool(classes) and any(
        c.lower() in _HIDDEN_CLASSES or _HIDDEN_STATE.match(c) is not None for c in classes.split()
    )


def protected_elements(
    root: etree._Element, size: Callable[[etree._Element], tuple[int, int, int]]
) -> set[etree._Element]:
    """Ancestors of the strongest article markers; class words alone never remove these.

    Markers: headings of level one, an ``itemprop=articleBody`` element, and the ``<article>`` holding
    the most text (teaser cards are ``<article>`` elements too, so not all of them).
    """
    markers: list[etree._Element] = []
    biggest: etree._Element | None = None
    for el in root.iter("h1", "article"):
        if el.tag == "h1":
            markers.append(el)
        elif biggest is None or size(el)[0] > size(biggest)[0]:
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


def strip_furniture_tags(root: etree._Element) -> None:
    """Remove script/style/nav/... subtrees (C-level, keeps the text that follows each one)."""
    _unwrap_text_figures(root)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)


_FIGURE_TEXT_MIN = 1000


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
                and sum(len(p.xpath("string()")) for p in fig.iter("p")) >= _FIGURE_TEXT_MIN
            )
        if holds_text:
            etree.strip_elements(fig, "figcaption", with_tail=False)
            fig.tag = "div"


# Boxes about the writer ("author-box", "authorInfo", "contributor-bio", "about-the-author"): however
# long the biography, it is not the story.
_AUTHOR_BOX = re.compile(
    r"(?:author|contributor|writer)[-_]?(?:box|bio|info|desc|about|profile|card)|"
    r"(?:about|bio)[-_]?(?:the[-_]?)?(?:author|writer)",
    re.I,
)


@lru_cache(maxsize=4096)
def _always_furniture(value: str) -> bool:
    low = value.lower()
    if any(word in low for word in _ALWAYS_FURNITURE) or _reader_comments(low):
        return True
    if any(tok in _OVERLAYS for tok in tokens(value)):
        return True
    return bool(_AUTHOR_BOX.search(low))


@lru_cache(maxsize=4096)
def _other_stories(value: str) -> bool:
    low = value.lower()
    if any(word in low for word in _OTHER_STORIES):
        return True
    # Reader threads ("forum", SPIP's "forum-texte") are written in paragraphs and can be long; on a
    # discussion board's own page the thread holds most of the text and is kept.
    return any(tok in _THREADS for tok in tokens(value))


def _doomed(el: etree._Element, text: int, links: int, para: int, page_text: int) -> bool:
    role = (el.get("role") or "").lower()
    if role in _PANEL_ROLES and text >= 400 and para >= 0.6 * text:
        # Accordions are marked up as tab lists (Bootstrap's panel groups): a real tab strip holds
        # short labels, one whose panels hold paragraphs holds the article's sections.
        return False
    if el.tag in _FURNITURE_TAGS or role in _DROP_ROLES or is_hidden(el):
        # Unclosed banners swallow the page and some pages start hidden until a script reveals them:
        # a box holding most of the page's text is not furniture.
        return text < 0.4 * page_text or page_text < 200
    if el.tag == "form" and text < min(1000, 0.4 * page_text) and para < 0.5 * text:
        return True  # search, login, newsletter and comment forms; not a page builder's wrapper
    value = class_id(el)
    if not value or not is_marked_boilerplate(value):
        return False
    if el.tag in _INLINE and not any(child.tag in _CARD_BLOCKS for child in el):
        # Inline elements with odd classes are text, not furniture; a link wrapping paragraphs or
        # headings is a teaser card.
        return False
    if _always_furniture(value):
        return True
    if el.tag == "blockquote":
        return False  # a quotation (embedded posts are quoted as blockquotes too) is article text
    if _other_stories(value) and text < 0.5 * page_text:
        return True
    # Other words ("share", "sidebar", "read-more") also decorate real content wrappers in some themes:
    # only small or link-heavy boxes go, and a box that also calls itself content must be tiny.
    link_heavy = text > 0 and links / text > 0.5
    if _CONTENT_WORDS.search(value):
        return link_heavy or text < 150
    if text >= 400 and para >= 0.8 * text:
        return False  # reads like article paragraphs: e.g. sections flagged as hosting ad slots
    return link_heavy or text < max(600, 0.25 * page_text)


def prune(
    root: etree._Element,
    size: Callable[[etree._Element], tuple[int, int, int]],
    on_remove: Callable[[etree._Element], None] | None = None,
) -> list[etree._Element]:
    """Remove hidden, role- and class-marked furniture in place; returns the removed elements.

    ``size`` gives ``(text chars, link chars)`` of an element's subtree, as measured before;
    ``on_remove`` sees each element while it is still attached, to keep such measures up to date.
    """
    keep = protected_elements(root, size)
    page_text = size(root)[0]
    removed: list[etree._Element] = []
    stack = [child for child in reversed(root) if isinstance(child.tag, str)]
    while stack:
        el = stack.pop()
        if el.tag not in _CONTAINER_TAGS and el not in keep:
            text, links, para = size(el)
            if _doomed(el, text, links, para, page_text):
                removed.append(el)
                if on_remove is not None:
                    on_remove(el)
                if text >= CUT_MIN_TEXT:
                    cut_marker(el)
                else:
                    remove_keep_tail(el)
                continue
        stack.extend(child for child in reversed(el) if isinstance(child.tag, str))
    return removed


CUT = "nd-cut"  # placeholder tag left where a box with text was removed
CUT_MIN_TEXT = 50


def cut_marker(el: etree._Element) -> None:
    """Replace ``el`` by an empty placeholder: the writer then knows a box stood here, and can drop
    the heading that introduced it ("Related stories", "Mehr zum Thema")."""
    parent = el.getparent()
    if parent is None:
        return
    marker = etree.Element(CUT)
    marker.tail = el.tail
    parent.replace(el, marker)


def remove_keep_tail(el: etree._Element) -> None:
    """Remove ``el`` and its subtree, keeping the text that follows it."""
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
