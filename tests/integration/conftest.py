"""A real moto server on loopback; each test gets its own copy of the template's resources."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from newsdigest.local.runtime import LocalRuntime
from newsdigest.local.stack import LocalResources, local_aws_environment, provision

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint: str) -> Iterator[str]:
    with local_aws_environment(moto_endpoint):
        yield moto_endpoint


@pytest.fixture
def resources(aws: str) -> LocalResources:
    # The events/ files name the default local stack; a fresh server state per test keeps them usable.
    import boto3

    boto3.client("s3").list_buckets()  # fail fast if the server is gone
    _reset(aws)
    return provision(ROOT / "template.yaml", name="newsdigest-local")


@pytest.fixture
def runtime(resources: LocalResources, monkeypatch: pytest.MonkeyPatch) -> LocalRuntime:
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "newsdigest-test")
    return LocalRuntime(resources, extra_env={"FETCH_ALLOW_PRIVATE_ADDRESSES": "true"})


def _reset(endpoint: str) -> None:
    import urllib.request

    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def load_event(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "events" / name).read_text(encoding="utf-8"))


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
