"""Summary options a caller may give with an input: a method and one length.

They come as ``"summary": {"method": "lexrank", "sentences": 5}`` in a URL request (direct invoke or
the HTTP API), as object metadata on a raw upload (``x-amz-meta-summary-method``,
``x-amz-meta-summary-sentences``, ``-ratio`` or ``-words``), or from the command line; they travel in
the clean-article document to Summarise, where they override the deployment's defaults
(``SummaryMethod`` and the length parameters of the template). Validation here is what can be known
without the article: a method of the registry and a usable length. Whether the deployment has what
the method needs is Summarise's to say (:func:`newsdigest.summarisation.methods.check_available`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from newsdigest.errors import SummariseError
from newsdigest.summarisation.length import check_length
from newsdigest.summarisation.methods import canonical_method

T = TypeVar("T")

#: The keys of a ``"summary"`` object; anything else is refused rather than silently ignored.
FIELDS = ("method", "sentences", "ratio", "words")
LENGTH_FIELDS = FIELDS[1:]
#: Object metadata names for raw uploads (S3 lower-cases them; ``x-amz-meta-`` is S3's prefix).
METADATA_PREFIX = "summary-"


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """Options given with one input; ``None`` fields fall back to the deployment's settings."""

    method: str | None = None
    sentences: int | None = None
    ratio: float | None = None
    words: int | None = None

    def __post_init__(self) -> None:
        if self.method is not None:
            object.__setattr__(self, "method", canonical_method(self.method))
        check_length(sentences=self.sentences, ratio=self.ratio, words=self.words)

    @property
    def has_length(self) -> bool:
        return any(getattr(self, name) is not None for name in LENGTH_FIELDS)

    def to_dict(self) -> dict[str, Any]:
        """Only what was given: the form stored in the clean-article document."""
        return {name: getattr(self, name) for name in FIELDS if getattr(self, name) is not None}

    def over(self, defaults: SummaryOptions) -> SummaryOptions:
        """These options with ``defaults`` filling what is unset; a length replaces the default length
        whole (a request for a ratio must not meet a deployment's sentence count)."""
        length = self if self.has_length else defaults
        return SummaryOptions(
            method=self.method or defaults.method,
            sentences=length.sentences,
            ratio=length.ratio,
            words=length.words,
        )

    @classmethod
    def from_request(cls, value: Any) -> SummaryOptions:
        """From the ``"summary"`` member of a JSON request (None or absent: no options)."""
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            example = '{"method": "lexrank", "sentences": 5}'
            raise _bad(f'"summary" must be an object such as {example}, got {value!r}')
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            names = ", ".join(map(repr, unknown))
            raise _bad(f'unknown "summary" option(s) {names}; expected {", ".join(FIELDS)}')
        method = value.get("method")
        if method is not None and not isinstance(method, str):
            raise SummariseError(f"method must be a string, got {method!r}", reason="unknown_method")
        return cls(
            method=method,
            sentences=value.get("sentences"),
            ratio=value.get("ratio"),
            words=value.get("words"),
        )

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, str]) -> SummaryOptions:
        """From a raw upload's object metadata (``summary-method``, ``summary-sentences``, ...)."""
        values = {
            key[len(METADATA_PREFIX) :]: value.strip()
            for key, value in metadata.items()
            if key.lower().startswith(METADATA_PREFIX)
        }
        unknown = sorted(set(values) - set(FIELDS))
        if unknown:
            names = ", ".join(METADATA_PREFIX + u for u in unknown)
            expected = ", ".join(METADATA_PREFIX + f for f in FIELDS)
            raise _bad(f"unknown summary metadata {names}; expected {expected}")
        return cls(
            method=values.get("method") or None,
            sentences=_parsed("sentences", values.get("sentences"), int, "a positive integer"),
            ratio=_parsed("ratio", values.get("ratio"), float, "a number in (0, 1]"),
            words=_parsed("words", values.get("words"), int, "a positive integer"),
        )

    def to_metadata(self) -> dict[str, str]:
        return {METADATA_PREFIX + name: str(value) for name, value in self.to_dict().items()}


def _bad(message: str) -> SummariseError:
    return SummariseError(message, reason="bad_summary_options")


def _parsed(name: str, text: str | None, kind: Callable[[str], T], expected: str) -> T | None:
    """``text`` (an S3 metadata value) as ``kind``; absent or empty is None."""
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        message = f"{name} must be {expected}, got {text!r}"
        raise SummariseError(message, reason="invalid_length") from None
