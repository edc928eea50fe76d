"""Hostile inputs, one per cost class of issue 10, at the sizes that issue measured, and a runner that
puts one of them through its entry point in a fresh child process under CPU and memory limits.

Shared by ``tests/hostile`` (each class under a generous limit) and ``benchmarks/hostile.py`` (CPU
seconds and peak memory of each). The builders use only the public entry points (``extract_article``
and ``summarise``), so the same case measures any version of the code.

Child protocol: ``python -m tests.hostile.cases NAME [SCALE]`` prints one JSON line with ``cpu_s``
(CPU of the entry-point call alone), ``peak_mb`` (peak resident set of the whole child, interpreter
and input included) and ``outcome`` (a small summary of what came back); the parent reads it.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
URL = "https://news.example/2024/05/14/harbour-story"

_STORY = (
    "<p>The harbour authority said on Tuesday that the new quay would open in the spring, two years "
    "later than planned, after a dispute over the dredging contract delayed the works.</p>"
    "<p>Officials told residents at a public meeting that the cost had risen by a fifth and that the "
    "council would ask the regional government to cover the difference.</p>"
    "<p>Fishing crews, who have used a temporary pontoon since the old quay was closed, said the delay "
    "had cost them a season of catches and asked for compensation.</p>"
)


def page(*, head: str = "", body: str = "", before_story: str = "", after_story: str = "") -> bytes:
    """A small news page with ``head``/``body`` markup spliced in around a real story."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"{head}</head><body>{body}<article><h1>Harbour quay opening delayed by two years</h1>"
        f"{before_story}{_STORY * 3}{after_story}</article></body></html>"
    ).encode()


# --- extraction inputs -------------------------------------------------------------------------------


def title_separators(scale: float = 1.0) -> bytes:
    """A ``<title>`` of 800 ``" | "``-separated parts (5.6 KB): title cleaning was cubic in parts."""
    return page(head=f"<title>{'abcd | ' * int(800 * scale)}end</title>")


def og_title_dashes(scale: float = 1.0) -> bytes:
    """``og:title`` of 1,200 ``" - "``-separated parts."""
    return page(head=f"<meta property='og:title' content='{'abcd - ' * int(1200 * scale)}end'>")


def jsonld_emphasis(scale: float = 1.0) -> bytes:
    """A 64 KB JSON-LD ``articleBody`` opening ``**`` then ``**a `` repeated: the Markdown-emphasis
    pattern backtracked over the rest of the body at every opener."""
    body = "**" + "**a " * int(16_000 * scale)
    block = json.dumps({"@type": "NewsArticle", "headline": "Quay", "articleBody": body})
    return page(head=f"<script type='application/ld+json'>{block}</script>")


def many_attributes(scale: float = 1.0) -> bytes:
    """40,000 attributes on one element (a 340 KB page): libxml2 checks each against all before it."""
    attributes = " ".join(f"a{i}=x" for i in range(int(40_000 * scale)))
    return page(before_story=f"<div {attributes}>attributed</div>")


def date_classes(scale: float = 1.0) -> bytes:
    """100,000 elements whose class names a date, none holding one."""
    return page(after_story="<span class='date'>soon</span>" * int(100_000 * scale))


def byline_classes(scale: float = 1.0) -> bytes:
    """100,000 elements whose class names a byline."""
    return page(after_story="<span class='byline author'>By staff</span>" * int(100_000 * scale))


def many_h1(scale: float = 1.0) -> bytes:
    """100,000 ``<h1>`` headings."""
    return page(after_story="".join(f"<h1>Heading number {i}</h1>" for i in range(int(100_000 * scale))))


def many_rel_author(scale: float = 1.0) -> bytes:
    """100,000 ``rel=author`` links, each naming someone else."""
    links = "".join(
        f"<a rel='author' href='/a/{i}'>Writer Number{i}</a>" for i in range(int(100_000 * scale))
    )
    return page(after_story=links)


