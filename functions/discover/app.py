"""Discover Lambda: EventBridge Scheduler's tick (or a direct invoke) in, new article URLs queued for
Ingest out, each due source's outcome on its item in the sources table."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from newsdigest.aws.discovery import DiscoveredQueue, DiscoveryStore
from newsdigest.aws.observability import logger, metrics, request_correlation_id, tracer
from newsdigest.aws.settings import get_settings
from newsdigest.errors import InputError
from newsdigest.pipeline.discover import (
    DiscoverService,
    parse_discover_event,
    public_address_check,
    seed_sources,
)

settings = get_settings()
settings.require("sources_table", "crawl_table", "discovered_queue_url")
store = DiscoveryStore(settings.sources_table, settings.crawl_table)
service = DiscoverService(store, DiscoveredQueue(settings.discovered_queue_url), settings.fetch)
if settings.seed_sources:
    seed_sources(store, settings.seed_sources, check_address=public_address_check(settings.fetch))

#: Left for saving the last source's state and replying once discovery stops.
REPLY_MARGIN_SECONDS = 15.0


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.set_correlation_id(request_correlation_id(event, context))
    try:
        request = parse_discover_event(event)
    except InputError as exc:
        logger.warning("bad discover event", extra={"reason": exc.reason})
        return {"error": exc.reason, "message": str(exc), "sources": []}
    seconds = context.get_remaining_time_in_millis() / 1000 - REPLY_MARGIN_SECONDS
    reports = service.run(seconds=seconds, source_ids=request.source_ids, limit=request.limit)
    return {
        "sources": [r.to_dict() for r in reports],
        "queued": sum(len(r.queued) for r in reports),
        "failed": sum(r.status == "failed" for r in reports),
    }
