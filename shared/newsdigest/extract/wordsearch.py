"""Fast answers to "does this class or id string contain any of these words?".

The vocabulary's word lists are plain words, or alternations of plain words (``cookie|consent|...``).
Python's regular expressions try every alternative at every position of the string, and under ``re.I``
compare every character case-folded: with ~200 different class strings on a page, asked by several
passes, these tests were the largest cost of judging a page's markup (about 7 µs per string for the
105 furniture substrings). The same words as a trie (common prefixes factored: ``a(?:d|side)``),
searched case-sensitively in the lower-cased string, answer the same question several times faster.

Only the truth of the answer is kept: a search stops at the first word found, so a word that another
word starts with is left out of the trie. A pattern that is not plain words is searched as it is.

A trie is built only once its test has been asked ``thresholds.TRIE_AFTER_CALLS`` times; until then
the plain form answers. Compiling the 14 tries was the largest part of the extractor's import (about
40 M instructions of an Ingest cold start, ``benchmarks/coldstart.py --instructions``: Python's
regular-expression compiler runs slowly in a fresh interpreter), while a page asks each test tens to a
few hundred times, and the plain form costs 0.1 to 4 µs more per question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from newsdigest.extract import thresholds as T

Test = Callable[[str], bool]
_Node = dict[str, "_Node"]

# One alternative of a plain-word alternation: word characters, hyphens, spaces and escaped symbols.
_PLAIN_WORD = re.compile(r"(?:[\w\- ]|\\[^\w])+", re.ASCII)
_ESCAPE = re.compile(r"\\(.)")


def contains_any(words: re.Pattern[str] | Iterable[str], *, trie_after: int | None = None) -> Test:
    """A test equal to ``bool(words.search(text))`` for a pattern, or to ``any(w in text for w in
    words)`` for plain words (case-sensitive, as ``in`` is). The trie form takes over after
    ``trie_after`` calls (``thresholds.TRIE_AFTER_CALLS``; 0: from the first)."""
    after = T.TRIE_AFTER_CALLS if trie_after is None else trie_after
    if not isinstance(words, re.Pattern):
        listed = list(words)
        return _tiered(lambda text: any(w in text for w in listed), lambda: _found_by(_trie(listed)), after)
    original = words.search
    alternatives = words.pattern.split("|")
    if not all(_PLAIN_WORD.fullmatch(a) for a in alternatives) or words.flags & ~(re.I | re.U):
        return lambda text: original(text) is not None
    plain = [_ESCAPE.sub(r"\1", a) for a in alternatives]

    def trie_test() -> Test:
        if not words.flags & re.I:
            return _found_by(_trie(plain))
        # Lower-casing is case-insensitive matching only for ASCII: Unicode folds a few other letters
        # onto ASCII ones (the Kelvin sign onto "k"), so other strings go to the original pattern.
        lower = _trie([p.lower() for p in plain]).search
        return lambda text: (lower(text.lower()) if text.isascii() else original(text)) is not None

    return _tiered(lambda text: original(text) is not None, trie_test, after)


def _found_by(pattern: re.Pattern[str]) -> Test:
    search = pattern.search
    return lambda text: search(text) is not None


def _tiered(plain: Test, build: Callable[[], Test], after: int) -> Test:
    """``plain`` until the ``after``-th call, which builds the test ``build`` makes: it answers that
    call and every later one."""
    if after <= 0:
        return build()
    left = after
    current = plain

    def test(text: str) -> bool:
        nonlocal left, current
        if left:
            left -= 1
            if not left:
                current = build()
        return current(text)

    return test


def _trie(words: list[str]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")  # no word: nothing is found
    root: _Node = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_emit(root))


def _emit(node: _Node) -> str:
    if "" in node:
        return ""  # a word ends here: longer words through this node find nothing more
    branches = [re.escape(char) + _emit(child) for char, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
