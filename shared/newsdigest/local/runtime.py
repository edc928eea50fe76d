"""Run the real handlers as Lambda would: cold-start import, context, SQS event source mapping.

By default the handlers run in this process (fast, and tests can patch them). With
``enforce_timeouts=True`` each function runs in an execution environment of its own, a worker process
(:mod:`newsdigest.local.worker`), and an invocation that outlives its timeout is cut off there as
Lambda cuts it off: the environment is killed mid-work, the invocation fails with "Task timed out",
nothing of its batch is reported, and the next invocation starts a new environment (a cold start).
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from newsdigest.aws.settings import get_settings
from newsdigest.local.stack import FunctionSpec, LocalResources

Handler = Callable[[dict[str, Any], Any], Any]

#: How long a worker may take to import its handler (Lambda's own init limit is 10 s; a loaded
#: development machine can take longer, and init time is not the invocation's).
WORKER_INIT_SECONDS = 60.0


class InvocationTimeout(Exception):
    """The invocation ran past the function's timeout and its environment was stopped."""


class FunctionError(Exception):
    """The handler raised, or its environment exited, instead of returning."""


def load_handler(path: Any, handler_name: str) -> Handler:
    """Import a function's module under a name of its own (its cold start) and return its handler."""
    module_name = f"newsdigest_local_{Path(path).parent.name}_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load handler {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    handler: Handler = getattr(module, handler_name)
    return handler


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


class _Environment:
    """One function's execution environment in a worker process, started on first use and again after
    a timeout or a crash."""

    def __init__(self, spec: FunctionSpec) -> None:
        self.spec = spec
        self.process: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    def invoke(self, event: dict[str, Any], timeout: float) -> Any:
        if self.process is None or self.process.poll() is not None:
            self._start()
        assert self.process is not None and self.process.stdin is not None
        request = {
            "event": event,
            "context": {
                "function_name": self.spec.name,
                "memory_limit_in_mb": self.spec.memory,
                "timeout_seconds": timeout,
            },
        }
        self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        self.process.stdin.flush()
        line = self._read_line(time.monotonic() + timeout)
        if line is None:
            self.stop()
            raise InvocationTimeout(f"{self.spec.name}: Task timed out after {timeout:.2f} seconds")
        reply = json.loads(line)
        if "error" in reply:
            raise FunctionError(f"{self.spec.name}: {reply['error']}: {reply['message']}\n{reply['trace']}")
        return reply["result"]

    def _start(self) -> None:
        self._buffer = b""
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "newsdigest.local.worker",
                str(self.spec.code_dir),
                self.spec.module,
                self.spec.handler,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=dict(os.environ),
        )
        line = self._read_line(time.monotonic() + WORKER_INIT_SECONDS)
        if line is None or not json.loads(line).get("ready"):
            self.stop()
            raise FunctionError(f"{self.spec.name}: the environment did not start")

    def _read_line(self, deadline: float) -> bytes | None:
        """The worker's next reply line, or None when the deadline passes first."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return None
            readable, _, _ = select.select([fd], [], [], wait)
            if not readable:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self.stop()
                raise FunctionError(f"{self.spec.name}: Runtime exited without a reply")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def stop(self) -> None:
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.process = None


class LocalRuntime:
    """Imports each function's handler once (its cold start) and feeds it SQS batches.

    ``enforce_timeouts=True`` runs each function in a worker process instead, which is stopped when an
    invocation outlives its timeout (call :meth:`close`, or use the runtime as a context manager).
    """

    def __init__(
        self,
        resources: LocalResources,
        *,
        extra_env: dict[str, str] | None = None,
        enforce_timeouts: bool = False,
    ) -> None:
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
        self.handlers: dict[str, Handler] = {}
        self.environments: dict[str, _Environment] = {}
        for logical_id, spec in resources.functions.items():
            if enforce_timeouts:
                self.environments[logical_id] = _Environment(spec)
            else:
                self.handlers[logical_id] = load_handler(spec.code_dir / f"{spec.module}.py", spec.handler)
        if self.handlers:
            from newsdigest.aws import snapstart

            snapstart.before_snapshot()  # as the template's SnapStart versions' init does
        self._sqs = boto3.client("sqs")
        self._visibility: dict[str, int] = {}

    def invoke(self, logical_id: str, event: dict[str, Any], *, timeout: int | None = None) -> Any:
        spec = self.resources.functions[logical_id]
        seconds = min(spec.timeout, timeout or spec.timeout)
        if logical_id in self.environments:
            return self.environments[logical_id].invoke(event, seconds)
        context = FakeLambdaContext(spec.name, spec.memory, seconds)
        return self.handlers[logical_id](event, context)

    def close(self) -> None:
        for environment in self.environments.values():
            environment.stop()

    def __enter__(self) -> LocalRuntime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
