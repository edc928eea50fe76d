"""A local pipeline run in its own process, for the kill test: upload files, then pump until settled.

    python tests/faults/pump_driver.py --endpoint-url http://127.0.0.1:PORT FILE...

Like ``newsdigest run --endpoint-url``, but it announces each handler invocation on stderr
(``START <function> <records>`` / ``END <function>``) so a test can SIGKILL it mid-batch, and it exits 0
only when every submitted file has a final item and both work queues are empty.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    if not args.endpoint_url.startswith("http://127.0.0.1:"):
        parser.error("loopback endpoints only")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "newsdigest")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "newsdigest-test")
    os.environ["POWERTOOLS_TRACE_DISABLED"] = "true"

    import boto3
    from newsdigest.local.drivers import LocalPipeline
    from newsdigest.local.runtime import LocalRuntime
    from newsdigest.local.stack import local_aws_environment, provision

    with local_aws_environment(args.endpoint_url):
        resources = provision(ROOT / "template.yaml", name="newsdigest-local")
        runtime = LocalRuntime(resources, extra_env={"POWERTOOLS_TRACE_DISABLED": "true"})
        for logical_id, handler in list(runtime.handlers.items()):
            runtime.handlers[logical_id] = _announced(logical_id, handler)
        pipeline = LocalPipeline(runtime)
        submissions = pipeline.submit(args.files)
        sqs = boto3.client("sqs")
        work_queues = [resources.queues["IngestQueue"], resources.queues["SummariseQueue"]]

        def drained() -> bool:
            for url in work_queues:
                attrs = sqs.get_queue_attributes(
                    QueueUrl=url,
                    AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
                )["Attributes"]
                if int(attrs["ApproximateNumberOfMessages"]) + int(
                    attrs["ApproximateNumberOfMessagesNotVisible"]
                ):
                    return False
            return True

        started = time.monotonic()
        done = runtime.pump_until(lambda: drained() and pipeline.settled(submissions), timeout=args.timeout)
        sys.stderr.write(f"DONE settled={done} seconds={time.monotonic() - started:.1f}\n")
        sys.stderr.flush()
        return 0 if done else 1


def _announced(logical_id: str, handler: Any) -> Any:
    def run(event: dict[str, Any], context: Any) -> Any:
        sys.stderr.write(f"START {logical_id} {len(event.get('Records', []))}\n")
        sys.stderr.flush()
        try:
            return handler(event, context)
        finally:
            sys.stderr.write(f"END {logical_id}\n")
            sys.stderr.flush()

    return run


if __name__ == "__main__":
    sys.exit(main())
