"""Dead letters back to their work queue with SQS's own redrive (StartMessageMoveTask).

SQS moves the messages itself, in the background, at most ``MaxNumberOfMessagesPerSecond`` if given;
``ListMessageMoveTasks`` reports progress. Asking again while a task runs reports that task rather than
starting a second one, and an empty dead-letter queue starts nothing, so a redrive can be repeated
safely.

moto (the local stack) does not implement the message-move API (moto 5.2.5). Against a local endpoint
only, and only when the endpoint refuses the call, the same move is made by hand (receive, send to
the work queue, delete) and reported as ``mode: local-move``; a deployed stack always uses SQS's task.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from newsdigest.aws.storage import error_code

#: Error codes meaning "a move task already runs for this queue".
_ALREADY_RUNNING = {"AWS.SimpleQueueService.UnsupportedOperation", "UnsupportedOperation"}
#: What an endpoint without the message-move API answers (moto: a 500; others: unknown operation).
_NOT_IMPLEMENTED = {"500", "InternalFailure", "InternalError", "InvalidAction", "NotImplemented"}
#: One attempt: a missing operation is not worth botocore's retries.
PROBE_CONFIG = Config(retries={"mode": "standard", "max_attempts": 1})
#: Messages received per call by the local move (SQS's maximum).
LOCAL_BATCH = 10


@dataclass(slots=True)
class MoveReport:
    queue: str  # the dead-letter queue's name
    source_arn: str
    destination_arn: str | None
    mode: str  # "sqs-move-task", "local-move" or "none" (nothing to move)
    status: str  # SQS's task status (RUNNING, COMPLETED, CANCELLED, FAILED) or EMPTY
    messages_at_start: int
    moved: int | None = None
    task_handle: str | None = None
    failure_reason: str | None = None
    already_running: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def sqs_client() -> Any:
    import boto3

    return boto3.client("sqs", config=PROBE_CONFIG)


def in_queue(sqs: Any, url: str) -> int:
    """Messages waiting or in flight."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(attrs[n]) for n in names)


def _arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def _waiting(sqs: Any, url: str) -> int:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])


def work_queue_of(sqs: Any, dead_letter_url: str) -> str | None:
    """The one queue whose redrive policy names this dead-letter queue (its ARN), if there is one."""
    sources = sqs.list_dead_letter_source_queues(QueueUrl=dead_letter_url).get("queueUrls", [])
    return _arn(sqs, sources[0]) if len(sources) == 1 else None


def _latest_task(sqs: Any, source_arn: str) -> dict[str, Any] | None:
    results = sqs.list_message_move_tasks(SourceArn=source_arn, MaxResults=1).get("Results", [])
    return results[0] if results else None


def _from_task(report: MoveReport, task: dict[str, Any]) -> MoveReport:
    report.status = str(task.get("Status", report.status))
    report.task_handle = task.get("TaskHandle") or report.task_handle
    if "ApproximateNumberOfMessagesMoved" in task:
        report.moved = int(task["ApproximateNumberOfMessagesMoved"])
    report.failure_reason = task.get("FailureReason") or report.failure_reason
    return report


def start_redrive(
    sqs: Any, dead_letter_url: str, *, rate: int | None = None, local_endpoint: bool = False
) -> MoveReport:
    """Start moving the dead letters of ``dead_letter_url`` back to its work queue; report the task."""
    source_arn = _arn(sqs, dead_letter_url)
    destination = work_queue_of(sqs, dead_letter_url)
    report = MoveReport(
        queue=source_arn.rsplit(":", 1)[-1],
        source_arn=source_arn,
        destination_arn=destination,
        mode="sqs-move-task",
        status="EMPTY",
        messages_at_start=_waiting(sqs, dead_letter_url),
    )
    if report.messages_at_start == 0:
        report.mode = "none"
        report.moved = 0
        return report
    request: dict[str, Any] = {"SourceArn": source_arn}
    if destination:
        # Explicit: the Ingest dead-letter queue also holds failed asynchronous invokes, which have
        # no SQS source queue for "back where they came from" to find.
        request["DestinationArn"] = destination
    if rate:
        request["MaxNumberOfMessagesPerSecond"] = rate
    try:
        started = sqs.start_message_move_task(**request)
    except ClientError as exc:
        code = error_code(exc)
        if code in _ALREADY_RUNNING:
            task = _latest_task(sqs, source_arn)
            if task is not None and task.get("Status") == "RUNNING":
                report.already_running = True
                return _from_task(report, task)
            raise
        if local_endpoint and (
            code in _NOT_IMPLEMENTED
            or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in {500, 501}
        ):
            return _move_locally(sqs, dead_letter_url, report)
        raise
    report.task_handle = started["TaskHandle"]
    report.status = "RUNNING"
    return report


def wait_for(sqs: Any, report: MoveReport, *, timeout: float, poll: float = 2.0) -> MoveReport:
    """Poll ListMessageMoveTasks until the task leaves RUNNING (or ``timeout`` passes)."""
    if report.mode != "sqs-move-task" or report.status != "RUNNING":
        return report
    deadline = time.monotonic() + timeout
    while True:
        task = _latest_task(sqs, report.source_arn)
        if task is not None and (
            not report.task_handle or task.get("TaskHandle") in (None, report.task_handle)
        ):
            _from_task(report, task)
        if report.status != "RUNNING" or time.monotonic() >= deadline:
            return report
        time.sleep(poll)


def _move_locally(sqs: Any, dead_letter_url: str, report: MoveReport) -> MoveReport:
    """What the move task does, by hand, for an endpoint without it: at most the messages there at the
    start (a message that fails again and returns is not moved twice in one redrive)."""
    report.mode = "local-move"
    if not report.destination_arn:
        report.status = "FAILED"
        report.failure_reason = "no single work queue names this dead-letter queue"
        return report
    name = report.destination_arn.rsplit(":", 1)[-1]
    destination_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    moved = 0
    while moved < report.messages_at_start:
        received = sqs.receive_message(
            QueueUrl=dead_letter_url,
            MaxNumberOfMessages=min(LOCAL_BATCH, report.messages_at_start - moved),
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not received:
            break
        entries = []
        for i, message in enumerate(received):
            entry: dict[str, Any] = {"Id": str(i), "MessageBody": message["Body"]}
            if message.get("MessageAttributes"):
                entry["MessageAttributes"] = message["MessageAttributes"]
            entries.append(entry)
        sent = sqs.send_message_batch(QueueUrl=destination_url, Entries=entries)
        done = {s["Id"] for s in sent.get("Successful", [])}
        sqs.delete_message_batch(
            QueueUrl=dead_letter_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(received)
                if str(i) in done
            ],
        )
        moved += len(done)
        if len(done) < len(received):
            break
    report.moved = moved
    report.status = "COMPLETED" if moved == report.messages_at_start else "FAILED"
    if report.status == "FAILED":
        report.failure_reason = f"moved {moved} of {report.messages_at_start}"
    return report
