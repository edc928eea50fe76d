"""The read routes through the real Read handler with the events/ files, on a moto server."""

from __future__ import annotations

import copy
import json
import urllib.parse
import urllib.request
from typing import Any

import boto3
import feedparser
import pytest
from newsdigest.aws.storage import Storage
from newsdigest.local.drivers import upload_key
from newsdigest.local.runtime import LocalRuntime
from newsdigest.models import Summary
from newsdigest.pipeline.inputs import Source
from newsdigest.pipeline.records import failure_item, summary_item
from newsdigest.reading import keys
from newsdigest.reading.query import FAILURE_STAGES

from .conftest import ROOT, load_event

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"


def call(runtime: LocalRuntime, name: str, **query: str) -> tuple[int, dict[str, str], Any]:
    """Invoke the Read function with an events/ file, its query string replaced when given."""
    event = load_event(name)
    if query:
        event = copy.deepcopy(event)
        event["queryStringParameters"] = query
        event["rawQueryString"] = urllib.parse.urlencode(query)
    reply = runtime.invoke("ReadFunction", event)
    headers = {k.lower(): v for k, v in (reply.get("headers") or {}).items()}
    body = reply["body"]
    if headers.get("content-type", "").startswith("application/json"):
        body = json.loads(body)
    return reply["statusCode"], headers, body


