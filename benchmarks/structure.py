"""Structure benchmark: the article's HTML, block type by block type, against trafilatura and newspaper4k.

Usage::

    .venv/bin/python benchmarks/structure.py [--data DIR] [--limit N] [--ours-only] [--timing-data DIR]
                                             [--converters] [--failures N]
                                             [--misses [kept|dropped|textless|all]]

Data: ``../shared/data/extraction-fulltext-dev`` (override with ``--data``): each page has
Readability.js's reviewed ``expected.html``. Every tool's HTML and the expected HTML are parsed alike
(lxml.html) and reduced to the items of six block types:

* headings: the text of each ``h1``-``h6``; list items: of each ``li``; table cells: of each non-empty
  ``td``/``th``; quotes: of each ``blockquote`` (text as a reader sees it: whitespace collapsed, NFKC,
  the edges of block elements as spaces, so cells or paragraphs written without whitespace between
  their tags do not run together);
* images: each ``img``'s ``src`` (without one, the widest candidate of its ``srcset``, as a browser on
  a wide screen loads it) resolved against the page URL, http(s) only (``data:`` images are left out
  on both sides: newsdigest drops them by policy, see ``extract/clean.py``);
* links: each ``a``'s ``href`` resolved against the page URL, http(s) only.

The pages are Readability's test pages, all served as ``http://fakehost/test/page.html`` (the URL
their expected output was made with). Items are matched as multisets per page. The first table is
micro-averaged (counts summed over pages: the page with most items weighs most; wikipedia-2 holds
72 % of the expected links and 66 % of the list items), the second macro-averaged (the mean of
per-page precision over the pages where the tool wrote that type, of per-page recall over the pages
that expect it). The targets are read on the first.

newsdigest's missed items are then split by where their text is (:func:`missed_items`): in
``Article.text`` (the structure lost them: the writer's to fix), in text the main-text extractor left
out (Readability keeps infoboxes, tables of contents, comment threads and galleries that the text
deliberately drops), or no text to tell (an image with no caption). The line ends with the recall
the structure could reach with the text as it is. ``--misses`` lists those items page by page, each
with the text of the block around it, and the items newsdigest wrote that the expected HTML lacks.

The tools: newsdigest's ``Article.html``; trafilatura's ``extract(output_format="html",
include_images=True, include_links=True, include_tables=True, include_formatting=True)``;
newspaper4k's ``article_html`` (``clean_article_html=True``).

Extra ms: what the structured output costs on top of each tool's text extraction, in the same run,
pages interleaved: newsdigest ``extract_article`` with and without ``structure``; trafilatura's HTML
call against its plain-text call; newspaper4k's parse with and without ``clean_article_html``. Medians
of per-page CPU time (``time.process_time``: the machine is shared, wall time also counts waiting).
Each page is first run once untimed (text only), then both calls are timed, in an order that
alternates page by page: a page's first call fills caches its later calls reuse (all three tools
memoise per string: class names, date patterns), which made whichever call came first ~1.5 ms
dearer, and charged that to the structure when it always came first.
``--timing-data`` times newsdigest alone on another folder of pages as well (default: the
990-page ``extraction-dev`` set, the median dev page of the +3 ms budget).

``--converters`` times the two Markdown converters on newsdigest's clean HTML of each page:
markdownify (which newsdigest uses) and html-to-markdown, same run.

Exits 0 with a message when the data folder is absent.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from shared_data import EXTRACTION_DEV, SHARED_DATA

DEFAULT_DATA = SHARED_DATA / "extraction-fulltext-dev"
PAGE_URL = "http://fakehost/test/page.html"
KINDS = ("headings", "list items", "table cells", "quotes", "images", "links")
_WS = re.compile(r"\s+")


# Elements whose edges separate words on screen (a browser's innerText puts a space or a line break
# there): "<td>Red Hat</td><td>8417</td>" reads "Red Hat 8417", not "Red Hat8417".
_BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
     "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
)  # fmt: skip


def _text(el: Any) -> str:
    """The text of ``el`` as a reader sees it: whitespace collapsed, NFKC, block edges as spaces."""
    parts: list[str] = []
    _gather(el, parts)
    return _WS.sub(" ", unicodedata.normalize("NFKC", "".join(parts))).strip()


def _gather(el: Any, parts: list[str]) -> None:
    block = el.tag in _BLOCKS
    if block:
        parts.append(" ")
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _gather(child, parts)
        if child.tail:  # a comment's or processing instruction's tail is text too, not its own text
            parts.append(child.tail)
    if block:
        parts.append(" ")


def _url(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    try:
        url = urljoin(PAGE_URL, value.strip())
    except ValueError:
        return None
    return url if url.lower().startswith(("http://", "https://")) else None


_CANDIDATE = re.compile(r"(\S+)(?:\s+(\d+(?:\.\d+)?)[wx])?\s*(?:,\s+|$)")


def _widest(srcset: str | None) -> str | None:
    """The widest candidate of a ``srcset`` (what a browser on a wide screen loads), for an ``<img>``
    with no ``src``: Readability's expected HTML keeps lazy images so (lazy-image-2's 56)."""
    best, best_size = None, -1.0
    for match in _CANDIDATE.finditer((srcset or "").strip()):
        size = float(match.group(2) or 1)
        if size > best_size:
            best, best_size = match.group(1).rstrip(","), size
    return best


def _image_key(img: Any) -> str | None:
    return _url(img.get("src") or _widest(img.get("srcset") or img.get("data-srcset")))


def items(html: str) -> dict[str, Counter[str]]:
    """The items of each block type in ``html``."""
    import lxml.html

    found: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    if not html or not html.strip():
        return found
    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except Exception:  # an unparseable output scores as empty
        return found
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "img", "a"):
        tag = el.tag
        if tag == "img":
            src = _image_key(el)
            if src:
                found["images"][src] += 1
        elif tag == "a":
            href = _url(el.get("href"))
            if href:
                found["links"][href] += 1
        else:
            text = _text(el)
            if not text:
                continue
            kind = (
                "headings" if tag[0] == "h" else "list items" if tag == "li"
                else "quotes" if tag == "blockquote" else "table cells"
            )  # fmt: skip
            found[kind][text] += 1
    return found


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    extra_ms: list[float] = field(default_factory=list)
    crashes: int = 0
    page_precisions: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    page_recalls: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def add(self, got: dict[str, Counter[str]], want: dict[str, Counter[str]]) -> dict[str, float]:
        recalls = {}
        for kind in KINDS:
            match = sum((got[kind] & want[kind]).values())
            predicted, total = sum(got[kind].values()), sum(want[kind].values())
            self.tp[kind] += match
            self.predicted[kind] += predicted
            self.expected[kind] += total
            if predicted:
                self.page_precisions[kind].append(match / predicted)
            if total:
                recalls[kind] = match / total
                self.page_recalls[kind].append(recalls[kind])
        return recalls

    def macro_precision(self, kind: str) -> float:
        values = self.page_precisions[kind]
        return sum(values) / len(values) if values else 0.0

    def macro_recall(self, kind: str) -> float:
        values = self.page_recalls[kind]
        return sum(values) / len(values) if values else 0.0

    def precision(self, kind: str) -> float:
        return self.tp[kind] / self.predicted[kind] if self.predicted[kind] else 0.0

    def recall(self, kind: str) -> float:
        return self.tp[kind] / self.expected[kind] if self.expected[kind] else 0.0


# The blocks an item is read in: a link or an image is judged by the text of the block around it.
_ITEM_BLOCKS = frozenset(
    ["p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
     "figcaption", "figure", "caption"]
)  # fmt: skip
_SHORT_BLOCK = 5  # words: a block shorter than this is judged by its list or table (see missed_items)
_ITEM_TAGS = {
    "headings": ("h1", "h2", "h3", "h4", "h5", "h6"), "list items": ("li",), "table cells": ("td", "th"),
    "quotes": ("blockquote",), "images": ("img",), "links": ("a",),
}  # fmt: skip


def missed_items(
    expected: str, missed: dict[str, Counter[str]], text: str
) -> list[tuple[str, str, str, str]]:
    """Each missed item of the expected HTML as ``(kind, where, item, text of its block)``, ``where``
    being ``kept`` (the text of its block is in ``text``: our text has it, our structure lost it),
    ``dropped`` (the text extractor left that text out) or ``textless`` (an image or link with no
    text in or around it to tell).

    An item the expected HTML holds n times and newsdigest m < n times is missed n - m times; the
    misses are taken from its dropped occurrences first, then the textless, then the kept (the m
    found are the ones in text it kept: a link to Auckland in a paragraph and in an infobox, found
    once, was lost with the infobox). A block of fewer than :data:`_SHORT_BLOCK` words is judged by
    its list or table as a whole: a contents entry's text is also its section's heading, which the
    text keeps when it leaves the contents out."""
    import lxml.html

    out: list[tuple[str, str, str, str]] = []
    if not any(missed.values()):
        return out
    ours = _WS.sub(" ", unicodedata.normalize("NFKC", text))
    root = lxml.html.fromstring(f"<div>{expected}</div>")
    rank = {"dropped": 0, "textless": 1, "kept": 2}
    for kind, tags in _ITEM_TAGS.items():
        if not missed[kind]:
            continue
        seen: dict[str, list[tuple[str, str]]] = {}
        for el in root.iter(*tags):
            key = (
                _image_key(el) if kind == "images" else _url(el.get("href")) if kind == "links" else _text(el)
            )
            if not key or not missed[kind][key]:
                continue
            block = el
            while (
                kind in ("images", "links")
                and block.getparent() is not None
                and block.tag not in _ITEM_BLOCKS
            ):
                block = block.getparent()
            said = _text(block) if block.tag in _ITEM_BLOCKS or kind not in ("images", "links") else ""
            judged = said
            if said and len(said.split()) < _SHORT_BLOCK:
                container = next(block.iterancestors("ul", "ol", "dl", "table"), None)
                judged = _text(container) if container is not None else said
            where = "textless" if not said else "kept" if judged in ours else "dropped"
            seen.setdefault(key, []).append((where, said))
        for key, found in seen.items():
            for where, said in sorted(found, key=lambda item: rank[item[0]])[: missed[kind][key]]:
                out.append((kind, where, key, said))
    return out


def extras_by_text(expected: str, extra: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
    """Each item newsdigest wrote that the expected HTML does not hold as that type: ``elsewhere`` (its
    text is in the expected HTML, as other markup) or ``not expected`` (text Readability left out:
    the headline, which it keeps as metadata, galleries, teasers). Links and images are not split."""
    import lxml.html

    out = {kind: Counter[str]() for kind in KINDS}
    if not any(extra[kind] for kind in KINDS[:4]):
        return out
    theirs = _text(lxml.html.fromstring(f"<div>{expected}</div>"))
    for kind in KINDS[:4]:
        for item, n in extra[kind].items():
            out[kind]["elsewhere" if item in theirs else "not expected"] += n
    return out


def _cpu_ms(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.process_time()
    result = fn()
    return result, (time.process_time() - start) * 1000


def _extra_ms(
    structured: Callable[[], Any], plain: Callable[[], Any], flip: bool, *, warm: bool = True
) -> tuple[Any, float]:
    """``structured()``'s result and the CPU ms it takes beyond ``plain()`` on the same page: an untimed
    ``plain()`` first (``warm``), then both timed, ``plain()`` first when ``flip`` (see the module
    docstring)."""
    if warm:
        plain()
    if flip:
        _, plain_ms = _cpu_ms(plain)
        result, structured_ms = _cpu_ms(structured)
    else:
        result, structured_ms = _cpu_ms(structured)
        _, plain_ms = _cpu_ms(plain)
    return result, structured_ms - plain_ms


class Ours:
    name = "newsdigest"

    def __init__(self) -> None:
        from newsdigest import extract_article

        self.extract = extract_article
        self.bounded = False  # whether a cost bound left part of the last page's structure plain
        self.text = ""  # the last page's Article.text

    def run(self, html: bytes, flip: bool = False) -> tuple[str, float]:
        article, extra = _extra_ms(
            lambda: self.extract(html, PAGE_URL), lambda: self.extract(html, PAGE_URL, structure=False), flip
        )
        self.bounded = any(note.startswith("structure:") for note in article.notes)
        self.text = article.text
        return article.html, extra


class Trafilatura:
    name = "trafilatura"

    def __init__(self) -> None:
        import trafilatura

        self.trafilatura = trafilatura

    def run(self, html: bytes, flip: bool = False) -> tuple[str, float]:
        t = self.trafilatura
        out, extra = _extra_ms(
            lambda: t.extract(
                html, url=PAGE_URL, output_format="html", include_images=True, include_links=True,
                include_tables=True, include_formatting=True, include_comments=False,
            ),
            lambda: t.extract(html, url=PAGE_URL, include_comments=False),
            flip,
        )  # fmt: skip
        return out or "", extra


class Newspaper:
    name = "newspaper4k"

    def __init__(self) -> None:
        from newspaper import Article, Config

        self.article, self.config = Article, Config

    def _parse(self, page: str, keep_html: bool) -> Any:
        config = self.config()
        config.fetch_images = False
        config.clean_article_html = keep_html
        article = self.article(PAGE_URL, config=config)
        article.download(input_html=page)
        article.parse()
        return article

    def run(self, html: bytes, flip: bool = False) -> tuple[str, float]:
        page = html.decode("utf-8", "replace")
        article, extra = _extra_ms(lambda: self._parse(page, True), lambda: self._parse(page, False), flip)
        return article.article_html or "", extra


def _pages(folder: Path) -> list[tuple[str, bytes, str]]:
    out = []
    for path in sorted(folder.glob("html/*.html.gz")):
        if path.name.endswith(".expected.html.gz"):
            continue
        page_id = path.name[: -len(".html.gz")]
        expected = path.with_name(f"{page_id}.expected.html.gz")
        if expected.is_file():
            out.append(
                (page_id, gzip.decompress(path.read_bytes()), gzip.decompress(expected.read_bytes()).decode())
            )
    return out


def _timing(folder: Path, limit: int) -> None:
    """newsdigest's extra ms on every page of ``folder`` (extraction-dev's evaldata.json layout)."""
    evalfile = folder / "evaldata.json"
    if not evalfile.is_file():
        print(f"timing skipped: no {evalfile}")
        return
    from newsdigest import extract_article

    entries = json.loads(evalfile.read_text(encoding="utf-8"))["items"]
    extra, base = [], []
    for n, (_page_id, item) in enumerate(sorted(entries.items())):
        if limit and n >= limit:
            break
        html = gzip.decompress((folder / item["file"]).read_bytes())
        url = item.get("url")
        structured = partial(extract_article, html, url)
        plain = partial(extract_article, html, url, structure=False)
        _, text_ms = _cpu_ms(plain)
        base.append(text_ms)  # the page's first call, as in production; it warms the page for the pair
        extra.append(_extra_ms(structured, plain, n % 2 == 1, warm=False)[1])
    print(
        f"\n{folder.name}: {len(extra)} pages, newsdigest text-only extraction median "
        f"{statistics.median(base):.2f} "
        f"ms CPU; structured output adds median {statistics.median(extra):+.2f} ms "
        f"(p90 {sorted(extra)[int(0.9 * (len(extra) - 1))]:+.2f} ms)"
    )


def _converters(pages: list[tuple[str, bytes, str]]) -> None:
    import html_to_markdown
    from newsdigest import extract_article
    from newsdigest.extract.markdown import to_markdown

    options = html_to_markdown.ConversionOptions(
        escape_misc=True, escape_asterisks=True, escape_underscores=True
    )
    ours, theirs = [], []
    for _page_id, html, _expected in pages:
        article = extract_article(html, PAGE_URL)
        if not article.html:
            continue
        _, ms = _cpu_ms(functools.partial(to_markdown, article.html))
        ours.append(ms)
        _, ms = _cpu_ms(functools.partial(html_to_markdown.convert, article.html, options))
        theirs.append(ms)
    print(
        f"\nMarkdown converters on newsdigest's clean HTML ({len(ours)} pages, median CPU ms, from the HTML "
        f"string): markdownify {statistics.median(ours):.2f}, "
        f"html-to-markdown {statistics.median(theirs):.2f}"
    )


def _print_misses(
    page_id: str, listed: list[tuple[str, str, str, str]], extra: dict[str, Counter[str]], which: str
) -> None:
    """``--misses``: one line per missed item of the class asked for, then one per extra item."""
    shown = [item for item in listed if which in ("all", item[1])]
    extras = [(kind, item) for kind in KINDS for item, n in extra[kind].items() for _ in range(n)]
    if not shown and not extras:
        return
    print(f"=== {page_id}")
    for kind, where, key, block in shown:
        around = f"  in: {block[:160]}" if block and block != key else ""
        print(f"  missed {kind:<11} [{where}] {key[:160]}{around}")
    for kind, item in extras:
        print(f"  extra  {kind:<11} {item[:160]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--ours-only", action="store_true", help="skip trafilatura and newspaper4k")
    parser.add_argument("--timing-data", type=Path, default=EXTRACTION_DEV)
    parser.add_argument("--timing-limit", type=int, default=0)
    parser.add_argument("--no-timing", action="store_true", help="skip the timing run on --timing-data")
    parser.add_argument("--converters", action="store_true", help="time markdownify and html-to-markdown")
    parser.add_argument("--failures", type=int, default=0, help="print the N pages with the lowest recall")
    parser.add_argument(
        "--misses", nargs="?", const="kept", choices=("kept", "dropped", "textless", "all"),
        help="list newsdigest's missed items page by page, with the text of the block around each, and "
             "its extra items (default: the misses in text it kept, the structure's own)",
    )  # fmt: skip
    args = parser.parse_args(argv)

    if not (args.data / "html").is_dir():
        print(f"structure benchmark skipped: no data folder at {args.data}")
        return 0
    warnings.filterwarnings("ignore")
    pages = _pages(args.data)
    if args.limit:
        pages = pages[: args.limit]
    tools: list[Any] = [Ours()]
    if not args.ours_only:
        tools += [Trafilatura(), Newspaper()]
    for tool in tools:  # warm up: imports and first-call caches do not land in the first page
        tool.run(b"<html><body><article><p>Warm up, warm up, warm up.</p></article></body></html>")
    scores = {tool.name: Score() for tool in tools}
    worst: list[tuple[float, str, dict[str, float]]] = []
    unbounded, bounded_pages = Score(), []  # ours on the pages no cost bound cut
    miss_classes: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    extra_classes: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    page_links: dict[str, int] = {}
    for n, (page_id, html, expected) in enumerate(pages):
        want = items(expected)
        page_links[page_id] = sum(want["links"].values())
        for tool in tools:
            score = scores[tool.name]
            try:
                out, extra = tool.run(html, flip=n % 2 == 1)
            except Exception as exc:  # a crash scores as an empty output
                score.crashes += 1
                print(f"{tool.name} crashed on {page_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                out, extra = "", 0.0
            score.extra_ms.append(extra)
            recalls = score.add(items(out), want)
            if tool.name == "newsdigest" and recalls:
                worst.append((min(recalls.values()), page_id, recalls))
            if isinstance(tool, Ours):
                got = items(out)
                missed = {kind: want[kind] - got[kind] for kind in KINDS}
                listed = missed_items(expected, missed, tool.text)
                for kind, where, _key, _block in listed:
                    miss_classes[kind][where] += 1
                extra = {kind: got[kind] - want[kind] for kind in KINDS}
                if args.misses:
                    _print_misses(page_id, listed, extra, args.misses)
                for kind, classes in extras_by_text(expected, extra).items():
                    extra_classes[kind] += classes
                if tool.bounded:
                    bounded_pages.append(page_id)
                else:
                    unbounded.add(got, want)

    print(f"pages: {len(pages)} (Readability's expected HTML); items expected per type: "
          + ", ".join(f"{k} {scores['newsdigest'].expected[k]}" for k in KINDS))  # fmt: skip
    top = max(page_links, key=lambda page: page_links[page]) if page_links else ""
    share = page_links[top] / max(1, sum(page_links.values())) if top else 0.0
    print(f"micro-averaged: items summed over all pages, so the pages with most items weigh most ({top} "
          f"holds {share:.0%} of the expected links)")  # fmt: skip
    header = f"{'tool':<12}" + "".join(f"{k:>20}" for k in KINDS) + f"{'extra ms':>10}{'crash':>6}"
    print(header)
    print(f"{'':<12}" + "".join(f"{'P':>10}{'R':>10}" for _ in KINDS))
    for name, score in scores.items():
        cells = "".join(f"{score.precision(k):10.3f}{score.recall(k):10.3f}" for k in KINDS)
        median = statistics.median(score.extra_ms) if score.extra_ms else 0.0
        print(f"{name:<12}{cells}{median:+10.2f}{score.crashes:6d}")
    print("macro-averaged: the mean of per-page figures (precision over the pages where the tool wrote the "
          "type, recall over the pages that expect it); each page weighs the same")  # fmt: skip
    for name, score in scores.items():
        cells = "".join(f"{score.macro_precision(k):10.3f}{score.macro_recall(k):10.3f}" for k in KINDS)
        print(f"{name:<12}{cells}")
    if len(scores) > 1:
        ours = scores["newsdigest"]
        behind = [
            f"{k} {'P' if which == 'P' else 'R'} vs {name}"
            for name, other in scores.items() if name != "newsdigest"
            for k in KINDS
            for which, a, b in (
                ("P", ours.precision(k), other.precision(k)), ("R", ours.recall(k), other.recall(k))
            )
            if a < b
        ]  # fmt: skip
        print("newsdigest behind on: " + (", ".join(behind) if behind else "nothing"))
    if bounded_pages:
        print(
            "newsdigest: structure cut by its cost bound (extract/structure.py) on "
            f"{', '.join(bounded_pages)}; on the other pages: "
            + ", ".join(f"{k} {unbounded.precision(k):.3f}/{unbounded.recall(k):.3f}" for k in KINDS)
            + " (P/R)"
        )
    ours = scores["newsdigest"]
    print("newsdigest's missed items by where their text is (see missed_items); recall if every item of "
          "text it kept were found:")  # fmt: skip
    for kind in KINDS:
        classes = miss_classes[kind]
        expected_n = ours.expected[kind]
        ceiling = (ours.tp[kind] + classes["kept"]) / expected_n if expected_n else 0.0
        print(
            f"  {kind:<12} missed {sum(classes.values()):4d}: in its text {classes['kept']:4d}, "
            f"in text it left out {classes['dropped']:4d}, no text to tell {classes['textless']:3d}; "
            f"recall {ours.recall(kind):.3f}, at most {ceiling:.3f} with this text"
        )
    print("newsdigest's items the expected HTML does not hold as that type (see extras_by_text):")
    for kind in KINDS[:4]:
        classes = extra_classes[kind]
        print(
            f"  {kind:<12} {sum(classes.values()):4d}: text the expected HTML has as other markup "
            f"{classes['elsewhere']:4d}, text it leaves out {classes['not expected']:4d}"
        )
    if args.failures:
        for low, page_id, recalls in sorted(worst)[: args.failures]:
            print(
                f"--- {page_id} lowest recall {low:.2f}: "
                + ", ".join(f"{k} {v:.2f}" for k, v in recalls.items())
            )
    if args.converters:
        _converters(pages)
    if not args.no_timing:
        _timing(args.timing_data, args.timing_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
