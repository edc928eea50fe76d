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
import re
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
    except (ValueError, TypeError) as exc:
        raise InputError(f"message body is not JSON: {exc}", reason="malformed_event") from exc
    return object_refs_from_payload(payload)


#: What S3 accepts as a bucket name (botocore's own check) and the longest key, in UTF-8 bytes.
_BUCKET_NAME = re.compile(r"[a-zA-Z0-9.\-_]{1,255}")
_MAX_KEY_BYTES = 1024


def object_refs_from_payload(payload: Any) -> list[dict[str, str]]:
    """Keys arrive URL-encoded with ``+`` for spaces; they are decoded here, once. A record naming no
    object S3 could hold is a malformed event, never a request sent to S3."""
    if not isinstance(payload, dict):
        raise InputError("message body is not a JSON object", reason="malformed_event")
    if payload.get("Event") == "s3:TestEvent":
        return []
    if not isinstance(payload.get("Records"), list):
        raise InputError("message is not an S3 event notification (no Records)", reason="malformed_event")
    for record in payload["Records"]:
        _check_s3_record(record)
    refs = []
    for record in S3Event(payload).records:
        if not record.event_name.startswith("ObjectCreated"):
            logger.info("ignoring S3 event", extra={"event_name": record.event_name})
            continue
        bucket = record.s3.bucket.name
        key = unquote_plus(record.s3.get_object.key)
        if not key or len(key.encode("utf-8", "surrogatepass")) > _MAX_KEY_BYTES:
            raise InputError("S3 record names no possible object key", reason="malformed_event")
        refs.append({"bucket": bucket, "key": key, "etag": record.s3.get_object.etag})
    return refs


def _check_s3_record(record: Any) -> None:
    s3 = record.get("s3") if isinstance(record, dict) else None
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("eventName"), str)
        or not isinstance(s3, dict)
    ):
        raise InputError("S3 record without eventName and s3", reason="malformed_event")
    bucket, obj = s3.get("bucket"), s3.get("object")
    name = bucket.get("name") if isinstance(bucket, dict) else None
    if not isinstance(name, str) or not _BUCKET_NAME.fullmatch(name):
        raise InputError("S3 record names no possible bucket", reason="malformed_event")
    if not isinstance(obj, dict) or not isinstance(obj.get("key"), str):
        raise InputError("S3 record lacks its object key", reason="malformed_event")
    if not isinstance(obj.get("eTag", ""), str):
        raise InputError("S3 record with a non-string eTag", reason="malformed_event")


def check_sqs_batch(event: dict[str, Any]) -> None:
    """Every record of an SQS batch has the message id and body the batch utility reports on."""
    for record in event.get("Records") or []:
        if not (
            isinstance(record, dict)
            and isinstance(record.get("messageId"), str)
            and isinstance(record.get("body"), str)
            and isinstance(record.get("attributes", {}), dict)
        ):
            raise InputError("SQS record without a messageId and body", reason="malformed_event")


def http_request_problem(event: dict[str, Any]) -> str | None:
    """Why an HTTP API (payload 2.0) event cannot be routed, or None: the router reads these fields
    without checking them."""
    context = event.get("requestContext")
    http = context.get("http") if isinstance(context, dict) else None
    if not isinstance(http, dict) or not isinstance(http.get("method"), str):
        return "the request has no method"
    if not isinstance(event.get("rawPath", ""), str):
        return "the request has no path"
    if event.get("body") is not None and not isinstance(event["body"], str):
        return "the request body is not text"
    if not isinstance(event.get("isBase64Encoded", False), bool):
        return "isBase64Encoded is not a boolean"
    headers = event.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        return "the request headers are not text"
    return None


def bad_request_reply(message: str) -> dict[str, Any]:
    """An HTTP API 400 reply, in the shape the router's own replies have."""
    return {
        "statusCode": 400,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"error": "bad_request", "message": message}),
        "isBase64Encoded": False,
    }


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
