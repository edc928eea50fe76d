"""Bounds on the raw markup, applied to the bytes just before libxml2 parses them.

Two costs grow faster than the page in libxml2 and in every pass after it: the number of elements,
and the number of attributes on one element (each new attribute is compared with all the earlier
ones). Both are capped here (:mod:`newsdigest.extract.limits`) without parsing:

* elements: the page is cut before its ``MAX_ELEMENTS + 1``-th start tag;
* attributes: a start tag with more than ``MAX_ATTRIBUTES`` keeps its first ones and is closed after
  them. A fast C-level search finds whether any tag can have that many; only then does a tokenizer
  walk the page (skipping comments and the raw text of script, style and the like, so a script or a
  JSON-LD block is never edited) and trim the tags that really do.

The tokenizer follows the HTML one closely enough for this purpose: quoted values may hold ``>``, an
attribute may follow a quoted value without a space, ``/`` separates attributes and a name may hold
``<`` or start with ``=``.
"""

from __future__ import annotations

import re
from itertools import islice

from newsdigest.extract.limits import MAX_ATTRIBUTES, MAX_ELEMENTS

_START = re.compile(rb"<[a-zA-Z]")
_ATTRIBUTE = (
    rb"[\t\n\f\r /]*+(?:=|[^\t\n\f\r />=])[^\t\n\f\r />=]*+"
    rb"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+\"?|'[^']*+'?|[^\t\n\f\r >]*+))?+"
)
_ATTRIBUTE_RE = re.compile(_ATTRIBUTE)
# A start tag holding more attributes than the cap; possessive throughout, so the search is linear.
_CROWDED = re.compile(rb"<[a-zA-Z][^\t\n\f\r />]*+(?:" + _ATTRIBUTE + rb"){%d}+" % (MAX_ATTRIBUTES + 1))
_TAG_OR_COMMENT = re.compile(rb"<(?:!--|[a-zA-Z])")
_START_TAG = re.compile(rb"<([a-zA-Z][^\t\n\f\r />]*+)((?:" + _ATTRIBUTE + rb")*+)[\t\n\f\r /]*+>?")
_RAW_TEXT_END = {
    name: re.compile(b"</" + name, re.I)
    for name in (b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes")
}
_PLAINTEXT = b"plaintext"  # everything after it is text


def bound_markup(data: bytes, notes: list[str]) -> bytes:
    """``data`` within the element and attribute caps; each cut appends its note to ``notes``."""
    if data.count(b"<") > MAX_ELEMENTS:
        beyond = next(islice(_START.finditer(data), MAX_ELEMENTS, None), None)
        if beyond is not None:
            data = data[: beyond.start()]
            notes.append(f"page cut at {MAX_ELEMENTS} elements")
    if _CROWDED.search(data) is not None:
        data, trimmed = _trim_attributes(data)
        if trimmed:
            notes.append(f"attributes cut to {MAX_ATTRIBUTES} per element")
    return data


def _trim_attributes(data: bytes) -> tuple[bytes, int]:
    """``data`` with every start tag cut after its first ``MAX_ATTRIBUTES`` attributes; how many were."""
    pieces: list[bytes] = []
    copied = 0
    pos = 0
    trimmed = 0
    while (opening := _TAG_OR_COMMENT.search(data, pos)) is not None:
        start = opening.start()
        if data.startswith(b"<!--", start):
            end = data.find(b"-->", start + 4)
            pos = len(data) if end < 0 else end + 3
            continue
        tag = _START_TAG.match(data, start)
        assert tag is not None  # _TAG_OR_COMMENT found "<" and a letter
        pos = tag.end()
        # An attribute takes at least two bytes (a separator and a name), so a shorter run holds fewer.
        if tag.end(2) - tag.start(2) > 2 * MAX_ATTRIBUTES:
            cut = _end_of_attribute(data, tag.start(2), tag.end(2), MAX_ATTRIBUTES)
            if cut is not None:
                pieces += [data[copied:cut], b">"]
                copied = tag.end()
                trimmed += 1
        name = tag.group(1).lower()
        if name == _PLAINTEXT:
            break
        raw_end = _RAW_TEXT_END.get(name)
        if raw_end is not None:
            close = raw_end.search(data, pos)
            pos = len(data) if close is None else close.start()
    if not trimmed:
        return data, 0
    pieces.append(data[copied:])
    return b"".join(pieces), trimmed


def _end_of_attribute(data: bytes, start: int, end: int, count: int) -> int | None:
    """Where the ``count``-th attribute in ``data[start:end]`` ends, or None when there are no more."""
    matches = _ATTRIBUTE_RE.finditer(data, start, end)
    kept = next(islice(matches, count - 1, None), None)
    if kept is None or next(matches, None) is None:
        return None
    return kept.end()
