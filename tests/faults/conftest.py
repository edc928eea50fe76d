"""Fault-injection fixtures: the integration suite's moto server and resources, with the handlers'
boto3 clients pointed at a fault-injecting proxy in front of it. Provisioning, uploads and every
assertion go to moto directly, so faults only ever hit the code under test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from newsdigest.local.runtime import LocalRuntime, PumpStats
from newsdigest.local.stack import LocalResources

from tests.integration.conftest import ROOT, aws, moto_endpoint, resources

from .proxy import FaultProxy
from .support import dead_letter_ids, drain, queue_depth, reconcile, scan_items

__all__ = ["ROOT", "Stack", "aws", "moto_endpoint", "resources"]

#: botocore's retry sleeps are capped at this (seconds): the retry decisions and attempt counts are the
#: real ones, only the waiting is shortened so the suite stays within its time budget.
MAX_BACKOFF = 0.01


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.retries import standard

    original = standard.ExponentialBackoff.delay_amount

    def capped(self: Any, context: Any) -> float:
        return min(float(original(self, context)), MAX_BACKOFF)

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", capped)


@pytest.fixture
def proxy(moto_endpoint: str) -> Iterator[FaultProxy]:
    with FaultProxy(moto_endpoint) as running:
        yield running


@dataclass
class Stack:
    """The local stack under test: a runtime whose handlers talk through the proxy, and direct clients."""

    resources: LocalResources
    proxy: FaultProxy
    moto: str
    runtime: LocalRuntime
    s3: Any
    sqs: Any
    table: Any
    stats: list[PumpStats] = field(default_factory=list)

    @property
    def outputs(self) -> dict[str, str]:
        return self.resources.outputs

    @property
    def raw_bucket(self) -> str:
        return self.outputs["RawBucketName"]

    @property
    def articles_bucket(self) -> str:
        return self.outputs["ArticlesBucketName"]

    def queue(self, logical_id: str) -> str:
        return self.resources.queues[logical_id]

    def new_runtime(self) -> LocalRuntime:
        """Another execution environment: the handlers imported afresh, with their own clients."""
        return _runtime(self.resources)

    def drained(self) -> bool:
        return all(queue_depth(self.sqs, self.queue(q)) == 0 for q in ("IngestQueue", "SummariseQueue"))

    def pump_until_drained(self, timeout: float, runtime: LocalRuntime | None = None) -> bool:
        """Pump as Lambda's pollers would until both work queues are empty (done or dead-lettered)."""
        active = runtime or self.runtime
        original = active.pump_once

        def counted() -> PumpStats:
            stats = original()
            self.stats.append(stats)
            return stats

        active.pump_once = counted  # type: ignore[method-assign]
        try:
            return active.pump_until(self.drained, timeout=timeout, idle_sleep=0.1)
        finally:
            active.pump_once = original  # type: ignore[method-assign]

    def items(self) -> list[dict[str, Any]]:
        return scan_items(self.table)

    def dead_letters(self) -> dict[str, list[str]]:
        return {
            q: dead_letter_ids(drain(self.sqs, self.queue(q)))
            for q in ("IngestDeadLetterQueue", "SummariseDeadLetterQueue")
        }

    def reconcile(self, inputs: dict[str, str]) -> Any:
        dead = self.dead_letters()
        return reconcile(inputs, self.items(), [i for ids in dead.values() for i in ids]), dead


def _runtime(resources: LocalResources) -> LocalRuntime:
    return LocalRuntime(
        resources,
        extra_env={"FETCH_ALLOW_PRIVATE_ADDRESSES": "true", "POWERTOOLS_TRACE_DISABLED": "true"},
    )


@pytest.fixture
def stack(resources: LocalResources, proxy: FaultProxy, moto_endpoint: str) -> Iterator[Stack]:
    """Handlers (and the runtime's SQS poller) go through the proxy for the whole test."""
    saved = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = proxy.url
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "newsdigest-test")
    try:
        runtime = _runtime(resources)
        yield Stack(
            resources=resources,
            proxy=proxy,
            moto=moto_endpoint,
            runtime=runtime,
            s3=boto3.client("s3", endpoint_url=moto_endpoint),
            sqs=boto3.client("sqs", endpoint_url=moto_endpoint),
            table=boto3.resource("dynamodb", endpoint_url=moto_endpoint).Table(
                resources.outputs["TableName"]
            ),
        )
    finally:
        if saved is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = saved
