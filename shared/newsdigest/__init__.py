"""newsdigest: news pages in, clean articles and extractive summaries out.

The public API is importable without AWS: :func:`extract_article` and :func:`summarise`.
Imports are deferred so a handler pays only for what its requests use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Article", "Summary", "extract_article", "summarise"]

if TYPE_CHECKING:
    from newsdigest.extract import extract_article
    from newsdigest.models import Article, Summary
    from newsdigest.summarisation import summarise


def __getattr__(name: str) -> Any:
    if name == "extract_article":
        from newsdigest.extract import extract_article

        return extract_article
    if name == "summarise":
        from newsdigest.summarisation import summarise

        return summarise
    if name in {"Article", "Summary"}:
        from newsdigest import models

        return getattr(models, name)
    raise AttributeError(name)
