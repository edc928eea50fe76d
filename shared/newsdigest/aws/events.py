"""S3 event notifications delivered through SQS: every record of every message, keys decoded.

A message may carry several S3 records; each is handled on its own so one bad object does not hide
the others. Whatever fails transiently is re-raised so the batch utility reports the SQS message as
failed and the queue redelivers it; on the last delivery a failed item is written first, so the
reason survives beside the dead letter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from newsdigest.aws.observability import logger
from newsdigest.errors import InputError

ObjectHandler = Callable[[dict[str, str]], dict[str, Any]]
GiveUp = Callable[[str, str, BaseException], None]


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


def receive_count(record: SQSRecord) -> int:
    try:
        return int(record.attributes.approximate_receive_count)
    except (TypeError, ValueError, KeyError):
        return 1


def process_s3_message(
    record: SQSRecord, handle: ObjectHandler, give_up: GiveUp, *, max_receive_count: int
) -> list[dict[str, Any]]:
    refs = object_refs(record.body)
    results: list[dict[str, Any]] = []
    error: BaseException | None = None
    last_attempt = receive_count(record) >= max_receive_count
    for ref in refs:
        try:
            results.append(handle(ref))
        except Exception as exc:
            logger.exception("object failed", extra={"bucket": ref["bucket"], "key": ref["key"]})
            if last_attempt:
                try:
                    give_up(ref["bucket"], ref["key"], exc)
                except Exception:
                    # The dead letter still holds the message; the other objects must still be tried.
                    logger.exception("could not record the failure", extra={"key": ref["key"]})
            error = exc
    if error is not None:
        raise error
    return results
