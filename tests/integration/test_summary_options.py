"""Summary options per input, through the real handlers on moto: the URL request's ``"summary"``, a raw
upload's object metadata, the deployment's settings, and a method the deployment cannot run."""

from __future__ import annotations

import json
import sys
from typing import Any

import boto3
import pytest
from newsdigest.local.runtime import LocalRuntime
from newsdigest.local.stack import LocalResources
from newsdigest.pipeline.inputs import Source

from .conftest import ROOT, load_event
from .test_url_ingest import HITS, site  # noqa: F401 - the fixture serving the TASS page over HTTP

PAGE = (ROOT / "events" / "pages" / "tass-grain-harvest.html").read_bytes()


@pytest.fixture(autouse=True, scope="module")
def _methods_imported() -> None:
    """sumy's methods import NLTK (and NumPy) on first use, which on a loaded machine takes longer than
    the local runtime's per-record budget (half its 2 s visibility timeout; 60 s deployed). A deployment
    of such a method imports it at cold start (its method check); here the test process does it once."""
    from newsdigest.summarisation import check_method

    for method in ("luhn", "textrank", "sumbasic"):
        check_method(method)


def _item(runtime: LocalRuntime, source: Source) -> dict[str, Any] | None:
    table = boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"])
    return table.get_item(Key={"article_id": source.article_id}).get("Item")


def _settled(runtime: LocalRuntime, source: Source) -> dict[str, Any]:
    assert runtime.pump_until(
        lambda: (_item(runtime, source) or {}).get("status") in {"ok", "failed"}, timeout=30
    )
    item = _item(runtime, source)
    assert item is not None
    return item


