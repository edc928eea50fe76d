"""Ingest: one raw page (uploaded object or URL) in, one clean-article document in S3 out.

What a failure means is the retry policy's call (:mod:`newsdigest.pipeline.policy`): permanent
problems (bad page, refused URL, not an article, past the time budget) end here as a failed item with
its reason; transient ones and bugs propagate from uploads so the queue retries them and, at the end,
dead-letters them. URL requests have no queue behind them: every outcome of theirs is recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from newsdigest import budget
from newsdigest.aws.observability import MetricUnit, count_failure, log_keys, logger, metrics
from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import Storage, StoredObject
from newsdigest.errors import BudgetExceeded, ExtractionError, InputError, NewsdigestError, TransientError
from newsdigest.pipeline.inputs import SOURCE_URL_METADATA, Source
from newsdigest.pipeline.outcomes import Outcome
from newsdigest.pipeline.policy import Kind, classify, describe
from newsdigest.pipeline.records import article_document, failure_item

if TYPE_CHECKING:
    from newsdigest.models import Article

#: Below this, a fetch cannot sensibly complete (connect, TLS, a first response).
MIN_FETCH_SECONDS = 2.0
#: Of a URL's share of the request's time, what the fetch may use; the rest is for extracting and
#: storing what it fetched.
FETCH_SHARE = 0.8


@dataclass(slots=True)
class _Attempt:
    """What is known about an input so far: where its failure item goes, and the stage reached."""

    source: Source
    stage: str
    raw_key: str | None = None
    #: Given with the input (``"summary"`` of a URL request, ``summary-*`` metadata of an upload);
    #: validated, they travel to Summarise in the clean-article document.
    summary_options: dict[str, Any] | None = None


def upload_summary_options(metadata: Mapping[str, str]) -> dict[str, Any] | None:
    """Summary options from a raw upload's metadata (``x-amz-meta-summary-method`` etc.), validated;
    None when it has none (the summariser's modules are imported only when it has some)."""
    if not any(name.lower().startswith("summary-") for name in metadata):
        return None
    from newsdigest.summarisation.options import SummaryOptions

    return SummaryOptions.from_metadata(metadata).to_dict() or None


def request_summary_options(value: Any) -> dict[str, Any] | None:
    """A URL request's ``"summary"`` options, validated; None when it gives none."""
    if value is None:
        return None
    from newsdigest.summarisation.options import SummaryOptions

    return SummaryOptions.from_request(value).to_dict() or None


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
        from newsdigest.discovery.pacing import Pacer

        #: Discovered URLs' per-host pace: this container's last request to each host and, through the
        #: crawl-state table, the host's turn shared with Discover and every other container.
        self._pacer = Pacer(gate=self._take_turn if settings.crawl_table else None)
        self._crawl_state: Any = None

    def ingest_object(self, bucket: str, key: str) -> Outcome:
        if bucket == self.settings.articles_bucket and key.startswith(self.settings.articles_prefix):
            # Belt and braces: the template never routes these here, but a loop would be expensive.
            raise NewsdigestError(
                f"refusing to ingest our own output s3://{bucket}/{key}", reason="own_output"
            )
        attempt = _Attempt(Source.from_s3(bucket, key), stage="read", raw_key=key)
        try:
            stored = self.storage.get_object(bucket, key, max_bytes=self.settings.fetch.max_bytes)
            attempt.source = _upload_source(bucket, key, stored)
            attempt.summary_options = upload_summary_options(stored.metadata)
            self._unfinished[(bucket, key)] = attempt.source
            outcome = self._store(attempt, stored.body, http_charset=_charset_of(stored.content_type))
        except (Exception, BudgetExceeded) as exc:
            verdict = classify(exc)
            if not verdict.permanent:
                raise  # the queue delivers it again; record_failure writes the give-up item at the end
            self._unfinished.pop((bucket, key), None)
            return self._failed(attempt, exc, reason=verdict.reason)
        self._unfinished.pop((bucket, key), None)
        return outcome

    def ingest_urls(self, urls: list[str], *, seconds: float, summary: Any = None) -> list[Outcome]:
        """Fetch URLs one after another, each within its share of a time budget (the caller's
        timeout, less a margin): one slow or hostile URL cannot take the time of the others.

        A URL whose share is too short to fetch anything is recorded as failed with reason ``budget``
        rather than left to be cut off by the platform. Every URL gets an outcome and an item.
        ``summary`` is the request's ``"summary"`` options; when they are unusable, every URL of the
        request is recorded as failed with their reason, and none is fetched.
        """
        try:
            options = request_summary_options(summary)
        except NewsdigestError as bad:
            return [
                self._failed(_Attempt(Source.for_request(url), stage="request"), bad, reason=bad.reason)
                for url in urls
            ]
        deadline = time.monotonic() + seconds
        shares = budget.Shares(lambda: deadline - time.monotonic(), len(urls), reserve=0.0, floor=0.0)
        outcomes = []
        for url in urls:
            share = shares.next()
            if share < MIN_FETCH_SECONDS:
                exc = NewsdigestError("not attempted: the request's time budget ran out", reason="budget")
                outcomes.append(self._recorded(url, exc))
                continue
            try:
                with budget.time_limit(share, what="URL"), log_keys(url=url[:2000]):
                    outcomes.append(
                        self.ingest_url(url, seconds=share * FETCH_SHARE, summary_options=options)
                    )
            except (Exception, BudgetExceeded) as exc:  # raised while its failure was being written
                outcomes.append(self._recorded(url, exc))
        return outcomes

    def ingest_discovered(
        self, url: str, *, not_before: float, interval: float, seconds: float, last_attempt: bool
    ) -> Outcome:
        """A URL Discover queued: fetched no sooner than its host's slot, ``interval`` after this
        container's previous request to the host, and once it holds the host's turn (``interval``
        after anyone's last request); transient failures and bugs go back to the queue (recorded only
        on the last attempt), permanent ones are recorded at once."""
        from urllib.parse import urlsplit

        deadline = time.monotonic() + seconds - MIN_FETCH_SECONDS
        requests = 0

        def pace(origin: str) -> None:
            """Before each request of the fetch (robots.txt too): the message's slot holds for the first."""
            nonlocal requests
            host = urlsplit(origin).netloc.lower()
            slot = not_before if requests == 0 else 0.0
            requests += 1
            if not self._pacer.wait(host, interval, not_before=slot, budget=deadline - time.monotonic()):
                raise TransientError(f"{host}'s next request slot is past this invocation", reason="paced")

        return self.ingest_url(url, seconds=seconds, retry_transient=not last_attempt, pace=pace)

    def _take_turn(self, host: str, interval: float, now: float) -> float | None:
        if self._crawl_state is None:  # on the first discovered URL: uploads and API calls never pay
            from newsdigest.aws.discovery import CrawlStateTable

            self._crawl_state = CrawlStateTable(self.settings.crawl_table)
        turn: float | None = self._crawl_state.take_turn(host, interval, now)
        return turn

    def ingest_url(
        self,
        url: str,
        *,
        seconds: float | None = None,
        retry_transient: bool = False,
        summary_options: dict[str, Any] | None = None,
        pace: Callable[[str], None] | None = None,
    ) -> Outcome:
        from newsdigest.fetch import fetch_url

        fetcher = self._fetcher or fetch_url
        fetch_settings = self.settings.fetch
        if seconds is not None and seconds < fetch_settings.total_timeout:
            fetch_settings = replace(fetch_settings, total_timeout=seconds)
        attempt = _Attempt(Source.for_request(url), stage="fetch", summary_options=summary_options)
        try:
            try:
                Source.from_url(url)
            except ValueError as exc:
                raise InputError(f"not a usable URL: {exc}", reason="bad_url") from exc
            # The hook only when pacing (discovered URLs): direct requests keep the plain call.
            result = fetcher(url, fetch_settings, pace=pace) if pace else fetcher(url, fetch_settings)
            return self._store(attempt, result.body, http_charset=result.charset)
        except (Exception, BudgetExceeded) as exc:
            verdict = classify(exc)
            if retry_transient and verdict.kind is not Kind.PERMANENT:
                raise  # discovered URLs have a queue behind them: it redelivers
            # Direct and API calls have no queue to retry them: even transient errors are recorded.
            if verdict.kind is Kind.BUG:
                logger.error("URL failed: bug", extra={"url": url[:2000]}, exc_info=exc)
            return self._failed(attempt, exc, reason=verdict.reason)

    def _store(self, attempt: _Attempt, html: bytes, *, http_charset: str | None) -> Outcome:
        with log_keys(source=attempt.source.ref[:2000], article_id=attempt.source.article_id):
            return self._extract_and_store(attempt, html, http_charset=http_charset)

    def _extract_and_store(self, attempt: _Attempt, html: bytes, *, http_charset: str | None) -> Outcome:
        from newsdigest.extract import extract_article

        source = attempt.source
        attempt.stage = "extract"
        budget.check("extract")
        article: Article = extract_article(html, source.url, http_charset=http_charset)
        if article.status != "ok":
            raise ExtractionError(article.reason or f"page is {article.status}", reason=article.status)
        attempt.stage = "store"
        document = article_document(
            article, source, raw_key=attempt.raw_key, summary_options=attempt.summary_options
        )
        key = f"{self.settings.articles_prefix}{source.article_id}.json"
        budget.check("store")
        self.storage.put_json(
            self.settings.articles_bucket,
            key,
            document,
            metadata={"article-id": source.article_id, "content-sha256": document["content_sha256"]},
        )
        metrics.add_metric(name="ArticlesStored", unit=MetricUnit.Count, value=1)
        logger.info("article stored", extra={"article_id": source.article_id, "key": key})
        return Outcome(article_id=source.article_id, status="stored", source_ref=source.ref, key=key)

    def _failed(self, attempt: _Attempt, exc: BaseException, *, reason: str) -> Outcome:
        source, message = attempt.source, describe(exc)
        item = failure_item(
            source, stage=attempt.stage, reason=reason, message=message, raw_key=attempt.raw_key
        )
        self.storage.write_item(self.settings.table_name, item, replace_ok=False)
        metrics.add_metric(name="IngestFailures", unit=MetricUnit.Count, value=1)
        count_failure(stage=attempt.stage, reason=reason)
        with log_keys(source=source.ref[:2000], article_id=source.article_id):
            logger.warning("input failed", extra={"stage": attempt.stage, "reason": reason})
        return Outcome(
            article_id=source.article_id,
            status="failed",
            source_ref=item["source_ref"],
            reason=reason,
            message=item["error"],
        )

    def _recorded(self, url: str, exc: BaseException) -> Outcome:
        """A URL's failure, recorded if the table takes it; the reply names it either way."""
        attempt = _Attempt(Source.for_request(url), stage="fetch")
        reason = classify(exc).reason
        try:
            return self._failed(attempt, exc, reason=reason)
        except (Exception, BudgetExceeded) as write_error:
            logger.error("could not record the failure", extra={"url": url[:2000]}, exc_info=write_error)
            return Outcome(
                article_id=attempt.source.article_id,
                status="failed",
                source_ref=attempt.source.ref[:2000],
                reason=reason,
                message=f"{describe(exc)[:1000]} (not recorded: {describe(write_error)[:200]})",
            )

    def record_url_give_up(self, url: str, exc: BaseException) -> Outcome:
        """A discovered URL's last delivery failed: its failed item, before the message is dead-lettered."""
        attempt = _Attempt(Source.for_request(url), stage="fetch")
        return self._failed(attempt, exc, reason=classify(exc).give_up_reason)

    def record_failure(self, bucket: str, key: str, exc: BaseException, reason: str) -> dict[str, Any]:
        """The failed item of an upload whose work raised (a permanent error outside the service, or
        the last delivery of a retried one), on the article id a success would have used."""
        source = self._unfinished.pop((bucket, key), None) or Source.from_s3(bucket, key)
        return self._failed(_Attempt(source, stage="ingest", raw_key=key), exc, reason=reason).to_dict()


def _upload_source(bucket: str, key: str, stored: StoredObject) -> Source:
    """The upload, or the page its metadata names; a page URL that does not parse is a bad input."""
    page_url = stored.metadata.get(SOURCE_URL_METADATA)
    try:
        return Source.from_s3(bucket, key, page_url=page_url)
    except ValueError as exc:
        raise InputError(
            f"the upload's x-amz-meta-{SOURCE_URL_METADATA} is not a usable URL: {exc}", reason="bad_url"
        ) from exc
