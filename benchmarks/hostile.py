"""Cost of hostile inputs: CPU seconds and peak memory of one input per class, each in a fresh process.

Usage::

    .venv/bin/python benchmarks/hostile.py [--cases a,b,...] [--against CHECKOUT] [--cpu-limit S]

The classes and their sizes are issue 10's (``tests/hostile/cases.py`` builds them): pathological
titles, JSON-LD bodies, attribute and element counts, a 50 MB page, and texts the summariser's
default and sumy methods must rank. Each row runs the input through the public entry point
(``extract_article`` or ``summarise``) once, in a child interpreter of its own under a CPU limit
(``--cpu-limit``, default 60 s) and an address-space limit (``--memory-limit``, default 2048 MB);
imports and a warm-up call on an input of the same class at 1 % of its size are not counted. CPU is
the call's user + system time; peak memory is the child's maximum resident set (interpreter,
libraries and the input included: 20-80 MB before any work). A row stopped by a limit prints it.

``--against CHECKOUT`` measures another checkout's ``shared/`` (an older commit, say) in the same run,
in a second column, so the two are compared on the same machine at the same time.

Target: every row under 1 s of CPU and 300 MB.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.hostile: the case builders and the child-process runner

from tests.hostile.cases import CASES, Measurement, measure  # noqa: E402

TARGET_CPU_S = 1.0
TARGET_PEAK_MB = 300.0


def _cell(m: Measurement) -> str:
    if m.cpu_s is None or m.peak_mb is None:
        return f"stopped: {m.failure} | -"
    return f"{m.cpu_s:.2f} | {m.peak_mb:.0f}"


def _within(m: Measurement) -> bool:
    return (
        m.cpu_s is not None
        and m.peak_mb is not None
        and m.cpu_s < TARGET_CPU_S
        and m.peak_mb < TARGET_PEAK_MB
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument("--against", type=Path, default=None, help="another checkout to measure alongside")
    parser.add_argument("--cpu-limit", type=int, default=60, help="CPU seconds before a row is stopped")
    parser.add_argument("--memory-limit", type=int, default=2048, help="address space (MB) per row")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.cases.split(",") if n.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown cases: {', '.join(unknown)}; known: {', '.join(CASES)}")
    limits = {"cpu_limit_s": args.cpu_limit, "memory_limit_mb": args.memory_limit}

    header = "| input | CPU s | peak MB |"
    rule = "|---|---:|---:|"
    if args.against is not None:
        header += f" CPU s ({args.against.name}) | peak MB ({args.against.name}) |"
        rule += "---:|---:|"
    print(header)
    print(rule)
    within = 0
    for name in names:
        ours = measure(name, **limits)
        label = CASES[name].label.replace("|", "\\|")
        row = f"| {label} | {_cell(ours)} |"
        if args.against is not None:
            other = measure(name, pythonpath=str(args.against / "shared"), **limits)
            row += f" {_cell(other)} |"
        print(row, flush=True)
        within += _within(ours)
    print(f"\n{within} of {len(names)} rows under {TARGET_CPU_S:.0f} s and {TARGET_PEAK_MB:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
