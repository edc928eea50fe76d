"""Ingest: one raw page (uploaded object or URL) in, one clean-article document in S3 out.

Permanent problems (bad page, refused URL, not an article) end here as a failed item with its reason;
anything else propagates so the queue retries it and, at the end, dead-letters it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from newsdigest.aws.observability import MetricUnit, logger, metrics
from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import Storage
from newsdigest.errors import ExtractionError, NewsdigestError
from newsdigest.pipeline.inputs import SOURCE_URL_METADATA, Source
from newsdigest.pipeline.outcomes import Outcome
from newsdigest.pipeline.records import article_document, failure_item

if TYPE_CHECKING:
    from newsdigest.models import Article

#: Below this, a fetch cannot sensibly complete (connect, TLS, a first response).
MIN_FETCH_SECONDS = 2.0


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


class IngestService:
    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        *,
        fetcher: Callable[..., Any] | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self._fetcher = fetcher
        #: Uploads read but not yet stored, by (bucket, key): a give-up item must land on the article id
        #: a success would use, which the upload's metadata (its page URL) may decide.
        self._unfinished: dict[tuple[str, str], Source] = {}

    def ingest_object(self, bucket: str, key: str) -> Outcome:
        if bucket == self.settings.articles_bucket and key.startswith(self.settings.articles_prefix):
            # Belt and braces: the template never routes these here, but a loop would be expensive.
            raise NewsdigestError(
                f"refusing to ingest our own output s3://{bucket}/{key}", reason="own_output"
            )
        try:
            stored = self.storage.get_object(bucket, key, max_bytes=self.settings.fetch.max_bytes)
        except NewsdigestError as exc:
            return self._failed(Source.from_s3(bucket, key), exc, stage="read", raw_key=key)
        source = Source.from_s3(bucket, key, page_url=stored.metadata.get(SOURCE_URL_METADATA))
        self._unfinished[(bucket, key)] = source
        outcome = self._store(source, stored.body, http_charset=_charset_of(stored.content_type), raw_key=key)
        self._unfinished.pop((bucket, key), None)
        return outcome

    def ingest_urls(self, urls: list[str], *, seconds: float) -> list[Outcome]:
        """Fetch URLs one after another within a time budget (the caller's timeout, less a margin).

        Each fetch gets what is left of the budget at most; a URL the budget cannot reach is recorded
        as failed with reason ``deadline`` rather than left to be cut off by the platform.
        """
        deadline = time.monotonic() + seconds
        outcomes = []
        for url in urls:
            left = deadline - time.monotonic()
            if left < MIN_FETCH_SECONDS:
                exc = NewsdigestError("not attempted: the request's time budget ran out", reason="deadline")
                outcomes.append(self._failed(Source.from_url(url), exc, stage="fetch"))
                continue
            outcomes.append(self.ingest_url(url, seconds=left))
        return outcomes

    def ingest_url(self, url: str, *, seconds: float | None = None) -> Outcome:
        from newsdigest.fetch import fetch_url

        fetcher = self._fetcher or fetch_url
        fetch_settings = self.settings.fetch
        if seconds is not None and seconds < fetch_settings.total_timeout:
            fetch_settings = replace(fetch_settings, total_timeout=seconds)
        try:
            source = Source.from_url(url)
        except ValueError as exc:
            bad = Source(kind="url", ref=url, url=url)
            return self._failed(bad, NewsdigestError(str(exc), reason="bad_url"), stage="fetch")
        try:
            result = fetcher(url, fetch_settings)
        except NewsdigestError as exc:
            # Direct and API calls have no queue to retry them: even transient errors are recorded.
            return self._failed(source, exc, stage="fetch")
        return self._store(source, result.body, http_charset=result.charset, raw_key=None)

    def _store(
        self, source: Source, html: bytes, *, http_charset: str | None, raw_key: str | None
    ) -> Outcome:
        from newsdigest.extract import extract_article

        try:
            article: Article = extract_article(html, source.url, http_charset=http_charset)
            if article.status != "ok":
                raise ExtractionError(article.reason or f"page is {article.status}", reason=article.status)
        except NewsdigestError as exc:
            return self._failed(source, exc, stage="extract", raw_key=raw_key)
        document = article_document(article, source, raw_key=raw_key)
        key = f"{self.settings.articles_prefix}{source.article_id}.json"
        self.storage.put_json(
            self.settings.articles_bucket,
            key,
            document,
            metadata={"article-id": source.article_id, "content-sha256": document["content_sha256"]},
        )
        metrics.add_metric(name="ArticlesStored", unit=MetricUnit.Count, value=1)
        logger.info("article stored", extra={"article_id": source.article_id, "key": key})
        return Outcome(article_id=source.article_id, status="stored", source_ref=source.ref, key=key)

    def _failed(
        self, source: Source, exc: NewsdigestError, *, stage: str, raw_key: str | None = None
    ) -> Outcome:
        item = failure_item(source, stage=stage, reason=exc.reason, message=str(exc), raw_key=raw_key)
        self.storage.write_item(self.settings.table_name, item, replace_ok=False)
        metrics.add_metric(name="IngestFailures", unit=MetricUnit.Count, value=1)
        logger.warning("input failed", extra={"source": source.ref, "stage": stage, "reason": exc.reason})
        return Outcome(
            article_id=source.article_id,
            status="failed",
            source_ref=source.ref,
            reason=exc.reason,
            message=str(exc),
        )

    def record_give_up(self, bucket: str, key: str, exc: BaseException) -> None:
        """Last delivery attempt failed for a transient reason: leave a failed item before the DLQ."""
        source = self._unfinished.pop((bucket, key), None) or Source.from_s3(bucket, key)
        reason = getattr(exc, "reason", type(exc).__name__)
        item = failure_item(
            source, stage="ingest", reason=f"retries_exhausted:{reason}", message=str(exc), raw_key=key
        )
        self.storage.write_item(self.settings.table_name, item, replace_ok=False)
