"""Publication-date benchmark: newsdigest against htmldate and trafilatura, same pages, same run.

Usage::

    .venv/bin/python benchmarks/dates.py [--data DIR] [--limit N] [--seed S]

Data: the pages of ``../shared/data/extraction-dev`` whose ``meta.date`` is annotated (727 of 990).
A page counts as right when the extracted date falls on the annotated calendar day (the first
``YYYY-MM-DD`` of each value). Every tool gets the same decoded text (decoded as newsdigest decodes it,
which the extraction set's README prescribes) and the page's URL.

Rows:

* ``newsdigest``: ``extract_article(...).published`` (htmldate decides the day, our reading of the
  page's own timestamps gives its local form: ``newsdigest/extract/published.py``);
* ``our reading alone``: the same with htmldate's reading withheld (the date code before htmldate);
* ``htmldate``: ``find_date(original_date=True)`` with its extensive search (dateparser installed, as
  htmldate's users run it), and in its fast mode;
* ``trafilatura``: ``bare_extraction(...).date`` (trafilatura's own htmldate settings).

Beside each accuracy, the paired difference against htmldate with a 95 % bootstrap interval over pages,
and the median milliseconds per page (for newsdigest: the whole extraction). These are development
figures: the date rules were written on these pages, so only the difference in kind (which rows move
together) transfers to unseen pages.

Exits 0 with a message when the data folder is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import random
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared_data import EXTRACTION_DEV

_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def day_of(value: str | None) -> tuple[int, int, int] | None:
    match = _DAY.search(value or "")
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def load(data: Path, limit: int | None) -> list[tuple[str, bytes, str, str]]:
    items = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))["items"]
    pages = []
    for page_id, item in items.items():
        gold = (item.get("meta") or {}).get("date")
        if not day_of(gold):
            continue
        raw = gzip.decompress((data / item["file"]).read_bytes())
        pages.append((page_id, raw, item["url"], str(gold)))
        if limit and len(pages) >= limit:
            break
    return pages


def bootstrap(diffs: list[int], seed: int, rounds: int = 2000) -> tuple[float, float]:
    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=EXTRACTION_DEV)
    parser.add_argument("--limit", type=int, help="only the first N dated pages")
    parser.add_argument("--seed", type=int, default=7, help="bootstrap seed")
    args = parser.parse_args(argv)
    if not (args.data / "evaldata.json").is_file():
        print(f"no extraction data at {args.data}: skipping (see benchmarks/shared_data.py)")
        return 0

    logging.disable(logging.CRITICAL)  # htmldate and trafilatura log every miss
    warnings.filterwarnings("ignore")
    import htmldate
    import htmldate.extractors
    import trafilatura
    from newsdigest import extract_article
    from newsdigest.extract import article as article_module
    from newsdigest.extract.encoding import decode_html

    def ours(raw: bytes, text: str, url: str) -> str | None:
        return extract_article(raw, url).published

    def ours_alone(raw: bytes, text: str, url: str) -> str | None:
        real = article_module.release_day
        # Whatever its signature (a stand-in that did not take the call made this row 0.0 %).
        article_module.release_day = lambda *args, **kwargs: None
        try:
            return extract_article(raw, url).published
        finally:
            article_module.release_day = real

    # Our extractor answers two of htmldate's hooks itself (extract/published.py); the anchors run as
    # their users run them, with dateparser behind those hooks.
    own_hooks = {name: getattr(htmldate.extractors, name) for name in ("get_external_parser", "month_words")}

    def as_shipped(tool: Callable[[bytes, str, str], str | None]) -> Callable[[bytes, str, str], str | None]:
        def run(raw: bytes, text: str, url: str) -> str | None:
            ours_hooks = {name: getattr(htmldate.extractors, name) for name in own_hooks}
            for name, hook in own_hooks.items():
                setattr(htmldate.extractors, name, hook)
            try:
                return tool(raw, text, url)
            finally:
                for name, hook in ours_hooks.items():
                    setattr(htmldate.extractors, name, hook)

        return run

    def htmldate_extensive(raw: bytes, text: str, url: str) -> str | None:
        return htmldate.find_date(text, url=url, original_date=True, extensive_search=True)

    def htmldate_fast(raw: bytes, text: str, url: str) -> str | None:
        return htmldate.find_date(text, url=url, original_date=True, extensive_search=False)

    def trafilatura_date(raw: bytes, text: str, url: str) -> str | None:
        doc = trafilatura.bare_extraction(text, url=url, with_metadata=True)
        return getattr(doc, "date", None) if doc is not None else None

    tools: dict[str, Callable[[bytes, str, str], str | None]] = {
        "newsdigest": ours,
        "our reading alone": ours_alone,
        "htmldate": as_shipped(htmldate_extensive),
        "htmldate fast": as_shipped(htmldate_fast),
        "trafilatura": as_shipped(trafilatura_date),
    }
    our_rows = {"newsdigest", "our reading alone"}
    pages = load(args.data, args.limit)
    right: dict[str, list[int]] = {name: [] for name in tools}
    millis: dict[str, list[float]] = {name: [] for name in tools}
    for i, (_page_id, raw, url, gold) in enumerate(pages, 1):
        text, _ = decode_html(raw, None)
        for name, tool in tools.items():
            start = time.perf_counter()
            try:
                found: Any = tool(raw, text, url)
            except Exception:  # an anchor's crash counts as a miss, as in the extraction benchmark
                if name in our_rows:
                    raise  # ours is a bug, not a miss (a row of 0.0 % hid one)
                found = None
            millis[name].append((time.perf_counter() - start) * 1000)
            right[name].append(int(day_of(found) == day_of(gold)))
        if i % 100 == 0:
            print(f"  {i}/{len(pages)} pages", file=sys.stderr, flush=True)

    print(f"published date, right calendar day, {len(pages)} dated pages of {args.data.name}")
    print(f"{'tool':<18} {'right %':>8} {'vs htmldate (95% CI)':>26} {'median ms':>10}")
    for name in tools:
        diffs = [a - b for a, b in zip(right[name], right["htmldate"], strict=True)]
        low, high = bootstrap(diffs, args.seed)
        delta = 100 * sum(diffs) / len(diffs)
        versus = "" if name == "htmldate" else f"{delta:+.1f} [{100 * low:+.1f}, {100 * high:+.1f}]"
        accuracy = 100 * sum(right[name]) / len(pages)
        print(f"{name:<18} {accuracy:8.1f} {versus:>26} {statistics.median(millis[name]):10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
