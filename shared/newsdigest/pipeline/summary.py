"""Summarise: one clean-article document in, one DynamoDB item out.

Failures follow the retry policy (:mod:`newsdigest.pipeline.policy`): a document of the wrong shape, or
one past its time budget, is recorded at once as a failed item keyed on the document's own id (when it
has a valid one) or else on the id its object key names; transient errors and bugs propagate so the
queue retries them, and the give-up item of the last delivery lands on the same id.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from newsdigest import budget
from newsdigest.aws.observability import MetricUnit, count_failure, log_keys, logger, metrics
from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import Storage
from newsdigest.errors import BudgetExceeded, NewsdigestError
from newsdigest.pipeline import documents
from newsdigest.pipeline.inputs import Source, is_article_id
from newsdigest.pipeline.outcomes import Outcome
from newsdigest.pipeline.policy import classify, describe
from newsdigest.pipeline.records import failure_item, summary_item

if TYPE_CHECKING:
    from newsdigest.summarisation.options import SummaryOptions

#: Where a failure of one document is recorded: (source, article id, the article's raw upload key).
_Identity = tuple[Source, str, str | None]


def _key_identity(bucket: str, key: str) -> _Identity:
    """The id an object key names: Ingest writes ``<prefix><article_id>.json``; any other key is an
    object of its own, keyed like an upload."""
    source = Source(kind="s3", ref=f"s3://{bucket}/{key}")
    stem = PurePosixPath(key).stem
    return source, stem if is_article_id(stem) else source.article_id, None


def _document_identity(document: Any, bucket: str, key: str) -> _Identity:
    article_id = documents.document_id(document)
    if article_id is None:
        return _key_identity(bucket, key)
    info = document.get("source")
    info = info if isinstance(info, dict) else {}
    ref, url, raw_key = info.get("ref"), info.get("url"), info.get("raw_key")
    source = Source(
        kind="url" if info.get("kind") == "url" else "s3",
        ref=ref if isinstance(ref, str) else f"s3://{bucket}/{key}",
        url=url if isinstance(url, str) else None,
    )
    return source, article_id, raw_key if isinstance(raw_key, str) else None


class SummaryService:
    def __init__(self, settings: Settings, storage: Storage) -> None:
        from newsdigest.summarisation.options import SummaryOptions

        self.settings = settings
        self.storage = storage
        try:
            self.defaults = SummaryOptions(
                method=settings.summary_method,
                sentences=settings.summary_sentences,
                ratio=settings.summary_ratio,
                words=settings.summary_words,
            )
        except NewsdigestError as exc:
            raise RuntimeError(f"bad summary settings ({exc.reason}): {exc}") from exc
        #: Documents read but not yet summarised, by (bucket, key): a give-up item lands on their id.
        self._unfinished: dict[tuple[str, str], _Identity] = {}

    def check_method(self) -> None:
        """Fail now (the cold start) when the deployment's method cannot run here, not on every item."""
        from newsdigest.summarisation import check_method

        method = self.defaults.method or "default"
        try:
            check_method(method)
        except NewsdigestError as exc:
            raise RuntimeError(
                f"SUMMARY_METHOD={method!r} cannot run in this deployment ({exc.reason}): {exc}"
            ) from exc

    def options_for(self, document: dict[str, Any]) -> SummaryOptions:
        """The document's own summary options (given with its input) over the deployment's."""
        from newsdigest.summarisation.options import SummaryOptions

        given = document.get("summary_options")
        return SummaryOptions.from_request(given).over(self.defaults) if given else self.defaults

    def summarise_object(self, bucket: str, key: str) -> Outcome:
        from newsdigest.summarisation import summarise

        identity = _key_identity(bucket, key)
        try:
            stored = self.storage.get_object(bucket, key, max_bytes=4 * self.settings.fetch.max_bytes)
            loaded = documents.load(stored.body)
            identity = _document_identity(loaded, bucket, key)
            self._unfinished[(bucket, key)] = identity
            document = documents.check(loaded)
            article = document["article"]
            budget.check("summarise")
            options = self.options_for(document)
            summary = summarise(
                article["text"],
                language=article.get("language"),
                method=options.method or "default",
                sentences=options.sentences,
                ratio=options.ratio,
                words=options.words,
                title=article.get("title"),
            )
            item = summary_item(document, summary, source_key=key)
            budget.check("store")
            written = self.storage.write_item(self.settings.table_name, item, replace_ok=True)
        except (Exception, BudgetExceeded) as exc:
            verdict = classify(exc)
            if not verdict.permanent:
                raise  # the queue delivers it again; record_failure writes the give-up item at the end
            self._unfinished.pop((bucket, key), None)
            return self._failed(identity, key, exc, reason=verdict.reason)
        self._unfinished.pop((bucket, key), None)
        source = identity[0]
        if not written:
            logger.info("summary already stored for this content", extra={"article_id": item["article_id"]})
            return Outcome(article_id=item["article_id"], status="skipped", source_ref=source.ref, key=key)
        metrics.add_metric(name="SummariesStored", unit=MetricUnit.Count, value=1)
        logger.info("summary stored", extra={"article_id": item["article_id"], "method": summary.method})
        return Outcome(article_id=item["article_id"], status="summarised", source_ref=source.ref, key=key)

    def _failed(self, identity: _Identity, key: str, exc: BaseException, *, reason: str) -> Outcome:
        source, article_id, raw_key = identity
        item = failure_item(
            source,
            stage="summarise",
            reason=reason,
            message=describe(exc),
            article_id=article_id,
            raw_key=raw_key,
            source_key=key,
        )
        self.storage.write_item(self.settings.table_name, item, replace_ok=False)
        metrics.add_metric(name="SummariseFailures", unit=MetricUnit.Count, value=1)
        count_failure(stage="summarise", reason=reason)
        with log_keys(source=source.ref[:2000], article_id=article_id):
            logger.warning("summarise failed", extra={"reason": reason})
        return Outcome(
            article_id=article_id,
            status="failed",
            source_ref=item["source_ref"],
            reason=reason,
            message=item["error"],
        )

    def record_failure(self, bucket: str, key: str, exc: BaseException, reason: str) -> dict[str, Any]:
        """The failed item of a document whose work raised, on the id a success would have used."""
        identity = self._unfinished.pop((bucket, key), None) or _key_identity(bucket, key)
        return self._failed(identity, key, exc, reason=reason).to_dict()
