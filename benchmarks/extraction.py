"""Main-text extraction benchmark: newsdigest's extractor against trafilatura, same pages, same run.

Usage::

    .venv/bin/python benchmarks/extraction.py [--data DIR] [--limit N] [--ours-only] [--failures N]

Data: ``../shared/data/extraction-dev`` (override with ``--data``); its README defines the text
scoring, reproduced here: segments and extracted text are whitespace-normalised, a segment counts
when it is a substring of the text; ``with`` segments present are true positives, absent ones false
negatives; ``without`` segments present are false positives. Counts are summed over pages (micro
average). A crash or empty output counts as every ``with`` missed.

Metadata accuracy (our own rule, counted only over pages whose ``meta`` field is non-empty):

* title: equal after normalisation (NFKC, case-folded, punctuation and quotes dropped, whitespace
  collapsed);
* author: at least one extracted name equals one annotated name after the same normalisation; the
  annotation is split into names on ``;``, ``,``, ``&``, "and", "und", "et", "y", "i", "e";
* date: the same calendar day (the first ``YYYY-MM-DD`` of the value; the annotation's month and day
  may lack a leading zero).

Timing: wall time per page of ``extract_article(bytes, url)`` for ours (text and all metadata) and
of ``trafilatura.extract(bytes, include_comments=False)`` for trafilatura (text only; its metadata
comes from a separate, untimed ``bare_extraction`` call). Pages are processed one at a time in
this process, alternating the two extractors so machine noise hits both alike.

Exits 0 with a message when the data folder is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared_data import EXTRACTION_DEV

DEFAULT_DATA = EXTRACTION_DEV
_WS = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\be\b|/|\|)\s*", re.I)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def norm_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def norm_label(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WS.sub(" ", _PUNCT.sub(" ", text)).strip()


def day_of(value: str | None) -> tuple[int, int, int] | None:
    if not value:
        return None
    match = _DAY.search(value)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def split_names(value: str | Iterable[str] | None) -> set[str]:
    if not value:
        return set()
    items = [value] if isinstance(value, str) else list(value)
    names: set[str] = set()
    for item in items:
        for part in _NAME_SPLIT.split(item):
            label = norm_label(part)
            if label:
                names.add(label)
    return names


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    meta_hits: dict[str, int] = field(default_factory=lambda: {"title": 0, "author": 0, "date": 0})
    meta_total: dict[str, int] = field(default_factory=lambda: {"title": 0, "author": 0, "date": 0})
    times_ms: list[float] = field(default_factory=list)
    crashes: int = 0

    def score_text(self, text: str, with_: list[str], without: list[str]) -> tuple[list[str], list[str]]:
        body = norm_ws(text)
        missed = [s for s in with_ if norm_ws(s) not in body]
        leaked = [s for s in without if norm_ws(s) in body]
        self.tp += len(with_) - len(missed)
        self.fn += len(missed)
        self.fp += len(leaked)
        self.tn += len(without) - len(leaked)
        return missed, leaked

    def score_meta(
        self, gold: dict[str, Any], title: str | None, authors: list[str], date: str | None
    ) -> None:
        if gold.get("title"):
            self.meta_total["title"] += 1
            self.meta_hits["title"] += int(
                bool(title) and norm_label(title or "") == norm_label(gold["title"])
            )
        if gold.get("author"):
            self.meta_total["author"] += 1
            self.meta_hits["author"] += int(bool(split_names(gold["author"]) & split_names(authors)))
        if gold.get("date") and day_of(gold["date"]):
            self.meta_total["date"] += 1
            self.meta_hits["date"] += int(day_of(date) == day_of(gold["date"]))

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return 2 * self.tp / max(1, 2 * self.tp + self.fp + self.fn)

    def acc(self, key: str) -> float:
        return self.meta_hits[key] / max(1, self.meta_total[key])

    def median_ms(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else 0.0

    def p95_ms(self) -> float:
        if not self.times_ms:
            return 0.0
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


Runner = Callable[[bytes, str | None], tuple[str, str | None, list[str], str | None]]


def run_ours(html: bytes, url: str | None) -> tuple[str, str | None, list[str], str | None]:
    from newsdigest import extract_article

    art = extract_article(html, url)
    return art.text, art.title, list(art.authors), art.published


def make_trafilatura() -> tuple[Callable[[bytes, str | None], str], Callable[[bytes, str | None], Any]]:
    import trafilatura

    def text(html: bytes, url: str | None) -> str:
        return trafilatura.extract(html, url=url, include_comments=False) or ""

    def meta(html: bytes, url: str | None) -> Any:
        return trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)

    return text, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (by id)")
    parser.add_argument("--ours-only", action="store_true", help="skip trafilatura (quick iterations)")
    parser.add_argument("--failures", type=int, default=0, help="print up to N pages with misses/leaks")
    parser.add_argument("--meta-failures", type=int, default=0, help="print up to N metadata mismatches")
    args = parser.parse_args(argv)

    evalfile = args.data / "evaldata.json"
    if not evalfile.is_file():
        print(f"extraction benchmark skipped: no data folder at {args.data} (evaldata.json missing)")
        return 0
    warnings.filterwarnings("ignore")
    items: dict[str, Any] = json.loads(evalfile.read_text(encoding="utf-8"))["items"]
    ids = sorted(items)
    if args.limit:
        ids = ids[: args.limit]

    ours = Tally()
    theirs = Tally()
    traf_text = traf_meta = None
    if not args.ours_only:
        traf_text, traf_meta = make_trafilatura()
    # Warm both up so one-off import costs do not land in the first page's timing.
    run_ours(b"<html><body><p>warm up</p></body></html>", None)
    if traf_text is not None:
        traf_text(b"<html><body><p>warm up</p></body></html>", None)

    shown = meta_shown = 0
    for page_id in ids:
        item = items[page_id]
        html = gzip.decompress((args.data / item["file"]).read_bytes())
        url = item.get("url")
        gold_meta = item.get("meta") or {}
        with_, without = item.get("with", []), item.get("without", [])

        start = time.perf_counter()
        try:
            text, title, authors, date = run_ours(html, url)
        except Exception as exc:  # a crash scores as an empty output
            ours.crashes += 1
            print(f"ours crashed on {page_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            text, title, authors, date = "", None, [], None
        ours.times_ms.append((time.perf_counter() - start) * 1000)
        missed, leaked = ours.score_text(text, with_, without)
        ours.score_meta(gold_meta, title, authors, date)
        if args.failures and (missed or leaked) and shown < args.failures:
            shown += 1
            print(f"--- {page_id} {url}\n  missed: {missed}\n  leaked: {leaked}")
        if args.meta_failures and meta_shown < args.meta_failures:
            bad = []
            if gold_meta.get("title") and norm_label(title or "") != norm_label(gold_meta["title"]):
                bad.append(f"title {title!r} != {gold_meta['title']!r}")
            if gold_meta.get("author") and not split_names(gold_meta["author"]) & split_names(authors):
                bad.append(f"author {authors!r} != {gold_meta['author']!r}")
            if (
                gold_meta.get("date")
                and day_of(gold_meta["date"])
                and day_of(date) != day_of(gold_meta["date"])
            ):
                bad.append(f"date {date!r} != {gold_meta['date']!r}")
            if bad:
                meta_shown += 1
                print(f"--- {page_id} {url}\n  " + "\n  ".join(bad))

        if traf_text is not None and traf_meta is not None:
            start = time.perf_counter()
            try:
                ttext = traf_text(html, url)
            except Exception:
                theirs.crashes += 1
                ttext = ""
            theirs.times_ms.append((time.perf_counter() - start) * 1000)
            theirs.score_text(ttext, with_, without)
            try:
                doc = traf_meta(html, url)
            except Exception:
                doc = None
            tauthor = getattr(doc, "author", None) if doc is not None else None
            theirs.score_meta(
                gold_meta,
                getattr(doc, "title", None) if doc is not None else None,
                [tauthor] if tauthor else [],
                getattr(doc, "date", None) if doc is not None else None,
            )

    header = f"{'extractor':<12} {'F1':>6} {'prec':>6} {'recall':>6} {'title':>6} {'author':>6} {'date':>6} "
    header += f"{'med ms':>7} {'p95 ms':>7} {'crash':>5}"
    print(
        f"pages: {len(ids)}  (title n={ours.meta_total['title']}, author n={ours.meta_total['author']}, "
        f"date n={ours.meta_total['date']})"
    )
    print(header)
    rows = [("newsdigest", ours)] + ([("trafilatura", theirs)] if traf_text is not None else [])
    for name, t in rows:
        print(
            f"{name:<12} {t.f1:6.3f} {t.precision:6.3f} {t.recall:6.3f} {t.acc('title'):6.3f} "
            f"{t.acc('author'):6.3f} {t.acc('date'):6.3f} {t.median_ms():7.1f} {t.p95_ms():7.1f} "
            f"{t.crashes:5d}"
        )
    if traf_text is not None:

        def ratio(a: float, b: float) -> str:
            return f"{a / b:.2f}" if b else "n/a"

        print(
            "ratios ours/trafilatura: "
            f"F1 {ratio(ours.f1, theirs.f1)}, precision {ratio(ours.precision, theirs.precision)}, "
            f"recall {ratio(ours.recall, theirs.recall)}, "
            f"title {ratio(ours.acc('title'), theirs.acc('title'))}, "
            f"author {ratio(ours.acc('author'), theirs.acc('author'))}, "
            f"date {ratio(ours.acc('date'), theirs.acc('date'))}, "
            f"median ms {ratio(ours.median_ms(), theirs.median_ms())}, "
            f"p95 ms {ratio(ours.p95_ms(), theirs.p95_ms())}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
