"""Cost per 1,000 articles, computed from measured figures.

Runs real news pages through the real handlers on a local moto server (uploads: raw bucket -> SQS ->
Ingest -> articles bucket -> SQS -> Summarise -> DynamoDB) and measures, per article:

- each function's invocations and billed duration (each invocation's handler time rounded up to the
  millisecond, as Lambda bills), at the template's memory size;
- every AWS request the functions and Lambda's SQS poller make (botocore events on the session the
  handlers use), plus the SQS message S3 sends for each object written to a notifying bucket;
- DynamoDB write and read request units from the sizes of what is written and read;
- the bytes of log lines and EMF metrics the functions print (CloudWatch Logs ingestion).

Durations measured here are this machine's, not Lambda's. Each invocation's billed time is estimated
as its handler's CPU time on this thread (not the wall time: moto answers from other threads of this
process, on a shared machine) scaled by ``--cpu-scale`` (a 1,024 MB function gets 1024/1769 of a vCPU,
so the default is 1769/1024), plus ``--aws-call-ms`` for each AWS request it made (the in-region
latency of S3, SQS and DynamoDB, which Lambda bills as waiting time).
``--reports FILE`` takes a deployed stack's REPORT records instead (the JSON log format's
``platform.report`` lines, e.g. ``aws logs filter-log-events --log-group-name <IngestLogGroupName>
--filter-pattern '{ $.type = "platform.report" }'`` saved as JSON), which are the real billed figures.

Prices: us-east-1 list prices (PRICES_AS_OF below); check the AWS pricing pages before relying on them.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "shared"))
sys.path.insert(0, str(ROOT))

from benchmarks.shared_data import EXTRACTION_DEV  # noqa: E402

PRICES_AS_OF = "2025-07 (AWS pricing pages, us-east-1; DynamoDB on-demand after its November 2024 cut)"
PRICES = {
    "lambda_gb_second": 0.0000166667,  # x86_64
    "lambda_request": 0.20 / 1e6,
    "s3_put": 0.005 / 1000,  # PUT, COPY, POST, LIST
    "s3_get": 0.0004 / 1000,  # GET, HEAD and the rest
    "sqs_request": 0.40 / 1e6,  # standard queue, per 64 KB chunk
    "dynamodb_wru": 0.625 / 1e6,  # on-demand
    "dynamodb_rru": 0.125 / 1e6,
    "logs_ingest_gb": 0.50,
    "s3_storage_gb_month": 0.023,
    "dynamodb_storage_gb_month": 0.25,
}
#: Lambda gives a function one full vCPU at 1,769 MB and CPU in proportion to memory below that.
FULL_VCPU_MB = 1769
#: Billed wait for one S3, SQS or DynamoDB request from Lambda in the same region (typical 10-30 ms).
AWS_CALL_MS = 20.0
S3_PUT_OPERATIONS = {"PutObject", "CopyObject", "CreateMultipartUpload", "ListObjectsV2", "ListObjects"}


def _pages(limit: int) -> list[tuple[str, bytes]]:
    sources = sorted((EXTRACTION_DEV / "html").glob("*.html.gz"))[:limit] if EXTRACTION_DEV.is_dir() else []
    if not sources:
        print(f"cost: {EXTRACTION_DEV} is absent; using the vendored test pages", file=sys.stderr)
        sources = sorted((ROOT / "tests" / "fixtures").glob("*/pages/*.html.gz"))[:limit]
    return [(path.name.removesuffix(".gz"), gzip.decompress(path.read_bytes())) for path in sources]


class Meter:
    """Counts AWS requests by service and operation, with the sizes DynamoDB bills by."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()
        self.wru = 0.0
        self.rru = 0.0
        self.sqs_chunks = 0
        self.notifications = 0
        self.notifying_buckets: set[str] = set()

    def total(self) -> int:
        return sum(self.calls.values())

    def before(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        service, operation = model.service_model.service_name, model.name
        if service == "sqs" and operation in {"ReceiveMessage", "DeleteMessageBatch", "GetQueueAttributes"}:
            return  # counted after the call: Lambda's poller only, and only receives that returned messages
        self.calls[(service, operation)] += 1
        if (
            service == "s3"
            and operation in {"PutObject", "CopyObject"}
            and params.get("Bucket") in self.notifying_buckets
        ):
            self.notifications += 1  # S3 sends one SQS message for it
        if service == "dynamodb":
            size = len(json.dumps(params, default=str).encode())
            if operation in {"PutItem", "UpdateItem", "DeleteItem"}:
                self.wru += max(1, math.ceil(size / 1024))
            elif operation in {"GetItem", "Query", "Scan"}:
                self.rru += 1.0 if params.get("ConsistentRead") else 0.5

    def after(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        service, operation = model.service_model.service_name, model.name
        if service == "sqs" and operation == "ReceiveMessage" and parsed.get("Messages"):
            self.calls[(service, operation)] += 1
        if service == "sqs" and operation == "DeleteMessageBatch":
            self.calls[(service, operation)] += 1
        if service == "dynamodb" and operation == "GetItem" and parsed.get("Item"):
            size = len(json.dumps(parsed["Item"], default=str).encode())
            self.rru += max(0, math.ceil(size / 4096) - 1)  # beyond the first 4 KB


class ByteCounter(io.TextIOBase):
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        return len(text)


def measure(pages: list[tuple[str, bytes]]) -> dict[str, Any]:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "newsdigest")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "newsdigest")
    from newsdigest.local.runtime import LocalRuntime
    from newsdigest.local.stack import local_aws_environment, provision

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        with local_aws_environment(f"http://{host}:{port}"):
            resources = provision(ROOT / "template.yaml", name="cost")
            # As deployed: INFO logs and metrics on (they are part of the bill), tracing off (X-Ray is
            # priced separately and sampled).
            meter = Meter()
            meter.notifying_buckets = {
                resources.outputs["RawBucketName"],
                resources.outputs["ArticlesBucketName"],
            }
            # The session the handlers' clients (and the local poller's) are made from, instrumented
            # before any of them exists; this script's own calls use a session of their own.
            boto3.setup_default_session()
            session = boto3.DEFAULT_SESSION
            assert session is not None
            session.events.register("before-parameter-build", meter.before)
            session.events.register("after-call", meter.after)
            runtime = LocalRuntime(
                resources,
                extra_env={"POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "INFO",
                           "POWERTOOLS_METRICS_DISABLED": "false"},
            )  # fmt: skip
            invocations: dict[str, list[tuple[float, int]]] = defaultdict(list)
            for logical_id, handler in dict(runtime.handlers).items():

                def timed(event: Any, context: Any, _h: Any = handler, _id: str = logical_id) -> Any:
                    cpu, calls = time.thread_time(), meter.total()
                    try:
                        return _h(event, context)
                    finally:
                        invocations[_id].append(((time.thread_time() - cpu) * 1000, meter.total() - calls))

                runtime.handlers[logical_id] = timed
            logs = ByteCounter()
            from newsdigest.aws.observability import logger

            logger.registered_handler.stream = logs  # type: ignore[attr-defined]
            own = boto3.session.Session()
            raw = resources.outputs["RawBucketName"]
            table = own.resource("dynamodb").Table(resources.outputs["TableName"])
            meter.calls.clear()
            stdout, sys.stdout = sys.stdout, logs  # EMF metrics are printed
            try:
                s3 = own.client("s3")
                for name, body in pages:  # the uploads: a PUT each, and S3 notifies the raw queue
                    s3.put_object(Bucket=raw, Key=f"uploads/{name}", Body=body, ContentType="text/html")
                    meter.calls[("s3", "PutObject")] += 1
                    meter.notifications += 1
                runtime.pump_until(lambda: _all_items(table) >= len(pages), timeout=60 + 3 * len(pages))
            finally:
                sys.stdout = stdout
            statuses = Counter(i["status"] for i in table.scan()["Items"])
            memory = {lid: spec.memory for lid, spec in resources.functions.items()}
    finally:
        server.stop()
    return {"meter": meter, "invocations": invocations, "memory": memory, "log_bytes": logs.bytes,
            "statuses": statuses, "uploads": len(pages)}  # fmt: skip


