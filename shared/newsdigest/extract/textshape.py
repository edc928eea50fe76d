"""What running text looks like: punctuation, sentence ends, whitespace, and the key under which two
paragraphs count as the same text."""

from __future__ import annotations

import re

from newsdigest.extract import thresholds as T
from newsdigest.extract.dates import parse_date

PUNCT = re.compile(r"[,.;:!?，。、；：！？،]")
# Sentences end in punctuation, closing quotes, or (in informal text) an emoji or emoticon.
SENTENCE_END_STRICT = re.compile(
    r"(?:[.!?…。！？\"”»)）」』】]|[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?|[:;=]-?[)D])\s*$"
)
# One sentence ending and the next beginning inside a paragraph: a word (not an initial, "G. & L.")
# and its full stop, closing quotes and footnote marks ("[12]"), then a letter. A paragraph that
# ends on a footnote mark, not on its full stop, is one of sentences by this.
SENTENCE_BREAK = re.compile(r"(?:[^\W\d_]{2,}[.!?][\"”»’)\]]*(?:\[\w+\])*\s+|[。！？])[\"“„«‘]?[^\W\d_]")
WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Soft hyphens and zero-width spaces/joiners-of-words: invisible on screen, they would split words.
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_KEY = re.compile(r"[\W_]+", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


def normalise_key(text: str) -> str:
    return _KEY.sub(" ", text.casefold()).strip()


def is_date_line(text: str) -> bool:
    if parse_date(text) is None:
        return False
    # What is left besides the date: at most a short label ("Published", "Stand:", "Updated").
    return len(_LETTERS.findall(text)) <= T.DATE_LINE_WORDS


def collapse(text: str) -> str:
    """``text`` with every run of whitespace one space."""
    return " ".join(text.split())