def _get_article(runtime: LocalRuntime, article_id: str) -> tuple[int, Any]:
    event = load_event("api-get-article.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/articles/{article_id}"
    event["pathParameters"] = {"article_id": article_id}
    reply = runtime.invoke("ReadFunction", event)
    return reply["statusCode"], json.loads(reply["body"])


def _s3_event(bucket: str, key: str) -> dict[str, Any]:
    event = load_event("s3-put-raw.json")
    record = event["Records"][0]["s3"]
    record["bucket"]["name"] = bucket
    record["object"]["key"] = urllib.parse.quote_plus(key, safe="/")
    return event


@pytest.fixture
def stored(runtime: LocalRuntime) -> dict[str, Any]:
    """The shipped page uploaded as `newsdigest run` uploads it, then through the real Ingest and
    Summarise handlers (invoked with their full timeout, not pumped, so a loaded machine cannot make
    the record run out of its share of a short local invocation)."""
    outputs = runtime.resources.outputs
    body = TASS.read_bytes()
    key = upload_key(TASS, body)
    boto3.client("s3").put_object(
        Bucket=outputs["RawBucketName"], Key=key, Body=body, ContentType="text/html"
    )
    (ingested,) = runtime.invoke("IngestFunction", _s3_event(outputs["RawBucketName"], key))["results"]
    assert ingested["status"] == "stored", ingested
    (summarised,) = runtime.invoke(
        "SummariseFunction", _s3_event(outputs["ArticlesBucketName"], ingested["key"])
    )["results"]
    assert summarised["status"] == "summarised", summarised
    item = Storage().get_item(outputs["TableName"], ingested["article_id"])
    assert item is not None and item["status"] == "ok"
    return item


def test_routes_answer_from_the_stored_article(runtime: LocalRuntime, stored: dict[str, Any]) -> None:
    # events/api-get-article.json names the id `newsdigest run` gives the shipped page.
    assert load_event("api-get-article.json")["pathParameters"]["article_id"] == stored["article_id"]

    status, _, body = call(runtime, "api-get-articles.json")  # site=tass.com, since=2024-05-01
    assert status == 200
    assert [i["article_id"] for i in body["items"]] == [stored["article_id"]]
    assert body["cursor"] is None
    listed = body["items"][0]
    assert listed["site"] == "tass.com" and listed["published_at"] == "2024-05-11T11:32:00Z"
    assert keys.TIME_SHARD not in listed  # index plumbing stays inside

    status, _, body = call(runtime, "api-get-articles.json", site="tass.com", until="2024-05-11")
    assert (status, body["items"]) == (200, [])  # published later on that day

    # A rendering stored beside the document gets a link of its own.
    articles_bucket = runtime.resources.outputs["ArticlesBucketName"]
    html_key = stored["source_key"].removesuffix(".json") + ".html"
    boto3.client("s3").put_object(Bucket=articles_bucket, Key=html_key, Body=b"<article>x</article>")
    status, _, body = call(runtime, "api-get-article.json")
    assert status == 200
    assert body["item"]["summary"] == stored["summary"]
    assert set(body["links"]) == {"json", "html"}  # no Markdown stored: no link
    assert body["links_expire_in"] <= 900
    parsed = urllib.parse.urlparse(body["links"]["json"])
    query = urllib.parse.parse_qs(parsed.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and int(query["X-Amz-Expires"][0]) <= 900
    with urllib.request.urlopen(body["links"]["json"], timeout=10) as response:  # the pre-signed GET works
        document = json.loads(response.read())
    assert document["article_id"] == stored["article_id"]
    assert document["article"]["title"] == stored["title"]

    status, headers, feed = call(runtime, "api-get-digest.json")  # site=tass.com, day=2024-05-11
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    parsed_feed = feedparser.parse(feed)
    assert parsed_feed.bozo == 0 and parsed_feed.version == "atom10"
    (entry,) = parsed_feed.entries
    assert entry.title == stored["title"] and entry.link == "https://tass.com/economy/1786512"
    assert stored["summary"][0].split(",")[0] in entry.content[0].value
    assert parsed_feed.feed.links[0].href.startswith(
        "https://abc123.execute-api.us-east-1.amazonaws.com/digest?"
    )
    status, _, feed = call(runtime, "api-get-digest.json", site="tass.com", day="2024-05-12")
    assert status == 200 and feedparser.parse(feed).entries == []


def test_unknown_id_is_404_and_bad_parameters_400(runtime: LocalRuntime) -> None:
    status, body = _get_article(runtime, "0" * 32)
    assert status == 404 and body["error"] == "not_found"
    status, body = _get_article(runtime, "not%20an%20id")
    assert status == 400 and "article id" in body["message"]
    for query, message in [
        ({"since": "last week"}, "since must be an ISO 8601"),
        ({"limit": "1000"}, "limit must be"),
        ({"status": "lost"}, "status must be one of"),
        ({"cursor": "bm90IG91cnM"}, "cursor"),
        ({"order": "asc"}, "unknown parameter"),
    ]:
        status, _, body = call(runtime, "api-get-articles.json", **query)
        assert status == 400, query
        assert body["error"] == "bad_request" and message in body["message"]
    status, _, body = call(runtime, "api-get-digest.json", day="yesterday")
    assert status == 400 and "day must be a date" in body["message"]


def _summary(n: int, site: str, published: str | None) -> dict[str, Any]:
    document = {
        "article_id": f"{n:032x}",
        "source": {
            "kind": "url",
            "ref": f"https://{site}/n/{n}",
            "url": f"https://{site}/n/{n}",
            "raw_key": None,
        },
        "content_sha256": f"sha{n}",
        "article": {"title": f"Story {n}", "published": published, "site_name": site, "language": "en"},
    }
    return summary_item(
        document, Summary([f"Sentence {n}."], "default", "en"), source_key=f"articles/{n:032x}.json"
    )


def test_listings_page_through_every_shard_newest_first_and_failures_by_stage(
    runtime: LocalRuntime,
) -> None:
    table = runtime.resources.outputs["TableName"]
    storage = Storage()
    for n in range(23):
        site = "a.example" if n % 3 else "b.example"
        storage.write_item(table, _summary(n, site, f"2024-05-{1 + n:02d}T08:00:00+02:00"), replace_ok=True)
    # A failure that later succeeded leaves the failure index; two others stay.
    flaky = Source.from_url("https://a.example/flaky")
    storage.write_item(
        table, failure_item(flaky, stage="fetch", reason="timeout", message="t"), replace_ok=False
    )
    recovered = {**_summary(99, "a.example", None), "article_id": flaky.article_id}
    storage.write_item(table, recovered, replace_ok=True)
    for stage, url in (("fetch", "https://a.example/gone"), ("extract", "https://b.example/index")):
        item = failure_item(Source.from_url(url), stage=stage, reason="not_found", message="404")
        storage.write_item(table, item, replace_ok=False)

    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": "7", **({"cursor": cursor} if cursor else {})}
        status, _, body = call(runtime, "api-get-articles.json", **query)
        assert status == 200 and len(body["items"]) <= 7
        seen.extend(body["items"])
        cursor = body["cursor"]
        if cursor is None:
            break
    ids = [i["article_id"] for i in seen]
    assert len(ids) == len(set(ids)) == 23 + 1 + 2
    stamps = [i["published_at"] for i in seen]
    assert stamps == sorted(stamps, reverse=True)
    assert {i["time_shard"] for i in boto3.resource("dynamodb").Table(table).scan()["Items"]} == {
        str(n) for n in range(keys.TIME_SHARDS)
    }

    status, _, body = call(runtime, "api-get-articles.json", site="b.example", status="ok", limit="100")
    assert [i["title"] for i in body["items"]] == [f"Story {n}" for n in (21, 18, 15, 12, 9, 6, 3, 0)]
    status, _, body = call(
        runtime, "api-get-articles.json", since="2024-05-10", until="2024-05-12T06:00:00Z", status="ok"
    )
    assert [i["published_at"] for i in body["items"]] == ["2024-05-11T06:00:00Z", "2024-05-10T06:00:00Z"]

    status, _, body = call(runtime, "api-get-articles.json", status="failed")
    assert sorted((i["stage"], i["url"]) for i in body["items"]) == [
        ("extract", "https://b.example/index"),
        ("fetch", "https://a.example/gone"),
    ]
    status, _, body = call(runtime, "api-get-articles.json", stage="extract")
    assert [i["url"] for i in body["items"]] == ["https://b.example/index"]
    # The failure index holds failures only: the recovered item is not there.
    index = boto3.client("dynamodb").query(
        TableName=table,
        IndexName=keys.BY_FAILURE,
        KeyConditionExpression="failed_stage = :s",
        ExpressionAttributeValues={":s": {"S": "fetch"}},
    )
    assert [i["url"]["S"] for i in index["Items"]] == ["https://a.example/gone"]
    assert set(FAILURE_STAGES) >= {"fetch", "extract"}


def test_the_local_stack_has_the_templates_indexes(runtime: LocalRuntime) -> None:
    from newsdigest.local.template import load_template

    declared = load_template(ROOT / "template.yaml")["Resources"]["SummariesTable"]["Properties"]
    table = boto3.client("dynamodb").describe_table(TableName=runtime.resources.outputs["TableName"])["Table"]
    local = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in table["GlobalSecondaryIndexes"]}
    assert local == {
        i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in declared["GlobalSecondaryIndexes"]
    }
