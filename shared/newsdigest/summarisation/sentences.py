"""Offline, rule-based sentence splitter for news text.

NLTK's punkt models must be downloaded at run time, which Lambda cannot do, so sentences are found by
rules: a terminator (``.``, ``!``, ``?``, ``…``; ``;`` in Greek; ``。！？`` without a following
space) followed by whitespace and something that can open a sentence (an upper-case or caseless
letter, a digit, or an opening quote/bracket/dash before one). A full stop is then vetoed when it
belongs to a title ("Mr."), an initial ("V. Stiviano"), an abbreviation ("U.S.", "Inc.", "z.B.",
"т.е."), a German-style ordinal ("am 3. Oktober") or a wire-service dateline
("MOSCOW, May 11. /TASS/. ...") -- unless the next word is one that usually opens a sentence.

Sentences are returned whitespace-normalised (runs of whitespace collapsed to one space), so each is
a verbatim substring of the input up to whitespace.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from newsdigest.summarisation.abbreviations import ABBREVIATIONS, ORDINAL_DOT, TITLES
from newsdigest.summarisation.languages import stop_words

_CLOSERS = "\"'”’»)\\]」』）›"
_OPENERS = "\"'“‘«„‚([¿¡—–‹「『（-"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_TERMINATED = re.compile(rf"[.!?…;;؟。！？:][{re.escape(_CLOSERS)}]*$")
# Abbreviations made of one- or two-letter parts: "U.S", "a.m", "z.B", "т.е", "f.eks" (final dot cut).
_DOTTED = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,3}$")
# The agency part of a wire dateline: "/TASS/", "/ТАСС/".
_AGENCY = re.compile(r"^/[^/\s]{2,20}/$")
_STRIP_OPENERS = re.compile(rf"^[{re.escape(_OPENERS)}]+")
# Matched at a position of the paragraph (never on a copy of its rest): the run of openers there.
_OPENER_RUN = re.compile(rf"[{re.escape(_OPENERS)}]*")
_FIRST_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def _boundary_pattern(language: str) -> re.Pattern[str]:
    ends = ".!?…؟"
    if language == "greek":
        ends += ";;"  # the Greek question mark (U+037E) and the semicolon used for it
    closers = re.escape(_CLOSERS)
    # French and Russian set closing guillemets off with a space: « Nous gagnerons. » Le ...
    # The run of terminators is possessive: giving one back can never be followed by a closer or a
    # space, and retrying would make a long run of "!" quadratic.
    return re.compile(rf"[{re.escape(ends)}]++(?:[{closers}]|\s[»›”])*(?=\s)|[。！？]+[{closers}]*")


def _opens_sentence(rest: str) -> bool:
    """Whether ``rest`` (text after a candidate boundary, spaces stripped) can start a sentence; only
    its first six characters are read."""
    for char in rest[:6]:
        if char in _OPENERS or char.isspace():
            continue
        if char.isdigit():
            return True
        if char.isalpha():
            # Caseless scripts (Arabic, Hebrew, CJK) have neither case: any letter may open a sentence.
            return char.isupper() or not char.islower()
        return False
    return False


class SentenceSplitter:
    """Splits paragraphs of one language into sentences; cheap to build, cached per language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._boundary = _boundary_pattern(language)
        self._titles = TITLES.get(language, frozenset())
        self._abbreviations = ABBREVIATIONS.get(language, frozenset())
        self._ordinal_dot = language in ORDINAL_DOT
        # A word that usually opens a sentence tells "U.S. The" (a break) from "U.S. President".
        self._starters = stop_words(language)

    def paragraphs(self, text: str) -> list[list[str]]:
        """Sentences of each non-empty paragraph; paragraphs are separated by blank lines."""
        result = []
        for block in _PARAGRAPH_BREAK.split(text.strip()):
            sentences = self.split(block)
            if sentences:
                result.append(sentences)
        return result

    def split(self, paragraph: str) -> list[str]:
        """Sentences of one paragraph (single line breaks inside it are treated as spaces, except
        after an unterminated line followed by a sentence start, as after a heading)."""
        sentences: list[str] = []
        chunk: list[str] = []
        lines = [line.strip() for line in paragraph.splitlines()]
        lines = [line for line in lines if line]
        for i, line in enumerate(lines):
            chunk.append(line)
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if nxt is None or (not _LINE_TERMINATED.search(line) and _opens_sentence(nxt)):
                sentences.extend(self._split_chunk(" ".join(" ".join(chunk).split())))
                chunk = []
        return sentences

    def _split_chunk(self, text: str) -> list[str]:
        """Sentences of ``text``, whose only whitespace is single spaces (the callers collapse it).

        Linear in the length of ``text``: each candidate boundary is judged from positions in it, never
        from a copy of the text before or after it.
        """
        sentences = []
        start = 0
        size = len(text)
        for match in self._boundary.finditer(text):
            end = match.end()
            rest = end + 1 if text.startswith(" ", end) else end
            if rest >= size:
                break
            if self._is_boundary(text, start, match.start(), match.group(), rest):
                sentence = text[start:end].strip()
                if sentence:
                    sentences.append(sentence)
                start = end
        tail = text[start:].strip()
        if tail:
            sentences.append(tail)
        return sentences

    def _is_boundary(self, text: str, start: int, stop: int, terminator: str, rest: int) -> bool:
        """Whether ``terminator`` (at ``stop``) ends the sentence begun at ``start``; the next one
        would begin at ``rest``."""
        if terminator[0] in "。！？":
            return True
        if not _opens_sentence(text[rest : rest + 6]):
            return False
        if terminator != ".":
            # "!", "?", an ellipsis, or a full stop inside closing quotes/brackets: "... home." He
            return True
        token = _STRIP_OPENERS.sub("", _last_word(text, start, stop))
        if not token:
            return True
        if _AGENCY.match(token):
            return False
        low = token.lower()
        if low in self._titles:
            return False
        ambiguous = (
            low in self._abbreviations
            or _DOTTED.match(token) is not None
            or (len(token) == 1 and token.isupper())
            or (self._ordinal_dot and token.isdigit() and len(token) <= 2)
        )
        if not ambiguous:
            return True
        openers = _OPENER_RUN.match(text, rest)
        after = openers.end() if openers is not None else rest
        if text.startswith(" ", after):
            after += 1
        if text[after : after + 1].isdigit():
            return False
        word = _FIRST_WORD.match(text, after)
        if word is None or text.startswith(".", word.end()):
            return False  # another initial or abbreviation follows: "J. R. Jones", "В. В. Путин"
        return word.group().lower() in self._starters


def _last_word(text: str, start: int, stop: int) -> str:
    """The last space-separated word of ``text[start:stop]`` ("" when there is none)."""
    while stop > start and text[stop - 1] == " ":
        stop -= 1
    return text[max(start, text.rfind(" ", start, stop) + 1) : stop]


@lru_cache(maxsize=64)
def splitter_for(language: str) -> SentenceSplitter:
    return SentenceSplitter(language)


def split_sentences(text: str, language: str = "english") -> list[str]:
    """All sentences of ``text`` in order (``language`` is a sumy name such as "english")."""
    return [s for paragraph in splitter_for(language).paragraphs(text) for s in paragraph]