def _runtime_with(
    resources: LocalResources, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> LocalRuntime:
    """A cold start with ``env`` over the template's environment; monkeypatch restores it afterwards
    (the local runtime writes the functions' environment into this process's)."""
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    for name in ("SUMMARY_METHOD", "SUMMARY_SENTENCES", "SUMMARY_RATIO", "SUMMARY_WORDS", *env):
        monkeypatch.setenv(name, env.get(name, ""))
    return LocalRuntime(resources, extra_env=env)


def _upload(runtime: LocalRuntime, key: str, metadata: dict[str, str]) -> Source:
    bucket = runtime.resources.outputs["RawBucketName"]
    boto3.client("s3").put_object(
        Bucket=bucket, Key=key, Body=PAGE, ContentType="text/html", Metadata=metadata
    )
    return Source.from_s3(bucket, key)


def test_direct_invoke_options_choose_method_and_length(runtime: LocalRuntime, site: str) -> None:  # noqa: F811
    url = f"{site}/news/options-1"
    reply = runtime.invoke("IngestFunction", {"urls": [url], "summary": {"method": "lead", "sentences": 2}})
    assert reply["results"][0]["status"] == "stored"
    item = _settled(runtime, Source.from_url(url))
    assert item["status"] == "ok"
    assert item["algorithm"] == "lead"
    assert item["summary_parameters"]["length_basis"] == "sentences"
    assert len(item["summary"]) == 2


def test_http_api_options_and_asking_again_with_other_options_summarises_again(
    runtime: LocalRuntime,
    site: str,  # noqa: F811
) -> None:
    url = f"{site}/news/options-2"
    event = load_event("api-post-articles.json")
    event["body"] = json.dumps({"urls": [url], "summary": {"method": "luhn", "words": 60}})
    assert runtime.invoke("IngestFunction", event)["statusCode"] == 200
    first = _settled(runtime, Source.from_url(url))
    assert first["algorithm"] == "luhn"
    assert first["summary_parameters"]["length_basis"] == "words"
    assert sum(len(s.split()) for s in first["summary"]) <= 60 or len(first["summary"]) == 1

    # The same page asked for again with the default options: a new summary, not the stored one.
    runtime.invoke("IngestFunction", {"urls": [url]})
    assert runtime.pump_until(
        lambda: (_item(runtime, Source.from_url(url)) or {}).get("algorithm") == "default", timeout=30
    )
    again = _item(runtime, Source.from_url(url))
    assert again is not None and again["summary_parameters"]["length_basis"] == "default"


@pytest.mark.parametrize(
    ("summary", "reason"),
    [
        ({"method": "nope"}, "unknown_method"),
        ({"sentences": 0}, "invalid_length"),
        ({"sentences": 3, "ratio": 0.5}, "invalid_length"),
        ({"method": "lexrank", "length": 3}, "bad_summary_options"),
        ("lexrank", "bad_summary_options"),
    ],
)
def test_bad_request_options_fail_each_url_at_once_without_fetching(
    runtime: LocalRuntime,
    site: str,  # noqa: F811
    summary: Any,
    reason: str,
) -> None:
    urls = [f"{site}/news/bad-1", f"{site}/news/bad-2"]
    reply = runtime.invoke("IngestFunction", {"urls": urls, "summary": summary})
    assert [(r["status"], r["reason"]) for r in reply["results"]] == [("failed", reason)] * 2
    assert reply["failed"] == 2
    assert not [hit for hit in HITS if hit.startswith("/news/")]  # nothing was fetched
    for url in urls:
        item = _item(runtime, Source.from_url(url))
        assert item is not None and item["status"] == "failed"
        assert item["reason"] == reason and item["stage"] == "request"
        assert item["error"]  # the human explanation


def test_upload_metadata_options_are_used(runtime: LocalRuntime) -> None:
    source = _upload(
        runtime, "uploads/options/page.html", {"summary-method": "textrank", "summary-ratio": "0.5"}
    )
    item = _settled(runtime, source)
    assert item["status"] == "ok"
    assert item["algorithm"] == "textrank"
    assert item["summary_parameters"]["length_basis"] == "ratio"
    assert item["summary_parameters"]["ratio"] == 0.5


def test_bad_upload_metadata_fails_that_upload_only(runtime: LocalRuntime) -> None:
    bad = _upload(runtime, "uploads/options/bad.html", {"summary-sentences": "three"})
    good = _upload(runtime, "uploads/options/good.html", {})
    failed = _settled(runtime, bad)
    assert failed["status"] == "failed" and failed["reason"] == "invalid_length"
    assert "three" in failed["error"]
    assert _settled(runtime, good)["status"] == "ok"
    stored = boto3.client("s3").list_objects_v2(Bucket=runtime.resources.outputs["ArticlesBucketName"])
    assert len(stored.get("Contents", [])) == 1  # the bad upload never reached Summarise


def test_deployment_settings_are_the_defaults(
    resources: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = _runtime_with(resources, monkeypatch, {"SUMMARY_METHOD": "sumbasic", "SUMMARY_SENTENCES": "2"})
    source = _upload(runtime, "uploads/options/defaults.html", {})
    item = _settled(runtime, source)
    assert item["algorithm"] == "sumbasic" and len(item["summary"]) == 2
    # A request's own length replaces the deployment's, its method stays.
    other = _upload(runtime, "uploads/options/own-length.html", {"summary-words": "40"})
    item = _settled(runtime, other)
    assert item["algorithm"] == "sumbasic" and item["summary_parameters"]["length_basis"] == "words"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SUMMARY_METHOD": "nope"}, "unknown summarisation method 'nope'"),
        ({"SUMMARY_SENTENCES": "2", "SUMMARY_WORDS": "50"}, "give at most one of sentences, ratio and words"),
        ({"SUMMARY_RATIO": "1.5"}, "ratio must be a number in (0, 1]"),
    ],
)
def test_bad_deployment_settings_fail_the_cold_start(
    resources: LocalResources, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    with pytest.raises(RuntimeError, match="bad summary settings") as info:
        _runtime_with(resources, monkeypatch, env)
    assert expected in str(info.value)


def test_a_method_the_deployment_cannot_run_fails_the_cold_start_not_items(
    resources: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # as a deployment without its layer
    with pytest.raises(RuntimeError, match="SUMMARY_METHOD='lexrank' cannot run") as info:
        _runtime_with(resources, monkeypatch, {"SUMMARY_METHOD": "lexrank"})
    assert "missing_dependency" in str(info.value) and "NumPy" in str(info.value)
    # Deployed with the default method, a request for the missing method fails that item only.
    runtime = _runtime_with(resources, monkeypatch, {"SUMMARY_METHOD": "default"})
    source = _upload(runtime, "uploads/options/lexrank.html", {"summary-method": "lexrank"})
    item = _settled(runtime, source)
    assert item["status"] == "failed" and item["reason"] == "missing_dependency"
    assert "AllSummaryMethods" in item["error"]
