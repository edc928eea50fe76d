"""SnapStart hooks: after a restore nothing captured in the snapshot is reused (randomness, credentials,
clients, connections); before the snapshot the clients and lazily imported modules are loaded."""

from __future__ import annotations

import random
import sys
import types
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from newsdigest.aws import snapstart
from newsdigest.aws.storage import Storage
from newsdigest.local.template import load_template

from tests.conftest import TEMPLATE


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Offline credentials and region; boto3's default session and random's state restored afterwards."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIASNAPSHOTTAKEN")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "before")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    state = random.getstate()
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    yield
    random.setstate(state)


def _access_key(client: Any) -> str:
    # The credentials a client signs with (botocore keeps them on its request signer).
    return str(client._request_signer._credentials.access_key)


def test_after_restore_reseeds_random() -> None:
    random.seed(1234)
    snapshot_draws = [random.random() for _ in range(4)]
    random.seed(1234)  # what every sandbox restored from the same snapshot would start from
    snapstart.after_restore()
    assert [random.random() for _ in range(4)] != snapshot_draws


def test_after_restore_drops_storage_clients_and_recreates_them_with_fresh_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    storage = Storage()
    storage.prime()  # before_snapshot does this
    s3_before, dynamodb_before = storage.s3, storage.dynamodb
    assert _access_key(s3_before) == "AKIASNAPSHOTTAKEN"
    session_before = boto3.DEFAULT_SESSION
    assert session_before is not None

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIARESTOREDSANDBOX")  # the restored sandbox's credentials
    snapstart.after_restore()

    assert storage._s3 is None and storage._dynamodb is None  # dropped, with their connection pools
    assert storage.s3 is not s3_before and storage.dynamodb is not dynamodb_before
    assert _access_key(storage.s3) == "AKIARESTOREDSANDBOX"
    assert _access_key(storage.dynamodb.meta.client) == "AKIARESTOREDSANDBOX"
    # A fresh default session (credentials are cached per session) that keeps the parsed models.
    session_after = boto3.DEFAULT_SESSION
    assert session_after is not session_before
    assert session_after._session.get_component("data_loader") is session_before._session.get_component(
        "data_loader"
    )


def test_after_restore_keeps_clients_passed_in() -> None:
    fake_s3, fake_dynamodb = object(), object()
    storage = Storage(s3=fake_s3, dynamodb=fake_dynamodb)
    snapstart.after_restore()
    assert storage.s3 is fake_s3 and storage.dynamodb is fake_dynamodb


def test_after_restore_gives_the_idempotency_layer_a_new_client(monkeypatch: pytest.MonkeyPatch) -> None:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from newsdigest.aws.idempotency import idempotent_per_object
    from newsdigest.pipeline.outcomes import Outcome

    def work(bucket: str, key: str) -> Outcome:  # pragma: no cover - never called here
        raise AssertionError

    before = set(snapstart._persistence_layers)
    handle = idempotent_per_object(work, table_name="idempotency")  # keeps the layer alive (weakly tracked)
    layers = [x for x in snapstart._persistence_layers if x not in before]
    assert len(layers) == 1 and isinstance(layers[0], DynamoDBPersistenceLayer)
    layer = layers[0]
    old_client = layer.client
    assert _access_key(old_client) == "AKIASNAPSHOTTAKEN"
    # Built from boto3's default session, so DynamoDB's models are parsed once per cold start.
    assert boto3.DEFAULT_SESSION is not None

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIARESTOREDSANDBOX")
    snapstart.after_restore()

    assert layer.client is not old_client
    assert layer.client.meta.service_model.service_name == "dynamodb"
    assert _access_key(layer.client) == "AKIARESTOREDSANDBOX"
    assert layer.client.meta.config.retries == old_client.meta.config.retries
    assert handle


def test_before_snapshot_primes_clients_and_warm_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    storage = Storage()
    monkeypatch.setattr(snapstart, "_warm_imports", ["json.tool"])
    sys.modules.pop("json.tool", None)
    snapstart.before_snapshot()
    assert storage._s3 is not None and storage._dynamodb is not None
    assert "json.tool" in sys.modules


def test_register_is_a_no_op_outside_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(snapstart._state, "registered", False)
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails, as off Lambda
    assert snapstart.register() is False


def test_register_hooks_with_the_lambda_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: dict[str, Any] = {}
    runtime = types.ModuleType("snapshot_restore_py")
    runtime.register_before_snapshot = lambda fn: registered.setdefault("before", fn)  # type: ignore[attr-defined]
    runtime.register_after_restore = lambda fn: registered.setdefault("after", fn)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime)
    monkeypatch.setitem(snapstart._state, "registered", False)
    monkeypatch.setattr(snapstart, "_warm_imports", [])
    assert snapstart.register(warm_imports=["newsdigest.extract"]) is True
    assert registered == {"before": snapstart.before_snapshot, "after": snapstart.after_restore}
    assert snapstart.register(warm_imports=["newsdigest.extract"]) is True  # once only
    assert snapstart._warm_imports == ["newsdigest.extract"]


def test_template_enables_snapstart_on_published_versions_of_both_functions() -> None:
    resources = load_template(TEMPLATE)["Resources"]
    for name in ("IngestFunction", "SummariseFunction"):
        props = resources[name]["Properties"]
        assert props["SnapStart"] == {"ApplyOn": "PublishedVersions"}
        assert props["AutoPublishAlias"]  # SnapStart applies to published versions only


def test_handlers_register_the_hooks() -> None:
    from tests.conftest import ROOT

    for function in ("ingest", "summarise"):
        source = (ROOT / "functions" / function / "app.py").read_text()
        assert "snapstart.register(" in source
