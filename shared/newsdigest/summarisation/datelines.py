"""Datelines are metadata, not summary text: a paragraph that opens with one loses it.

Wire copy opens a paragraph with where, when and from which agency the story came
(``MOSCOW, May 11. /TASS/.``, ``PARIS (Reuters) -``, ``(CNN) --``). The extractor already records it on
the article (:mod:`newsdigest.extract.dateline`, the same parser), so a summary sentence that begins
with it repeats metadata and reads badly. What follows the dateline stays, still a verbatim substring
of the text; a dateline that is a paragraph on its own is dropped.

The paragraph is parsed whole, not its first sentence, as the splitter may break inside a dateline
(``SOUTHWEST MIAMI-DADE, FLA. (WSVN) -``). Two guards keep headings intact: a dateline without an
agency (``NEW YORK —``) counts only in the first paragraphs, where a story's dateline stands (deeper in,
``BRAND – Product`` is a heading); and what is left must read as a sentence, not as a heading's tail.
"""

from __future__ import annotations

import re

from newsdigest.extract.dateline import parse_dateline

#: Paragraphs from the top in which a dateline without an agency is trusted (the extractor looks for
#: the article's dateline in as many: a standfirst may come first).
LEAD_PARAGRAPHS = 3
_TERMINATED = re.compile(r"[.!?…;:。！？][\"'”’»)\]]*$")


def _cut(sentences: tuple[str, ...], length: int) -> tuple[str, ...]:
    """``sentences`` without the first ``length`` characters of their text joined by spaces."""
    rest = list(sentences)
    while rest and length > 0:
        if length >= len(rest[0]):
            length -= len(rest.pop(0)) + 1  # and the space joining it to the next
        else:
            rest[0] = rest[0][length:].lstrip()
            length = 0
    return tuple(s for s in rest if s)


def _without_dateline(sentences: tuple[str, ...], position: int) -> tuple[str, ...] | None:
    """The paragraph's sentences without its dateline, or None when it has none to remove."""
    text = " ".join(sentences)
    dateline = parse_dateline(text)
    if dateline is None or not text.startswith(dateline.raw):
        return None
    if dateline.agency is None and position >= LEAD_PARAGRAPHS:
        return None
    rest = _cut(sentences, len(dateline.raw))
    if len(rest) == 1 and not _TERMINATED.search(rest[0]):
        return None  # "EAT SMALL – Snacks": a heading, not a filed story
    return rest


def omit_datelines(paragraphs: tuple[tuple[str, ...], ...]) -> tuple[tuple[tuple[str, ...], ...], int]:
    """``paragraphs`` with the dateline opening any of them removed, and how many were removed."""
    result = []
    removed = 0
    for position, sentences in enumerate(paragraphs):
        rest = _without_dateline(sentences, position)
        if rest is None:
            result.append(sentences)
            continue
        removed += 1
        if rest:
            result.append(rest)
    return tuple(result), removed
