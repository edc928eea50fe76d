"""The dateline parser compiles a shape only for a paragraph that could hold it, and the test that
decides this never changes a result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsdigest.extract import dateline as D

ROOT = Path(__file__).resolve().parents[2]
SUMMARISATION_DEV = ROOT.parent / "shared" / "data" / "summarisation-dev" / "cnndm_dev.jsonl"

HEADS = [
    "MOSCOW, May 11. /TASS/. Russia's Agriculture Ministry",
    "МОСКВА, 11 мая — РИА Новости. Президент России",
    "PARIS (Reuters) - French police",
    "(CNN) -- A man was arrested",
    "(ANSA) - ROMA, 11 MAG - Il governo",
    "NEW YORK — The city",
    "NEW DELHI,\u00a0Jan 3\u00a0— India's",  # no-break spaces are spaces to both tests
    "Russia harvested 142.6 million tonnes of grain last year, the second-largest harvest",
    "A run-up - then a fall",
    "-- a leading dash",
    "Apple (the company) said on Monday",
    "EAT SMALL – Snacks",
    "",
]


def _paragraphs() -> list[str]:
    found = list(HEADS)
    if SUMMARISATION_DEV.is_file():  # the shared dev data, when this checkout has it
        for line in SUMMARISATION_DEV.read_text(encoding="utf-8").splitlines():
            found.extend(p for p in json.loads(line)["article"].split("\n") if p.strip())
    return found


def test_the_guard_never_changes_a_result(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraphs = _paragraphs()
    guarded = [D.parse_dateline(p, 2024) for p in paragraphs]
    monkeypatch.setattr(D, "_MAY_HOLD", dict.fromkeys(D._SHAPES, lambda head: True))
    assert [D.parse_dateline(p, 2024) for p in paragraphs] == guarded
    assert sum(d is not None for d in guarded) >= 8  # the heads above that are datelines


def test_a_shape_is_compiled_only_for_a_paragraph_that_could_hold_it() -> None:
    D._shape.cache_clear()
    assert D.parse_dateline("Russia harvested 142.6 million tonnes, the second-largest harvest.") is None
    assert D._shape.cache_info().currsize == 0
    assert D.parse_dateline("MOSCOW, May 11. /TASS/. Russia's ministry") is not None
    assert D._shape.cache_info().currsize == 1  # the slashed shape matched first
    assert D.parse_dateline("PARIS (Reuters) - French police") is not None
    assert D._shape.cache_info().currsize == 3  # the dashed shape was tried before the bracketed


@pytest.mark.parametrize(
    ("head", "expected"),
    [("a - b", True), ("a\u00a0— b", True), ("a\n–b", True), ("a-b", False), ("-a", False), ("", False)],
)
def test_spaced_dash(head: str, expected: bool) -> None:
    assert D._spaced_dash(head) is expected
