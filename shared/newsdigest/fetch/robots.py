"""robots.txt (RFC 9309) checks with a small per-process cache.

The file is fetched through the same guarded client as pages (address policy, redirects re-checked,
deadline), so robots.txt can never be used to reach an address a page could not.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class Rules(Protocol):
    def can_fetch(self, useragent: str, url: str) -> bool: ...


class _AllowAll:
    def can_fetch(self, useragent: str, url: str) -> bool:
        return True


def rules_from_response(status: int | None, body: bytes) -> Rules:
    """RFC 9309 section 2.3.1: 2xx parse; 4xx "unavailable" means allow; 5xx "unreachable" is
    handled by the caller (it raises TransientError before we get here)."""
    if status is None or not 200 <= status < 300:
        return _AllowAll()
    return _Protego(body.decode("utf-8", errors="replace"))


#: RFC 9309 section 2.2.1: the product token a group's user-agent line names.
_PRODUCT_TOKEN = re.compile(r"[a-zA-Z_-]+")


def product_token(useragent: str) -> str:
    """``"newsdigest"`` for ``"newsdigest/0.1 (+https://...)"``: what groups are matched against."""
    match = _PRODUCT_TOKEN.match(useragent.strip())
    return match.group() if match else useragent


class _Protego:
    """RFC 9309 rules parsed by protego (Scrapy's parser): the group of the longest matching product
    token (else ``*``), the longest matching rule within it (``Allow`` on a tie), ``*`` and ``$`` in
    paths, percent-encodings compared decoded. ``urllib.robotparser`` applies the first matching
    rule and reads ``*`` and ``$`` literally, so ``Disallow: /*.pdf$`` let ``/a/file.pdf`` through."""

    def __init__(self, text: str) -> None:
        from protego import Protego

        self._parser = Protego.parse(text)

    def can_fetch(self, useragent: str, url: str) -> bool:
        return bool(self._parser.can_fetch(url, product_token(useragent)))

    def crawl_delay(self, useragent: str) -> float | None:
        """Seconds between requests the group asks of ``useragent``, if any (discovery paces by it)."""
        return self._parser.crawl_delay(product_token(useragent))

    @property
    def sitemaps(self) -> list[str]:
        """The ``Sitemap:`` URLs, in order (discovery reads them)."""
        return list(self._parser.sitemaps)


class RobotsCache:
    """Rules per origin (``scheme://host:port``), bounded in size and age.

    One Lambda container serves many URLs from the same few news sites, so caching saves a request
    per item; the TTL keeps a long-lived container from enforcing day-old rules.
    """

    def __init__(
        self, *, ttl: float = 3600.0, max_entries: int = 512, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Rules]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, origin: str) -> Rules | None:
        with self._lock:
            entry = self._entries.get(origin)
            if entry is None:
                return None
            stored, rules = entry
            if self._clock() - stored > self._ttl:
                del self._entries[origin]
                return None
            self._entries.move_to_end(origin)
            return rules

    def put(self, origin: str, rules: Rules) -> None:
        with self._lock:
            self._entries[origin] = (self._clock(), rules)
            self._entries.move_to_end(origin)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


#: Shared by default across calls in one process (Lambda container).
DEFAULT_CACHE = RobotsCache()
