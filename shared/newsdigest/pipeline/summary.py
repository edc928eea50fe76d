"""Summarise: one clean-article document in, one DynamoDB item out."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from newsdigest.aws.observability import MetricUnit, logger, metrics
from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import Storage
from newsdigest.errors import InputError, NewsdigestError
from newsdigest.pipeline.inputs import Source
from newsdigest.pipeline.outcomes import Outcome
from newsdigest.pipeline.records import failure_item, summary_item


def _parse_document(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise InputError(f"article document is not JSON: {exc}", reason="bad_document") from exc
    if not isinstance(document, dict) or not isinstance(document.get("article"), dict):
        raise InputError("article document has no 'article' object", reason="bad_document")
    for field in ("article_id", "source", "content_sha256"):
        if field not in document:
            raise InputError(f"article document lacks '{field}'", reason="bad_document")
    return document


class SummaryService:
    def __init__(self, settings: Settings, storage: Storage) -> None:
        self.settings = settings
        self.storage = storage

    def summarise_object(self, bucket: str, key: str) -> Outcome:
        from newsdigest.summarisation import summarise

        fallback_source = Source(kind="s3", ref=f"s3://{bucket}/{key}")
        fallback_id = PurePosixPath(key).stem
        try:
            stored = self.storage.get_object(bucket, key, max_bytes=4 * self.settings.fetch.max_bytes)
            document = _parse_document(stored.body)
        except NewsdigestError as exc:
            return self._failed(fallback_source, fallback_id, key, exc)
        article = document["article"]
        source_info = document["source"]
        source = Source(
            kind=source_info.get("kind", "s3"), ref=source_info["ref"], url=source_info.get("url")
        )
        try:
            summary = summarise(
                article.get("text") or "",
                language=article.get("language"),
                method=self.settings.summary_method,
                sentences=self.settings.summary_sentences,
                title=article.get("title"),
            )
        except NewsdigestError as exc:
            return self._failed(source, document["article_id"], key, exc, raw_key=source_info.get("raw_key"))
        item = summary_item(document, summary, source_key=key)
        written = self.storage.write_item(self.settings.table_name, item, replace_ok=True)
        if not written:
            logger.info("summary already stored for this content", extra={"article_id": item["article_id"]})
            return Outcome(article_id=item["article_id"], status="skipped", source_ref=source.ref, key=key)
        metrics.add_metric(name="SummariesStored", unit=MetricUnit.Count, value=1)
        logger.info("summary stored", extra={"article_id": item["article_id"], "method": summary.method})
        return Outcome(article_id=item["article_id"], status="summarised", source_ref=source.ref, key=key)

    def _failed(
        self, source: Source, article_id: str, key: str, exc: NewsdigestError, *, raw_key: str | None = None
    ) -> Outcome:
        item = failure_item(
            source,
            stage="summarise",
            reason=exc.reason,
            message=str(exc),
            article_id=article_id,
            raw_key=raw_key,
            source_key=key,
        )
        self.storage.write_item(self.settings.table_name, item, replace_ok=False)
        metrics.add_metric(name="SummariseFailures", unit=MetricUnit.Count, value=1)
        logger.warning("summarise failed", extra={"article_id": article_id, "reason": exc.reason})
        return Outcome(
            article_id=article_id, status="failed", source_ref=source.ref, reason=exc.reason, message=str(exc)
        )

    def record_give_up(self, bucket: str, key: str, exc: BaseException) -> None:
        reason = getattr(exc, "reason", type(exc).__name__)
        item = failure_item(
            Source(kind="s3", ref=f"s3://{bucket}/{key}"),
            stage="summarise",
            reason=f"retries_exhausted:{reason}",
            message=str(exc),
            article_id=PurePosixPath(key).stem,
            source_key=key,
        )
        self.storage.write_item(self.settings.table_name, item, replace_ok=False)
