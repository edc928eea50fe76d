"""The embedded stack's state outlives each command: `run` stores, a later command sees it; `serve`."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import boto3
from newsdigest.cli.target import SERVER_FILE, open_target

from .conftest import ROOT

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"


def _cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [sys.executable, "-m", "newsdigest.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
    )


def _embedded(data_dir: Path) -> argparse.Namespace:
    return argparse.Namespace(data_dir=data_dir, endpoint_url=None, stack=None, name="newsdigest-local")


def test_run_keeps_its_results_in_the_data_dir_for_the_next_command(tmp_path: Path) -> None:
    data_dir = tmp_path / "state"
    result = _cli("run", str(TASS), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"local stack state in {data_dir}" in result.stderr
    stored = json.loads(result.stdout)

    with open_target(_embedded(data_dir)) as target:
        assert target.kind == "embedded"
        item = target.storage.get_item(target.table, stored["article_id"])
        assert item is not None and item["summary"] == stored["summary"]
        document = target.client("s3").get_object(Bucket=target.articles_bucket, Key=item["source_key"])
        assert json.loads(document["Body"].read())["article_id"] == stored["article_id"]
        # Restored objects did not look new: nothing was queued to ingest or summarise them again.
        # (S3 sends its test event whenever a notification configuration is set; that one is harmless.)
        sqs = target.client("sqs")
        for url in target.resources.queues.values():
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
            bodies = [json.loads(m["Body"]) for m in messages.get("Messages", [])]
            assert all(body.get("Event") == "s3:TestEvent" for body in bodies), bodies
        # A read-only command leaves the state as it was; a changing one writes it back.
        target.storage.write_item(target.table, {**item, "article_id": "added"}, replace_ok=True)
    with open_target(_embedded(data_dir)) as target:
        assert target.storage.get_item(target.table, "added") is None
        target.storage.write_item(target.table, {**item, "article_id": "added"}, replace_ok=True)
        target.changed = True
    with open_target(_embedded(data_dir)) as target:
        assert target.storage.get_item(target.table, "added") is not None


def test_served_stack_is_used_by_other_commands_and_saved_when_it_stops(tmp_path: Path) -> None:
    data_dir = tmp_path / "served"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdigest.cli", "serve", "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert server.stdout is not None
        served = json.loads(server.stdout.readline())
        endpoint = served["endpoint"]
        assert json.loads((data_dir / SERVER_FILE).read_text())["endpoint"] == endpoint

        result = _cli("run", str(TASS), "--data-dir", str(data_dir))
        assert result.returncode == 0, result.stderr[-3000:]
        assert f"using the local stack served at {endpoint}" in result.stderr
        article_id = json.loads(result.stdout)["article_id"]
        # Other tools reach it with the endpoint it printed.
        table = boto3.resource(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).Table(served["outputs"]["TableName"])
        assert table.get_item(Key={"article_id": article_id})["Item"]["status"] == "ok"
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=60)
    assert server.returncode == 0, err[-3000:]
    assert not (data_dir / SERVER_FILE).exists()
    with open_target(_embedded(data_dir)) as target:
        assert target.kind == "embedded"
        assert target.storage.get_item(target.table, article_id) is not None
