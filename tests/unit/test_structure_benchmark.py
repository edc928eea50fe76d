"""The structure benchmark's split of missed items by where their text is (benchmarks/structure.py)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from functools import cache
from types import ModuleType

from tests.conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


@cache
def structure_benchmark() -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # it imports its sibling shared_data
    name = "newsdigest_benchmark_structure"
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / "structure.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _missed(kind: str, **found: int) -> dict[str, Counter[str]]:
    bench = structure_benchmark()
    missed = {k: Counter[str]() for k in bench.KINDS}
    missed[kind].update(found)
    return missed


def test_a_link_found_fewer_times_than_expected_is_charged_to_the_text_that_was_left_out() -> None:
    bench = structure_benchmark()
    expected = (
        '<table><tr><th>Largest city</th><td><a href="/wiki/Auckland">Auckland</a></td></tr></table>'
        '<p>The largest city is <a href="/wiki/Auckland">Auckland</a>, on the North Island.</p>'
    )
    text = "The largest city is Auckland, on the North Island."
    listed = bench.missed_items(expected, _missed("links", **{"http://fakehost/wiki/Auckland": 1}), text)
    assert [(kind, where) for kind, where, _, _ in listed] == [("links", "dropped")]


def test_a_contents_entry_is_judged_by_its_list_not_by_the_heading_of_the_same_words() -> None:
    bench = structure_benchmark()
    expected = (
        '<ul><li><a href="#setting-up">Setting up</a></li><li><a href="#conclusion">Conclusion</a></li></ul>'
        "<h2>Setting up</h2><p>First, make a repository.</p><h2>Conclusion</h2><p>That is all.</p>"
    )
    text = "Setting up\n\nFirst, make a repository.\n\nConclusion\n\nThat is all."
    listed = bench.missed_items(expected, _missed("list items", **{"Setting up": 1, "Conclusion": 1}), text)
    assert [where for _, where, _, _ in listed] == ["dropped", "dropped"]


def test_a_link_lost_from_a_paragraph_the_text_kept_is_the_structures_miss() -> None:
    bench = structure_benchmark()
    expected = '<p>The draft is at <a href="https://example.org/draft">the working group</a> site.</p>'
    text = "The draft is at the working group site."
    listed = bench.missed_items(expected, _missed("links", **{"https://example.org/draft": 1}), text)
    assert listed == [("links", "kept", "https://example.org/draft", text)]
