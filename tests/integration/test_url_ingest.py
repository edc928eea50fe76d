"""URLs in through direct invoke, the HTTP API event and `newsdigest run`, fetched over real HTTP."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import boto3
import pytest
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.inputs import Source

from .conftest import ROOT, load_event
from .test_cli_run import run_cli

PAGE = (ROOT / "events" / "pages" / "tass-grain-harvest.html").read_bytes()


class _Site(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Site.hits.append(self.path)
        if self.path == "/robots.txt":
            body, status, kind = b"User-agent: *\nDisallow: /private/\n", 200, "text/plain"
        elif self.path.startswith("/news/"):
            body, status, kind = PAGE, 200, "text/html; charset=utf-8"
        elif self.path == "/image.png":
            body, status, kind = b"\x89PNG\r\n\x1a\n" + b"\0" * 100, 200, "image/png"
        else:
            body, status, kind = b"<html><body>Not found</body></html>", 404, "text/html"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    _Site.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


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
    assert "/private/x" not in _Site.hits  # robots.txt was honoured before fetching
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
    assert "/news/4" not in _Site.hits
