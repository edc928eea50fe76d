"""Safe fetching of untrusted URLs from inside a customer's AWS account.

``fetch_url(url, settings, *, resolver=None, sleep=None, robots_cache=None, connect_override=None)``
returns a :class:`FetchResult` or raises with a stable ``reason``:

Permanent (``FetchError``; record the item as failed):
  ``bad_url``, ``scheme_not_allowed``, ``address_not_allowed``, ``dns_failed`` (NXDOMAIN, no or
  garbage answers), ``too_many_redirects``, ``too_large``, ``decompression_bomb``,
  ``content_type_not_allowed``, ``content_encoding_not_allowed``, ``robots_disallowed``,
  ``http_error`` (4xx other than 408/429, 3xx without Location), ``bad_redirect`` (a Location that
  is no URL at all, such as ``http://[``), ``tls_error``, ``bad_response`` (malformed HTTP or corrupt
  compressed body).

Transient (``TransientError``, ``permanent = False``; let SQS redeliver), raised only after the
bounded retries: ``http_error`` (408/429/5xx), ``timeout`` (connect/read timeout or the overall
``total_timeout`` deadline), ``connect_failed``, ``dns_failed`` (EAI_AGAIN), ``robots_unavailable``
(robots.txt answered 5xx or could not be reached: RFC 9309 says assume "disallow" for now).

Only http(s) to public addresses (every resolved address checked, every redirect re-checked, the
checked address dialled with the URL's Host/SNI), bounded size, time and decompression, HTML only,
backoff on 429/5xx honouring a capped Retry-After, robots.txt honoured by default.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdigest.fetch.client import FetchResult, Validators, fetch_url
    from newsdigest.fetch.robots import RobotsCache

__all__ = ["FetchResult", "RobotsCache", "Validators", "fetch_url"]

#: Loaded on first use (PEP 562): the settings read ``newsdigest.fetch.policy`` in every function, and
#: a function that never fetches (Summarise, Read; Ingest for uploads) must not pay for the HTTP
#: client, TLS and robots.txt modules at its cold start.
_HOMES = {
    "FetchResult": "newsdigest.fetch.client",
    "Validators": "newsdigest.fetch.client",
    "fetch_url": "newsdigest.fetch.client",
    "RobotsCache": "newsdigest.fetch.robots",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
