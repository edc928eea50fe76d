"""How long a summary should be: a sentence count, a ratio of the article, or a word budget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsdigest.errors import SummariseError

#: Default length bounds: three sentences is the news-highlight convention (CNN/DailyMail), and a
#: long feature should still be summarised in a paragraph, not a page.
DEFAULT_MIN_SENTENCES = 3
DEFAULT_MAX_SENTENCES = 7
#: With no length given, about one sentence in five is kept, within the bounds above.
DEFAULT_RATIO = 0.2


@dataclass(frozen=True, slots=True)
class LengthPlan:
    """Resolved length. ``words`` set means a word budget; otherwise ``sentences`` is the count."""

    sentences: int
    words: int | None
    basis: str  # "sentences", "ratio", "words" or "default"
    requested: float | int | None

    def parameters(self) -> dict[str, Any]:
        data: dict[str, Any] = {"length_basis": self.basis}
        if self.basis == "ratio":
            data["ratio"] = self.requested
        if self.words is not None:
            data["words"] = self.words
        else:
            data["sentences"] = self.sentences
        return data


def _bad(message: str) -> SummariseError:
    return SummariseError(message, reason="invalid_length")


def check_length(*, sentences: object, ratio: object, words: object) -> None:
    """Raise :class:`SummariseError` (``invalid_length``) unless the length arguments are usable:
    at most one given, a positive integer count, a ratio in (0, 1], a positive integer word budget."""
    given = [
        name
        for name, value in (("sentences", sentences), ("ratio", ratio), ("words", words))
        if value is not None
    ]
    if len(given) > 1:
        raise _bad(f"give at most one of sentences, ratio and words (got {', '.join(given)})")
    if sentences is not None and (
        isinstance(sentences, bool) or not isinstance(sentences, int) or sentences < 1
    ):
        raise _bad(f"sentences must be a positive integer, got {sentences!r}")
    if ratio is not None and (
        isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 < ratio <= 1
    ):
        raise _bad(f"ratio must be a number in (0, 1], got {ratio!r}")
    if words is not None and (isinstance(words, bool) or not isinstance(words, int) or words < 1):
        raise _bad(f"words must be a positive integer, got {words!r}")


def resolve_length(
    total_sentences: int, *, sentences: int | None, ratio: float | None, words: int | None
) -> LengthPlan:
    """Turn the caller's length arguments into a plan for an article of ``total_sentences``.

    At most one of ``sentences``, ``ratio`` and ``words`` may be given. A ratio keeps
    ``round(ratio * total_sentences)`` sentences (at least one); without any, the default keeps about
    a fifth of the sentences, at least 3 and at most 7.
    """
    check_length(sentences=sentences, ratio=ratio, words=words)
    if sentences is not None:
        return LengthPlan(sentences=sentences, words=None, basis="sentences", requested=sentences)
    if ratio is not None:
        count = max(1, round(ratio * total_sentences))
        return LengthPlan(sentences=count, words=None, basis="ratio", requested=float(ratio))
    if words is not None:
        return LengthPlan(sentences=total_sentences, words=words, basis="words", requested=words)
    count = min(DEFAULT_MAX_SENTENCES, max(DEFAULT_MIN_SENTENCES, round(DEFAULT_RATIO * total_sentences)))
    return LengthPlan(sentences=count, words=None, basis="default", requested=None)
