"""Ingest Lambda: raw HTML uploads (S3 -> SQS), direct invokes and the HTTP API, to clean articles."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from newsdigest import budget
from newsdigest.aws import snapstart
from newsdigest.aws.events import (
    BudgetedBatchProcessor,
    bad_request_reply,
    check_sqs_batch,
    discovered_url,
    event_kind,
    http_request_problem,
    process_s3_event,
    process_s3_message,
    receive_count,
)
from newsdigest.aws.idempotency import idempotent_per_object
from newsdigest.aws.observability import logger, metrics, request_correlation_id, tracer
from newsdigest.aws.settings import get_settings
from newsdigest.aws.storage import Storage
from newsdigest.errors import InputError
from newsdigest.pipeline.ingest import FETCH_SHARE, IngestService
from newsdigest.pipeline.url_requests import parse_url_request

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

settings = get_settings()
settings.require("articles_bucket", "table_name", "idempotency_table")
service = IngestService(settings, Storage())
ingest_object, idempotency_config = idempotent_per_object(
    service.ingest_object, table_name=settings.idempotency_table
)
# A fully failed batch is reported record by record, like a partial one: each message is retried and
# dead-lettered on its own instead of the invocation erroring as a whole. Each record runs under its
# share of the invocation's time.
processor = BudgetedBatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
# No-op off Lambda. newsdigest.extract imports its extractor lazily: warm the module that holds it,
# and what the structured output (Article.html, .markdown) loads on the first page.
snapstart.register(
    warm_imports=(
        "newsdigest.extract.article", "newsdigest.fetch.client", "htmldate", "newsdigest.extract.structure",
        "newsdigest.extract.soup", "newsdigest.extract.markdown", "nh3", "markdownify",
    )
)  # fmt: skip


#: API Gateway gives an HTTP API integration 30 s; what the budget cannot reach is recorded as failed.
API_BUDGET_SECONDS = 25.0
#: Left for writing results and replying after the last fetch of a direct invoke.
REPLY_MARGIN_SECONDS = 5.0


def ingest_urls(payload: Any, seconds: float) -> dict[str, Any]:
    urls = parse_url_request(payload)
    outcomes = [
        o.to_dict() for o in service.ingest_urls(urls, seconds=seconds, summary=payload.get("summary"))
    ]
    return {"results": outcomes, "failed": sum(o["status"] == "failed" for o in outcomes)}


def _budget(context: LambdaContext, cap: float | None = None) -> float:
    left = context.get_remaining_time_in_millis() / 1000 - REPLY_MARGIN_SECONDS
    return min(left, cap) if cap else left


@cache
def http_api() -> APIGatewayHttpResolver:
    """The HTTP API's router, built on the first HTTP request: queue-driven cold starts never import
    Powertools' event handler (about 0.1-0.25 s of imports)."""
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    api = APIGatewayHttpResolver()
    api.post("/articles")(post_articles)
    return api


def post_articles() -> Response:
    from aws_lambda_powertools.event_handler import Response, content_types

    api = http_api()
    try:
        reply = ingest_urls(api.current_event.json_body, _budget(api.lambda_context, API_BUDGET_SECONDS))
    except (InputError, ValueError) as exc:
        return Response(400, content_types.APPLICATION_JSON, {"error": "bad_request", "message": str(exc)})
    return Response(200, content_types.APPLICATION_JSON, reply)


#: Left for writing the item and reporting the batch after a discovered URL's fetch.
RECORD_MARGIN_SECONDS = 10.0


def ingest_discovered(
    record: SQSRecord, message: dict[str, Any], context: LambdaContext
) -> list[dict[str, Any]]:
    last_attempt = receive_count(record) >= settings.max_receive_count
    seconds = context.get_remaining_time_in_millis() / 1000 - RECORD_MARGIN_SECONDS
    share = budget.remaining()  # the record's share of the batch's time (BudgetedBatchProcessor)
    if share is not None:
        # A slow host then times out as a transient fetch error (retried later) before the record's
        # time limit would stop it as a permanent 'budget' failure.
        seconds = min(seconds, share * FETCH_SHARE)
    try:
        outcome = service.ingest_discovered(
            message["url"], not_before=message["not_before"], interval=message["interval"],
            seconds=seconds, last_attempt=last_attempt,
        )  # fmt: skip
    except Exception as exc:
        if last_attempt:
            service.record_url_give_up(message["url"], exc)
        raise
    return [outcome.to_dict()]


@tracer.capture_method
def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> list[dict[str, Any]]:
    message = discovered_url(record.body)
    if message is not None:
        return ingest_discovered(record, message, lambda_context)
    return process_s3_message(
        record, ingest_object, service.record_failure, max_receive_count=settings.max_receive_count
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Mapping[str, Any]:
    logger.set_correlation_id(request_correlation_id(event, context))
    idempotency_config.register_lambda_context(context)
    kind = event_kind(event)
    if kind == "sqs":
        check_sqs_batch(event)
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    if kind == "s3":  # a bucket wired straight to the function (and `sam local invoke` with an S3 event)
        return process_s3_event(event, context, ingest_object, service.record_failure)
    if kind == "http":
        problem = http_request_problem(event)
        if problem is not None:
            return bad_request_reply(problem)
        return http_api().resolve(event, context)
    try:
        return ingest_urls(event, _budget(context))
    except InputError as exc:
        logger.warning("bad direct invoke", extra={"reason": exc.reason})
        return {"error": exc.reason, "message": str(exc), "results": [], "failed": 0}
