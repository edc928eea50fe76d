"""redrive, reprocess and resummarise through the real handlers on a moto server, each run twice to
show it is idempotent. moto 5.2.5 lacks SQS's StartMessageMoveTask, so redrive here takes its local
move (tests/unit/test_redrive_task.py checks the calls to the real API against botocore's model)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from newsdigest.aws.storage import Storage
from newsdigest.cli import main
from newsdigest.local.runtime import LocalRuntime

from .conftest import ROOT, load_event
from .test_handlers import _raw_ref

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    capsys.readouterr()
    status = main(list(args))
    captured = capsys.readouterr()
    return status, [json.loads(line) for line in captured.out.splitlines() if line.strip()], captured.err


def _items(runtime: LocalRuntime) -> list[dict[str, Any]]:
    return boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"]).scan()["Items"]


def _queue_url(runtime: LocalRuntime, logical_id: str) -> str:
    return runtime.resources.queues[logical_id]


def test_redrive_moves_dead_letters_back_and_they_are_processed(
    runtime: LocalRuntime, aws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    event = load_event("sqs-raw-upload.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=TASS.read_bytes())
    dead_letters = _queue_url(runtime, "IngestDeadLetterQueue")
    # A notification that ran out of deliveries earlier, as SQS leaves it in the dead-letter queue.
    boto3.client("sqs").send_message(QueueUrl=dead_letters, MessageBody=event["Records"][0]["body"])

    status, reports, err = _cli(capsys, "redrive", "--endpoint-url", aws, "--queue", "ingest")
    assert status == 0, err
    [report] = reports
    assert report["dead_letter_queue"] == "ingest"
    assert (report["mode"], report["status"], report["moved"]) == ("local-move", "COMPLETED", 1)
    assert report["destination_arn"].endswith(":newsdigest-local-IngestQueue")
    assert "lacks StartMessageMoveTask" in err
    items = _items(runtime)
    assert [(i["status"], i["title"][:30]) for i in items] == [("ok", "Russia raises grain harvest fo")]

    again, reports, _ = _cli(capsys, "redrive", "--endpoint-url", aws)
    assert again == 0
    assert {(r["dead_letter_queue"], r["mode"], r["moved"]) for r in reports} == {
        ("ingest", "none", 0),
        ("summarise", "none", 0),
        ("discovered", "none", 0),
    }
    assert len(_items(runtime)) == 1


def test_reprocess_failed_resubmits_the_source_and_a_second_run_finds_nothing(
    runtime: LocalRuntime, aws: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = load_event("sqs-raw-upload.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=TASS.read_bytes())
    with monkeypatch.context() as broken:

        def unreachable(self: Storage, *args: Any, **kwargs: Any) -> str:
            raise ConnectionError("articles bucket unreachable")

        broken.setattr(Storage, "put_json", unreachable)
        event["Records"][0]["attributes"]["ApproximateReceiveCount"] = "3"  # the last delivery
        runtime.invoke("IngestFunction", event)
    [failed] = _items(runtime)
    assert failed["status"] == "failed" and failed["reason"].startswith("retries_exhausted:")

    status, items, err = _cli(capsys, "reprocess", "--failed", "--since", "1h", "--endpoint-url", aws)
    assert status == 0, err
    assert [(i["article_id"], i["status"]) for i in items] == [(failed["article_id"], "ok")]
    assert [i["status"] for i in _items(runtime)] == ["ok"]

    again, items, err = _cli(capsys, "reprocess", "--failed", "--endpoint-url", aws)
    assert (again, items) == (0, [])
    assert "no failed items" in err


def test_reprocess_needs_to_be_told_what(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["reprocess", "--endpoint-url", "http://127.0.0.1:9"])
    assert exit_info.value.code == 2


def test_resummarise_rewrites_with_another_method_once_and_fetches_nothing(
    runtime: LocalRuntime, aws: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = load_event("sqs-raw-upload.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=TASS.read_bytes())
    runtime.invoke("IngestFunction", event)
    assert runtime.pump_until(lambda: bool(_items(runtime)), timeout=30)
    [before] = _items(runtime)
    assert before["algorithm"] == "default"

    def no_fetching(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("resummarise fetched a page")

    monkeypatch.setattr("newsdigest.fetch.fetch_url", no_fetching)
    status, outcomes, err = _cli(capsys, "resummarise", "--method", "lead", "--endpoint-url", aws)
    assert status == 0, err
    assert [o["status"] for o in outcomes] == ["summarised"]
    [after] = _items(runtime)
    assert (after["algorithm"], after["article_id"]) == ("lead", before["article_id"])
    assert after["summary"] and after["content_sha256"] == before["content_sha256"]

    again, outcomes, _ = _cli(capsys, "resummarise", "--method", "lead", "--endpoint-url", aws)
    assert again == 0 and [o["status"] for o in outcomes] == ["skipped"]
    assert _items(runtime)[0]["updated_at"] == after["updated_at"]

    _, outcomes, _ = _cli(
        capsys, "resummarise", "--method", "default", "--site", "example.org", "--endpoint-url", aws
    )
    assert outcomes == []  # another site: nothing touched
    _, outcomes, _ = _cli(
        capsys, "resummarise", "--method", "default", "--site", "tass.com", "--endpoint-url", aws
    )
    assert [o["status"] for o in outcomes] == ["summarised"]
    assert _items(runtime)[0]["algorithm"] == "default"
