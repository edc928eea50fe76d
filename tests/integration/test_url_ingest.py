"""URLs in through direct invoke, the HTTP API event and `newsdigest run`, fetched over real HTTP."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.inputs import Source

from .conftest import ROOT, load_event
from .loopback import serve_routes
from .test_cli_run import run_cli

PAGE = (ROOT / "events" / "pages" / "tass-grain-harvest.html").read_bytes()


HITS: list[str] = []


def _route(path: str) -> tuple[int, str, bytes]:
    if path == "/robots.txt":
        return 200, "text/plain", b"User-agent: *\nDisallow: /private/\n"
    if path.startswith("/news/"):
        return 200, "text/html; charset=utf-8", PAGE
    if path == "/image.png":
        return 200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    return 404, "text/html", b"<html><body>Not found</body></html>"


@pytest.fixture
def site() -> Iterator[str]:
    HITS.clear()
    with serve_routes(_route, HITS) as base:
        yield base


def _item(runtime: LocalRuntime, url: str) -> dict[str, Any] | None:
    table = boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"])
    return table.get_item(Key={"article_id": Source.from_url(url).article_id}).get("Item")


def test_direct_invoke_fetches_stores_and_summarises(runtime: LocalRuntime, site: str) -> None:
    good, missing, robots, image = (
        f"{site}/news/1",
        f"{site}/gone",
        f"{site}/private/x",
        f"{site}/image.png",
    )
    reply = runtime.invoke("IngestFunction", {"urls": [good, missing, robots, image]})
    statuses = {r["source_ref"].rsplit("/", 1)[-1]: (r["status"], r.get("reason")) for r in reply["results"]}
    assert statuses == {
        "1": ("stored", None),
        "gone": ("failed", "http_error"),
        "x": ("failed", "robots_disallowed"),
        "image.png": ("failed", "content_type_not_allowed"),
    }
    assert reply["failed"] == 3
    assert "/private/x" not in HITS  # robots.txt was honoured before fetching
    assert runtime.pump_until(lambda: (_item(runtime, good) or {}).get("status") == "ok", timeout=30)
    item = _item(runtime, good)
    assert item is not None and item["url"] == good and item["summary"]
    for url in (missing, robots, image):
        failed = _item(runtime, url)
        assert failed is not None and failed["status"] == "failed" and failed["stage"] == "fetch"


def test_http_api_event(runtime: LocalRuntime, site: str) -> None:
    event = load_event("api-post-articles.json")
    event["body"] = json.dumps({"urls": [f"{site}/news/2"]})
    reply = runtime.invoke("IngestFunction", event)
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"])["results"][0]["status"] == "stored"

    bad = copy.deepcopy(event)
    bad["body"] = json.dumps({"links": ["x"]})
    reply = runtime.invoke("IngestFunction", bad)
    assert reply["statusCode"] == 400
    assert "urls" in json.loads(reply["body"])["message"]


def test_cli_run_with_a_url(moto_endpoint: str, site: str) -> None:
    from .conftest import _reset

    _reset(moto_endpoint)
    result = run_cli(f"{site}/news/3", "--endpoint-url", moto_endpoint, "--allow-private-addresses")
    assert result.returncode == 0, result.stderr[-2000:]
    item = json.loads(result.stdout.splitlines()[0])
    assert item["status"] == "ok" and item["url"] == f"{site}/news/3"


def test_cli_refuses_loopback_urls_by_default(moto_endpoint: str, site: str) -> None:
    from .conftest import _reset

    _reset(moto_endpoint)
    result = run_cli(f"{site}/news/4", "--endpoint-url", moto_endpoint)
    assert result.returncode == 1
    assert json.loads(result.stdout.splitlines()[0])["reason"] == "address_not_allowed"
    assert "/news/4" not in HITS
