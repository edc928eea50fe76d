"""Load: push many distinct pages through the local pipeline and account for every one of them.

    .venv/bin/python benchmarks/load.py                  # 1,000 generated pages, one worker process
    .venv/bin/python benchmarks/load.py --count 200 --dev-pages 100 --fault-rate 0.1

A moto server runs in a child process; the template's resources are provisioned on it; ``--workers``
processes each host both real handlers in a ``LocalRuntime`` and pump the queues the way Lambda's event
source mappings do (each worker is one execution environment of each function). Pages are uploaded to
the raw bucket (S3 notifies the ingest queue) as the pipeline keeps up, at most ``--window`` messages
queued: moto's SQS walks the whole queue on every receive, so a thousand queued messages would measure
moto. The clock runs from the first upload until both work queues are empty; then the run is
reconciled: every input must be an ok item, a failed item (with its reason) or a dead letter.

The figures are dominated by moto (its DynamoDB expression parser costs tens of milliseconds per
summary write); ``worker_cpu_ms_per_input`` is the handlers' own share.

Pages are generated news articles (varied length, chrome, bylines, datelines), every
``--broken-every``-th deliberately unusable (empty, blank, navigation only, binary), plus optionally
real pages from ``../shared/data/extraction-dev/html`` (``--dev-pages``). ``--fault-rate`` puts the
fault-injecting proxy of ``tests/faults`` between the handlers and moto.

Prints throughput (articles/s), peak memory (max RSS of each worker, the moto server and this
process) and the reconciliation; exits 1 if any input is unaccounted for (or an item matches no
input), 2 if the queues did not drain in ``--timeout`` seconds. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from moto_child import moto_child
from shared_data import EXTRACTION_DEV

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.faults: the page generator, reconciliation and fault proxy

DEV_PAGES = EXTRACTION_DEV / "html"
STACK_NAME = "newsdigest-load"


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _proc_peak_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _worker(endpoint: str, resources: Any, stop: Any, results: Any, cap_backoff: bool) -> None:
    """One execution environment per function: import the handlers once, pump until told to stop."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - handler logs and EMF metrics, for the process life
    os.environ.update(
        POWERTOOLS_SERVICE_NAME="newsdigest",
        POWERTOOLS_METRICS_NAMESPACE="newsdigest-load",
        POWERTOOLS_TRACE_DISABLED="true",
    )
    if cap_backoff:
        from botocore.retries import standard

        original = standard.ExponentialBackoff.delay_amount
        standard.ExponentialBackoff.delay_amount = lambda self, context: min(
            float(original(self, context)), 0.05
        )
    from newsdigest.local.runtime import LocalRuntime
    from newsdigest.local.stack import local_aws_environment

    parent = os.getppid()
    totals = {"batches": 0, "messages": 0, "failed_messages": 0, "handler_errors": 0, "poller_errors": 0}
    busy = 0.0
    with local_aws_environment(endpoint):
        runtime = LocalRuntime(resources, extra_env={"POWERTOOLS_TRACE_DISABLED": "true"})
        while not stop.is_set() and os.getppid() == parent:
            started = time.perf_counter()
            try:
                stats = runtime.pump_once()
            except Exception:  # a failed receive/delete: Lambda's poller would just poll again
                totals["poller_errors"] += 1
                time.sleep(0.1)
                continue
            if stats.batches:
                busy += time.perf_counter() - started
            for name in ("batches", "messages", "failed_messages", "handler_errors"):
                totals[name] += getattr(stats, name)
            if not stats.batches:
                time.sleep(0.05)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put(
        {
            **totals,
            "busy_seconds": round(busy, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mib": round(_peak_rss_mib(), 1),
        }
    )


def _inputs(count: int, broken_every: int, dev_pages: int) -> list[tuple[str, bytes, bool | None]]:
    from tests.faults.support import pages

    real: list[tuple[str, bytes, bool | None]] = []
    if dev_pages:
        if not DEV_PAGES.is_dir():
            print(f"load: {DEV_PAGES} is absent; generated pages only", file=sys.stderr)
        else:
            for path in sorted(DEV_PAGES.glob("*.html.gz"))[:dev_pages]:
                real.append((f"uploads/dev/{path.name[:-3]}", gzip.decompress(path.read_bytes()), None))
    generated = pages(max(0, count - len(real)), broken_every=broken_every)
    return [*real, *generated]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--count", type=int, default=1000, help="distinct pages in all (default 1000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="pumping processes (default 1: the single moto server is the bottleneck, and concurrent\n"
        "clients slow it down further on 2 cores)",
    )
    parser.add_argument("--broken-every", type=int, default=20, help="every Nth generated page is unusable")
    parser.add_argument("--dev-pages", type=int, default=0, help="real pages from the development data")
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of S3/DynamoDB/SQS calls to fail"
    )
    parser.add_argument("--window", type=int, default=100, help="most messages queued at once")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds to wait for the queues")
    args = parser.parse_args(argv)

    import boto3
    from newsdigest.local.stack import local_aws_environment, provision

    from tests.faults.support import dead_letter_ids, drain, queue_depth, reconcile, scan_items, upload

    with moto_child("load") as (endpoint, moto_pid):
        proxy = None
        workers: list[Any] = []
        try:
            with local_aws_environment(endpoint):
                resources = provision(ROOT / "template.yaml", name=STACK_NAME)
                s3 = boto3.client("s3")
                sqs = boto3.client("sqs")
                table = boto3.resource("dynamodb").Table(resources.outputs["TableName"])
            handler_endpoint = endpoint
            if args.fault_rate:
                from tests.faults.proxy import FaultPlan, FaultProxy

                rates = {"s3": args.fault_rate, "dynamodb": args.fault_rate, "sqs": args.fault_rate / 2}
                proxy = FaultProxy(endpoint, FaultPlan(rates=rates, seed=args.seed)).start()
                handler_endpoint = proxy.url

            batch = _inputs(args.count, args.broken_every, args.dev_pages)
            raw_bucket = resources.outputs["RawBucketName"]
            context = mp.get_context("spawn")
            stop = context.Event()
            results = context.Queue()
            work_queues = [resources.queues["IngestQueue"], resources.queues["SummariseQueue"]]
            workers = [
                context.Process(
                    target=_worker,
                    args=(handler_endpoint, resources, stop, results, bool(args.fault_rate)),
                    daemon=True,
                )
                for _ in range(args.workers)
            ]
            for worker in workers:
                worker.start()
            # Uploads go in as the pipeline keeps up (at most --window messages queued): moto's SQS scans
            # the whole queue on every receive, so a thousand queued messages would measure moto, not us.
            inputs: dict[str, str] = {}
            pending = list(batch)
            upload_seconds = 0.0
            drained = False
            started = last_report = time.perf_counter()
            while time.perf_counter() - started < args.timeout:
                depth = sum(queue_depth(sqs, url) for url in work_queues)
                if pending and depth < args.window:
                    chunk, pending = pending[: args.window // 4 or 1], pending[args.window // 4 or 1 :]
                    begun = time.perf_counter()
                    inputs.update(upload(s3, raw_bucket, chunk))
                    upload_seconds += time.perf_counter() - begun
                    continue
                if not pending and depth == 0:
                    drained = True
                    break
                if time.perf_counter() - last_report > 15:
                    last_report = time.perf_counter()
                    print(
                        f"load: {last_report - started:5.0f}s, {len(inputs)} uploaded, "
                        f"{depth} messages queued",
                        file=sys.stderr,
                    )
                time.sleep(0.25)
            pipeline_seconds = time.perf_counter() - started
            if len(inputs) != len(batch) and not pending:
                print(f"load: {len(batch)} pages but {len(inputs)} distinct ids", file=sys.stderr)
            stop.set()
            worker_stats = [results.get(timeout=120) for _ in workers]
            for worker in workers:
                worker.join(timeout=30)
            moto_peak = _proc_peak_mib(moto_pid)

            dead = {
                q: dead_letter_ids(drain(sqs, resources.queues[q]))
                for q in ("IngestDeadLetterQueue", "SummariseDeadLetterQueue")
            }
            items = scan_items(table)
            result = reconcile(inputs, items, [i for ids in dead.values() for i in ids])
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
                    worker.join(timeout=5)
            if proxy is not None:
                proxy.stop()

    processed = len(result.ok) + len(result.failed) + len(result.dead_letter_only)
    report = {
        "inputs": len(inputs),
        "dev_pages": sum(1 for key, _b, _u in batch if key.startswith("uploads/dev/")),
        "workers": args.workers,
        "fault_rate": args.fault_rate,
        "upload_seconds": round(upload_seconds, 1),
        "pipeline_seconds": round(pipeline_seconds, 1),
        "drained": drained,
        "inputs_per_second": round(processed / pipeline_seconds, 2),
        # Handler-side CPU (extract, summarise, botocore, logging) per input, all workers; the rest of
        # the wall time is the moto server (its DynamoDB expression parser above all).
        "worker_cpu_ms_per_input": round(1000 * sum(w["cpu_seconds"] for w in worker_stats) / len(inputs), 1),
        "articles_per_second": round(len(result.ok) / pipeline_seconds, 2),
        "peak_rss_mib": {
            "workers": [w["peak_rss_mib"] for w in worker_stats],
            "moto_server": round(moto_peak, 1) if moto_peak else None,
            "driver": round(_peak_rss_mib(), 1),
        },
        "pumping": worker_stats,
        "reconciliation": result.summary(),
        "dead_letters_by_queue": {q: len(ids) for q, ids in dead.items()},
    }
    if proxy is not None:
        report["faults_injected"] = proxy.faults_injected()
    print(json.dumps(report, indent=2))
    rec = result.summary()
    print(
        f"\n{len(inputs)} inputs in {pipeline_seconds:.1f}s: {report['articles_per_second']} articles/s "
        f"({report['inputs_per_second']} inputs/s) with {args.workers} workers; "
        f"peak RSS per worker {max(report['peak_rss_mib']['workers'])} MiB, "
        f"moto {report['peak_rss_mib']['moto_server']} MiB\n"
        f"reconciliation: {rec['inputs']} inputs = {rec['ok_items']} ok + {rec['failed_items']} failed "
        f"+ {rec['dead_letter_only']} dead-letter-only; unaccounted {rec['unaccounted']}, "
        f"stray items {rec['stray_items']}, dead letters {rec['dead_letters']}"
    )
    if result.unaccounted or result.stray or not result.balanced:
        return 1
    return 0 if drained else 2


if __name__ == "__main__":
    sys.exit(main())
