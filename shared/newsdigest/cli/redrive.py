"""`newsdigest redrive`: dead letters back to their work queue (SQS StartMessageMoveTask)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.common import print_json
from newsdigest.cli.target import add_target_arguments, note

#: Stack outputs naming each dead-letter queue.
DEAD_LETTER_OUTPUTS = {
    "ingest": "IngestDeadLetterQueueUrl",
    "summarise": "SummariseDeadLetterQueueUrl",
    "discovered": "DiscoveredDeadLetterQueueUrl",
}


def process_local_queues(target: Any, *, timeout: float) -> bool:
    """Locally nothing polls the queues between commands: run the functions on them, as Lambda's event
    source mappings would, until every work queue is empty (True) or ``timeout`` passes."""
    from newsdigest.aws.redrive import in_queue, sqs_client
    from newsdigest.cli.run import local_runtime

    runtime = local_runtime(target.resources)
    sqs = sqs_client()
    urls = [url for spec in target.resources.functions.values() for url, _, _ in spec.sqs_sources]
    return bool(runtime.pump_until(lambda: all(in_queue(sqs, u) == 0 for u in urls), timeout=timeout))


def cmd_redrive(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.aws.redrive import sqs_client, start_redrive, wait_for
    from newsdigest.cli.target import open_target

    queues = list(DEAD_LETTER_OUTPUTS) if args.queue == "all" else [args.queue]
    status = exits.OK
    with open_target(args) as target:
        sqs = sqs_client()
        for queue in queues:
            url = target.output(DEAD_LETTER_OUTPUTS[queue])
            report = start_redrive(sqs, url, rate=args.rate, local_endpoint=target.kind != "stack")
            if report.mode == "local-move":
                note(f"{queue}: the endpoint lacks StartMessageMoveTask (moto); moved the messages by hand")
            if args.wait:
                report = wait_for(sqs, report, timeout=args.timeout)
            if report.already_running:
                note(f"{queue}: a move task is already running; reporting it instead of starting another")
            print_json({"dead_letter_queue": queue, **report.to_dict()}, out)
            if report.status in {"FAILED", "CANCELLED"} or (args.wait and report.status == "RUNNING"):
                status = exits.INFRASTRUCTURE
            target.changed = target.changed or bool(report.moved)
        if (
            target.resources is not None
            and target.changed
            and not process_local_queues(target, timeout=args.timeout)
        ):
            note(f"the work queues did not empty within {args.timeout:.0f}s")
            status = exits.INFRASTRUCTURE
    return status


def register(sub: Any) -> None:
    redrive = sub.add_parser(
        "redrive",
        help="move dead letters back to their work queue with SQS's StartMessageMoveTask and report the task",
    )
    redrive.add_argument(
        "--queue", choices=[*DEAD_LETTER_OUTPUTS, "all"], default="all", help="whose dead letters to move"
    )
    redrive.add_argument(
        "--rate",
        type=int,
        metavar="N",
        help="at most N messages a second (default: as fast as SQS moves them)",
    )
    redrive.add_argument("--wait", action="store_true", help="wait until the move task ends and report that")
    redrive.add_argument("--timeout", type=float, default=300.0, help="seconds --wait waits at most")
    add_target_arguments(redrive)
    redrive.set_defaults(func=cmd_redrive)
