"""Where an input came from, and the stable article id derived from it.

One input (a URL, or an uploaded object) always maps to the same ``article_id``, so re-deliveries,
re-runs and failures followed by successes all land on one DynamoDB item. URLs are keyed on their
canonical form (:mod:`newsdigest.discovery.canonical`), the same one discovery's seen-URL records use, so
a page named with and without ``?utm_source=`` (by a user, a feed or an upload's metadata) is one item.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from newsdigest.discovery.canonical import canonical_url

SourceKind = Literal["url", "s3"]

#: Upload metadata (``x-amz-meta-source-url``) naming the page an uploaded file came from.
SOURCE_URL_METADATA = "source-url"


@dataclass(frozen=True, slots=True)
class Source:
    kind: SourceKind
    ref: str  # canonical URL, or s3://bucket/key
    url: str | None = None  # the page's own URL when known (fetched, or given as upload metadata)

    @property
    def article_id(self) -> str:
        return hashlib.sha256(self.ref.encode("utf-8")).hexdigest()[:32]

    @classmethod
    def from_url(cls, url: str) -> Source:
        return cls(kind="url", ref=canonical_url(url), url=url)

    @classmethod
    def from_s3(cls, bucket: str, key: str, *, page_url: str | None = None) -> Source:
        """An upload that names its page URL (object metadata ``source-url``) is that page."""
        if page_url:
            return cls(kind="s3", ref=canonical_url(page_url), url=page_url)
        return cls(kind="s3", ref=f"s3://{bucket}/{key}", url=None)
