"""RSS 0.9x/1.0/2.0 and Atom through feedparser; JSON Feed 1.0/1.1 through the JSON parser.

feedparser (the standard feed library, also under trafilatura and newspaper) reads every RSS dialect
and Atom, tolerates the malformed feeds the web is full of, and normalises dates. It is imported here
only, on the first feed of a run: it ships with the Discover function alone, never in Ingest's or
Summarise's cold start. It is always handed a byte stream, never a string: feedparser fetches strings
that look like URLs and opens strings that look like paths.
"""

from __future__ import annotations

import calendar
import io
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from newsdigest.discovery import limits
from newsdigest.discovery.candidates import Candidate, parse_w3c_datetime
from newsdigest.discovery.documents import DocumentError, refuse_entity_declarations


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_link(entry: Any) -> str | None:
    for link in entry.get("links") or ():
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    link = entry.get("link")
    if link:
        return str(link)
    guid = entry.get("id")  # RSS guid isPermaLink (feedparser's default) names the page
    if isinstance(guid, str) and guid.startswith(("http://", "https://")):
        return guid
    return None


def parse_feed(body: bytes, base_url: str) -> list[Candidate]:
    """Entry links of an RSS or Atom feed, resolved against the feed's URL, with their dates."""
    import feedparser

    refuse_entity_declarations(body)
    parsed = feedparser.parse(
        io.BytesIO(body),
        resolve_relative_uris=False,
        sanitize_html=False,
        response_headers={"content-location": base_url},
    )
    version = parsed.get("version") or ""
    if not parsed.entries and not version:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "not a feed")()
        raise DocumentError(f"not an RSS or Atom feed: {reason}", reason="not_a_feed")
    candidates = []
    for entry in parsed.entries[: limits.MAX_ENTRIES_PER_DOCUMENT]:
        link = _entry_link(entry)
        if not link:
            continue
        when = _struct_to_datetime(entry.get("published_parsed") or entry.get("updated_parsed"))
        candidates.append(Candidate(urljoin(base_url, link.strip()), when))
    return candidates


def parse_json_feed(body: bytes, base_url: str) -> list[Candidate]:
    """JSON Feed (jsonfeed.org): ``items[].url`` (or ``external_url``) and ``date_published``."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise DocumentError(f"JSON Feed is not JSON: {exc}", reason="not_a_feed") from exc
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DocumentError("JSON Feed has no items list", reason="not_a_feed")
    candidates = []
    for item in items[: limits.MAX_ENTRIES_PER_DOCUMENT]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.strip():
            continue
        when = item.get("date_published") or item.get("date_modified")
        candidates.append(
            Candidate(
                urljoin(base_url, link.strip()), parse_w3c_datetime(when if isinstance(when, str) else None)
            )
        )
    return candidates
