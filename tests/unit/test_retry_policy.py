"""The retry policy: each error's kind, and what the message handling and the services do with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    ParamValidationError,
    ReadTimeoutError,
)
from newsdigest.aws.events import process_s3_message
from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import StoredObject
from newsdigest.errors import (
    BudgetExceeded,
    ExtractionError,
    FetchError,
    InputError,
    NewsdigestError,
    TransientError,
)
from newsdigest.pipeline.ingest import IngestService
from newsdigest.pipeline.inputs import Source
from newsdigest.pipeline.policy import Kind, classify

EVENTS = Path(__file__).resolve().parents[2] / "events"
PAGE = (EVENTS / "pages" / "tass-grain-harvest.html").read_bytes()


def client_error(code: str, status: int, message: str = "injected") -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "Operation")


class IdempotencyAlreadyInProgressError(Exception):
    """Same name as Powertools' (matched by name, so summarise never imports that utility)."""


@pytest.mark.parametrize(
    ("exc", "kind", "reason"),
    [
        (InputError("x"), Kind.PERMANENT, "bad_input"),
        (InputError("x", reason="bad_document"), Kind.PERMANENT, "bad_document"),
        (ExtractionError("x"), Kind.PERMANENT, "not_article"),
        (FetchError("x", reason="bad_url"), Kind.PERMANENT, "bad_url"),
        (NewsdigestError("x", reason="unsupported_charset"), Kind.PERMANENT, "unsupported_charset"),
        (BudgetExceeded("x"), Kind.PERMANENT, "budget"),
        (TransientError("x", reason="timeout"), Kind.TRANSIENT, "timeout"),
        (client_error("NoSuchBucket", 404), Kind.PERMANENT, "no_such_bucket"),
        (client_error("NoSuchKey", 404), Kind.PERMANENT, "object_missing"),
        (client_error("AccessDenied", 403), Kind.PERMANENT, "access_denied"),
        (client_error("SlowDown", 503), Kind.TRANSIENT, "throttled"),
        (client_error("ProvisionedThroughputExceededException", 400), Kind.TRANSIENT, "throttled"),
        (client_error("ThrottlingException", 400), Kind.TRANSIENT, "throttled"),
        (client_error("InternalError", 500), Kind.TRANSIENT, "service_error"),
        (client_error("ServiceUnavailable", 503), Kind.TRANSIENT, "service_error"),
        (
            client_error("ValidationException", 400, "Item size has exceeded the maximum allowed size"),
            Kind.PERMANENT,
            "too_large",
        ),
        (client_error("ValidationException", 400, "Invalid UpdateExpression"), Kind.BUG, "bug:ClientError"),
        (EndpointConnectionError(endpoint_url="http://x"), Kind.TRANSIENT, "connection"),
        (ReadTimeoutError(endpoint_url="http://x"), Kind.TRANSIENT, "timeout"),
        (ParamValidationError(report="bad"), Kind.BUG, "bug:ParamValidationError"),
        (ConnectionResetError("reset"), Kind.TRANSIENT, "connection"),
        (TimeoutError("slow"), Kind.TRANSIENT, "timeout"),
        (IdempotencyAlreadyInProgressError("held"), Kind.TRANSIENT, "in_progress"),
        (AttributeError("'NoneType' object has no attribute 'text'"), Kind.BUG, "bug:AttributeError"),
        (TypeError("unhashable"), Kind.BUG, "bug:TypeError"),
        (KeyError("title"), Kind.BUG, "bug:KeyError"),
        (RecursionError(), Kind.BUG, "bug:RecursionError"),
    ],
)
def test_every_error_has_one_kind(exc: BaseException, kind: Kind, reason: str) -> None:
    verdict = classify(exc)
    assert (verdict.kind, verdict.reason) == (kind, reason)
    assert verdict.give_up_reason == f"retries_exhausted:{reason}"


def test_the_permanent_flag_is_what_decides_for_project_errors() -> None:
    class Odd(NewsdigestError):
        reason = "odd"
        permanent = False

    assert classify(Odd("x")).kind is Kind.TRANSIENT
    assert classify(NewsdigestError("x", reason="own_output")).permanent


# ------------------------------------------------------------------------------- message handling


def _message(keys: list[str], receive_count: int) -> SQSRecord:
    records = [
        {
            "eventSource": "aws:s3",
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": "raw"}, "object": {"key": key, "eTag": "e"}},
        }
        for key in keys
    ]
    return SQSRecord(
        {
            "messageId": "m",
            "body": json.dumps({"Records": records}),
            "attributes": {"ApproximateReceiveCount": str(receive_count)},
        }
    )


class Recorder:
    def __init__(self, failures: dict[str, BaseException]) -> None:
        self.failures = failures
        self.recorded: list[tuple[str, str]] = []
        self.handled: list[str] = []

    def handle(self, ref: dict[str, str]) -> dict[str, Any]:
        self.handled.append(ref["key"])
        if ref["key"] in self.failures:
            raise self.failures[ref["key"]]
        return {"status": "stored", "key": ref["key"]}

    def record_failure(self, bucket: str, key: str, exc: BaseException, reason: str) -> dict[str, Any]:
        self.recorded.append((key, reason))
        return {"status": "failed", "reason": reason}


