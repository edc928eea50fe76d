"""Markup signals that separate page furniture from article text: class and id words, hidden-ness.

The signals are language-neutral: tag names, ARIA roles, hidden-ness, and the words developers put
into ``class``/``id`` attributes ("share", "related", "cookie", ...). Words are matched as tokens of
the attribute (split on punctuation and camelCase) and, for long unambiguous words, as substrings so
that ``sharebar`` or ``relatedPosts`` count too. The words themselves are in :mod:`.vocabulary`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from newsdigest.extract import vocabulary as V
from newsdigest.extract.wordsearch import contains_any

_STRONG = contains_any(V.FURNITURE_SUBSTRINGS)
_GENRE = contains_any(V.GENRE_SUBSTRINGS)
_READER_COMMENTS = contains_any(V.READER_COMMENT_SUBSTRINGS)
_ALWAYS = contains_any(V.ALWAYS_FURNITURE)
_CAPTIONS = contains_any(V.CAPTIONS)
_OTHER_STORIES = contains_any(V.OTHER_STORIES)
_PICTURE_WIDGETS = contains_any(V.PICTURE_WIDGETS)
_POSITIVE = contains_any(V.POSITIVE_SCORE)
_NEGATIVE = contains_any(V.NEGATIVE_SCORE)
_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def class_id(el: etree._Element, *, with_id: bool = True) -> str:
    """The words an element is named by: its classes (less taxonomy classes), its id (unless not
    ``with_id``), and a custom element's tag."""
    classes = el.get("class")
    ident = el.get("id") if with_id else None
    tag = el.tag
    # Custom elements name themselves like classes do (<pp-inline-teaser>, <share-bar>).
    custom = tag if isinstance(tag, str) and "-" in tag else ""
    if not classes and not ident and not custom:
        return ""  # most elements: asked by every pass, answered without building a string
    return class_words(classes or "", ident or "", custom)


@lru_cache(maxsize=8192)
def class_words(classes: str, ident: str, custom: str) -> str:
    """:func:`class_id` of an element with these ``class``, ``id`` and custom tag values."""
    if "-" in classes or "_" in classes:
        classes = " ".join(c for c in classes.split() if not V.TAXONOMY.match(c))
    value = f"{classes} {ident}".strip()
    return f"{value} {custom}" if custom else value


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
    if _GENRE(low):
        return False
    if "comment" in low and V.LIVE_TOKEN in tokens(value):
        return False  # a live ticker's running commentary ("live-match-comment") is the story
    # Themes join words with hyphens, underscores or camelCase alike ("img_description", "seeAlso").
    if _STRONG(low):
        return True
    # The joined form differs from ``low`` only where the value has capitals or underscores.
    if (value != low or "_" in value) and _STRONG(_CAMEL.sub("-", value).lower().replace("_", "-")):
        return True
    return any(tok in V.FURNITURE_TOKENS for tok in tokens(value))


def _reader_comments(low: str) -> bool:
    return _READER_COMMENTS(low)


def class_weight(el: etree._Element) -> int:
    """Readability-style +/-25 from the element's class and id."""
    value = class_id(el)
    return _weight(value) if value else 0


@lru_cache(maxsize=4096)
def _weight(value: str) -> int:
    weight = 0
    if _POSITIVE(value):
        weight += 25
    if _NEGATIVE(value):
        weight -= 25
    return weight


def is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None:
        return True
    if (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    if style and V.HIDDEN_STYLE.search(style):
        return True
    classes = el.get("class")
    return bool(classes) and _hidden_classes(classes)


@lru_cache(maxsize=4096)
def _hidden_classes(classes: str) -> bool:
    return any(c.lower() in V.HIDDEN_CLASSES or V.HIDDEN_STATE.match(c) is not None for c in classes.split())


@lru_cache(maxsize=4096)
def always_furniture(value: str) -> bool:
    """Class words that mark furniture however big the box is, even when it holds most of the page's
    running text (reader comments can outweigh the article)."""
    low = value.lower()
    return _ALWAYS(low) or _reader_comments(low)


@lru_cache(maxsize=4096)
def layer_or_bio(value: str) -> bool:
    """Class words of layers opened over the page and boxes about the writer: furniture at any size,
    unless the box holds most of the page's running text (the body's own wrapper named
    ``article-overlay-handle``)."""
    if any(tok in V.OVERLAY_TOKENS for tok in tokens(value)):
        return True
    return bool(V.AUTHOR_BOX.search(value.lower()))


@lru_cache(maxsize=4096)
def picture_widget(value: str) -> bool:
    """Class words of a gallery, slider or carousel: pictures a script pages through, with their
    captions."""
    return _PICTURE_WIDGETS(value.lower())


@lru_cache(maxsize=4096)
def names_caption(value: str) -> bool:
    """Class words of a picture's caption or credit box."""
    low = value.lower()
    return _CAPTIONS(low)


@lru_cache(maxsize=4096)
def other_stories(value: str) -> bool:
    """Class words of boxes that hold other stories or reader threads."""
    low = value.lower()
    if _OTHER_STORIES(low):
        return True
    # Reader threads ("forum", SPIP's "forum-texte") are written in paragraphs and can be long; on a
    # discussion board's own page the thread holds most of the text and is kept.
    return any(tok in V.THREAD_TOKENS for tok in tokens(value))
