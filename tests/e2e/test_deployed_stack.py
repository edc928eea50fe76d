"""Against a deployed stack. Skipped unless NEWSDIGEST_STACK names one; run by name:

NEWSDIGEST_STACK=newsdigest AWS_PROFILE=... .venv/bin/pytest tests/e2e -q
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

STACK = os.environ.get("NEWSDIGEST_STACK")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not STACK, reason="NEWSDIGEST_STACK is not set: no deployed stack to test"),
]


def run_on_stack(source: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsdigest.cli", "run", "--stack", str(STACK), "--timeout", "300"]
    return subprocess.run([*command, str(source)], capture_output=True, text=True, timeout=400, check=False)


def test_uploaded_page_becomes_a_summary_item() -> None:
    result = run_on_stack(ROOT / "events" / "pages" / "tass-grain-harvest.html")
    assert result.returncode == 0, result.stderr[-2000:]
    item = json.loads(result.stdout.splitlines()[0])
    assert item["status"] == "ok"
    assert item["summary"]
    assert item["dateline"]["agency"] == "TASS"


def test_empty_page_is_recorded_as_failed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run_on_stack(empty)
    assert result.returncode == 1
    item = json.loads(result.stdout.splitlines()[0])
    assert (item["status"], item["reason"]) == ("failed", "empty")


def _signed_get(url: str) -> tuple[int, bytes]:
    """A SigV4-signed GET (the API's IAM auth) with the caller's credentials."""
    import urllib.error
    import urllib.request

    import boto3
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    session = boto3.Session()
    request = AWSRequest(method="GET", url=url)
    SigV4Auth(session.get_credentials(), "execute-api", session.region_name or "us-east-1").add_auth(request)
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=dict(request.headers)), timeout=30
        ) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_read_routes_serve_the_stored_item() -> None:
    import urllib.request

    import boto3
    import feedparser

    result = run_on_stack(ROOT / "events" / "pages" / "tass-grain-harvest.html")
    assert result.returncode == 0, result.stderr[-2000:]
    item = json.loads(result.stdout.splitlines()[0])
    stack = boto3.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    api = next(o["OutputValue"] for o in stack["Outputs"] if o["OutputKey"] == "ApiUrl")

    status, body = _signed_get(f"{api}/articles?site=tass.com&limit=100")
    assert status == 200
    assert item["article_id"] in [i["article_id"] for i in json.loads(body)["items"]]
    status, body = _signed_get(f"{api}/articles/{item['article_id']}")
    assert status == 200
    with urllib.request.urlopen(json.loads(body)["links"]["json"], timeout=30) as r:  # pre-signed: no auth
        assert json.loads(r.read())["article_id"] == item["article_id"]
    status, body = _signed_get(f"{api}/digest?site=tass.com&last=100")
    assert status == 200 and feedparser.parse(body).bozo == 0
    assert _signed_get(f"{api}/articles/{'0' * 32}")[0] == 404
    assert _signed_get(f"{api}/articles?limit=0")[0] == 400
