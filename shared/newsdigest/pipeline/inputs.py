"""Where an input came from, and the stable article id derived from it.

One input (a URL, or an uploaded object) always maps to the same ``article_id``, so re-deliveries,
re-runs and failures followed by successes all land on one DynamoDB item. URLs are keyed on their
canonical form (:mod:`newsdigest.discovery.canonical`), the same one discovery's seen-URL records use, so
a page named with and without ``?utm_source=`` (by a user, a feed or an upload's metadata) is one item.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from newsdigest.discovery.canonical import canonical_url

SourceKind = Literal["url", "s3"]

#: Upload metadata (``x-amz-meta-source-url``) naming the page an uploaded file came from.
SOURCE_URL_METADATA = "source-url"

_ARTICLE_ID = re.compile(r"[0-9a-f]{32}")


def is_article_id(value: object) -> bool:
    """An id as :attr:`Source.article_id` makes them (32 lowercase hex digits)."""
    return isinstance(value, str) and _ARTICLE_ID.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class Source:
    kind: SourceKind
    ref: str  # canonical URL, or s3://bucket/key
    url: str | None = None  # the page's own URL when known (fetched, or given as upload metadata)

    @property
    def article_id(self) -> str:
        # surrogatepass: a JSON request may carry lone surrogates (\ud800); they still name one input.
        return hashlib.sha256(self.ref.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    @classmethod
    def from_url(cls, url: str) -> Source:
        return cls(kind="url", ref=canonical_url(url), url=url)

    @classmethod
    def for_request(cls, url: str) -> Source:
        """A URL someone asked for, even one that does not parse (``http://[``): that one is its own
        reference, so its failure still lands on an item of its own. Never raises."""
        try:
            return cls.from_url(url)
        except ValueError:
            return cls(kind="url", ref=url, url=url)

    @classmethod
    def from_s3(cls, bucket: str, key: str, *, page_url: str | None = None) -> Source:
        """An upload that names its page URL (object metadata ``source-url``) is that page."""
        if page_url:
            return cls(kind="s3", ref=canonical_url(page_url), url=page_url)
        return cls(kind="s3", ref=f"s3://{bucket}/{key}", url=None)
