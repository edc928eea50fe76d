"""The whole pipeline through `newsdigest run`, as a user runs it (a subprocess), on a moto server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from newsdigest.local.stack import local_aws_environment

from .conftest import ROOT, _reset

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"
CHROME = [
    "All news",
    "We use cookies",
    "Accept all cookies",
    "Read also",
    "Central Bank keeps key rate",
    "Top stories",
    "Subscribe to our daily newsletter",
    "All rights reserved",
    "Politics",
    "Search TASS",
]
BODY = [
    "Russia's Agriculture Ministry has raised its forecast for this year's grain harvest",
    "The previous forecast, published in March, stood at 130 million tonnes.",
    "Wheat is expected to account for about 90 million tonnes of the total.",
    "Turkey, Egypt and Iran remain the largest buyers.",
    "Sowing of spring wheat is 38% complete, against 31% a year earlier.",
    "Russia harvested 142.6 million tonnes of grain last year",
]


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [sys.executable, "-m", "newsdigest.cli", "run", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
    )


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def fresh_server(moto_endpoint: str) -> str:
    _reset(moto_endpoint)
    return moto_endpoint


def test_news_agency_page_end_to_end_and_rerun_leaves_one_item(fresh_server: str) -> None:
    first = run_cli(str(TASS), "--endpoint-url", fresh_server)
    assert first.returncode == 0, first.stderr[-3000:]
    items = _lines(first.stdout)
    assert len(items) == 1
    item = items[0]
    assert item["status"] == "ok"
    assert item["title"] == "Russia raises grain harvest forecast to 135 mln tonnes after mild spring"
    assert str(item["published"]).startswith("2024-05-11")
    assert item["dateline"]["location"] == "MOSCOW" and item["dateline"]["agency"] == "TASS"
    assert (item["site_name"], item["language"]) == ("TASS", "en")
    assert item["canonical_url"] == "https://tass.com/economy/1786512"
    assert item["summary"]

    with local_aws_environment(fresh_server):
        s3 = boto3.client("s3")
        document = json.loads(
            s3.get_object(Bucket="newsdigest-local-articlesbucket", Key=item["source_key"])["Body"].read()
        )
        text = " ".join(document["article"]["text"].split())
        for paragraph in BODY:
            assert paragraph in text
        assert "Exports" in document["article"]["text"].split("\n\n")  # the subheading, as its own block
        for chrome in CHROME:
            assert chrome not in text
        for sentence in item["summary"]:
            assert " ".join(sentence.split()) in text  # verbatim from the body

        second = run_cli(str(TASS), "--endpoint-url", fresh_server)
        assert second.returncode == 0, second.stderr[-3000:]
        table = boto3.resource("dynamodb").Table("newsdigest-local-SummariesTable")
        assert len(table.scan()["Items"]) == 1


def test_embedded_default_runs_without_any_endpoint(tmp_path: Path) -> None:
    result = run_cli(str(TASS), "--log-level", "INFO")
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 1  # stdout carries only the item; logs and metrics went to stderr
    assert json.loads(lines[0])["status"] == "ok"
    assert '"level":"INFO"' in result.stderr
    assert "CloudWatchMetrics" in result.stderr


def test_broken_and_missing_sources_fail_with_reasons(fresh_server: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 64)
    result = run_cli(
        str(TASS), str(empty), str(binary), str(tmp_path / "nope.html"), "--endpoint-url", fresh_server
    )
    assert result.returncode == 1
    items = _lines(result.stdout)
    statuses = sorted(i["status"] for i in items)
    assert statuses == ["failed", "failed", "ok"]
    for item in items:
        if item["status"] == "failed":
            assert item["reason"] and item["error"]
    assert f"FAILED {empty}" in result.stderr
    assert f"FAILED {binary}" in result.stderr
    assert "nope.html: cannot read" in result.stderr
