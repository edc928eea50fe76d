"""The summarisation methods selectable by name, each returning a ranking of sentence indices."""

from __future__ import annotations

from collections.abc import Callable

from newsdigest.errors import SummariseError
from newsdigest.summarisation.document import Document
from newsdigest.summarisation.sumy_methods import SUMY_CLASSES, load_sumy_method, rank_with_sumy

#: (document, expected summary size in sentences) -> all sentence indices, best first.
Ranker = Callable[[Document, int], list[int]]

DEFAULT_METHOD = "default"
LEAD_METHOD = "lead"

#: Every valid method name: ours, the lead baseline and each sumy algorithm.
METHODS: tuple[str, ...] = (DEFAULT_METHOD, LEAD_METHOD, *SUMY_CLASSES)

#: Accepted spellings beyond the canonical names (sumy's class-like names, separators).
_ALIASES = {
    "lex_rank": "lexrank",
    "lex-rank": "lexrank",
    "text_rank": "textrank",
    "text-rank": "textrank",
    "sum_basic": "sumbasic",
    "sum-basic": "sumbasic",
    "kl-sum": "kl",
    "klsum": "kl",
    "lead-3": "lead",
    "lead3": "lead",
}


def canonical_method(method: str) -> str:
    """The canonical name for ``method``; :class:`SummariseError` listing valid names otherwise."""
    key = method.strip().lower() if isinstance(method, str) else ""
    key = _ALIASES.get(key, key)
    if key not in METHODS:
        raise SummariseError(
            f"unknown summarisation method {method!r}; valid methods: {', '.join(METHODS)}",
            reason="unknown_method",
        )
    return key


#: Methods written here in pure Python: they run wherever newsdigest does.
BUILT_IN = (DEFAULT_METHOD, LEAD_METHOD)


def check_available(method: str) -> None:
    """Raise :class:`SummariseError` (``missing_dependency``) when ``method`` needs a package that is
    not installed; importing what it needs is the test (a found module may still fail to import)."""
    if method not in BUILT_IN:
        load_sumy_method(method)


def _rank_lead(document: Document, expected: int) -> list[int]:
    return list(range(len(document.sentences)))


def ranker_for(method: str) -> Ranker:
    if method == DEFAULT_METHOD:
        from newsdigest.summarisation.default import rank_default

        return rank_default
    if method == LEAD_METHOD:
        return _rank_lead
    return lambda document, expected: rank_with_sumy(method, document)
