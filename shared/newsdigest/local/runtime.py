"""Run the real handlers in-process as Lambda would: cold-start import, context, SQS event source mapping."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from newsdigest.aws.settings import get_settings
from newsdigest.local.stack import LocalResources

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class FakeLambdaContext:
    """The attributes Powertools and our handlers read from Lambda's context object."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = "local"
    log_stream_name: str = "local"
    _deadline: float = field(default=0.0)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass(frozen=True, slots=True)
class PumpStats:
    batches: int
    messages: int
    failed_messages: int
    handler_errors: int


class LocalRuntime:
    """Imports each function's handler once (its cold start) and feeds it SQS batches."""

    def __init__(self, resources: LocalResources, *, extra_env: dict[str, str] | None = None) -> None:
        self.resources = resources
        merged: dict[str, str] = {}
        for spec in resources.functions.values():
            for key, value in spec.environment.items():
                if merged.get(key, value) != value:
                    raise ValueError(f"functions disagree on {key}; one process cannot host both")
                merged[key] = value
        merged.update(extra_env or {})
        os.environ.update(merged)
        get_settings.cache_clear()  # a fresh cold start reads the environment again
        self.handlers: dict[str, Handler] = {
            logical_id: getattr(self._load(spec.code_dir / f"{spec.module}.py", logical_id), spec.handler)
            for logical_id, spec in resources.functions.items()
        }
        self._sqs = boto3.client("sqs")
        self._visibility: dict[str, int] = {}

    @staticmethod
    def _load(path: Any, logical_id: str) -> ModuleType:
        module_name = f"newsdigest_local_{logical_id}_{uuid.uuid4().hex[:8]}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load handler {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        return module

    def invoke(self, logical_id: str, event: dict[str, Any], *, timeout: int | None = None) -> Any:
        spec = self.resources.functions[logical_id]
        context = FakeLambdaContext(spec.name, spec.memory, min(spec.timeout, timeout or spec.timeout))
        return self.handlers[logical_id](event, context)

    def _visibility_timeout(self, queue_url: str) -> int:
        """Lambda refuses an SQS source whose visibility timeout is shorter than the function timeout, so
        a batch's context never outlives its messages' invisibility. Locally queues hide messages for
        only a few seconds; the context must follow, or Powertools' in-progress lock (which lasts the
        context's remaining time) outlives a crashed or failed attempt and blocks every redelivery."""
        if queue_url not in self._visibility:
            attrs = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
            self._visibility[queue_url] = int(attrs["Attributes"]["VisibilityTimeout"])
        return self._visibility[queue_url]

    def pump_once(self) -> PumpStats:
        """One receive per event source; deletes what the handler reports as done, as Lambda's poller does."""
        batches = messages = failed = errors = 0
        for logical_id, spec in self.resources.functions.items():
            for url, arn, batch_size in spec.sqs_sources:
                try:
                    # Half the visibility timeout: the lock must lapse before the messages reappear,
                    # not together with them (Lambda's guidance is a sixth: 60 s against 360 s).
                    timeout = max(1, self._visibility_timeout(url) // 2)
                    received = self._sqs.receive_message(
                        QueueUrl=url,
                        MaxNumberOfMessages=min(batch_size, 10),
                        AttributeNames=["All"],
                        MessageAttributeNames=["All"],
                        WaitTimeSeconds=0,
                    ).get("Messages", [])
                except (BotoCoreError, ClientError):  # Lambda's poller just polls again; so do we
                    continue
                if not received:
                    continue
                batches += 1
                messages += len(received)
                event = {"Records": [self._record(m, arn) for m in received]}
                try:
                    response = self.invoke(logical_id, event, timeout=timeout) or {}
                except Exception:  # a crashed invocation leaves the whole batch to be redelivered
                    errors += 1
                    failed += len(received)
                    continue
                failed_ids = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
                failed += len(failed_ids)
                done = [m for m in received if m["MessageId"] not in failed_ids]
                if done:
                    # A failed delete is not fatal either: the messages come back after the visibility
                    # timeout and the idempotent handlers make the redelivery a no-op.
                    with suppress(BotoCoreError, ClientError):
                        self._sqs.delete_message_batch(
                            QueueUrl=url,
                            Entries=[
                                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                for i, m in enumerate(done)
                            ],
                        )
        return PumpStats(batches, messages, failed, errors)

    @staticmethod
    def _record(message: dict[str, Any], arn: str) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": arn,
            "awsRegion": arn.split(":")[3],
        }

    def fire_schedules(self) -> list[Any]:
        """One tick of every schedule, as EventBridge Scheduler delivers it (the target's Input)."""
        return [self.invoke(s.function, dict(s.input)) for s in self.resources.schedules]

    def pump_until(self, done: Callable[[], bool], *, timeout: float, idle_sleep: float = 0.2) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done():
                return True
            if not self.pump_once().batches:
                time.sleep(idle_sleep)
        return done()
