"""Shapes of what is stored: the clean-article document (S3) and the item (DynamoDB).

Pure functions; the storage module writes what these build.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from newsdigest.models import Article, Summary
from newsdigest.pipeline.fitting import MAX_ERROR_CHARS, fit_item
from newsdigest.pipeline.inputs import Source
from newsdigest.reading.keys import index_attributes

DOCUMENT_VERSION = 1


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def article_document(
    article: Article,
    source: Source,
    *,
    raw_key: str | None,
    summary_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The clean-article JSON. Deterministic for the same input, so a re-delivery writes identical bytes
    (same ETag and the same ``content_sha256``, which the summary item's conditional write compares).

    ``summary_options`` (given with the input: method, length) travel to Summarise here. They are part
    of what the digest covers, so asking again for the same page with other options summarises again,
    while the same request repeated does not.
    """
    body = article.to_dict()
    covered: dict[str, Any] = (
        {"article": body, "summary_options": summary_options} if summary_options else body
    )
    digest = hashlib.sha256(
        json.dumps(covered, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    document = {
        "version": DOCUMENT_VERSION,
        "article_id": source.article_id,
        "source": {"kind": source.kind, "ref": source.ref, "url": source.url, "raw_key": raw_key},
        "content_sha256": digest,
        "article": body,
    }
    if summary_options:
        document["summary_options"] = summary_options
    return document


def summary_item(document: dict[str, Any], summary: Summary, *, source_key: str) -> dict[str, Any]:
    """The summary item, fitted to DynamoDB's item limit (what was cut is in its ``notes``)."""
    article = document["article"]
    now = utc_now()
    source = document["source"]
    item = {
        "article_id": document["article_id"],
        "status": "ok",
        "url": source.get("url") or article.get("url") or article.get("canonical_url"),
        "source_ref": source["ref"],
        "raw_key": source.get("raw_key"),
        "source_key": source_key,
        "title": article.get("title"),
        "published": article.get("published"),
        "modified": article.get("modified"),
        "authors": article.get("authors") or [],
        "site_name": article.get("site_name"),
        "language": article.get("language"),
        "canonical_url": article.get("canonical_url"),
        "description": article.get("description"),
        "dateline": article.get("dateline"),
        "tags": article.get("tags") or [],
        "section": article.get("section"),
        "encoding": article.get("encoding"),
        "word_count": article.get("word_count", 0),
        "summary": list(summary.sentences),
        "algorithm": summary.method,
        "summary_language": summary.language,
        "summary_parameters": summary.parameters,
        "summary_note": summary.note,
        "content_sha256": document["content_sha256"],
        "reason": None,
        "notes": list(article.get("notes") or []),
        "created_at": now,
        "updated_at": now,
    }
    return fit_item({**item, **index_attributes(item)})


def failure_item(
    source: Source,
    *,
    stage: str,
    reason: str,
    message: str,
    raw_key: str | None = None,
    source_key: str | None = None,
    article_id: str | None = None,
) -> dict[str, Any]:
    """A failed item, fitted like every item (a 300 KB URL is cut, with a note)."""
    now = utc_now()
    item = {
        "article_id": article_id or source.article_id,
        "status": "failed",
        "url": source.url,
        "source_ref": source.ref,
        "raw_key": raw_key,
        "source_key": source_key,
        "stage": stage,
        "reason": reason,
        "error": message[:MAX_ERROR_CHARS],
        "created_at": now,
        "updated_at": now,
    }
    return fit_item({**item, **index_attributes(item)})
