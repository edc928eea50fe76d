"""What discovery reads from a robots.txt beyond allow/disallow: ``Crawl-delay`` and ``Sitemap:`` lines.

Works with whichever parser the fetcher's rules come from (the standard library's ``RobotFileParser``
and Protego name these differently).
"""

from __future__ import annotations

from typing import Any


def crawl_delay(rules: Any, user_agent: str) -> float | None:
    method = getattr(rules, "crawl_delay", None)
    if method is None:
        return None
    try:
        delay = method(user_agent)
    except (TypeError, ValueError):
        return None
    if delay is None:
        return None
    try:
        seconds = float(delay)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None


def sitemap_urls(rules: Any) -> list[str]:
    found: Any = None
    if callable(getattr(rules, "site_maps", None)):  # urllib.robotparser
        found = rules.site_maps()
    elif hasattr(rules, "sitemaps"):  # Protego
        found = rules.sitemaps
    return [str(url) for url in (found or []) if isinstance(url, str)]
