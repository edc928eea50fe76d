"""Inputs fail where they should, as items, and never take their siblings with them.

A bad URL among good ones is one failed item while the others are still fetched (direct invoke, the
HTTP API, `newsdigest run`); an upload naming an unusable page URL is a failed item; a 300 KB URL's item
fits DynamoDB; the CLI names a failure on one line instead of a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from newsdigest.aws.item_size import item_size
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.fitting import ITEM_BUDGET, MAX_URL_CHARS
from newsdigest.pipeline.inputs import Source

from .conftest import ROOT, load_event
from .test_cli_run import run_cli
from .test_handlers import _raw_ref
from .test_url_ingest import HITS, site

__all__ = ["site"]

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"
BAD_URLS = ["http://[", "http://[::1:80/", "//[x]y/", "https://news.example/" + "a" * 300_000]


def _item(runtime: LocalRuntime, url: str) -> dict[str, Any] | None:
    table = boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"])
    return table.get_item(Key={"article_id": Source.for_request(url).article_id}).get("Item")


@pytest.mark.parametrize("bad", BAD_URLS, ids=["bracket", "ipv6", "scheme-relative", "300kb"])
def test_a_bad_url_between_good_ones_is_one_failed_item_and_the_third_is_still_fetched(
    runtime: LocalRuntime, site: str, bad: str
) -> None:
    good, later = f"{site}/news/a", f"{site}/news/b"
    reply = runtime.invoke("IngestFunction", {"urls": [good, bad, later]})
    assert [r["status"] for r in reply["results"]] == ["stored", "failed", "stored"]
    assert reply["failed"] == 1
    assert "/news/b" in HITS
    failed = _item(runtime, bad)
    assert failed is not None and failed["status"] == "failed" and failed["stage"] == "fetch"
    assert failed["reason"] in {"bad_url", "fetch_failed", "scheme_not_allowed", "address_not_allowed"}
    assert item_size(failed) <= ITEM_BUDGET
    assert len(failed["url"]) <= MAX_URL_CHARS and len(failed["error"]) <= 1000
    assert len(json.dumps(reply)) < 64_000  # the reply carries the cut reference, not 300 KB of it


def test_the_http_api_answers_a_valid_request_with_bad_urls_with_200_and_every_outcome(
    runtime: LocalRuntime, site: str
) -> None:
    event = load_event("api-post-articles.json")
    event["body"] = json.dumps({"urls": [f"{site}/news/c", "http://[", f"{site}/news/d"]})
    reply = runtime.invoke("IngestFunction", event)
    assert reply["statusCode"] == 200, reply
    results = json.loads(reply["body"])["results"]
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("stored", None),
        ("failed", "bad_url"),
        ("stored", None),
    ]


def test_an_upload_naming_an_unusable_page_url_is_a_failed_item_on_the_upload(runtime: LocalRuntime) -> None:
    event = load_event("sqs-raw-upload.json")
    bucket, key = _raw_ref(event)
    boto3.client("s3").put_object(
        Bucket=bucket, Key=key, Body=TASS.read_bytes(), Metadata={"source-url": "http://["}
    )
    reply = runtime.invoke("IngestFunction", event)
    assert reply == {"batchItemFailures": []}  # permanent: done at once, nothing redelivered
    table = boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"])
    item = table.get_item(Key={"article_id": Source.from_s3(bucket, key).article_id})["Item"]
    assert (item["status"], item["reason"], item["stage"]) == ("failed", "bad_url", "read")


def test_run_with_a_good_and_a_bad_source_prints_both_names_the_failure_and_exits_1(
    moto_endpoint: str,
) -> None:
    from .conftest import _reset

    _reset(moto_endpoint)
    result = run_cli(str(TASS), "http://[", "--endpoint-url", moto_endpoint)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    items = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert sorted(i["status"] for i in items) == ["failed", "ok"]
    assert "FAILED http://[: bad_url" in result.stderr


def test_run_with_an_unusable_page_url_names_the_failure(moto_endpoint: str) -> None:
    from .conftest import _reset

    _reset(moto_endpoint)
    result = run_cli(str(TASS), "--page-url", "http://[", "--endpoint-url", moto_endpoint)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert json.loads(result.stdout.splitlines()[0])["reason"] == "bad_url"


def _extract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdigest.cli", "extract", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize("label", ["undefined", "idna", "punycode"])
def test_extract_never_shows_a_traceback(tmp_path: Path, label: str) -> None:
    page = tmp_path / "page.html"
    words = "Grain exports rose again this spring, the ministry said. " * 20
    page.write_text(f'<html><head><meta charset="{label}"></head><body><p>{words}</p></body></html>')
    for args in ((str(page),), (str(page), "--url", "http://[")):
        result = _extract(*args)
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        assert result.returncode in {0, 1}
        # Either the article (status ok, or empty with its reason) or one line naming the failure.
        assert result.stdout.startswith("{") or result.stderr.startswith("newsdigest: ")


def test_an_oversized_document_gives_an_ok_item_that_fits_with_what_was_cut_noted(
    runtime: LocalRuntime,
) -> None:
    """A valid document whose fields are far over DynamoDB's limit (a 600 KB keyword, a 300 KB
    description): the item is written whole, cut to fit, with notes; not retried, and not the partly
    applied update moto makes of an oversized one (which showed 'ok' with no title)."""
    from newsdigest.models import Article
    from newsdigest.pipeline.records import article_document

    source = Source.from_url("https://news.example/world/huge")
    article = Article(
        title="Grain harvest forecast raised",
        text="The ministry raised its grain forecast. Exports are expected to grow. Wheat leads the rise.",
        tags=["k" * 600_000, "grain"],
        description="d" * 300_000,
        notes=["title cut to 1000 characters"],
    )
    document = article_document(article, source, raw_key=None)
    bucket = runtime.resources.outputs["ArticlesBucketName"]
    boto3.client("s3").put_object(
        Bucket=bucket, Key=f"articles/{source.article_id}.json", Body=json.dumps(document).encode()
    )
    table = boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"])
    assert runtime.pump_until(
        lambda: "Item" in table.get_item(Key={"article_id": source.article_id}), timeout=30
    )
    item = table.get_item(Key={"article_id": source.article_id})["Item"]
    assert item["status"] == "ok" and item["title"] == "Grain harvest forecast raised" and item["summary"]
    assert item_size(item) <= ITEM_BUDGET
    assert item["notes"][0] == "title cut to 1000 characters"  # the article's own notes, carried
    assert any(note.startswith("tags.0: cut from 600000") for note in item["notes"])
    assert item["tags"][1] == "grain"
