"""What a command-line SOURCE names, and reading it within the same size limit the pipeline applies.

A SOURCE is an http(s) URL, a path, or ``-`` for standard input. Anything else written as a URL
(``file://``, ``ftp://``, ``s3://``) is refused as an unsupported scheme rather than looked up as a
path that does not exist. Reads stop at ``FETCH_MAX_BYTES`` (the limit Ingest applies to uploads and
the fetcher to responses), so ``extract`` refuses exactly what ``run`` would.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import BinaryIO, Literal

from newsdigest.errors import InputError

STDIN = "-"
SourceKind = Literal["url", "stdin", "path"]
FETCHED_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
#: Reason codes: the same as the pipeline records for the same refusal.
TOO_LARGE = "too_large"
UNSUPPORTED_SCHEME = "unsupported_scheme"
UNREADABLE = "unreadable"
#: Said beside a refusal of a loopback or private address (reason ``address_not_allowed``).
PRIVATE_ADDRESS_HINT = (
    "for local testing, pass --allow-private-addresses (or set FETCH_ALLOW_PRIVATE_ADDRESSES=true)"
)


def source_kind(source: str) -> SourceKind:
    """``url`` for http(s), ``stdin`` for ``-``, ``path`` otherwise; other schemes raise ``InputError``."""
    if source == STDIN:
        return "stdin"
    match = _SCHEME.match(source)
    if match is None:
        return "path"
    scheme = match.group(1).lower()
    if scheme in FETCHED_SCHEMES:
        return "url"
    raise InputError(
        f"unsupported scheme {scheme[:20]!r}: only http(s) URLs are fetched; name a local file by its path",
        reason=UNSUPPORTED_SCHEME,
    )


def read_limited(stream: BinaryIO, *, max_bytes: int, what: str) -> bytes:
    body = stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise InputError(f"{what} is over the {max_bytes}-byte limit (FETCH_MAX_BYTES)", reason=TOO_LARGE)
    return body


def read_input(source: str, *, max_bytes: int, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of a path or of standard input (``-``), at most ``max_bytes``.

    Raises ``InputError`` with reason ``too_large``, ``unsupported_scheme`` or ``unreadable``; a URL is
    the fetcher's business and is refused here too (``unsupported_scheme``).
    """
    kind = source_kind(source)
    if kind == "url":
        raise InputError(f"{source} is a URL, not a file", reason=UNSUPPORTED_SCHEME)
    if kind == "stdin":
        return read_limited(stdin or sys.stdin.buffer, max_bytes=max_bytes, what="standard input")
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path} is {size} bytes, over the {max_bytes}-byte limit (FETCH_MAX_BYTES)", reason=TOO_LARGE
            )
        with path.open("rb") as handle:
            return read_limited(handle, max_bytes=max_bytes, what=str(path))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", reason=UNREADABLE) from exc


def hint_for(reason: str | None) -> str:
    """What to do about a refusal, where there is something to say (else ``""``)."""
    return PRIVATE_ADDRESS_HINT if reason == "address_not_allowed" else ""
