"""Read Lambda: the HTTP API's read routes (GET /articles, GET /articles/{id}, GET /digest).

A function of its own, so Ingest's cold start and permissions do not grow: it may only read the table
and its indexes and get the clean-article objects it pre-signs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext
from newsdigest.aws.observability import logger, metrics, request_correlation_id, tracer
from newsdigest.aws.reader import PRESIGN_SECONDS, Reader
from newsdigest.aws.settings import get_settings
from newsdigest.reading.atom import CONTENT_TYPE, build_feed
from newsdigest.reading.digest import digest_request
from newsdigest.reading.query import ArticleQuery, QueryError

settings = get_settings()
settings.require("table_name", "articles_bucket")
reader = Reader(settings.table_name, settings.articles_bucket)
app = APIGatewayHttpResolver()

#: What an article id can be (ids are hex digests today); anything else is a 400, not a lookup.
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def _params() -> dict[str, str | None]:
    return dict(app.current_event.query_string_parameters or {})


def _error(status: int, error: str, message: str) -> Response:
    return Response(status, content_types.APPLICATION_JSON, {"error": error, "message": message})


@app.exception_handler(QueryError)
def bad_request(exc: QueryError) -> Response:
    return _error(400, "bad_request", str(exc))


@app.get("/articles")
def list_articles() -> dict[str, Any]:
    params = _params()
    cursor = params.pop("cursor", None)
    page = reader.list(ArticleQuery.from_params(params), cursor or None)
    return {"items": page.items, "count": len(page.items), "cursor": page.cursor}


@app.get("/articles/<article_id>")
def get_article(article_id: str) -> Response:
    if not _ARTICLE_ID.match(article_id):
        raise QueryError("article id must be 1-128 letters, digits, '-' or '_'")
    item = reader.get(article_id)
    if item is None:
        return _error(404, "not_found", f"no article {article_id}")
    return Response(
        200,
        content_types.APPLICATION_JSON,
        {"item": item, "links": reader.links(item), "links_expire_in": PRESIGN_SECONDS},
    )


def _self_url() -> str:
    event = app.current_event
    query = f"?{event.raw_query_string}" if event.raw_query_string else ""
    return f"https://{event.request_context.domain_name}{event.raw_path}{query}"


@app.get("/digest")
def get_digest() -> Response:
    digest = digest_request(_params(), self_url=_self_url())
    page = reader.list(digest.query)
    return Response(200, CONTENT_TYPE, build_feed(digest.info, page.items).decode("utf-8"))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.set_correlation_id(request_correlation_id(event, context))
    return app.resolve(dict(event), context)
