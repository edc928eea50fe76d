"""A URL a source lists as a possible article, with the date it gives, and the newest-first order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdigest.discovery import limits


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str  # absolute, as listed (canonicalised later, once, by the run)
    #: Publication date or last modification the document states; None when it gives none.
    published: datetime | None = None


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """Sitemaps' and JSON Feed's W3C datetimes (``2024-05-11``, ``2024-05-11T08:00:00+03:00``, ``...Z``)."""
    if not value:
        return None
    text = value.strip()[:40]
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def newest_first(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Dated entries newest first, then undated ones in document order (feeds list newest first)."""
    listed = [c for c in candidates if len(c.url) <= limits.MAX_URL_LENGTH]
    dated = sorted((c for c in listed if c.published), key=lambda c: c.published or 0, reverse=True)
    return dated + [c for c in listed if not c.published]
