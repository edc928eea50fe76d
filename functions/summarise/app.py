"""Summarise Lambda: clean-article objects (S3 -> SQS) to summary items in DynamoDB."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from newsdigest.aws import snapstart
from newsdigest.aws.events import (
    BudgetedBatchProcessor,
    check_sqs_batch,
    event_kind,
    process_s3_event,
    process_s3_message,
)
from newsdigest.aws.observability import logger, metrics, request_correlation_id, tracer
from newsdigest.aws.settings import get_settings
from newsdigest.aws.storage import Storage
from newsdigest.pipeline.summary import SummaryService

settings = get_settings()
settings.require("table_name")
service = SummaryService(settings, Storage())
# A method the deployment cannot run (a layer missing, a package broken) fails here, at cold start,
# with the reason, instead of failing every item.
service.check_method()
# A fully failed batch is reported record by record, like a partial one: each message is retried and
# dead-lettered on its own instead of the invocation erroring as a whole. Each record runs under its
# share of the invocation's time.
processor = BudgetedBatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
snapstart.register(warm_imports=("newsdigest.summarisation", "snowballstemmer"))  # no-op off Lambda


def summarise_object(ref: Mapping[str, str]) -> dict[str, Any]:
    # No idempotency store here: the summary item's conditional write is the guard (a re-delivered
    # or duplicated notification finds a summary of the same content and writes nothing), and the
    # work it would skip is one S3 read and a few milliseconds of summarising.
    return service.summarise_object(ref["bucket"], ref["key"]).to_dict()


@tracer.capture_method
def record_handler(record: SQSRecord) -> list[dict[str, Any]]:
    return process_s3_message(
        record, summarise_object, service.record_failure, max_receive_count=settings.max_receive_count
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Mapping[str, Any]:
    logger.set_correlation_id(request_correlation_id(event, context))
    kind = event_kind(event)
    if kind == "s3":
        return process_s3_event(event, context, summarise_object, service.record_failure)
    if kind != "sqs":
        logger.warning("unsupported event shape", extra={"kind": kind})
        return {"error": "bad_request", "message": "expected an SQS batch or an S3 event notification"}
    check_sqs_batch(event)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
