"""The clean-article document carries the article's HTML and Markdown, and Summarise still runs once."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.inputs import Source

from .conftest import ROOT
from .loopback import serve_routes

PAGE = gzip.decompress((ROOT / "tests" / "fixtures" / "structure" / "lwn-1.html.gz").read_bytes())


def _route(path: str) -> tuple[int, str, bytes]:
    if path.startswith("/Articles/"):
        return 200, "text/html; charset=utf-8", PAGE
    return 404, "text/plain", b""


@pytest.fixture
def site() -> Iterator[str]:
    with serve_routes(_route) as base:
        yield base


def test_document_has_html_and_markdown_and_summarise_runs_once(runtime: LocalRuntime, site: str) -> None:
    summarised: list[str] = []
    summarise = runtime.handlers["SummariseFunction"]

    def counting(event: dict[str, Any], context: Any) -> Any:
        for record in event.get("Records", []):
            body = json.loads(record["body"])
            if body.get("Event") != "s3:TestEvent":  # S3's check of a new notification setting
                summarised.extend(r["s3"]["object"]["key"] for r in body.get("Records", []))
        return summarise(event, context)

    runtime.handlers["SummariseFunction"] = counting
    url = f"{site}/Articles/637755/"
    reply = runtime.invoke("IngestFunction", {"urls": [url]})
    assert [r["status"] for r in reply["results"]] == ["stored"]
    table = boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"])
    article_id = Source.from_url(url).article_id

    def summarised_ok() -> bool:
        return (table.get_item(Key={"article_id": article_id}).get("Item") or {}).get("status") == "ok"

    assert runtime.pump_until(summarised_ok, timeout=60)
    for _ in range(3):  # nothing else is queued: no second notification, no redelivery
        assert runtime.pump_once().messages == 0
    assert len(summarised) == 1

    bucket = runtime.resources.outputs["ArticlesBucketName"]
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == [f"articles/{article_id}.json"]  # one object: nothing written beside it to re-trigger
    document = json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=keys[0])["Body"].read())
    article = document["article"]
    assert f'src="{site}/images/2015/03-qgis-map-sm.png"' in article["html"]
    assert f"({site}/images/2015/03-qgis-map-sm.png)" in article["markdown"]
    assert "<p>The <a href=" in article["html"] and "Arduino" in article["markdown"]
    item = table.get_item(Key={"article_id": article_id})["Item"]
    assert "html" not in item and "markdown" not in item  # the item stays small: the document has them