def _all_items(table: Any) -> int:
    return len(table.scan(ProjectionExpression="article_id")["Items"])


def reports_from(path: Path) -> dict[str, list[tuple[float, int]]]:
    """(billed ms, memory MB) per function from saved platform.report records (one JSON per line, or
    the output of `aws logs filter-log-events`), grouped by the log group or stream they came from."""
    text = path.read_text(encoding="utf-8")
    events: list[dict[str, Any]] = []
    try:
        loaded = json.loads(text)
        events = loaded.get("events", loaded) if isinstance(loaded, dict) else loaded
    except ValueError:
        events = [json.loads(line) for line in text.splitlines() if line.strip()]
    found: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for event in events:
        record = json.loads(event["message"]) if "message" in event else event
        metrics = record.get("record", {}).get("metrics", {})
        if record.get("type") == "platform.report" and metrics:
            group = "Summarise" if "summarise" in json.dumps(event).lower() else "Ingest"
            found[group].append((float(metrics["billedDurationMs"]), int(metrics["memorySizeMB"])))
    return found


def billed_ms(run: dict[str, Any], cpu_scale: float, aws_call_ms: float) -> dict[str, list[int]]:
    """Each invocation's billed milliseconds: measured REPORT figures when given, else the estimate."""
    if run.get("reported"):
        return run["reported"]
    return {
        function: [math.ceil(cpu * cpu_scale + calls * aws_call_ms) for cpu, calls in values]
        for function, values in run["invocations"].items()
    }


