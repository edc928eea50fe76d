"""The cost bounds of the pure stages: each cap applied before the expensive step and noted, and each
linear algorithm equal to the quadratic or cubic one it replaced (a reference written out here)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from newsdigest import extract_article
from newsdigest.extract import limits as L
from newsdigest.extract.dom import parse_html, text_of, text_within
from newsdigest.extract.emphasis import unwrap_strong
from newsdigest.extract.markup import bound_markup
from newsdigest.extract.title import _key, clean_title
from newsdigest.models import Article, Summary
from newsdigest.summarisation import limits as SL
from newsdigest.summarisation import summarise
from newsdigest.summarisation.default import centrality

STORY = "<p>" + "The harbour authority said the new quay would open in the spring. " * 6 + "</p>"


def _page(head: str = "", body: str = "") -> str:
    article = f"<article><h1>Quay opening delayed</h1>{body}{STORY}</article>"
    return f"<html><head>{head}</head><body>{article}</body></html>"


# --- markup: attributes and elements ----------------------------------------------------------------


def _attributes(count: int, prefix: str = "a") -> str:
    return " ".join(f"{prefix}{i}=x" for i in range(count))


def test_an_element_keeps_its_first_attributes_and_the_cut_is_noted() -> None:
    notes: list[str] = []
    root = parse_html(_page(body=f"<div id=box {_attributes(1000)} class=late>kept</div>"), notes)
    assert root is not None
    box = root.find(".//div")
    assert box is not None
    assert len(box.attrib) == L.MAX_ATTRIBUTES
    assert box.get("id") == "box" and box.get(f"a{L.MAX_ATTRIBUTES - 2}") == "x"
    assert box.get("class") is None and box.text == "kept"
    assert notes == [f"attributes cut to {L.MAX_ATTRIBUTES} per element"]


def test_attribute_counting_follows_the_html_tokenizer() -> None:
    many = L.MAX_ATTRIBUTES + 50
    variants = {
        "quoted >": " ".join(f'a{i}=">"' for i in range(many)),
        "no spaces after quotes": "".join(f'a{i}="v"' for i in range(many)),
        "slashes": "/".join(f"a{i}" for i in range(many)),
        "names with <": " ".join(f"<a{i}" for i in range(many)),
        "names starting with =": " ".join(f"=a{i}=v" for i in range(many)),
    }
    for label, attributes in variants.items():
        data = f"<div {attributes}>text</div>".encode()
        trimmed = bound_markup(data, notes := [])
        assert notes, label
        root = etree.fromstring(trimmed, etree.HTMLParser())
        assert len(root.find(".//div").attrib) <= L.MAX_ATTRIBUTES, label


def test_scripts_comments_and_ordinary_tags_are_never_edited() -> None:
    crowded = _attributes(L.MAX_ATTRIBUTES + 10)
    script = f'<script type="application/ld+json">{{"x": "a <b {crowded}"}}</script>'
    comment = f"<!-- <div {crowded}> -->"
    data = f"<html><head>{script}{comment}</head><body><div {_attributes(70)}>t</div></body></html>".encode()
    assert bound_markup(data, notes := []) == data
    assert notes == []


def test_a_page_past_the_element_cap_is_cut_before_the_next_start_tag() -> None:
    notes: list[str] = []
    data = b"<html><body>" + b"<span>x</span>" * (L.MAX_ELEMENTS + 10) + b"</body></html>"
    cut = bound_markup(data, notes)
    assert cut.count(b"<span") == L.MAX_ELEMENTS - 2  # <html> and <body> are start tags too
    assert notes == [f"page cut at {L.MAX_ELEMENTS} elements"]


def test_a_page_past_the_byte_cap_is_cut_at_a_character_boundary() -> None:
    letter = "é".encode()
    data = b"<html><body><p>" + letter * (L.MAX_PAGE_BYTES // 2 + 1000) + b"</p></body></html>"
    article = extract_article(data)
    assert f"page cut to {L.MAX_PAGE_BYTES} bytes" in article.notes
    assert article.encoding == "utf-8"  # the cut did not split a character (or the page would not be UTF-8)


# --- element text without walking the whole element --------------------------------------------------


@given(pieces=st.lists(st.text(alphabet=" ab\n\t", max_size=30), max_size=30), limit=st.integers(0, 80))
def test_text_within_agrees_with_text_of(pieces: list[str], limit: int) -> None:
    root = etree.Element("div")
    for piece in pieces:
        child = etree.SubElement(root, "span")
        child.text = piece
        child.tail = piece[::-1]
    full = text_of(root)
    short = text_within(root, limit)
    if len(full) <= limit:
        assert short == full
    else:
        assert len(short) > limit and short[:limit] == full[:limit]


# --- metadata caps ---------------------------------------------------------------------------------


def test_long_titles_headings_and_fields_are_cut_and_noted() -> None:
    long = "Quay " * 2000
    head = (
        f"<title>{long}</title><meta property='og:title' content='{long}'>"
        f"<meta name='description' content='{'d' * (L.MAX_FIELD_CHARS + 10)}'>"
        f"<meta name='keywords' content='{'k' * 90}, {'t' * 5000}'>"
    )
    article = extract_article(_page(head=head), "https://news.example/a")
    assert article.title is not None and len(article.title) <= L.MAX_TITLE_CHARS
    assert article.description is not None and len(article.description) == L.MAX_FIELD_CHARS
    assert "title cut to 1000 characters" in article.notes
    assert f"metadata value cut to {L.MAX_FIELD_CHARS} characters" in article.notes
    assert article.status == "ok"


def test_candidates_are_capped_per_source_and_noted() -> None:
    links = "".join(f"<a rel='author' href='/a/{i}'>Writer Number{i}</a>" for i in range(300))
    jsonld = '<script type=\'application/ld+json\'>{"@type": "Thing"}</script>' * (L.MAX_JSONLD_BLOCKS + 5)
    article = extract_article(_page(head=jsonld, body=links))
    assert f"author candidates cut to {L.MAX_CANDIDATES}" in article.notes
    assert f"JSON-LD cut to {L.MAX_JSONLD_BLOCKS} blocks" in article.notes
    assert len(article.authors) <= 10


def test_notes_are_part_of_the_stored_article() -> None:
    article = Article(title="t", text="x", notes=["title cut to 1000 characters"])
    data = json.loads(json.dumps(article.to_dict()))
    assert data["notes"] == ["title cut to 1000 characters"]
    assert Article.from_dict(data) == article
    assert Article(title="t", text="x").notes == []


def test_an_ordinary_page_has_no_notes() -> None:
    assert extract_article(_page(head="<title>Quay opening delayed | Harbour News</title>")).notes == []


# --- title cleaning: runs of parts found by offset ---------------------------------------------------


def _heading_run_reference(parts: list[str], headings: list[str]) -> str | None:
    """The cubic loop title cleaning used: every run of parts, earliest start first, longest first."""
    heading_keys = {_key(h): h for h in headings if h}
    for i in range(len(parts)):
        for j in range(len(parts), i, -1):
            if (i, j) == (0, len(parts)):
                continue
            joined = _key("".join(parts[i:j]))
            if joined in heading_keys and len(joined) > 3:
                return heading_keys[joined]
    return None


_PART = st.sampled_from(["Quay", "News", "", "—", "Harbour Daily", "a", "ab", "The quay", "x1", "!"])


@settings(max_examples=300)
@given(
    parts=st.lists(_PART, min_size=2, max_size=7),
    picks=st.lists(st.tuples(st.integers(0, 6), st.integers(1, 7))),
)
def test_title_cleaning_finds_the_heading_run_the_cubic_loop_found(parts, picks) -> None:
    headings = [" ".join(parts[i:j]) for i, j in picks if i < j <= len(parts)][:3]
    raw = " | ".join(p or "-" for p in parts)
    cleaned = clean_title(raw, headings=headings)
    split = [p for p in re.split(r"\s+[-–—|·•»«/]\s+|\s*\|\s*|\s+::\s+", " ".join(raw.split())) if p.strip()]
    expected = _heading_run_reference(split, headings)
    if expected is not None and _key(" ".join(raw.split())) not in {_key(h) for h in headings}:
        assert cleaned == expected


# --- JSON-LD Markdown emphasis -----------------------------------------------------------------------

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["*", "**", " ", "a", "b", "\u00a0", "x y"]), max_size=20).map("".join))
def test_emphasis_unwrapping_equals_the_backtracking_pattern(line: str) -> None:
    assert unwrap_strong(line) == _STRONG.sub(r"\1", line)


# --- the summariser --------------------------------------------------------------------------------


def _centrality_reference(bags: list[Counter[str]]) -> list[float]:
    """The pairwise definition: sum over other sentences of overlap / sqrt(len_i * len_j)."""
    lengths = [sum(b.values()) for b in bags]
    scores = [0.0] * len(bags)
    for i, a in enumerate(bags):
        for j, b in enumerate(bags):
            if i != j and lengths[i] and lengths[j]:
                shared = sum(count * b[word] for word, count in a.items() if word in b)
                scores[i] += shared / math.sqrt(lengths[i] * lengths[j])
    return scores


@settings(max_examples=200)
@given(st.lists(st.lists(st.sampled_from("abcdefg"), max_size=6), max_size=12))
def test_linear_centrality_scores_the_pairwise_definition(sentences: list[list[str]]) -> None:
    bags = [Counter(words) for words in sentences]
    got = centrality(bags)
    for score, expected in zip(got, _centrality_reference(bags), strict=True):
        assert math.isclose(score, expected, rel_tol=1e-9, abs_tol=1e-9)
    # Equal scores tie exactly, so document order breaks the tie as it did with the pair loop.
    groups: defaultdict[tuple[tuple[str, int], ...], set[float]] = defaultdict(set)
    for bag, score in zip(bags, got, strict=True):
        groups[tuple(sorted(bag.items()))].add(score)
    assert all(len(scores) == 1 for scores in groups.values())


def test_a_long_text_is_cut_and_the_summary_says_so() -> None:
    text = " ".join(f"Crew number {i} left the harbour at dawn today." for i in range(8000))
    summary = summarise(text)
    assert f"text cut to {SL.MAX_TEXT_CHARS} characters" in summary.notes
    assert summary.note is not None and "text cut" in summary.note
    assert summary.parameters["total_sentences"] <= SL.LINEAR_LIMITS.sentences
    assert Summary(**{**summary.to_dict()}) == summary


def test_sumy_methods_rank_the_leading_sentences_within_their_caps() -> None:
    text = " ".join(f"Crew number {i} left the harbour at dawn today." for i in range(600))
    limit = SL.SUMY_LIMITS["reduction"]
    summary = summarise(text, method="reduction", sentences=3)
    assert summary.parameters["total_sentences"] == limit.sentences
    assert f"first {limit.sentences} of 600 sentences ranked" in summary.notes
    assert all(int(s.split()[2]) < limit.sentences for s in summary.sentences)


def test_distinct_words_beyond_the_cap_are_not_considered() -> None:
    words = " ".join(f"w{i}x" for i in range(SL.SUMY_LIMITS["kl"].terms + 200))
    summary = summarise(f"The harbour {words} closed. The harbour reopened today.", method="kl", sentences=1)
    assert f"first {SL.SUMY_LIMITS['kl'].terms} distinct words considered" in summary.notes


def test_an_ordinary_text_has_no_notes() -> None:
    summary = summarise("The harbour reopened today. Crews returned at dawn. Officials welcomed them.")
    assert summary.notes == [] and summary.note is None


# --- no untrusted value makes anything but a project error escape ------------------------------------

_NO_URL = st.sampled_from(["http://[", "http://[::1:\u2026/", "//[x]y/", "http://" + "9" * 5000])
_ODD = st.sampled_from(["\u00b2" * 10, "\u00b2" * 13, "1" * 5000, "idna", "undefined", "utf\x008", "\ud800"])


@settings(max_examples=150, deadline=None)
@given(
    url=st.none() | st.text(max_size=30) | _NO_URL,
    charset=st.none() | st.text(max_size=20) | _ODD,
    values=st.lists(st.text(max_size=20) | _NO_URL | _ODD, min_size=4, max_size=4),
)
def test_no_page_value_makes_anything_but_a_project_error_escape(url, charset, values) -> None:
    from html import escape

    from newsdigest.errors import NewsdigestError

    canonical, date, label, when = (escape(v.encode("utf-8", "replace").decode("utf-8")) for v in values)
    head = (
        f"<meta charset='{label}'><link rel='canonical' href='{canonical}'>"
        f"<meta property='article:published_time' content='{date}'>"
    )
    page = _page(head=head, body=f"<time datetime='{when}'>{when}</time>").encode("utf-8")
    try:
        article = extract_article(page, url, http_charset=charset)
    except NewsdigestError:
        return
    assert article.status in {"ok", "not_article", "empty"}


def test_a_long_list_is_judged_an_enumeration_once_not_once_per_item(monkeypatch) -> None:
    # Each linked item of a kept list asks whether the list is the text's enumeration; answered anew,
    # every item read the whole list's text (8,000 items took 61 s).
    from newsdigest.extract import write

    asked = Counter[int]()
    judge = write._between_sentences

    def counted(el: etree._Element) -> bool:
        asked[id(el)] += 1
        return judge(el)

    monkeypatch.setattr(write, "_between_sentences", counted)
    items = "".join(
        f'<li><a href="/story/{i}">linked item number {i}</a></li>'
        f"<li>plain item {i}, with words, and more.</li>"
        for i in range(300)
    )
    body = f"<p>The list of the story follows here.</p><ul>{items}</ul><p>Then the story goes on.</p>"
    article = extract_article(_page(body=body).encode(), structure=False)
    assert "linked item number 299" in article.text
    assert asked and max(asked.values()) <= 2
