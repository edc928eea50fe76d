"""The real handlers, driven with the events/ files against a moto server over HTTP."""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import unquote_plus

import boto3
import pytest
from newsdigest.aws.storage import Storage
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.inputs import Source

from .conftest import ROOT, load_event

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"


def _raw_ref(event: dict[str, Any]) -> tuple[str, str]:
    body = json.loads(event["Records"][0]["body"]) if "body" in event["Records"][0] else event
    record = body["Records"][0]["s3"]
    return record["bucket"]["name"], unquote_plus(record["object"]["key"])


def _items(runtime: LocalRuntime) -> list[dict[str, Any]]:
    table = runtime.resources.outputs["TableName"]
    return boto3.resource("dynamodb").Table(table).scan()["Items"]


def _objects(bucket: str) -> list[str]:
    return [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])]


def _ingest_event_file(runtime: LocalRuntime, name: str, body: bytes) -> tuple[dict[str, Any], str]:
    event = load_event(name)
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=body)
    return runtime.invoke("IngestFunction", event), key


def test_sqs_upload_event_decodes_key_and_stores_clean_article(runtime: LocalRuntime) -> None:
    reply, key = _ingest_event_file(runtime, "sqs-raw-upload.json", TASS.read_bytes())
    assert " " in key and "+" in key and "ü" in key  # the event's key is URL-encoded; we decoded it
    assert reply == {"batchItemFailures": []}
    articles_bucket = runtime.resources.outputs["ArticlesBucketName"]
    source = Source.from_s3(runtime.resources.outputs["RawBucketName"], key)
    stored = _objects(articles_bucket)
    assert stored == [f"articles/{source.article_id}.json"]
    document = json.loads(boto3.client("s3").get_object(Bucket=articles_bucket, Key=stored[0])["Body"].read())
    assert document["article"]["title"].startswith("Russia raises grain harvest forecast")
    assert document["source"]["raw_key"] == key


def test_plain_s3_event_is_handled_too(runtime: LocalRuntime) -> None:
    reply, _ = _ingest_event_file(runtime, "s3-put-raw.json", TASS.read_bytes())
    assert reply["results"][0]["status"] == "stored"


def test_summarise_event_writes_one_item(runtime: LocalRuntime) -> None:
    _ingest_event_file(runtime, "sqs-raw-upload.json", TASS.read_bytes())
    articles_bucket = runtime.resources.outputs["ArticlesBucketName"]
    written = _objects(articles_bucket)[0]
    # Put the article where the events/ file says it is, as S3 would before notifying.
    event = load_event("sqs-article-created.json")
    _, event_key = _raw_ref(event)
    s3 = boto3.client("s3")
    s3.copy_object(
        Bucket=articles_bucket, Key=event_key, CopySource={"Bucket": articles_bucket, "Key": written}
    )
    assert runtime.invoke("SummariseFunction", event) == {"batchItemFailures": []}
    items = _items(runtime)
    assert len(items) == 1
    item = items[0]
    assert item["status"] == "ok"
    assert item["title"].startswith("Russia raises grain harvest forecast")
    assert item["summary"] and all(isinstance(s, str) for s in item["summary"])
    assert item["source_key"] == event_key
    for field in (
        "article_id",
        "published",
        "site_name",
        "language",
        "word_count",
        "algorithm",
        "created_at",
        "updated_at",
    ):
        assert field in item


def test_redelivered_event_makes_no_second_write(runtime: LocalRuntime) -> None:
    _ingest_event_file(runtime, "sqs-raw-upload.json", TASS.read_bytes())
    articles_bucket = runtime.resources.outputs["ArticlesBucketName"]
    written = _objects(articles_bucket)[0]
    event = load_event("sqs-article-created.json")
    _, event_key = _raw_ref(event)
    boto3.client("s3").copy_object(
        Bucket=articles_bucket, Key=event_key, CopySource={"Bucket": articles_bucket, "Key": written}
    )
    runtime.invoke("SummariseFunction", event)
    first = _items(runtime)
    again = copy.deepcopy(event)
    again["Records"][0]["messageId"] = "another-delivery"
    assert runtime.invoke("SummariseFunction", again) == {"batchItemFailures": []}
    second = _items(runtime)
    assert len(second) == 1
    assert second[0]["updated_at"] == first[0]["updated_at"]