def estimate(
    run: dict[str, Any], cpu_scale: float, aws_call_ms: float
) -> tuple[list[tuple[str, str, float]], dict[str, Any]]:
    """Rows (item, how it was measured, dollars per 1,000 articles) and the per-article figures."""
    n = run["uploads"]
    per_1000 = 1000 / n
    rows: list[tuple[str, str, float]] = []
    figures: dict[str, Any] = {}
    for function, billed in sorted(billed_ms(run, cpu_scale, aws_call_ms).items()):
        memory_gb = run["memory"][function] / 1024
        times = billed
        gb_s = sum(billed) / 1000 * memory_gb
        figures[function] = {
            "invocations": len(times),
            "billed_ms_mean": round(sum(billed) / len(billed), 1),
            "memory_mb": run["memory"][function],
        }
        if function in run["invocations"]:
            values = run["invocations"][function]
            figures[function]["cpu_ms_mean"] = round(sum(c for c, _ in values) / len(values), 1)
            figures[function]["aws_calls_mean"] = round(sum(k for _, k in values) / len(values), 1)
        mean = sum(billed) / len(billed)
        how = f"{len(times)} invocations, mean {mean:.0f} ms billed at {run['memory'][function]} MB"
        rows.append((f"{function} compute", how, gb_s * PRICES["lambda_gb_second"] * per_1000))
        rows.append(
            (
                f"{function} requests",
                f"{len(times)} invocations",
                len(times) * PRICES["lambda_request"] * per_1000,
            )
        )
    meter: Meter = run["meter"]
    s3_put = sum(c for (svc, op), c in meter.calls.items() if svc == "s3" and op in S3_PUT_OPERATIONS)
    s3_get = sum(c for (svc, op), c in meter.calls.items() if svc == "s3" and op not in S3_PUT_OPERATIONS)
    sqs = sum(c for (svc, _), c in meter.calls.items() if svc == "sqs") + meter.notifications
    rows.append(
        (
            "S3 requests",
            f"{s3_put} PUT-class, {s3_get} GET-class",
            (s3_put * PRICES["s3_put"] + s3_get * PRICES["s3_get"]) * per_1000,
        )
    )
    rows.append(
        (
            "SQS requests",
            f"{sqs} (S3 notifications, poller receives and deletes)",
            sqs * PRICES["sqs_request"] * per_1000,
        )
    )
    rows.append(
        (
            "DynamoDB",
            f"{meter.wru:.0f} WRU, {meter.rru:.1f} RRU",
            (meter.wru * PRICES["dynamodb_wru"] + meter.rru * PRICES["dynamodb_rru"]) * per_1000,
        )
    )
    log_kb = run["log_bytes"] / n / 1024
    log_cost = run["log_bytes"] / 1e9 * PRICES["logs_ingest_gb"] * per_1000
    rows.append(("CloudWatch Logs ingestion", f"{log_kb:.1f} KB per article (INFO logs, EMF)", log_cost))
    figures["calls"] = {f"{svc}:{op}": c for (svc, op), c in sorted(meter.calls.items())}
    figures["s3_notifications"] = meter.notifications
    return rows, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60, help="dev pages to run (default: 60)")
    parser.add_argument("--cpu-scale", type=float, default=FULL_VCPU_MB / 1024,
                        help="local ms x this = Lambda ms at 1,024 MB (default: 1769/1024)")  # fmt: skip
    parser.add_argument("--aws-call-ms", type=float, default=AWS_CALL_MS,
                        help=f"billed wait per AWS request (default: {AWS_CALL_MS})")  # fmt: skip
    parser.add_argument("--reports", type=Path, help="platform.report records of a deployed stack (JSON)")
    args = parser.parse_args(argv)

    pages = _pages(args.pages)
    run = measure(pages)
    if args.reports:
        run["reported"] = {}
        for function, values in reports_from(args.reports).items():
            logical = f"{function}Function"
            if values:
                # The deployed batches differ from the local ones: keep the measured mean per article.
                per_article = len(run["invocations"].get(logical, [])) / run["uploads"]
                mean = sum(ms for ms, _ in values) / len(values)
                run["reported"][logical] = [math.ceil(mean)] * max(1, round(per_article * run["uploads"]))
                run["memory"][logical] = values[0][1]
    rows, figures = estimate(run, args.cpu_scale, args.aws_call_ms)
    total = sum(cost for _, _, cost in rows)
    print(f"# Cost per 1,000 articles (uploads), measured on {run['uploads']} pages: {dict(run['statuses'])}")
    how = (
        "REPORT records"
        if args.reports
        else f"CPU x {args.cpu_scale:.2f} + {args.aws_call_ms:.0f} ms/AWS call"
    )
    print(f"Prices: {PRICES_AS_OF}.\nBilled durations: {how}.\n")
    print("| item | measured | $ per 1,000 articles |")
    print("|---|---|---:|")
    for name, how, cost in rows:
        print(f"| {name} | {how} | {cost:.5f} |")
    print(f"| **total** | | **{total:.4f}** |")
    print("\nNot per article: S3 storage (clean articles, raw uploads and 30 days of old versions) at "
          f"${PRICES['s3_storage_gb_month']}/GB-month, "
          f"items at ${PRICES['dynamodb_storage_gb_month']}/GB-month, "
          "custom metrics ($0.30 per metric series a month), the alarms, SnapStart's cache of each published "
          "version, and Lambda's SQS pollers' empty receives (a few per minute per queue).")  # fmt: skip
    print("\n```json\n" + json.dumps(figures, indent=2) + "\n```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