def test_a_permanent_error_is_recorded_on_the_first_delivery_and_the_message_is_done() -> None:
    recorder = Recorder({"gone": client_error("NoSuchBucket", 404)})
    results = process_s3_message(
        _message(["gone", "ok"], 1), recorder.handle, recorder.record_failure, max_receive_count=3
    )
    assert recorder.recorded == [("gone", "no_such_bucket")]
    assert [r["status"] for r in results] == ["failed", "stored"]


def test_a_transient_error_is_retried_without_an_item_until_the_last_delivery() -> None:
    recorder = Recorder({"slow": client_error("SlowDown", 503)})
    with pytest.raises(ClientError):
        process_s3_message(
            _message(["slow", "ok"], 1), recorder.handle, recorder.record_failure, max_receive_count=3
        )
    assert recorder.recorded == []
    assert recorder.handled == ["slow", "ok"]  # the other object still had its turn
    with pytest.raises(ClientError):
        process_s3_message(
            _message(["slow"], 3), recorder.handle, recorder.record_failure, max_receive_count=3
        )
    assert recorder.recorded == [("slow", "retries_exhausted:throttled")]


def test_a_bug_is_logged_with_its_traceback_retried_and_dead_lettered_with_its_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder({"page": AttributeError("'NoneType' object has no attribute 'text'")})
    with pytest.raises(AttributeError):
        process_s3_message(
            _message(["page"], 1), recorder.handle, recorder.record_failure, max_receive_count=3
        )
    assert recorder.recorded == []  # not recorded as anything about the page
    bug = next(r for r in caplog.records if getattr(r, "reason", None) == "bug:AttributeError")
    assert bug.levelname == "ERROR" and bug.exc_info is not None
    assert isinstance(bug.exc_info[1], AttributeError)  # logged with its traceback
    with pytest.raises(AttributeError):
        process_s3_message(
            _message(["page"], 3), recorder.handle, recorder.record_failure, max_receive_count=3
        )
    assert recorder.recorded == [("page", "retries_exhausted:bug:AttributeError")]


# ------------------------------------------------------------------------------------- services


class Storage:
    def __init__(self, objects: dict[tuple[str, str], Any], metadata: dict[str, str] | None = None) -> None:
        self.objects = objects
        self.metadata = metadata or {}
        self.items: list[dict[str, Any]] = []

    def get_object(self, bucket: str, key: str, *, max_bytes: int) -> StoredObject:
        body = self.objects[(bucket, key)]
        if isinstance(body, BaseException):
            raise body
        return StoredObject(bucket, key, body, "etag", "text/html; charset=utf-8", self.metadata)

    def put_json(self, bucket: str, key: str, document: Any, *, metadata: Any) -> str:
        return "etag"

    def write_item(self, table: str, item: dict[str, Any], *, replace_ok: bool) -> bool:
        self.items.append(item)
        return True


def _ingest(storage: Storage) -> IngestService:
    return IngestService(Settings(articles_bucket="arts", table_name="t"), storage)  # type: ignore[arg-type]


def test_no_such_bucket_fails_at_once_with_an_item() -> None:
    storage = Storage({("gone", "a.html"): client_error("NoSuchBucket", 404)})
    outcome = _ingest(storage).ingest_object("gone", "a.html")
    assert (outcome.status, outcome.reason) == ("failed", "no_such_bucket")
    assert [(i["reason"], i["stage"]) for i in storage.items] == [("no_such_bucket", "read")]


def test_a_bug_inside_extraction_is_raised_as_a_bug_not_recorded_as_an_empty_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsdigest.extract import article

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise AttributeError("'NoneType' object has no attribute 'itertext'")

    monkeypatch.setattr(article, "_extract", broken)
    with pytest.raises(AttributeError):
        article.extract_article(PAGE, "https://tass.com/economy/1")
    storage = Storage({("raw", "a.html"): PAGE})
    with pytest.raises(AttributeError):  # propagates to the queue: retried, then dead-lettered as a bug
        _ingest(storage).ingest_object("raw", "a.html")
    assert storage.items == []


def test_markup_too_deep_to_walk_is_still_the_pages_outcome() -> None:
    from newsdigest.extract import extract_article

    deep = "<html><body>" + "<div>" * 50_000 + "text" + "</div>" * 50_000 + "</body></html>"
    assert extract_article(deep).status in {"empty", "not_article", "ok"}


def test_an_upload_naming_an_unusable_page_url_fails_at_once_on_the_upload() -> None:
    storage = Storage({("raw", "a.html"): PAGE}, metadata={"source-url": "http://["})
    outcome = _ingest(storage).ingest_object("raw", "a.html")
    assert (outcome.status, outcome.reason) == ("failed", "bad_url")
    assert outcome.article_id == Source.from_s3("raw", "a.html").article_id
    assert storage.items[0]["article_id"] == outcome.article_id
