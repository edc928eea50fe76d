"""Article extraction: bytes or text of one HTML page in, :class:`~newsdigest.models.Article` out."""

from __future__ import annotations

from newsdigest.extract.article import extract_article

__all__ = ["extract_article"]
