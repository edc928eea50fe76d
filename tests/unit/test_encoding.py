"""Byte decoding follows the browser order: BOM, transport charset, <meta>, UTF-8, guess."""

from __future__ import annotations

import pytest
from newsdigest import extract_article
from newsdigest.errors import InputError
from newsdigest.extract.encoding import declared_encoding, decode_html, lookup


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>T</title></head><body><article><p>{body}</p></article></body></html>"


GERMAN = "Größere Straßenbäume säumen die Allee, sagte der Bürgermeister über die Maßnahme. " * 4
CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy, řekl ředitel Šťastný v Českých Budějovicích. " * 4
CHINESE = "新华社北京电，国务院总理在人民大会堂会见了来访的代表团，双方就合作交换了意见。" * 4


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("ISO-8859-1", "windows-1252"),
        ("latin1", "windows-1252"),
        ("us-ascii", "windows-1252"),
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("UTF8", "utf-8"),
        ("Shift_JIS", "shift_jis"),
        ("windows-1250", "windows-1250"),
        ("iso-8859-2", "iso-8859-2"),
    ],
)
def test_labels_map_like_whatwg(label: str, expected: str) -> None:
    found = lookup(label)
    assert found is not None
    assert found[0] == expected


def test_unknown_label_is_none() -> None:
    assert lookup("no-such-charset") is None
    assert lookup("base64") is None


def test_windows_1252_page_via_meta() -> None:
    raw = _page(GERMAN + " – “quoted” €5", '<meta charset="iso-8859-1">').encode("cp1252")
    article = extract_article(raw)
    assert article.encoding == "windows-1252"
    assert "Größere Straßenbäume" in article.text
    assert "“quoted” €5" in article.text  # cp1252-only characters under an ISO-8859-1 label


def test_windows_1250_page_via_http_equiv() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">'
    article = extract_article(_page(CZECH, head).encode("cp1250"))
    assert article.encoding == "windows-1250"
    assert "Příliš žluťoučký kůň" in article.text


def test_gb2312_label_decodes_as_gb18030() -> None:
    # A character outside GB2312 proper (GBK/GB18030 only) must survive too: browsers use GB18030.
    text = CHINESE + "镕"
    article = extract_article(_page(text, '<meta charset="gb2312">').encode("gb18030"))
    assert article.encoding == "gb18030"
    assert "国务院总理在人民大会堂" in article.text
    assert "镕" in article.text


def test_http_charset_beats_meta() -> None:
    raw = _page(CZECH, '<meta charset="utf-8">').encode("cp1250")
    assert extract_article(raw, http_charset="windows-1250").encoding == "windows-1250"


def test_bom_beats_everything() -> None:
    raw = b"\xef\xbb\xbf" + _page(GERMAN, '<meta charset="windows-1252">').encode("utf-8")
    text, encoding = decode_html(raw, http_charset="iso-8859-1")
    assert encoding == "utf-8"
    assert "Größere" in text


def test_utf16_with_bom() -> None:
    raw = _page(GERMAN).encode("utf-16")
    article = extract_article(raw)
    assert article.encoding in {"utf-16le", "utf-16be"}
    assert "Straßenbäume" in article.text


def test_undeclared_utf8() -> None:
    text, encoding = decode_html(_page(CZECH).encode("utf-8"))
    assert encoding == "utf-8"
    assert "žluťoučký" in text


def test_undeclared_legacy_bytes_are_guessed() -> None:
    text, encoding = decode_html(_page(GERMAN * 3).encode("cp1252"))
    assert encoding != "utf-8"
    assert "Straßenbäume" in text


def test_declared_latin1_but_really_utf8() -> None:
    # A template default left in the <meta>; the bytes are valid UTF-8 with multi-byte letters.
    text, encoding = decode_html(_page(GERMAN, '<meta charset="iso-8859-1">').encode("utf-8"))
    assert encoding == "utf-8"
    assert "Größere" in text


def test_stray_invalid_bytes_are_replaced() -> None:
    raw = _page(GERMAN, '<meta charset="utf-8">').encode("utf-8").replace(b"Allee", b"Al\xffee")
    text, encoding = decode_html(raw)
    assert encoding == "utf-8"
    assert "Al\ufffdee" in text
    assert "Größere" in text


def test_meta_after_a_long_head_is_found() -> None:
    head = "<script>" + "var x = 1;" * 400 + "</script>" + '<meta charset="windows-1250">'
    assert declared_encoding(_page(CZECH, head).encode("cp1250")) == "windows-1250"


@pytest.mark.parametrize(
    "payload",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x1f\x8b\x08\x00" + bytes(200),
    ],
)
def test_binary_formats_are_refused(payload: bytes) -> None:
    with pytest.raises(InputError) as info:
        extract_article(payload)
    assert info.value.reason == "binary"


def test_random_binary_is_refused() -> None:
    blob = bytes((i * 37 + 11) % 256 for i in range(5000))
    with pytest.raises(InputError) as info:
        extract_article(blob)
    assert info.value.reason == "binary"
