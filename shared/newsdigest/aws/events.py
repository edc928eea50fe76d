"""S3 event notifications delivered through SQS: every record of every message, keys decoded.

A message may carry several S3 records; each is handled on its own so one bad object does not hide
the others, under its share of the invocation's time (:mod:`newsdigest.budget`). What happens to an
object that fails is the retry policy's call (:mod:`newsdigest.pipeline.policy`): a permanent failure
becomes a failed item at once and the message is done; a transient failure or a bug is re-raised, so
the batch utility reports the SQS message as failed and the queue redelivers it; on the last delivery
a failed item is written first, so the reason survives beside the dead letter.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.batch import BatchProcessor
from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from newsdigest import budget
from newsdigest.aws.observability import log_keys, logger
from newsdigest.errors import BudgetExceeded, InputError
from newsdigest.pipeline.policy import Kind, classify

ObjectHandler = Callable[[dict[str, str]], dict[str, Any]]
#: (bucket, key, the exception, the reason to record) -> the outcome of the failed item written.
RecordFailure = Callable[[str, str, BaseException, str], dict[str, Any]]


def event_kind(event: Any) -> str:
    """Which door an invocation came through: ``sqs``, ``s3`` (notification), ``http`` or ``direct``."""
    if isinstance(event, dict):
        records = event.get("Records")
        if isinstance(records, list) and records and isinstance(records[0], dict):
            source = records[0].get("eventSource")
            if source == "aws:sqs":
                return "sqs"
            if source == "aws:s3":
                return "s3"
        if "requestContext" in event and "routeKey" in event:
            return "http"
    return "direct"


def object_refs(body: str) -> list[dict[str, str]]:
    """Bucket/key/etag of each created object named in one notification body (``[]`` for S3's test event)."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise InputError(f"message body is not JSON: {exc}", reason="malformed_event") from exc
    return object_refs_from_payload(payload)


def object_refs_from_payload(payload: Any) -> list[dict[str, str]]:
    """Keys arrive URL-encoded with ``+`` for spaces; they are decoded here, once."""
    if not isinstance(payload, dict):
        raise InputError("message body is not a JSON object", reason="malformed_event")
    if payload.get("Event") == "s3:TestEvent":
        return []
    if not isinstance(payload.get("Records"), list):
        raise InputError("message is not an S3 event notification (no Records)", reason="malformed_event")
    refs = []
    for record in S3Event(payload).records:
        if not record.event_name.startswith("ObjectCreated"):
            logger.info("ignoring S3 event", extra={"event_name": record.event_name})
            continue
        try:
            bucket = record.s3.bucket.name
            key = unquote_plus(record.s3.get_object.key)
        except (KeyError, TypeError) as exc:
            raise InputError(f"S3 record lacks bucket or key: {exc}", reason="malformed_event") from exc
        refs.append({"bucket": bucket, "key": key, "etag": record.s3.get_object.etag})
    return refs


def discovered_url(body: str) -> dict[str, Any] | None:
    """A message Discover queued (``{"url": ..., "not_before": ..., "interval": ...}``); None for anything
    else (S3 notifications come through the other queue with ``Records``)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or "Records" in payload or "Event" in payload:
        return None
    url = payload.get("url")
    if not isinstance(url, str) or not url:
        raise InputError("discovered-URL message without a url", reason="malformed_event")
    numbers = {k: payload.get(k, 0) for k in ("not_before", "interval")}
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers.values()):
        raise InputError("discovered-URL message with a non-numeric pace", reason="malformed_event")
    return {"url": url, **{k: float(v) for k, v in numbers.items()}}


def receive_count(record: SQSRecord) -> int:
    try:
        return int(record.attributes.approximate_receive_count)
    except (TypeError, ValueError, KeyError):
        return 1


def process_s3_message(
    record: SQSRecord, handle: ObjectHandler, record_failure: RecordFailure, *, max_receive_count: int
) -> list[dict[str, Any]]:
    with log_keys(message_id=record.message_id, receive_count=receive_count(record)):
        refs = object_refs(record.body)
        return settle(refs, handle, record_failure, last_attempt=receive_count(record) >= max_receive_count)


def settle(
    refs: list[dict[str, str]], handle: ObjectHandler, record_failure: RecordFailure, *, last_attempt: bool
) -> list[dict[str, Any]]:
    """Run ``handle`` on each object, each under its share of what is left of the record's time limit,
    and settle every failure by the retry policy. Raises the last retryable error, after every object
    has had its turn."""
    results: list[dict[str, Any]] = []
    error: BaseException | None = None
    for index, ref in enumerate(refs):
        left = budget.remaining()
        share = None if left is None else left / (len(refs) - index)
        try:
            with (
                budget.time_limit(share, what="object"),
                log_keys(object=f"s3://{ref['bucket']}/{ref['key']}"),
            ):
                results.append(handle(ref))
            continue
        except (Exception, BudgetExceeded) as exc:
            failure = exc
        verdict = classify(failure)
        where = {"bucket": ref["bucket"], "key": ref["key"], "reason": verdict.reason}
        if verdict.permanent:
            logger.warning("object failed", extra=where)
            try:
                results.append(record_failure(ref["bucket"], ref["key"], failure, verdict.reason))
            except Exception as write_error:  # the item could not be written: the queue tries again
                logger.exception("could not record the failure", extra=where)
                error = write_error
            continue
        if verdict.kind is Kind.BUG:
            logger.error("object failed: bug", extra=where, exc_info=failure)
        else:
            logger.warning("object failed: will be retried", extra=where, exc_info=failure)
        if last_attempt:
            try:
                record_failure(ref["bucket"], ref["key"], failure, verdict.give_up_reason)
            except Exception:
                # The dead letter still holds the message; the other objects must still be tried.
                logger.exception("could not record the failure", extra=where)
        error = failure
    if error is not None:
        raise error
    return results


class BudgetedBatchProcessor(BatchProcessor):
    """Powertools' batch processor, each record under its share of the invocation's time.

    A record cut short inside an object's work ends as that object's ``budget`` item (see
    :func:`settle`); one cut short anywhere else is reported failed, like any record that raised,
    and the batch goes on.
    """

    def process(self) -> list[tuple[Any, ...]]:
        shares = budget.Shares.of_invocation(getattr(self, "lambda_context", None), len(self.records))
        results: list[tuple[Any, ...]] = []
        for record in self.records:
            try:
                with budget.time_limit(shares.next() if shares else None):
                    results.append(self._process_record(record))
            except BudgetExceeded:
                data = self._to_batch_type(record=record, event_type=self.event_type, model=self.model)
                results.append(self.failure_handler(record=data, exception=sys.exc_info()))
        return results


def process_s3_event(
    event: Any, context: Any, handle: ObjectHandler, record_failure: RecordFailure
) -> dict[str, Any]:
    """An S3 notification invoking the function directly (no queue: Lambda's own retries of an
    asynchronous invoke are the redeliveries), under the invocation's time like an SQS batch."""
    refs = object_refs_from_payload(event)
    shares = budget.Shares.of_invocation(context, 1)
    with budget.time_limit(shares.next() if shares else None):
        return {"results": settle(refs, handle, record_failure, last_attempt=False)}
