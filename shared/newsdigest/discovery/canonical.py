"""The one canonical form of an article URL: what ``article_id``, the seen-URL record and the queue use.

w3lib (Scrapy's URL library) does the general part: scheme and host case, percent-encoding made
uniform, dot segments resolved, query arguments sorted, fragment dropped. On top of it only the
default port and user-info are stripped and the tracking parameters removed, so that ``?utm_source=``
and ``?fbclid=`` variants of one page are one item. Canonicalising is idempotent:
``canonical_url(canonical_url(u)) == canonical_url(u)``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

#: Query parameters that say how a reader arrived, never which page they asked for (analytics and ad
#: click ids of Google, Meta, Microsoft, Mailchimp, HubSpot, Marketo, Yandex, Instagram, X). Every
#: other parameter is kept: on news sites ``?id=`` or ``?p=`` often *is* the article.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "yclid",
        "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "_ga", "_gl",
    }
)  # fmt: skip
#: Parameter families named by prefix: Google Analytics campaign tags (utm_source, utm_medium, ...).
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of ``url``; ``ValueError`` when it cannot be parsed as a URL at all."""
    text = url.strip()
    if not text:
        raise ValueError("empty URL")
    query = urlsplit(text).query
    if query:
        tracking = [name for name, _ in parse_qsl(query, keep_blank_values=True) if _is_tracking(name)]
        if tracking:
            text = url_query_cleaner(text, tracking, remove=True, keep_fragments=True)
    parts = urlsplit(canonicalize_url(text, keep_fragments=False))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port  # ValueError for a port out of range, as for any unparseable URL
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
