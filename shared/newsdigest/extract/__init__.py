"""Article extraction: bytes or text of one HTML page in, :class:`~newsdigest.models.Article` out.

The extractor (lxml and its passes) is imported on first use of :func:`extract_article`, so modules of
this package that other packages need on their own (``dateline``, which the summariser uses to leave
datelines out of summaries) cost a Summarise cold start nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdigest.extract.article import extract_article

__all__ = ["extract_article"]


def __getattr__(name: str) -> Any:
    if name == "extract_article":
        from newsdigest.extract.article import extract_article

        return extract_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
