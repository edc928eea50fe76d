"""The opaque paging cursor: where each partition of a query resumes, bound to the query it pages.

URL-safe base64 of compact JSON. It is opaque to clients but not secret: it holds only index keys of
items the caller may read anyway, and a cursor made for another query, altered, or of another version
is refused with a 400 rather than followed.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from newsdigest.reading.query import QueryError

CURSOR_VERSION = 1
#: Longer than any cursor this module makes (a few partitions of three short keys each).
MAX_CURSOR_CHARS = 4096


def encode(fingerprint: Mapping[str, Any], positions: Mapping[str, dict[str, Any] | None]) -> str:
    payload = {"v": CURSOR_VERSION, "q": dict(fingerprint), "p": dict(positions)}
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str, fingerprint: Mapping[str, Any]) -> dict[str, dict[str, Any] | None]:
    """The positions of a cursor made by :func:`encode` for the same query."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise QueryError("cursor is not one this API issued")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise QueryError("cursor is not one this API issued") from None
    if not isinstance(payload, dict) or payload.get("v") != CURSOR_VERSION:
        raise QueryError("cursor is not one this API issued")
    if payload.get("q") != dict(fingerprint):
        raise QueryError("cursor belongs to another query: repeat the same parameters with it")
    positions = payload.get("p")
    if not isinstance(positions, dict) or not all(
        value is None or (isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))
        for value in positions.values()
    ):
        raise QueryError("cursor is not one this API issued")
    return positions
