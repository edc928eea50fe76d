"""One pathological input never costs the inputs batched with it, under a runtime that enforces timeouts.

The handlers run in worker processes (``LocalRuntime(enforce_timeouts=True)``) that are killed when an
invocation outlives its timeout, as Lambda kills an execution environment: if a runaway record took
its invocation past the timeout, nothing of the batch would be reported, every message would come back
and, after the redeliveries, the innocent ones would be dead letters. The per-record time budget must
end the runaway record as a ``budget`` item first.

The runaway work is a marker-triggered endless pure-Python loop in the stage under test, installed in
the workers through ``sitecustomize`` (a test-only module on their PYTHONPATH): the bounds of the pure
packages make every real hostile page finish quickly, which is what they are for, so a stand-in for
"work that does not finish" has to be planted. The last test plants one that also blocks the timer
signal, which only the runtime's own cut-off can stop.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from newsdigest.local.runtime import InvocationTimeout, LocalRuntime
from newsdigest.local.stack import LocalResources, provision
from newsdigest.pipeline.inputs import Source

from tests.faults.support import article_page, dead_letter_ids, drain, queue_depth, scan_items

from .conftest import ROOT, _reset, load_event

#: The local queues hide a received message this long; the runtime gives each invocation half of it
#: as its timeout (12 s): room for a batch whose records each get at least the 2 s floor.
VISIBILITY_SECONDS = 24
STALL_EXTRACT, STALL_SUMMARISE, STALL_HARD = "STALLEXTRACT", "STALLSUMMARISE", "STALLHARD"

SITECUSTOMIZE = f'''
"""Planted by tests/integration/test_cobatch.py: work that never ends, in the stage a marker names."""
import signal

import newsdigest.extract
import newsdigest.summarisation


def _spin():
    n = 0
    while True:
        n += 1


_extract_article = newsdigest.extract.extract_article
_summarise = newsdigest.summarisation.summarise


def extract_article(html, url=None, **kwargs):
    data = html if isinstance(html, bytes) else html.encode("utf-8", "replace")
    if b"{STALL_HARD}" in data:  # the timer signal cannot reach this one, as inside one long C call
        signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGALRM}})
        _spin()
    if b"{STALL_EXTRACT}" in data:
        _spin()
    return _extract_article(html, url, **kwargs)


def summarise(text, **kwargs):
    if "{STALL_SUMMARISE}" in text:
        _spin()
    return _summarise(text, **kwargs)


newsdigest.extract.extract_article = extract_article
newsdigest.summarisation.summarise = summarise
'''


@pytest.fixture
def enforcing(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalRuntime]:
    _reset(aws)
    resources = provision(
        ROOT / "template.yaml", name="newsdigest-local", visibility_timeout=VISIBILITY_SECONDS
    )
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "ERROR")
    with LocalRuntime(resources, enforce_timeouts=True) as runtime:
        yield runtime


def _queues(resources: LocalResources, *names: str) -> list[str]:
    return [resources.queues[name] for name in names]


def test_a_runaway_record_per_stage_ends_as_a_budget_item_and_its_batch_completes(
    enforcing: LocalRuntime,
) -> None:
    resources = enforcing.resources
    s3 = boto3.client("s3")
    sqs = boto3.client("sqs")
    bucket = resources.outputs["RawBucketName"]
    normal = {f"uploads/cobatch/{i}.html": article_page(500 + i) for i in range(4)}
    hostile = {
        "uploads/cobatch/extract.html": article_page(600).replace(
            b"<body>", f"<body><!-- {STALL_EXTRACT} -->".encode()
        ),
        "uploads/cobatch/summarise.html": article_page(601).replace(
            b"<p>", f"<p>{STALL_SUMMARISE} ".encode(), 1
        ),
    }
    for key, body in {**normal, **hostile}.items():  # all queued before the first poll: one batch each
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/html")
    ids = {key: Source.from_s3(bucket, key).article_id for key in {**normal, **hostile}}

    work = _queues(resources, "IngestQueue", "SummariseQueue")
    deadline = time.monotonic() + 120
    stats = []
    while time.monotonic() < deadline and any(queue_depth(sqs, url) for url in work):
        stats.append(enforcing.pump_once())
    assert not any(queue_depth(sqs, url) for url in work), "the work queues did not drain"

    assert sum(s.handler_errors for s in stats) == 0  # no invocation was cut off by its timeout
    assert sum(s.failed_messages for s in stats) == 0  # and none of its records was redelivered
    items = {
        item["article_id"]: item
        for item in scan_items(boto3.resource("dynamodb").Table(resources.outputs["TableName"]))
    }
    assert {ids[key]: items[ids[key]]["status"] for key in normal} == {ids[key]: "ok" for key in normal}
    extract_item, summarise_item = (items[ids[key]] for key in hostile)
    assert (extract_item["status"], extract_item["reason"], extract_item["stage"]) == (
        "failed",
        "budget",
        "extract",
    )
    assert (summarise_item["status"], summarise_item["reason"], summarise_item["stage"]) == (
        "failed",
        "budget",
        "summarise",
    )
    assert len(items) == len(normal) + len(hostile)
    for name in ("IngestDeadLetterQueue", "SummariseDeadLetterQueue"):
        assert dead_letter_ids(drain(sqs, resources.queues[name])) == []


def _upload_event(bucket: str, key: str, message_id: str) -> dict[str, Any]:
    event = load_event("sqs-raw-upload.json")
    record = event["Records"][0]
    body = json.loads(record["body"])
    body["Records"][0]["s3"]["bucket"]["name"] = bucket
    body["Records"][0]["s3"]["object"]["key"] = key
    body["Records"][0]["s3"]["object"]["eTag"] = message_id
    record["body"] = json.dumps(body)
    record["messageId"] = message_id
    return event


def test_the_runtime_cuts_off_an_invocation_at_its_timeout_as_lambda_does(enforcing: LocalRuntime) -> None:
    bucket = enforcing.resources.outputs["RawBucketName"]
    s3 = boto3.client("s3")
    s3.put_object(
        Bucket=bucket,
        Key="uploads/hard.html",
        Body=article_page(700).replace(b"<body>", f"<body><!-- {STALL_HARD} -->".encode()),
    )
    s3.put_object(Bucket=bucket, Key="uploads/fine.html", Body=article_page(701))

    with pytest.raises(InvocationTimeout, match=r"Task timed out after 3\.00 seconds"):
        enforcing.invoke("IngestFunction", _upload_event(bucket, "uploads/hard.html", "m-hard"), timeout=3)
    # Nothing of the cut-off invocation was recorded; the next one runs in a fresh environment.
    table = boto3.resource("dynamodb").Table(enforcing.resources.outputs["TableName"])
    assert scan_items(table) == []
    reply = enforcing.invoke(
        "IngestFunction", _upload_event(bucket, "uploads/fine.html", "m-fine"), timeout=10
    )
    assert reply == {"batchItemFailures": []}
