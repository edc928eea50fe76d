"""Hostile and degenerate input: every case ends in a clear outcome, quickly, without a crash."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsdigest import extract_article
from newsdigest.errors import InputError
from newsdigest.models import Article

PARA = "<p>Ein ganz normaler Absatz mit genug Text, damit er als Artikeltext zählt, und noch mehr Worten.</p>"


def paras(n: int) -> str:
    """``n`` distinct paragraphs (identical ones would be collapsed as repeats)."""
    return "".join(
        f"<p>Absatz {i}: ein ganz normaler Absatz mit genug Text, damit er als Artikeltext zählt.</p>"
        for i in range(n)
    )


def _timed(html: bytes | str, budget_s: float = 5.0) -> Article:
    start = time.perf_counter()
    article = extract_article(html)
    assert time.perf_counter() - start < budget_s
    return article


@pytest.mark.parametrize("empty", [b"", b"   \n\t ", "", "  \n"])
def test_empty_input_is_an_input_error(empty: bytes | str) -> None:
    with pytest.raises(InputError) as info:
        extract_article(empty)
    assert info.value.reason == "empty"


def test_wrong_type_is_an_input_error() -> None:
    with pytest.raises(InputError):
        extract_article(12345)  # type: ignore[arg-type]


def test_markup_without_text_is_empty() -> None:
    article = _timed(b"<html><head><title></title></head><body><div><span></span></div></body></html>")
    assert article.status == "empty"
    assert article.text == ""
    assert article.reason


def test_script_only_page_is_empty() -> None:
    html = "<html><head><script>" + "var a = 'lots of code';" * 5000 + "</script></head><body></body></html>"
    article = _timed(html.encode())
    assert article.status == "empty"
    assert "lots of code" not in article.text


def test_deep_nesting_does_not_recurse() -> None:
    depth = 50_000
    html = "<html><body>" + "<div>" * depth + paras(3) + "</div>" * depth + "</body></html>"
    article = _timed(html.encode())
    assert article.status == "ok"
    assert "ganz normaler Absatz" in article.text


def test_deep_inline_nesting_does_not_recurse() -> None:
    depth = 30_000
    html = (
        "<html><body><article>"
        + "<span><b>" * depth
        + PARA
        + "</b></span>" * depth
        + "</article></body></html>"
    )
    article = _timed(html.encode())
    assert article.status in {"ok", "not_article", "empty"}


def test_megabytes_of_text() -> None:
    html = "<html><body><article>" + paras(40_000) + "</article></body></html>"  # ~3.5 MB
    article = _timed(html.encode(), budget_s=20.0)
    assert article.status == "ok"
    assert article.word_count > 1000


def test_one_giant_text_node() -> None:
    # A few distinct words: one word repeated is not running text (see the repeated-byte test).
    text = "Ein Satz mit ein paar Worten. " * 100_000
    article = _timed(("<html><body><p>" + text + "</p></body></html>").encode(), budget_s=20.0)
    assert article.status == "ok"


def test_truncated_page_still_extracts() -> None:
    html = ("<html><head><title>Halb</title></head><body><article>" + paras(5)).encode()
    article = _timed(html[: len(html) - 37])
    assert article.status == "ok"
    assert "Absatz 3: ein ganz normaler Absatz" in article.text


def test_nul_bytes_inside_a_page() -> None:
    html = ("<html><body><article>" + paras(4) + "</article></body></html>").encode()
    html = html.replace(b"normaler", b"nor\x00maler", 2)
    article = _timed(html)
    assert article.status == "ok"
    assert "\x00" not in article.text
    assert "normaler Absatz" in article.text


def test_form_feeds_beside_elements_a_pass_removes_read_as_spaces() -> None:
    # HTML counts a form feed as whitespace; XML allows none, so lxml refused the text it stood in once
    # a pass moved it (an image set aside, its tail joined to the paragraph): a ValueError, not an
    # article.
    body = paras(4).replace("normaler Absatz", 'normaler\x0c<img src="a.jpg">\x0cAbsatz', 2)
    article = _timed(f"<html><body><article>{body}\x0c<img></img></article></body></html>")
    assert article.status == "ok"
    assert "\x0c" not in article.text
    assert "normaler Absatz" in article.text


def test_lying_charset_does_not_crash() -> None:
    html = '<html><head><meta charset="utf-16"></head><body><article>' + paras(4) + "</article></body></html>"
    article = _timed(html.encode("cp1252"))
    assert article.status == "ok"
    assert article.encoding == "utf-8"


def test_bogus_charset_label_is_ignored() -> None:
    html = (
        '<html><head><meta charset="x-made-up"></head><body><article>' + paras(4) + "</article></body></html>"
    )
    assert _timed(html.encode()).status == "ok"


def test_xml_declaration_with_encoding_in_str_input() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?><html><body><article>' + paras(4) + "</article></body></html>"
    )
    assert _timed(html).status == "ok"


def test_broken_jsonld_is_ignored() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script></head>"
        "<body><article>" + paras(4) + "</article></body></html>"
    )
    assert _timed(html.encode()).status == "ok"


# Characters libxml2 keeps in the texts it parses and lxml refuses to be given: a form feed (raw or as
# "&#12;"), other C0 controls written as references, the noncharacters U+FFFE and U+FFFF.
_NOT_XML = ["\x0c", "&#12;", "&#xc;", "&#1;", "&#x1f;", "&#xFFFE;", "&#65535;", "\ufffe"]
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@pytest.mark.parametrize("junk", _NOT_XML)
def test_characters_lxml_refuses_in_moved_text(junk: str) -> None:
    # Each box below goes, and the text after it joins the text before it: after a dropped share box,
    # after a cut "related" box, after a picture set aside for the structured output.
    story = PARA.replace("</p>", f"{junk} und Schluss.</p>")
    html = (
        f"<html><body><article>{paras(3)}<div class='share'>Teilen</div>{junk}Nach dem Kasten {paras(1)}"
        f"<div class='related'>{'Mehr zum Thema ' * 10}</div>{junk}Nach den Links{story}"
        f"<p>Ein Bild<img src='a.jpg'>{junk}und der Text danach, lang genug für einen Absatz im Artikel.</p>"
        "</article></body></html>"
    )
    for structure in (True, False):
        article = extract_article(html, structure=structure)
        assert article.status == "ok"
        assert "Nach dem Kasten" in article.text and "und der Text danach" in article.text
        assert "Teilen" not in article.text


@pytest.mark.parametrize("junk", ["\u0001", "\u000c", "\ufffe", "&#1;"])
def test_characters_lxml_refuses_in_the_publishers_article_body(junk: str) -> None:
    body = f"Der Text des Artikels, wie ihn der Verlag angibt, {junk} mit einem Steuerzeichen darin. " * 20
    ld = json.dumps({"@type": "NewsArticle", "headline": f"Titel {junk}", "articleBody": body})
    html = (
        f"<html><head><script type='application/ld+json'>{ld}</script></head><body><p>kurz</p></body></html>"
    )
    article = extract_article(html)
    assert article.extraction == "jsonld"
    assert "wie ihn der Verlag angibt" in article.text
    assert not _REFUSED.search(json.dumps(dataclasses.asdict(article), ensure_ascii=False))


@pytest.mark.parametrize("junk", [*_NOT_XML, "&#1\u0663", "&#x1\u0663"])
def test_no_field_holds_a_character_an_xml_feed_cannot_carry(junk: str) -> None:
    html = (
        f"<html><head><title>Titel {junk}hier</title><meta name='author' content='Jo {junk} Doe'>"
        f"<meta name='description' content='Kurz {junk} gesagt'></head><body><h1>Titel {junk}hier</h1>"
        f"<article>{PARA.replace('Text', f'Text {junk}') * 3}{paras(2)}</article></body></html>"
    )
    for structure in (True, False):
        article = extract_article(html, structure=structure)
        assert article.status == "ok"
        assert not _REFUSED.search(json.dumps(dataclasses.asdict(article), ensure_ascii=False))


@pytest.mark.parametrize("reference", ["&#1", "&#2", "&#x1"])
def test_a_digit_of_another_script_after_a_reference_is_text(reference: str) -> None:
    # A reference's digits are ASCII: "&#2" then ARABIC-INDIC DIGIT THREE is U+0002, then the digit
    # (Python's int() would read both as 23).
    paragraph = f"<p>Die Zahl {reference}\u0663 bleibt im Text stehen.</p>"
    html = f"<html><body><article>{paras(3)}{paragraph}</article></body></html>"
    article = extract_article(html)
    assert "Die Zahl \u0663 bleibt" in article.text
    assert not _REFUSED.search(article.text)


def test_control_characters_in_str_input_are_binary() -> None:
    with pytest.raises(InputError) as info:
        extract_article("\x01\x02\x03\x04\x05\x06" * 500)
    assert info.value.reason == "binary"


def test_random_bytes_are_never_an_ok_article() -> None:
    # About a quarter of random blobs pass the control-character check and decode as windows-1252.
    rng = random.Random(20261125)
    for size in (300, 2000, 8000) * 40:
        data = bytes(rng.getrandbits(8) for _ in range(size))
        try:
            article = extract_article(data)
        except InputError as exc:
            assert exc.reason in {"binary", "undecodable"}
            continue
        assert article.status in {"not_article", "empty"}
        assert article.reason


@pytest.mark.parametrize("byte", [b"a", b"\xe4", b"x ", b"7"])
def test_one_repeated_byte_is_not_an_article(byte: bytes) -> None:
    try:
        article = _timed(byte * 2048)
    except InputError as exc:
        assert exc.reason in {"binary", "undecodable"}
        return
    assert article.status in {"not_article", "empty"}
    assert article.reason


def test_cjk_and_arabic_text_still_read_as_language() -> None:
    zh_para = "今天上午，市政府召开新闻发布会，介绍了城市交通建设的最新进展和下一步计划。"
    ar_para = "عقدت الحكومة اليوم مؤتمرا صحفيا لعرض خطة تطوير النقل في المدينة."
    zh = "".join(f"<p>第{i}段：{zh_para}</p>" for i in range(6))
    ar = "".join(f"<p>الفقرة {i}: {ar_para}</p>" for i in range(6))
    for body in (zh, ar):
        article = _timed(f"<html><body><article>{body}</article></body></html>".encode())
        assert article.status == "ok"


def test_plain_text_without_markup() -> None:
    article = _timed("Nur ein Satz ohne jedes Markup, aber immerhin ein Satz mit Inhalt. " * 10)
    assert article.status == "ok"
    assert "ohne jedes Markup" in article.text


def test_index_page_is_not_an_article() -> None:
    links = "".join(f'<li><a href="/a/{i}">Schlagzeile Nummer {i}</a></li>' for i in range(60))
    article = _timed(f"<html><body><ul>{links}</ul></body></html>".encode())
    assert article.status in {"not_article", "empty"}
    assert article.reason


def test_error_page_is_not_an_article() -> None:
    html = (
        "<html><head><title>404 - Seite nicht gefunden</title></head>"
        "<body><p>Die Seite gibt es nicht.</p></body></html>"
    )
    article = _timed(html.encode())
    assert article.status == "not_article"
    assert article.reason


_TAGS = st.sampled_from(["div", "p", "span", "a", "li", "ul", "article", "section", "table", "td", "h2", "b"])
_FRAGMENT = st.one_of(
    st.text(max_size=40),
    st.builds(lambda t, c: f"<{t} class='{c}'>", _TAGS, st.sampled_from(["", "share", "content", "nav x"])),
    st.builds(lambda t: f"</{t}>", _TAGS),
    st.sampled_from(
        [
            *("<script>", "</script>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&#xD800;", "<?xml?>"),
            *("\x0c", "&#12;", "&#1;", "&#xFFFE;", "\uffff"),  # kept by the parser, refused by lxml
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENT, max_size=60))
def test_any_markup_soup_gives_an_article_or_input_error(parts: list[str]) -> None:
    html = "".join(parts)
    try:
        article = extract_article(html)
    except InputError as exc:
        assert exc.reason in {"empty", "binary", "undecodable", "bad_input"}
        return
    assert article.status in {"ok", "not_article", "empty"}
    assert (article.status == "ok") == (article.reason is None)
    assert isinstance(article.text, str)
    assert not _REFUSED.search(article.text + (article.title or "") + article.html)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from([None, "utf-8", "latin1", "gb2312", "bogus", "utf-16"]))
def test_any_bytes_give_an_article_or_input_error(data: bytes, charset: str | None) -> None:
    try:
        article = extract_article(data, http_charset=charset)
    except InputError as exc:
        assert exc.reason in {"empty", "binary", "undecodable"}
        return
    assert article.encoding
    assert article.status in {"ok", "not_article", "empty"}
