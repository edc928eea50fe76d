"""Per-article latency of extraction and summarisation, and local end-to-end throughput.

    .venv/bin/python benchmarks/pipeline.py [--extract-limit N] [--summarise-limit N] [--batch 50]
                                            [--skip-e2e] [--embedded]

* **extract**: ``extract_article(html, url)`` on every page of ``../shared/data/extraction-dev``
  (gzip'd HTML, original bytes), one call each, timed in this process after one warm-up call (so the
  one-off imports are not counted).
* **summarise**: ``summarise(article, title=title)`` with the defaults the Summarise Lambda uses, on
  every item of ``../shared/data/summarisation-dev`` (BBC and CNN/DailyMail), timed the same way.
* **end to end**: ``newsdigest run`` (a subprocess, as a user runs it) on a batch of dev pages written
  as .html files: each page goes to the raw bucket, through the Ingest handler, the articles bucket and
  the Summarise handler to its DynamoDB item, against a moto server started here (``--endpoint-url``;
  ``--embedded`` lets the command start its own). Articles per second is pages / wall time of the
  command; a one-page run measured the same way gives the fixed cost (process start, imports,
  provisioning), and the marginal rate excludes it.

Targets: extract p95 < 100 ms and summarise p95 < 100 ms per article on this machine. Absent data:
that part is skipped with a message. Timings are wall-clock and depend on the machine's load.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from shared_data import EXTRACTION_DEV, SUMMARISATION_DEV

ROOT = Path(__file__).resolve().parents[1]
EXTRACTION_DATA = EXTRACTION_DEV
SUMMARISATION_DATA = SUMMARISATION_DEV
TARGET_P95_MS = 100.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def report(name: str, seconds: list[float], extra: str = "") -> float:
    ms = [s * 1000 for s in seconds]
    p95 = percentile(ms, 95)
    verdict = "meets" if p95 < TARGET_P95_MS else "MISSES"
    print(
        f"{name:<10} n={len(ms):<4} median {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  "
        f"max {max(ms):7.1f} ms  total {sum(ms) / 1000:6.1f} s  "
        f"({verdict} p95 < {TARGET_P95_MS:.0f} ms){extra}"
    )
    return p95


def extraction_pages(data: Path, limit: int | None) -> list[tuple[str, str | None, bytes]]:
    meta = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))["items"]
    pages = []
    for page_id in sorted(meta)[:limit] if limit else sorted(meta):
        item = meta[page_id]
        pages.append((page_id, item.get("url"), gzip.decompress((data / item["file"]).read_bytes())))
    return pages


def bench_extract(data: Path, limit: int | None) -> None:
    if not (data / "evaldata.json").is_file():
        print(f"extract: skipped, no development data at {data} (see its README)")
        return
    from newsdigest.errors import NewsdigestError
    from newsdigest.extract import extract_article

    pages = extraction_pages(data, limit)
    with contextlib.suppress(NewsdigestError):
        extract_article(pages[0][2], pages[0][1])  # warm-up: imports, lazily built tables
    times: list[float] = []
    statuses: Counter[str] = Counter()
    slowest: list[tuple[float, str, int]] = []
    for page_id, url, html in pages:
        start = time.perf_counter()
        try:
            status: str = extract_article(html, url).status
        except NewsdigestError as exc:
            status = f"error:{exc.reason}"
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        statuses[status] += 1
        slowest.append((elapsed, page_id, len(html)))
    report("extract", times, f"; status {dict(statuses.most_common())}")
    slowest.sort(reverse=True)
    print(
        "           slowest: "
        + ", ".join(f"{pid} {t * 1000:.0f} ms ({n // 1000} kB)" for t, pid, n in slowest[:5])
    )


def bench_summarise(data: Path, limit: int | None) -> None:
    files = [data / "bbc_dev.jsonl", data / "cnndm_dev.jsonl"]
    if not all(f.is_file() for f in files):
        print(f"summarise: skipped, no development data at {data} (see its README)")
        return
    from newsdigest.errors import NewsdigestError
    from newsdigest.summarisation import summarise

    items = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line]
    items = items[:limit] if limit else items
    summarise(items[0]["article"], title=items[0].get("title") or None)  # warm-up
    times: list[float] = []
    by_source: dict[str, list[float]] = {}
    failures = 0
    for item in items:
        start = time.perf_counter()
        try:
            summarise(item["article"], title=item.get("title") or None)
        except NewsdigestError:
            failures += 1
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        by_source.setdefault(item["source"], []).append(elapsed)
    report("summarise", times, f"; failures {failures}")
    for source, values in sorted(by_source.items()):
        ms = [v * 1000 for v in values]
        median, p95 = statistics.median(ms), percentile(ms, 95)
        print(f"           {source}: n={len(ms)} median {median:.1f} ms p95 {p95:.1f} ms")


def _run_cli(
    files: list[Path], endpoint: str | None, timeout: float
) -> tuple[float, list[dict[str, Any]], str]:
    command = [str(ROOT / ".venv" / "bin" / "newsdigest"), "run", "--timeout", str(timeout)]
    if endpoint:
        command += ["--endpoint-url", endpoint, "--name", f"bench-{len(files)}-{time.monotonic_ns() % 10**6}"]
    command += [str(f) for f in files]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    start = time.perf_counter()
    proc = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=timeout + 120, check=False
    )
    elapsed = time.perf_counter() - start
    items = [json.loads(line) for line in proc.stdout.splitlines() if line.strip().startswith("{")]
    return elapsed, items, proc.stderr


def bench_end_to_end(data: Path, batch: int, embedded: bool) -> None:
    if not (data / "evaldata.json").is_file():
        print(f"end to end: skipped, no development data at {data} (see its README)")
        return
    if not (ROOT / ".venv" / "bin" / "newsdigest").exists():
        print("end to end: skipped, no .venv/bin/newsdigest (run `make install`)")
        return
    server = None
    endpoint = None
    if not embedded:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for page_id, _, html in extraction_pages(data, batch):
                path = Path(tmp) / f"{page_id}.html"
                path.write_bytes(html)
                files.append(path)
            one, _, _ = _run_cli(files[:1], endpoint, timeout=120)
            total, items, stderr = _run_cli(files, endpoint, timeout=max(120.0, 6.0 * len(files)))
    finally:
        if server is not None:
            server.stop()
    statuses = Counter(str(i.get("status")) for i in items)
    where = "embedded moto server" if embedded else "moto server in this process (--endpoint-url)"
    print(f"end to end: newsdigest run, {len(files)} dev pages, {where}")
    rate = len(files) / total
    print(f"           {len(items)} items ({dict(statuses)}) in {total:.1f} s: {rate:.2f} articles/s")
    if len(files) > 1 and total > one:
        marginal = (len(files) - 1) / (total - one)
        print(f"           one page alone: {one:.1f} s (process start, imports, provisioning, both handlers)")
        print(f"           marginal rate without that fixed cost: {marginal:.2f} articles/s")
    if len(items) < len(files):
        print("           missing results; stderr tail:\n" + stderr[-2000:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extraction-data", type=Path, default=EXTRACTION_DATA)
    parser.add_argument("--summarisation-data", type=Path, default=SUMMARISATION_DATA)
    parser.add_argument("--extract-limit", type=int, default=0, help="only the first N pages (by id)")
    parser.add_argument("--summarise-limit", type=int, default=0, help="only the first N items")
    parser.add_argument("--batch", type=int, default=50, help="pages for the end-to-end run")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument(
        "--embedded", action="store_true", help="let `newsdigest run` start its own moto server"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    print(f"python {sys.version.split()[0]} ({sys.executable}); source tree: {ROOT / 'shared'}")
    bench_extract(args.extraction_data, args.extract_limit or None)
    bench_summarise(args.summarisation_data, args.summarise_limit or None)
    if not args.skip_e2e:
        bench_end_to_end(args.extraction_data, args.batch, args.embedded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