def many_time(scale: float = 1.0) -> bytes:
    """100,000 ``<time>`` elements, none parseable as a date."""
    return page(after_story="<time datetime='later'>later</time>" * int(100_000 * scale))


def many_jsonld_blocks(scale: float = 1.0) -> bytes:
    """100,000 JSON-LD blocks."""
    block = '<script type=\'application/ld+json\'>{"@type": "Thing", "name": "x"}</script>'
    return page(head=block * int(100_000 * scale))


def huge_page(scale: float = 1.0) -> bytes:
    """A 50 MB page of short linked paragraphs (about 500,000 of them)."""
    block = "".join(
        f"<p>The council met on Tuesday to discuss the <a href='/harbour/{i}'>harbour</a> and its quay.</p>"
        for i in range(1000)
    )
    return page(after_story=block * max(1, int(50_000_000 * scale) // len(block)))


# --- summarisation inputs ----------------------------------------------------------------------------


def live_blog(scale: float = 1.0) -> str:
    """A long live blog: 6,000 sentences that all share a word ("harbour")."""
    return "\n\n".join(
        f"Update {i}: the harbour crews reported vessel number {i} moving past the northern pier today."
        for i in range(int(6_000 * scale))
    )


def abbreviation_run(scale: float = 1.0) -> str:
    """One paragraph of ``"Ab. " * 160000``: the splitter copied the rest at every boundary."""
    return "Ab. " * int(160_000 * scale)


def short_sentences(scale: float = 1.0) -> str:
    """100,000 short sentences in one paragraph."""
    return " ".join(f"Crew {i} left." for i in range(int(100_000 * scale)))


def distinct_terms(scale: float = 1.0) -> str:
    """2,000 sentences of 50 words each, nearly every word new: 100,000 distinct terms."""
    sentences = []
    for i in range(int(2_000 * scale)):
        words = " ".join(f"w{i}x{j}q" for j in range(50))
        sentences.append(f"Harbour {words} today.")
    return " ".join(sentences)


# --- the cases ---------------------------------------------------------------------------------------


def _extract(data: bytes) -> dict[str, Any]:
    from newsdigest import extract_article

    article = extract_article(data, URL)
    return {
        "status": article.status,
        "title": (article.title or "")[:80],
        "text_chars": len(article.text),
        "authors": len(article.authors),
        "notes": list(getattr(article, "notes", [])),
    }


def _summarise(method: str) -> Callable[[str], dict[str, Any]]:
    def run(text: str) -> dict[str, Any]:
        from newsdigest.summarisation import summarise

        summary = summarise(text, method=method)
        return {
            "sentences": len(summary.sentences),
            "total_sentences": summary.parameters.get("total_sentences"),
            "note": summary.note,
            "notes": list(getattr(summary, "notes", [])),
        }

    return run


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    build: Callable[[float], Any]
    run: Callable[[Any], dict[str, Any]]


SUMY_METHODS = ("lexrank", "textrank", "lsa", "luhn", "edmundson", "kl", "sumbasic", "reduction")

CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case("title_separators", "<title> with 800 ' | ' separators (5.6 KB)", title_separators, _extract),
        Case("og_title_dashes", "og:title with 1,200 ' - ' separators", og_title_dashes, _extract),
        Case(
            "jsonld_emphasis", "JSON-LD articleBody '**' + '**a ' x 16,000 (64 KB)", jsonld_emphasis, _extract
        ),
        Case("many_attributes", "40,000 attributes on one element (340 KB)", many_attributes, _extract),
        Case("date_classes", "100,000 elements with a date class", date_classes, _extract),
        Case("byline_classes", "100,000 elements with a byline class", byline_classes, _extract),
        Case("many_h1", "100,000 <h1>", many_h1, _extract),
        Case("many_rel_author", "100,000 rel=author links", many_rel_author, _extract),
        Case("many_time", "100,000 <time>", many_time, _extract),
        Case("many_jsonld_blocks", "100,000 JSON-LD blocks", many_jsonld_blocks, _extract),
        Case("huge_page", "a 50 MB page", huge_page, _extract),
        Case(
            "live_blog",
            "summary (default) of 6,000 sentences sharing a word",
            live_blog,
            _summarise("default"),
        ),
        Case(
            "abbreviation_run",
            "summary of one paragraph 'Ab. ' x 160,000",
            abbreviation_run,
            _summarise("default"),
        ),
        Case(
            "short_sentences",
            "summary of 100,000 short sentences in one paragraph",
            short_sentences,
            _summarise("default"),
        ),
        Case(
            "distinct_terms",
            "summary (default) of 2,000 sentences, 100,000 distinct terms",
            distinct_terms,
            _summarise("default"),
        ),
        *(
            Case(
                f"live_blog_{method}",
                f"summary ({method}) of 6,000 sentences sharing a word",
                live_blog,
                _summarise(method),
            )
            for method in SUMY_METHODS
        ),
        Case(
            "distinct_terms_lsa",
            "summary (lsa) of 2,000 sentences, 100,000 distinct terms",
            distinct_terms,
            _summarise("lsa"),
        ),
    )
}


