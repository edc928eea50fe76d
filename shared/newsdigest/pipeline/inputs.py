"""Where an input came from, and the stable article id derived from it.

One input (a URL, or an uploaded object) always maps to the same ``article_id``, so re-deliveries,
re-runs and failures followed by successes all land on one DynamoDB item.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

SourceKind = Literal["url", "s3"]

#: Upload metadata (``x-amz-meta-source-url``) naming the page an uploaded file came from.
SOURCE_URL_METADATA = "source-url"


def normalise_url(url: str) -> str:
    """Case-fold scheme and host and drop the fragment: the same page, however it was written."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower()
    if (parts.scheme.lower(), netloc.rsplit(":", 1)[-1]) in {("http", "80"), ("https", "443")}:
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


@dataclass(frozen=True, slots=True)
class Source:
    kind: SourceKind
    ref: str  # normalised URL, or s3://bucket/key
    url: str | None = None  # the page's own URL when known (fetched, or given as upload metadata)

    @property
    def article_id(self) -> str:
        return hashlib.sha256(self.ref.encode("utf-8")).hexdigest()[:32]

    @classmethod
    def from_url(cls, url: str) -> Source:
        normal = normalise_url(url)
        return cls(kind="url", ref=normal, url=url)

    @classmethod
    def from_s3(cls, bucket: str, key: str, *, page_url: str | None = None) -> Source:
        """An upload that names its page URL (object metadata ``source-url``) is that page."""
        if page_url:
            return cls(kind="s3", ref=normalise_url(page_url), url=page_url)
        return cls(kind="s3", ref=f"s3://{bucket}/{key}", url=None)
