"""Logs and metrics as Powertools emits them, asserted on the real handlers' output the way Powertools'
own examples do (examples/metrics: parse each EMF blob printed to stdout).

Correlation: every log line of a request carries its correlation id; lines written for one SQS record
carry its message id, the object, the source and the article id. Metrics: ColdStart once per cold
start, and one Failures blob per failed input with stage and reason as dimensions.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.metrics.provider import cold_start
from newsdigest.aws.observability import logger, metrics
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.inputs import Source

from .conftest import load_event
from .test_handlers import _raw_ref


class Output:
    """What the handlers wrote: EMF blobs (printed to stdout, read with capsys as Powertools'
    examples do) and log lines (the Logger's handler, pointed at a buffer of the test's own)."""

    def __init__(self, capsys: pytest.CaptureFixture[str], logs: io.StringIO) -> None:
        self.capsys = capsys
        self.log_buffer = logs

    def take(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(EMF blobs, log lines) written since the last call."""
        blobs = [json.loads(line) for line in self.capsys.readouterr().out.splitlines() if '"_aws"' in line]
        lines = [json.loads(line) for line in self.log_buffer.getvalue().splitlines() if line.startswith("{")]
        self.log_buffer.seek(0)
        self.log_buffer.truncate()
        return blobs, lines


@pytest.fixture
def output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Output]:
    # As Powertools' examples/metrics clear_metrics_in_tests: every test starts from a cold start.
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    metrics.clear_metrics()
    cold_start.reset_cold_start_flag()
    buffer = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", buffer)
    yield Output(capsys, buffer)
    metrics.clear_metrics()


def _dimensions(blob: dict[str, Any]) -> set[str]:
    return set(blob["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0])


def _metric_names(blob: dict[str, Any]) -> set[str]:
    return {m["Name"] for m in blob["_aws"]["CloudWatchMetrics"][0]["Metrics"]}


def _ingest_blank_upload(
    runtime: LocalRuntime, output: Output
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Ingest one upload holding only whitespace (an input that fails): its event, then the EMF blobs
    and the log lines the invocation wrote."""
    event = load_event("sqs-raw-upload.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=b"   ")
    output.take()
    assert runtime.invoke("IngestFunction", event) == {"batchItemFailures": []}
    blobs, logs = output.take()
    return event, blobs, logs


def test_failed_upload_logs_correlated_keys_and_a_failure_metric_with_stage_and_reason(
    runtime: LocalRuntime, output: Output
) -> None:
    event, blobs, logs = _ingest_blank_upload(runtime, output)
    bucket, key = _raw_ref(event)

    cold_start = [b for b in blobs if "ColdStart" in b]
    assert len(cold_start) == 1
    assert cold_start[0]["ColdStart"] == [1.0]
    assert cold_start[0]["function_name"] == runtime.resources.functions["IngestFunction"].name

    failures = [b for b in blobs if "Failures" in b]
    assert len(failures) == 1
    assert _dimensions(failures[0]) == {"service", "stage", "reason"}
    failure = failures[0]
    assert (failure["stage"], failure["reason"], failure["Failures"]) == ("extract", "empty", [1.0])
    assert failures[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == metrics.namespace

    # The invocation's own blob keeps only the service dimension.
    invocation = next(b for b in blobs if "IngestFailures" in b)
    assert _dimensions(invocation) == {"service"}

    record = event["Records"][0]
    source = Source.from_s3(bucket, key)
    warning = next(line for line in logs if line["message"] == "input failed")
    assert warning["message_id"] == record["messageId"]
    assert warning["object"] == f"s3://{bucket}/{key}"
    assert (warning["source"], warning["article_id"]) == (source.ref, source.article_id)
    assert warning["correlation_id"]  # Lambda's request id for a queue-driven invocation
    assert (warning["stage"], warning["reason"]) == ("extract", "empty")

    # The record's keys are gone once it is handled: nothing leaks onto the next record's lines.
    logger.warning("after the batch")
    _, logs = output.take()
    assert not {"message_id", "object", "source", "article_id"} & set(logs[-1])

    # A warm invocation (another empty upload): its failure is counted, with no second ColdStart.
    warm = copy.deepcopy(event)
    body = json.loads(warm["Records"][0]["body"])
    body["Records"][0]["s3"]["object"]["key"] += "2"
    warm["Records"][0]["body"] = json.dumps(body)
    boto3.client("s3").put_object(Bucket=bucket, Key=key + "2", Body=b"")
    runtime.invoke("IngestFunction", warm)
    blobs, _ = output.take()
    assert [b["reason"] for b in blobs if "Failures" in b] == ["empty"]
    assert not [b for b in blobs if "ColdStart" in b]


def test_metrics_disabled_writes_no_blob_at_all_not_even_cold_start(
    runtime: LocalRuntime, output: Output, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Local runs (`newsdigest run`, `crawl`) disable metrics; Powertools' ColdStart blob ignored that.
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    _, blobs, logs = _ingest_blank_upload(runtime, output)
    assert blobs == []
    assert any(line["message"] == "input failed" for line in logs)  # the invocation did run


def test_api_request_lines_carry_the_api_request_id(runtime: LocalRuntime, output: Output) -> None:
    event = load_event("api-post-articles.json")
    event["body"] = json.dumps({"urls": ["ftp://example.com/news/1"]})
    output.take()
    reply = runtime.invoke("IngestFunction", event)
    assert reply["statusCode"] == 200
    blobs, logs = output.take()
    warning = next(line for line in logs if line["message"] == "input failed")
    assert warning["correlation_id"] == event["requestContext"]["requestId"]
    assert warning["url"] == "ftp://example.com/news/1"
    assert warning["article_id"] == Source.from_url("ftp://example.com/news/1").article_id
    failure = next(b for b in blobs if "Failures" in b)
    assert (failure["stage"], failure["reason"]) == ("fetch", "scheme_not_allowed")


def test_summarise_failure_metric_and_keys(runtime: LocalRuntime, output: Output) -> None:
    event = load_event("sqs-article-created.json")
    bucket, key = _raw_ref(event)
    document = {
        "version": 1,
        "article_id": "0" * 32,
        "source": {"kind": "url", "ref": "https://example.com/a", "url": "https://example.com/a"},
        "content_sha256": "x",
        "article": {"text": "", "title": "Nothing"},
    }
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps(document).encode())
    output.take()
    assert runtime.invoke("SummariseFunction", event) == {"batchItemFailures": []}
    blobs, logs = output.take()
    failure = next(b for b in blobs if "Failures" in b)
    assert (failure["stage"], failure["reason"]) == ("summarise", "empty_text")
    assert any("ColdStart" in b for b in blobs)
    assert _metric_names(next(b for b in blobs if "SummariseFailures" in b)) == {"SummariseFailures"}
    warning = next(line for line in logs if line["message"] == "summarise failed")
    assert (warning["article_id"], warning["source"]) == ("0" * 32, "https://example.com/a")
    assert warning["message_id"] == event["Records"][0]["messageId"]
