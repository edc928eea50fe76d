"""What a digest holds: the summarised articles of one site or all, of one UTC day or the latest N."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newsdigest.reading.atom import FeedInfo
from newsdigest.reading.query import MAX_LIMIT, ArticleQuery, QueryError, parse_day, parse_limit

#: Entries of a "latest" digest when the reader names no number.
DEFAULT_LAST = 20


@dataclass(frozen=True, slots=True)
class Digest:
    query: ArticleQuery
    info: FeedInfo


def digest_request(params: Mapping[str, str | None], *, self_url: str | None = None) -> Digest:
    """From ``site``, ``day`` (YYYY-MM-DD, UTC) and ``last`` (how many); only summarised articles."""
    unknown = sorted(set(params) - {"site", "day", "last"})
    if unknown:
        raise QueryError(f"unknown parameter {unknown[0]!r}; expected day, last, site")
    day = (params.get("day") or "").strip() or None
    since = until = None
    if day:
        since, until = parse_day(day)
    last = parse_limit(params.get("last"), default=MAX_LIMIT if day else DEFAULT_LAST, name="last")
    listing = ArticleQuery.from_params({"site": params.get("site"), "status": "ok"})
    query = ArticleQuery(site=listing.site, since=since, until=until, status="ok", limit=last)
    scope = query.site or "all sites"
    when = day or "latest"
    title = f"newsdigest: {scope}, {day}" if day else f"newsdigest: {scope}, latest {last}"
    info = FeedInfo(
        title=title,
        key=f"{query.site or '*'}/{when}",
        self_url=self_url,
        subtitle="Extractive summaries of news articles, each linking to its source",
    )
    return Digest(query, info)
