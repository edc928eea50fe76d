"""Score the summariser's default against every sumy algorithm and Lead-3 (ROUGE F1, x100).

    .venv/bin/python benchmarks/summarisation.py [--data DIR] [--methods default,lead,...] [--limit N]

Data: ``bbc_dev.jsonl`` and ``cnndm_dev.jsonl`` (see the data README); absent data -> a message and
exit 0. Scoring follows that README: ``rouge-score`` with the Porter stemmer, rouge1/2/L and rougeLsum
F1, references as ``"\\n".join(summary_sentences)``, predictions one sentence per line, averaged over
items.

Length, the same for every method:

* CNN/DailyMail: ``sentences=3`` (Lead-3 is ``method="lead"`` at that length).
* BBC: ``ratio = len(summary_sentences) / n``, where ``n`` is the number of sentences the summariser's
  own splitter finds in the article (``split_sentences(article, "english")``), passed as
  ``summarise(..., ratio=ratio)``; the summariser keeps ``max(1, round(ratio * n))`` sentences, i.e.
  as many as the reference has. The "Lead" row on BBC is the lead baseline at that ratio.

The BBC headline (``title``) is passed as ``title=``; CNN/DailyMail items have none. Time is the median
wall-clock milliseconds of one ``summarise`` call per article (sentence splitting included), measured
in this process after one warm-up call per method so one-off imports are not counted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from newsdigest.summarisation.methods import METHODS as SUMMARY_METHODS
from shared_data import SUMMARISATION_DEV

DEFAULT_DATA = SUMMARISATION_DEV
DATASETS = (("cnndm", "cnndm_dev.jsonl"), ("bbc", "bbc_dev.jsonl"))
METHODS = SUMMARY_METHODS  # the summariser's own registry: every method it accepts by name
CNNDM_SENTENCES = 3


def load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return items[:limit] if limit else items


def length_arguments(source: str, item: dict[str, Any]) -> dict[str, Any]:
    from newsdigest.summarisation.sentences import split_sentences

    if source == "cnndm":
        return {"sentences": CNNDM_SENTENCES}
    total = len(split_sentences(item["article"], "english"))
    wanted = max(1, len(item["summary_sentences"]))
    return {"ratio": min(1.0, wanted / max(1, total))}


def evaluate(source: str, items: list[dict[str, Any]], methods: tuple[str, ...]) -> list[dict[str, Any]]:
    from newsdigest.cli.progress import Progress
    from newsdigest.summarisation import summarise
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    lengths = [length_arguments(source, item) for item in items]
    references = ["\n".join(item["summary_sentences"]) for item in items]
    rows = []
    shown = Progress(len(methods) * len(items), f"summarise {source}", unit="summaries")
    for method in methods:
        shown.update(0, method=method)
        first = items[0]
        summarise(first["article"], method=method, title=first.get("title") or None, **lengths[0])  # warm-up
        totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0, "rougeLsum": 0.0}
        times = []
        words = 0
        for item, length, reference in zip(items, lengths, references, strict=True):
            start = time.perf_counter()
            summary = summarise(item["article"], method=method, title=item.get("title") or None, **length)
            times.append((time.perf_counter() - start) * 1000)
            words += sum(len(s.split()) for s in summary.sentences)
            scores = scorer.score(reference, "\n".join(summary.sentences))
            for key in totals:
                totals[key] += scores[key].fmeasure
            shown.update()
        n = len(items)
        rows.append(
            {
                "method": "Lead" + ("-3" if source == "cnndm" else "") if method == "lead" else method,
                "R1": 100 * totals["rouge1"] / n,
                "R2": 100 * totals["rouge2"] / n,
                "RL": 100 * totals["rougeL"] / n,
                "RLsum": 100 * totals["rougeLsum"] / n,
                "words": words / n,
                "ms": statistics.median(times),
            }
        )
    shown.close()
    return rows


def print_table(source: str, items: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    length = f"{CNNDM_SENTENCES} sentences" if source == "cnndm" else "reference sentence ratio"
    print(f"\n## {source} ({len(items)} items, length: {length})\n")
    print("| method | R1 | R2 | RL | RLsum | words | median ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['method']} | {row['R1']:.1f} | {row['R2']:.1f} | {row['RL']:.1f} | {row['RLsum']:.1f} "
            f"| {row['words']:.0f} | {row['ms']:.2f} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the *_dev.jsonl files")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated method names")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items per dataset")
    args = parser.parse_args(argv)
    present = [(source, args.data / name) for source, name in DATASETS if (args.data / name).is_file()]
    if not present:
        print(f"summarisation data not found in {args.data}; skipping the benchmark")
        return 0
    try:
        import rouge_score  # noqa: F401
    except ImportError:
        print("rouge-score is not installed (pip install -e '.[bench]'); skipping the benchmark")
        return 0
    methods = tuple(m.strip() for m in args.methods.split(",") if m.strip())
    for source, path in present:
        items = load(path, args.limit)
        print_table(source, items, evaluate(source, items, methods))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
