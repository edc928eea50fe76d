"""Main-text extraction benchmark: newsdigest's extractor beside trafilatura and readability-lxml, on
both development sets, same pages, same run.

Usage::

    .venv/bin/python benchmarks/extraction.py [--sets segment,fulltext] [--limit N] [--ours-only]
        [--reuse-anchors] [--failures N] [--meta-failures N] [--dump FILE]

Sets (read from ``../shared/data``; each is skipped with a message when absent):

* ``segment``: ``extraction-dev`` (990 pages). Its README defines the scoring, reproduced here:
  segments and extracted text are whitespace-normalised, a segment counts when it is a substring of
  the text; ``with`` segments present are true positives, absent ones false negatives; ``without``
  segments present are false positives. Counts are summed over pages (micro average). A crash or
  empty output counts as every ``with`` missed.
* ``fulltext``: ``extraction-fulltext-dev`` (46 pages with whole expected texts), scored by that
  folder's own ``score.py`` (4-gram shingle precision and recall per page, averaged over pages, F1 of
  the two means, bootstrap standard deviation).

Extractors: ours (``extract_article(bytes, url)``), trafilatura (``extract(html, url,
include_comments=False)``, default and ``favor_precision=True``) and readability-lxml
(``Document(html).summary()`` read as text, one line per block). Every extractor gets the page's
bytes. ``--ours-only`` skips the anchors; ``--reuse-anchors`` takes their texts and times from the
cache a previous full run wrote (``.bench-cache/``, keyed by each library's version), for quick
iterations; a fresh run measures them again.

Metadata accuracy on the segment set (our own rule, counted only over pages whose ``meta`` field is
non-empty):

* title: equal after normalisation (NFKC, case-folded, punctuation and quotes dropped, whitespace
  collapsed);
* author: at least one extracted name equals one annotated name after the same normalisation; the
  annotation is split into names on ``;``, ``,``, ``&``, "and", "und", "et", "y", "i", "e";
* date: the same calendar day (the first ``YYYY-MM-DD`` of the value; the annotation's month and day
  may lack a leading zero).

Timing: CPU time per page (``time.process_time``: on a shared machine the waits for a core do not
count; every extractor here runs in this one thread) of ours and of each anchor's text extraction
(trafilatura's metadata comes from a separate, untimed ``bare_extraction`` call). Ours is timed twice:
``newsdigest`` is the text and all the metadata (``extract_article(..., structure=False)``), what
trafilatura's ``extract`` is compared with; ``newsdigest+html`` is the call Ingest makes, which also
builds ``Article.html``/``.markdown`` (its text is the same, so its quality figures repeat). Pages are
processed one at a time in this process, alternating the extractors so machine noise hits them alike.

Also printed: how many pages each extraction path of ours produced (``Article.extraction``) and how
many came back empty. Progress goes to stderr; results to stdout.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import statistics
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

from shared_data import EXTRACTION_DEV, EXTRACTION_FULLTEXT_DEV

CACHE = Path(__file__).resolve().parents[1] / ".bench-cache"
_WS = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\be\b|/|\|)\s*", re.I)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote"}
    | {"pre", "table", "tr", "td", "th", "dd", "dt", "br", "figcaption"}
)


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
class Output:
    """One extractor's result on one page."""

    text: str
    ms: float
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    path: str | None = None  # ours only: Article.extraction
    crashed: bool = False


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
    empty: int = 0
    has_meta: bool = False

    def add(self, out: Output) -> None:
        self.times_ms.append(out.ms)
        self.crashes += int(out.crashed)
        self.empty += int(not out.text.strip())

    def score_text(self, text: str, with_: list[str], without: list[str]) -> tuple[list[str], list[str]]:
        body = norm_ws(text)
        missed = [s for s in with_ if norm_ws(s) not in body]
        leaked = [s for s in without if norm_ws(s) in body]
        self.tp += len(with_) - len(missed)
        self.fn += len(missed)
        self.fp += len(leaked)
        self.tn += len(without) - len(leaked)
        return missed, leaked

    def score_meta(self, gold: dict[str, Any], out: Output) -> None:
        if gold.get("title"):
            self.meta_total["title"] += 1
            self.meta_hits["title"] += int(
                bool(out.title) and norm_label(out.title or "") == norm_label(gold["title"])
            )
        if gold.get("author"):
            self.meta_total["author"] += 1
            self.meta_hits["author"] += int(bool(split_names(gold["author"]) & split_names(out.authors)))
        if gold.get("date") and day_of(gold["date"]):
            self.meta_total["date"] += 1
            self.meta_hits["date"] += int(day_of(out.date) == day_of(gold["date"]))

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return 2 * self.tp / max(1, 2 * self.tp + self.fp + self.fn)

    def acc(self, key: str) -> str:
        if not self.has_meta:
            return "-"
        return f"{self.meta_hits[key] / max(1, self.meta_total[key]):.3f}"

    def median_ms(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else 0.0

    def p95_ms(self) -> float:
        if not self.times_ms:
            return 0.0
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- extractors -------------------------------------------------------------------------------------


CLOCK = time.process_time
OURS = {"newsdigest": False, "newsdigest+html": True}  # row -> extract_article's structure argument


def run_ours(html: bytes, url: str | None, structure: bool = False) -> Output:
    from newsdigest import extract_article

    start = CLOCK()
    art = extract_article(html, url, structure=structure)
    ms = (CLOCK() - start) * 1000
    return Output(art.text, ms, art.title, list(art.authors), art.published, getattr(art, "extraction", None))


def _timed(fn: Callable[[], str | None]) -> Output:
    start = CLOCK()
    try:
        text = fn() or ""
        crashed = False
    except Exception:  # a crash scores as an empty output
        text, crashed = "", True
    return Output(text, (CLOCK() - start) * 1000, crashed=crashed)


def make_trafilatura(precision: bool) -> Callable[[bytes, str | None], Output]:
    import trafilatura

    def run(html: bytes, url: str | None) -> Output:
        out = _timed(
            lambda: trafilatura.extract(html, url=url, include_comments=False, favor_precision=precision)
        )
        if not precision:
            try:
                doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
            except Exception:
                doc = None
            if doc is not None:
                out.title = getattr(doc, "title", None)
                author = getattr(doc, "author", None)
                out.authors = [author] if author else []
                out.date = getattr(doc, "date", None)
        return out

    return run


def readability_text(summary_html: str) -> str:
    """The visible text of readability-lxml's summary, one line per block."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(summary_html)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (norm_ws(line) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def make_readability() -> Callable[[bytes, str | None], Output]:
    import logging

    from readability import Document

    logging.getLogger("readability").setLevel(logging.ERROR)

    def run(html: bytes, url: str | None) -> Output:
        return _timed(lambda: readability_text(Document(html, url=url).summary(html_partial=True)))

    return run


ANCHORS: dict[str, tuple[str, Callable[[], Callable[[bytes, str | None], Output]]]] = {
    "trafilatura": ("trafilatura", lambda: make_trafilatura(False)),
    "traf-precision": ("trafilatura", lambda: make_trafilatura(True)),
    "readability": ("readability-lxml", make_readability),
}


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "absent"


class AnchorCache:
    """Texts and times of the anchors from an earlier run, keyed by library version and page."""

    def __init__(self, name: str) -> None:
        dist = ANCHORS[name][0]
        self.path = CACHE / f"{name}-{_version(dist)}-cpu.json"
        self.data: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            self.data = json.loads(self.path.read_text(encoding="utf-8"))

    def get(self, key: str) -> Output | None:
        hit = self.data.get(key)
        return Output(**hit) if hit is not None else None

    def put(self, key: str, out: Output) -> None:
        self.data[key] = {
            "text": out.text,
            "ms": out.ms,
            "title": out.title,
            "authors": out.authors,
            "date": out.date,
            "crashed": out.crashed,
        }

    def save(self) -> None:
        CACHE.mkdir(exist_ok=True)
        self.path.write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")


# --- sets ---------------------------------------------------------------------------------------------


@dataclass
class Page:
    id: str
    html: bytes
    url: str | None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    truth: str | None = None


def load_segment_set(data: Path, limit: int) -> list[Page] | None:
    evalfile = data / "evaldata.json"
    if not evalfile.is_file():
        print(f"segment set skipped: no data folder at {data} (evaldata.json missing)")
        return None
    items: dict[str, Any] = json.loads(evalfile.read_text(encoding="utf-8"))["items"]
    ids = sorted(items)[: limit or None]
    return [
        Page(
            pid,
            gzip.decompress((data / items[pid]["file"]).read_bytes()),
            items[pid].get("url"),
            items[pid].get("with", []),
            items[pid].get("without", []),
            items[pid].get("meta") or {},
        )
        for pid in ids
    ]


def load_fulltext_set(data: Path, limit: int) -> list[Page] | None:
    truthfile = data / "ground-truth.json"
    if not truthfile.is_file():
        print(f"fulltext set skipped: no data folder at {data} (ground-truth.json missing)")
        return None
    truth: dict[str, Any] = json.loads(truthfile.read_text(encoding="utf-8"))
    ids = sorted(truth)[: limit or None]
    return [
        Page(
            pid,
            gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()),
            truth[pid].get("url"),
            truth=truth[pid].get("articleBody") or "",
        )
        for pid in ids
    ]


def load_scorer(data: Path) -> ModuleType:
    """The full-text set's own ``score.py`` (the benchmark's shingle metric), imported by path."""
    spec = importlib.util.spec_from_file_location("fulltext_score", data / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_set(
    label: str,
    pages: list[Page],
    runners: dict[str, Callable[[bytes, str | None], Output]],
    caches: dict[str, AnchorCache],
) -> dict[str, dict[str, Output]]:
    """Every extractor on every page, alternating per page; progress on stderr."""
    from newsdigest.cli.progress import Progress

    results: dict[str, dict[str, Output]] = {name: {} for name in [*OURS, *runners, *caches]}
    shown = Progress(len(pages), f"extract {label}", unit="pages")
    for page in pages:
        for row, structure in OURS.items():
            try:
                out = run_ours(page.html, page.url, structure)
            except Exception as exc:  # a crash scores as an empty output
                print(f"ours crashed on {page.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                out = Output("", 0.0, crashed=True)
            results[row][page.id] = out
        key = f"{label}/{page.id}"
        for name, runner in runners.items():
            results[name][page.id] = got = runner(page.html, page.url)
            if name in caches:
                caches[name].put(key, got)
        for name, cache in caches.items():
            if name not in runners:
                hit = cache.get(key)
                if hit is None:
                    raise SystemExit(f"no cached {name} output for {key}: run once without --reuse-anchors")
                results[name][page.id] = hit
        shown.update()
    shown.close()
    return results


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def _paths(outs: dict[str, Output]) -> str:
    counts = Counter(o.path or "?" for o in outs.values())
    return ", ".join(f"{path} {n}" for path, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def report_segment(
    pages: list[Page], results: dict[str, dict[str, Output]], failures: int, meta_failures: int
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    worst: list[tuple[int, str, list[str], list[str]]] = []
    for name, outs in results.items():
        tally = tallies[name] = Tally(has_meta=name in {"newsdigest", "trafilatura"})
        for page in pages:
            out = outs[page.id]
            tally.add(out)
            missed, leaked = tally.score_text(out.text, page.with_, page.without)
            if tally.has_meta:
                tally.score_meta(page.meta, out)
            if name == "newsdigest" and (missed or leaked):
                worst.append((len(missed) + len(leaked), page.id, missed, leaked))
    ours = tallies["newsdigest"]
    print(
        f"\n== segment set: {len(pages)} pages (title n={ours.meta_total['title']}, "
        f"author n={ours.meta_total['author']}, date n={ours.meta_total['date']})"
    )
    print(
        f"{'extractor':<15} {'F1':>6} {'prec':>6} {'recall':>6} {'title':>6} {'author':>6} {'date':>6} "
        f"{'med ms':>7} {'p95 ms':>7} {'empty':>5} {'crash':>5}"
    )
    for name, t in tallies.items():
        print(
            f"{name:<15} {t.f1:6.3f} {t.precision:6.3f} {t.recall:6.3f} {t.acc('title'):>6} "
            f"{t.acc('author'):>6} {t.acc('date'):>6} {t.median_ms():7.1f} {t.p95_ms():7.1f} "
            f"{t.empty:5d} {t.crashes:5d}"
        )
    if "trafilatura" in tallies:
        traf = tallies["trafilatura"]
        full = tallies["newsdigest+html"]
        print(
            f"ratios ours/trafilatura: F1 {_ratio(ours.f1, traf.f1)}, "
            f"median ms {_ratio(ours.median_ms(), traf.median_ms())} "
            f"(with html/markdown {_ratio(full.median_ms(), traf.median_ms())}), "
            f"p95 ms {_ratio(ours.p95_ms(), traf.p95_ms())} "
            f"(with html/markdown {_ratio(full.p95_ms(), traf.p95_ms())})"
        )
    print(f"extraction paths (ours): {_paths(results['newsdigest'])}")
    if failures:
        print(f"-- worst {failures} pages of the segment set (misses + leaks):")
        for _, pid, missed, leaked in sorted(worst, key=lambda w: (-w[0], w[1]))[:failures]:
            out = results["newsdigest"][pid]
            print(f"--- {pid} [{out.path}] {len(out.text)} chars\n  missed: {missed}\n  leaked: {leaked}")
    if meta_failures:
        shown = 0
        for page in pages:
            out, gold = results["newsdigest"][page.id], page.meta
            bad = []
            if gold.get("title") and norm_label(out.title or "") != norm_label(gold["title"]):
                bad.append(f"title {out.title!r} != {gold['title']!r}")
            if gold.get("author") and not split_names(gold["author"]) & split_names(out.authors):
                bad.append(f"author {out.authors!r} != {gold['author']!r}")
            if gold.get("date") and day_of(gold["date"]) and day_of(out.date) != day_of(gold["date"]):
                bad.append(f"date {out.date!r} != {gold['date']!r}")
            if bad and shown < meta_failures:
                shown += 1
                print(f"--- {page.id} {page.url}\n  " + "\n  ".join(bad))
    return tallies


def report_fulltext(
    pages: list[Page], results: dict[str, dict[str, Output]], scorer: ModuleType, failures: int
) -> dict[str, dict[str, Any]]:
    truth = {p.id: p.truth or "" for p in pages}
    metrics: dict[str, dict[str, Any]] = {}
    print(f"\n== fulltext set: {len(pages)} pages (4-gram shingles, mean over pages, ± bootstrap sd)")
    print(f"{'extractor':<15} {'F1':>13} {'prec':>13} {'recall':>13} {'med ms':>7} {'empty':>5} {'crash':>5}")
    for name, outs in results.items():
        m = metrics[name] = scorer.evaluate(truth, {pid: o.text for pid, o in outs.items()}, 1000, 0)
        times = [o.ms for o in outs.values()]
        print(
            f"{name:<15} {m['f1']:.3f} ± {m['f1_std']:.3f} {m['precision']:.3f} ± {m['precision_std']:.3f} "
            f"{m['recall']:.3f} ± {m['recall_std']:.3f} {statistics.median(times):7.1f} {m['empty']:5d} "
            f"{sum(o.crashed for o in outs.values()):5d}"
        )
    if "trafilatura" in results:

        def median_ms(name: str) -> float:
            return statistics.median(o.ms for o in results[name].values())

        traf = median_ms("trafilatura")
        print(
            f"ratios ours/trafilatura: median ms {_ratio(median_ms('newsdigest'), traf)} "
            f"(with html/markdown {_ratio(median_ms('newsdigest+html'), traf)})"
        )
    print(f"extraction paths (ours): {_paths(results['newsdigest'])}")
    if failures:
        per_doc = metrics["newsdigest"]["per_doc"]
        traf = metrics.get("trafilatura", {}).get("per_doc", {})

        def f1(d: dict[str, float]) -> float:
            p, r = d["precision"], d["recall"]
            return 2 * p * r / (p + r) if p + r else 0.0

        print(f"-- worst {failures} pages of the fulltext set (per-page shingle F1):")
        for pid in sorted(per_doc, key=lambda i: (f1(per_doc[i]), i))[:failures]:
            d = per_doc[pid]
            out = results["newsdigest"][pid]
            other = f" trafilatura {f1(traf[pid]):.3f}" if pid in traf else ""
            print(
                f"--- {pid} [{out.path}] F1 {f1(d):.3f} P {d['precision']:.3f} R {d['recall']:.3f}{other}; "
                f"{len(out.text)} chars, expected {len(truth[pid])}"
            )
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="segment,fulltext", help="comma-separated: segment, fulltext")
    parser.add_argument("--segment-data", type=Path, default=EXTRACTION_DEV)
    parser.add_argument("--fulltext-data", type=Path, default=EXTRACTION_FULLTEXT_DEV)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (by id) of each set")
    parser.add_argument("--ours-only", action="store_true", help="skip the anchors (quick iterations)")
    parser.add_argument(
        "--reuse-anchors", action="store_true", help="anchors' outputs from the last full run's cache"
    )
    parser.add_argument("--failures", type=int, default=0, help="list the N worst pages of each set")
    parser.add_argument("--meta-failures", type=int, default=0, help="print up to N metadata mismatches")
    parser.add_argument("--dump", type=Path, help="write our texts per set and page to this JSON file")
    args = parser.parse_args(argv)
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]

    warnings.filterwarnings("ignore")
    runners: dict[str, Callable[[bytes, str | None], Output]] = {}
    caches: dict[str, AnchorCache] = {}
    if not args.ours_only:
        caches = {name: AnchorCache(name) for name in ANCHORS}
        if not args.reuse_anchors:
            runners = {name: make() for name, (_, make) in ANCHORS.items()}
    # Warm every extractor up so one-off import costs do not land in the first page's timing.
    warm = b"<html><body><p>warm up</p></body></html>"
    run_ours(warm, None)
    run_ours(warm, None, True)
    for runner in runners.values():
        runner(warm, None)

    dump: dict[str, dict[str, Any]] = {}
    if "segment" in sets:
        pages = load_segment_set(args.segment_data, args.limit)
        if pages is not None:
            results = run_set("segment", pages, runners, caches)
            report_segment(pages, results, args.failures, args.meta_failures)
            dump["segment"] = {pid: [o.path, o.text] for pid, o in results["newsdigest"].items()}
    if "fulltext" in sets:
        pages = load_fulltext_set(args.fulltext_data, args.limit)
        if pages is not None:
            results = run_set("fulltext", pages, runners, caches)
            report_fulltext(pages, results, load_scorer(args.fulltext_data), args.failures)
            dump["fulltext"] = {pid: [o.path, o.text] for pid, o in results["newsdigest"].items()}
    if runners:
        for cache in caches.values():
            cache.save()
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
