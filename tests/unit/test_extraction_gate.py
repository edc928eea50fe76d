"""Quality gate of the main-text extractor on vendored real pages of both development sets.

In the manner of trafilatura's ``tests/eval_gate.py``: each set has a floor, set a noise margin below
what the extractor scored when the floor was last raised, and the vendored pages are pinned by a hash,
so neither the pages nor the floors can slide unnoticed. A change that lowers a figure by more than
the margin fails here; raising the floors is done on purpose, with the new figures in the commit.

* Full-text sample (``tests/fixtures/extraction-fulltext``, 15 of the 46 full-text dev pages): the
  metric of the public article-extraction benchmarks (the dev set's ``score.py``): 4-gram shingles of
  ``\\w+`` tokens, per-page precision and recall normalised per page, averaged over pages, F1 of the
  two means. No page may come back empty.
* Segment sample (``tests/fixtures/extraction``, 32 of the 990 segment dev pages): the segment
  set's rule, micro-averaged (``with`` segments kept, ``without`` segments dropped).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from newsdigest import extract_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FULLTEXT = FIXTURES / "extraction-fulltext"
SEGMENT = FIXTURES / "extraction"

# sha256 over the vendored pages and their expectations (see _manifest); update only together with
# the floors below, after re-measuring them.
MANIFEST_SHA256 = "b129ed3a949db16de72ed40384e3411d1d986c475656ba85150ab0682581b5ad"

# Measured when last raised: full-text sample F1 0.958 (P 0.980, R 0.937); segment sample F1 0.942
# (tp 90, fp 5, fn 6). On the whole dev sets in the same state: 0.961 and 0.945
# (benchmarks/extraction.py). Raised from 0.955 / 0.931 (whole sets 0.944 / 0.941 then): the
# sample's pages that gained are firefox-nightly-blog (a punctuated list kept), herald-sun-1 (a
# sign-off) and lwn-1, and two segment pages whose list items were dropped before a skipped box.
MEASURED = {"fulltext_f1": 0.958, "segment_f1": 0.942}
# The noise margin: one page of fifteen moving by a fifth of its score moves the mean by ~0.013; on the
# segment sample one segment of ~190 moves F1 by ~0.005.
FULLTEXT_MARGIN = 0.015
SEGMENT_MARGIN = 0.01
FULLTEXT_F1_FLOOR = MEASURED["fulltext_f1"] - FULLTEXT_MARGIN
SEGMENT_F1_FLOOR = MEASURED["segment_f1"] - SEGMENT_MARGIN

_TOKEN = re.compile(r"\w+")
_WS = re.compile(r"\s+")


def _manifest() -> str:
    digest = hashlib.sha256()
    for folder, listing in ((FULLTEXT, "expected.json"), (SEGMENT, "cases.json")):
        digest.update((folder / listing).read_bytes())
        for page in sorted((folder / "pages").glob("*.html.gz")):
            digest.update(page.name.encode())
            digest.update(gzip.decompress(page.read_bytes()))
    return digest.hexdigest()


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)) if tokens[i : i + 4])


def _page_scores(truth: str, pred: str) -> tuple[float | None, float | None]:
    """Per-page (precision, recall) of the shingle metric; None where the benchmark leaves a page out."""
    t, p = _shingles(truth), _shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if not (fp or fn):
        return 1.0, 1.0
    total = tp + fp + fn
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp > 0 else None
    recall = tp / (tp + fn) if tp + fn > 0 else None
    return precision, recall


@pytest.fixture(scope="module")
def fulltext() -> dict[str, tuple[str, str]]:
    expected: dict[str, str] = json.loads((FULLTEXT / "expected.json").read_text(encoding="utf-8"))
    pages = {pid: gzip.decompress((FULLTEXT / "pages" / f"{pid}.html.gz").read_bytes()) for pid in expected}
    return {pid: (truth, extract_article(pages[pid]).text) for pid, truth in expected.items()}


def test_vendored_pages_are_the_measured_ones() -> None:
    assert _manifest() == MANIFEST_SHA256, (
        "the vendored gate pages changed: re-measure the floors in this file and update the hash"
    )


def test_fulltext_floor(fulltext: dict[str, tuple[str, str]]) -> None:
    scores = [_page_scores(truth, pred) for truth, pred in fulltext.values()]
    precision = statistics.mean(p for p, _ in scores if p is not None)
    recall = statistics.mean(r for _, r in scores if r is not None)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= FULLTEXT_F1_FLOOR, f"full-text F1 {f1:.3f} (P {precision:.3f} R {recall:.3f})"


def test_fulltext_no_empty_result(fulltext: dict[str, tuple[str, str]]) -> None:
    empty = [pid for pid, (_, pred) in fulltext.items() if not _TOKEN.search(pred)]
    assert not empty


def test_segment_floor() -> None:
    cases: dict[str, dict[str, Any]] = json.loads((SEGMENT / "cases.json").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for pid, case in cases.items():
        html = gzip.decompress((SEGMENT / "pages" / f"{pid}.html.gz").read_bytes())
        body = _WS.sub(" ", extract_article(html, case["url"]).text)
        kept = sum(1 for s in case["with"] if _WS.sub(" ", s).strip() in body)
        tp += kept
        fn += len(case["with"]) - kept
        fp += sum(1 for s in case["without"] if _WS.sub(" ", s).strip() in body)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= SEGMENT_F1_FLOOR, f"segment F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"