def test_s3_test_event_is_accepted_and_writes_nothing(runtime: LocalRuntime) -> None:
    reply = runtime.invoke("IngestFunction", load_event("sqs-s3-test-event.json"))
    assert reply == {"batchItemFailures": []}
    assert _objects(runtime.resources.outputs["ArticlesBucketName"]) == []
    assert _items(runtime) == []


def test_bad_record_fails_alone_and_the_rest_of_the_batch_succeeds(runtime: LocalRuntime) -> None:
    event = load_event("sqs-raw-upload.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=TASS.read_bytes())
    broken = copy.deepcopy(event["Records"][0])
    broken["messageId"] = "broken-1"
    broken["body"] = "{not json"
    unknown = copy.deepcopy(event["Records"][0])
    unknown["messageId"] = "unknown-shape"
    unknown["body"] = json.dumps({"hello": "world"})
    event["Records"] = [broken, event["Records"][0], unknown]
    reply = runtime.invoke("IngestFunction", event)
    assert sorted(f["itemIdentifier"] for f in reply["batchItemFailures"]) == ["broken-1", "unknown-shape"]
    assert len(_objects(runtime.resources.outputs["ArticlesBucketName"])) == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>", None),
    ],
)
def test_unusable_page_ends_as_failed_item_with_reason(
    runtime: LocalRuntime, body: bytes, reason: str | None
) -> None:
    reply, _ = _ingest_event_file(runtime, "sqs-raw-upload.json", body)
    assert reply == {"batchItemFailures": []}  # permanent: recorded, not retried
    items = _items(runtime)
    assert len(items) == 1
    assert items[0]["status"] == "failed"
    assert items[0]["stage"] == "extract"
    assert items[0]["reason"]
    if reason:
        assert items[0]["reason"] == reason
    assert _objects(runtime.resources.outputs["ArticlesBucketName"]) == []


def test_object_deleted_before_processing_is_recorded(runtime: LocalRuntime) -> None:
    event = load_event("sqs-raw-upload.json")  # nothing uploaded at its key
    assert runtime.invoke("IngestFunction", event) == {"batchItemFailures": []}
    items = _items(runtime)
    assert [i["reason"] for i in items] == ["object_missing"]


def test_last_attempt_records_failure_before_dead_letter(
    runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = load_event("sqs-raw-upload.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=TASS.read_bytes())

    def broken_put(self: Storage, *args: Any, **kwargs: Any) -> str:
        raise ConnectionError("articles bucket unreachable")

    monkeypatch.setattr(Storage, "put_json", broken_put)
    first = runtime.invoke("IngestFunction", event)
    assert [f["itemIdentifier"] for f in first["batchItemFailures"]] == [event["Records"][0]["messageId"]]
    assert _items(runtime) == []  # not the last attempt: no verdict yet
    event["Records"][0]["attributes"]["ApproximateReceiveCount"] = "3"
    last = runtime.invoke("IngestFunction", event)
    assert len(last["batchItemFailures"]) == 1  # still goes on to the dead-letter queue
    items = _items(runtime)
    assert len(items) == 1
    assert items[0]["reason"] == "retries_exhausted:connection"  # the policy names the kind of trouble
    assert "unreachable" in items[0]["error"]


def test_direct_invoke_with_bad_shape_is_a_clear_error(runtime: LocalRuntime) -> None:
    reply = runtime.invoke("IngestFunction", {"url": "https://example.com/"})
    assert reply["error"] == "bad_request"
    assert "urls" in reply["message"]


@pytest.mark.parametrize(
    "event", [{}, {"Records": []}, {"urls": ["https://e.com/"]}, {"Records": [{"x": 1}]}]
)
def test_summarise_rejects_unknown_event_shapes_clearly(runtime: LocalRuntime, event: dict[str, Any]) -> None:
    reply = runtime.invoke("SummariseFunction", event)
    assert reply["error"] == "bad_request"
    assert _items(runtime) == []


def test_summarise_records_a_broken_article_document(runtime: LocalRuntime) -> None:
    event = load_event("sqs-article-created.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=b'{"article": "not an object"}')
    assert runtime.invoke("SummariseFunction", event) == {"batchItemFailures": []}
    items = _items(runtime)
    assert [(i["status"], i["stage"], i["reason"]) for i in items] == [
        ("failed", "summarise", "bad_document")
    ]