@dataclass(frozen=True)
class Measurement:
    name: str
    cpu_s: float | None  # None: the child was stopped by a limit before it finished
    peak_mb: float | None
    outcome: dict[str, Any] | None
    failure: str | None = None  # why the child did not report (limit hit, crash)


def _limits(cpu_s: int, memory_mb: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def measure(
    name: str,
    *,
    scale: float = 1.0,
    cpu_limit_s: int = 60,
    memory_limit_mb: int = 2048,
    wall_limit_s: float | None = None,
    pythonpath: str | None = None,
) -> Measurement:
    """Run case ``name`` in a fresh interpreter under the limits and report what it measured."""
    return measure_all(
        [name],
        scale=scale,
        cpu_limit_s=cpu_limit_s,
        memory_limit_mb=memory_limit_mb,
        wall_limit_s=wall_limit_s,
        pythonpath=pythonpath,
    )[0]


def measure_all(
    names: list[str],
    *,
    scale: float = 1.0,
    cpu_limit_s: int = 60,
    memory_limit_mb: int = 2048,
    wall_limit_s: float | None = None,
    pythonpath: str | None = None,
) -> list[Measurement]:
    """Run the cases one after another in ONE fresh interpreter (the limits cover them all); a case
    the limits stopped, and those after it, report the failure."""
    env = dict(os.environ)
    # One BLAS thread: the sumy methods' NumPy must not fan out (nor reserve address space per core).
    env.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, str(ROOT), env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.hostile.cases", ",".join(names), str(scale)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            # The CPU limit is the real bound; the wall clock only catches a child that stopped running.
            timeout=wall_limit_s or cpu_limit_s * 10 + 60,
            preexec_fn=_limits(cpu_limit_s, memory_limit_mb),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [Measurement(name, None, None, None, failure="wall-clock limit") for name in names]
    reports = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            reports[report["name"]] = Measurement(
                report["name"], report["cpu_s"], report["peak_mb"], report["outcome"]
            )
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        failure = f"CPU limit ({cpu_limit_s} s)"
    elif "MemoryError" in done.stderr:
        failure = f"memory limit ({memory_limit_mb} MB)"
    else:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        failure = tail[0][:200]
    return [reports.get(name) or Measurement(name, None, None, None, failure=failure) for name in names]


def _child(names: list[str], scale: float) -> None:
    for name in names:
        case = CASES[name]
        data = case.build(scale)
        case.run(case.build(0.01))  # imports and first-use caches are not the input's cost
        start = resource.getrusage(resource.RUSAGE_SELF)
        outcome = case.run(data)
        end = resource.getrusage(resource.RUSAGE_SELF)
        del data
        cpu = (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)
        peak_mb = end.ru_maxrss / 1024  # kilobytes on Linux; the process's peak so far
        report = {"name": name, "cpu_s": round(cpu, 3), "peak_mb": round(peak_mb, 1), "outcome": outcome}
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    _child(sys.argv[1].split(","), float(sys.argv[2]) if len(sys.argv) > 2 else 1.0)
