"""Pure pieces of the pipeline: sources and ids, records, requests, event parsing, settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from newsdigest.aws.events import event_kind, object_refs
from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import StoredObject
from newsdigest.discovery.canonical import canonical_url
from newsdigest.errors import InputError, NewsdigestError
from newsdigest.models import Article, Summary
from newsdigest.pipeline.ingest import IngestService
from newsdigest.pipeline.inputs import Source
from newsdigest.pipeline.records import article_document, failure_item, summary_item
from newsdigest.pipeline.url_requests import MAX_URLS_PER_REQUEST, parse_url_request

EVENTS = Path(__file__).resolve().parents[2] / "events"


def test_same_page_however_written_has_one_id() -> None:
    a = Source.from_url("HTTPS://Example.COM:443/news/1#comments")
    b = Source.from_url("https://example.com/news/1")
    assert a.article_id == b.article_id
    assert Source.from_url("https://example.com/news/2").article_id != a.article_id
    assert canonical_url("http://example.com") == "http://example.com/"


def test_tracking_variants_of_a_page_are_one_item() -> None:
    plain = Source.from_url("https://example.com/news/1?id=7")
    for variant in (
        "https://example.com/news/1?utm_source=rss&id=7&utm_medium=feed",
        "https://example.com/news/1?id=7&fbclid=IwAR0abc",
        "https://EXAMPLE.com:443/news/1?gclid=x&id=7&mc_cid=1&mc_eid=2#top",
    ):
        assert Source.from_url(variant).article_id == plain.article_id, variant
    upload = Source.from_s3("raw", "x.html", page_url="https://example.com/news/1?id=7&utm_campaign=a")
    assert upload.article_id == plain.article_id
    # The parameter that names the article is not tracking.
    assert Source.from_url("https://example.com/news/1?id=8").article_id != plain.article_id


def test_upload_naming_its_page_is_that_page() -> None:
    upload = Source.from_s3("raw", "x.html", page_url="https://example.com/news/1")
    assert upload.article_id == Source.from_url("https://example.com/news/1").article_id
    assert Source.from_s3("raw", "x.html").ref == "s3://raw/x.html"


def test_article_document_is_deterministic_and_summary_item_carries_metadata() -> None:
    article = Article(title="T", text="One. Two.", published="2024-05-11", language="en", site_name="S")
    source = Source.from_url("https://example.com/a")
    doc = article_document(article, source, raw_key=None)
    assert doc == article_document(article, source, raw_key=None)
    item = summary_item(
        doc, Summary(sentences=["One."], method="default", language="english"), source_key="k"
    )
    assert item["article_id"] == source.article_id
    assert (item["title"], item["published"], item["word_count"], item["summary"]) == (
        "T",
        "2024-05-11",
        2,
        ["One."],
    )
    assert item["status"] == "ok" and item["algorithm"] == "default"


def test_failure_item_keeps_reason_and_bounded_message() -> None:
    item = failure_item(
        Source.from_url("https://e.com/"), stage="fetch", reason="timeout", message="x" * 5000
    )
    assert item["status"] == "failed" and item["reason"] == "timeout" and len(item["error"]) == 1000


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {},
        {"url": "x"},
        {"urls": []},
        {"urls": [""]},
        {"urls": [1]},
        {"urls": ["https://e.com/"] * (MAX_URLS_PER_REQUEST + 1)},
    ],
)
def test_bad_url_requests_are_clear_errors(payload: Any) -> None:
    with pytest.raises(InputError) as info:
        parse_url_request(payload)
    assert info.value.reason == "bad_request"


def test_url_request_dedupes_in_order() -> None:
    assert parse_url_request({"urls": ["https://b/", " https://a/ ", "https://b/"]}) == [
        "https://b/",
        "https://a/",
    ]
    assert parse_url_request({"urls": "https://a/"}) == ["https://a/"]


def test_event_kinds_of_every_events_file() -> None:
    kinds = {
        p.name: event_kind(json.loads(p.read_text())) for p in EVENTS.glob("*.json") if "env" not in p.name
    }
    assert kinds == {
        "api-post-articles.json": "http",
        "api-get-articles.json": "http",
        "api-get-article.json": "http",
        "api-get-digest.json": "http",
        "invoke-urls.json": "direct",
        "s3-put-article.json": "s3",
        "s3-put-raw.json": "s3",
        "sqs-article-created.json": "sqs",
        "sqs-raw-upload.json": "sqs",
        "sqs-s3-test-event.json": "sqs",
    }


def test_keys_are_decoded_once_plus_is_space() -> None:
    body = json.dumps(
        {
            "Records": [
                {
                    "eventSource": "aws:s3",
                    "eventName": "ObjectCreated:Put",
                    "s3": {"bucket": {"name": "b"}, "object": {"key": "a+b%2Bc%2520%C3%BC", "eTag": "e"}},
                }
            ]
        }
    )
    assert object_refs(body) == [{"bucket": "b", "key": "a b+c%20ü", "etag": "e"}]


def test_deletes_are_ignored_and_test_events_yield_nothing() -> None:
    body = json.dumps(
        {
            "Records": [
                {
                    "eventSource": "aws:s3",
                    "eventName": "ObjectRemoved:Delete",
                    "s3": {"bucket": {"name": "b"}, "object": {"key": "k"}},
                }
            ]
        }
    )
    assert object_refs(body) == []
    assert object_refs(json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})) == []


@pytest.mark.parametrize("body", ["", "nope", "[]", "{}", '{"Records": "x"}'])
def test_malformed_messages_raise_input_error(body: str) -> None:
    with pytest.raises(InputError):
        object_refs(body)


def test_settings_from_env() -> None:
    s = Settings.from_env(
        {
            "ARTICLES_BUCKET": "a",
            "TABLE_NAME": "t",
            "SUMMARY_SENTENCES": "4",
            "FETCH_RESPECT_ROBOTS": "false",
            "FETCH_MAX_BYTES": "10",
        }
    )
    assert (s.articles_bucket, s.table_name, s.summary_sentences) == ("a", "t", 4)
    assert s.fetch.respect_robots is False and s.fetch.max_bytes == 10
    assert s.fetch.allow_private_addresses is False
    with pytest.raises(RuntimeError, match="idempotency_table"):
        s.require("articles_bucket", "idempotency_table")


class FakeStorage:
    def __init__(self, objects: dict[tuple[str, str], bytes]) -> None:
        self.objects = objects
        self.items: list[dict[str, Any]] = []
        self.puts: list[tuple[str, str]] = []

    def get_object(self, bucket: str, key: str, *, max_bytes: int) -> StoredObject:
        if (bucket, key) not in self.objects:
            raise InputError("gone", reason="object_missing")
        return StoredObject(bucket, key, self.objects[(bucket, key)], "etag", "text/html; charset=utf-8", {})

    def put_json(self, bucket: str, key: str, document: Any, *, metadata: Any) -> str:
        self.puts.append((bucket, key))
        return "etag"

    def write_item(self, table: str, item: dict[str, Any], *, replace_ok: bool) -> bool:
        self.items.append(item)
        return True


def test_ingest_refuses_to_read_its_own_output() -> None:
    settings = Settings(articles_bucket="arts", table_name="t")
    service = IngestService(settings, FakeStorage({}))  # type: ignore[arg-type]
    with pytest.raises(NewsdigestError) as info:
        service.ingest_object("arts", "articles/x.json")
    assert info.value.reason == "own_output"


def test_ingest_writes_only_under_the_articles_prefix() -> None:
    page = (EVENTS / "pages" / "tass-grain-harvest.html").read_bytes()
    storage = FakeStorage({("raw", "a.html"): page})
    settings = Settings(articles_bucket="arts", articles_prefix="articles/", table_name="t")
    outcome = IngestService(settings, storage).ingest_object("raw", "a.html")  # type: ignore[arg-type]
    assert outcome.status == "stored"
    assert storage.puts == [("arts", f"articles/{Source.from_s3('raw', 'a.html').article_id}.json")]


def test_urls_past_the_time_budget_are_recorded_not_fetched() -> None:
    fetched: list[str] = []

    def fetcher(url: str, settings: Any) -> Any:
        fetched.append(url)
        raise AssertionError("must not fetch")

    storage = FakeStorage({})
    service = IngestService(Settings(table_name="t"), storage, fetcher=fetcher)  # type: ignore[arg-type]
    outcomes = service.ingest_urls(["https://a.example/1", "https://b.example/2"], seconds=0.5)
    assert fetched == []
    assert [o.reason for o in outcomes] == ["budget", "budget"]
    assert [i["reason"] for i in storage.items] == ["budget", "budget"]


def test_each_fetch_gets_at_most_what_is_left_of_the_budget() -> None:
    budgets: list[float] = []

    def fetcher(url: str, settings: Any) -> Any:
        budgets.append(settings.total_timeout)
        raise NewsdigestError("refused", reason="address_not_allowed")

    service = IngestService(Settings(table_name="t"), FakeStorage({}), fetcher=fetcher)  # type: ignore[arg-type]
    service.ingest_urls(["https://a.example/1"], seconds=8)
    # The fetch may use most of the URL's share; the rest is for extracting and storing the page.
    assert len(budgets) == 1 and 0.75 * 8 < budgets[0] <= 0.8 * 8


def test_a_failing_give_up_does_not_skip_the_other_objects_of_a_message() -> None:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from newsdigest.aws.events import process_s3_message

    def s3(key: str) -> dict[str, Any]:
        return {
            "eventSource": "aws:s3",
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": "b"}, "object": {"key": key, "eTag": "e"}},
        }

    body = json.dumps({"Records": [s3("bad"), s3("good")]})
    record = SQSRecord({"messageId": "m", "body": body, "attributes": {"ApproximateReceiveCount": "3"}})
    handled: list[str] = []

    def handle(ref: dict[str, str]) -> dict[str, Any]:
        handled.append(ref["key"])
        if ref["key"] == "bad":
            raise ConnectionError("storage down")
        return {"status": "stored"}

    def give_up(bucket: str, key: str, exc: BaseException, reason: str) -> dict[str, Any]:
        raise ConnectionError("table down too")

    with pytest.raises(ConnectionError, match="storage down"):
        process_s3_message(record, handle, give_up, max_receive_count=3)
    assert handled == ["bad", "good"]
