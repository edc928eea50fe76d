"""The ``{"urls": [...]}`` request accepted by direct invoke and the HTTP API."""

from __future__ import annotations

from typing import Any

from newsdigest.errors import InputError

#: Each URL is fetched synchronously inside one invocation; more than this belongs in a batch upload.
MAX_URLS_PER_REQUEST = 10


def parse_url_request(payload: Any) -> list[str]:
    if not isinstance(payload, dict) or "urls" not in payload:
        raise InputError('expected a JSON object {"urls": ["https://..."]}', reason="bad_request")
    urls = payload["urls"]
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not urls:
        raise InputError('"urls" must be a non-empty list of strings', reason="bad_request")
    if len(urls) > MAX_URLS_PER_REQUEST:
        raise InputError(
            f"at most {MAX_URLS_PER_REQUEST} URLs per request, got {len(urls)}", reason="bad_request"
        )
    if not all(isinstance(u, str) and u.strip() for u in urls):
        raise InputError('every entry of "urls" must be a non-empty string', reason="bad_request")
    # Order kept, duplicates dropped: one request asking twice for a page still fetches it once.
    return list(dict.fromkeys(u.strip() for u in urls))
