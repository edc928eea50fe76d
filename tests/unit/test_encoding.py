"""Byte decoding follows the browser order: BOM, transport charset, <meta>, UTF-8, guess."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


# --- only the WHATWG Encoding Standard's labels -----------------------------------------------------

#: Labels Python's codec registry knows and no browser does: each would decode the page as something
#: else (UTF-7 and EBCDIC hide markup from a browser's reading; ``undefined`` and ``idna`` raise).
NOT_WHATWG = ["utf-7", "unicode-1-1-utf-7", "cp037", "ebcdic-cp-us", "cp500", "idna", "punycode",
              "undefined", "utf-32", "rot13", "base64", "latin-1", "utf_8", "utf\x008", "\x00",
              "mbcs"]  # fmt: skip


@pytest.mark.parametrize("label", NOT_WHATWG)
def test_labels_outside_the_standard_are_unknown(label: str) -> None:
    assert lookup(label) is None


@pytest.mark.parametrize("label", NOT_WHATWG)
def test_an_unknown_label_falls_back_to_sniffing_from_http_or_meta(label: str) -> None:
    raw = _page(GERMAN, f'<meta charset="{label}">').encode("utf-8")
    assert decode_html(raw, http_charset=label) == (raw.decode("utf-8"), "utf-8")
    legacy = _page(GERMAN * 3, f'<meta charset="{label}">').encode("cp1252")
    text, encoding = decode_html(legacy, http_charset=label)
    assert encoding != "utf-8" and "Straßenbäume" in text


def test_the_standards_table_is_used_whole() -> None:
    # Labels the old hand list lacked, each mapped as the standard says.
    assert lookup("x-mac-cyrillic") == lookup("x-mac-ukrainian")
    assert lookup("ibm866") is not None and lookup("ibm866").name == "ibm866"  # type: ignore[union-attr]
    assert lookup(" \tWINDOWS-1251\n") is not None
    assert lookup("dos-874").name == "windows-874"  # type: ignore[union-attr]


def test_labels_no_browser_decodes_are_an_unsupported_charset() -> None:
    with pytest.raises(InputError) as info:
        decode_html(_page(GERMAN).encode("utf-8"), http_charset="iso-2022-kr")
    assert info.value.reason == "unsupported_charset"
    assert info.value.permanent


def test_x_user_defined_in_a_meta_means_windows_1252() -> None:
    raw = _page(GERMAN * 3, '<meta charset="x-user-defined">').encode("cp1252")
    text, encoding = decode_html(raw)
    assert encoding == "windows-1252" and "Straßenbäume" in text


@settings(max_examples=300)
@given(label=st.text(max_size=24), body=st.binary(max_size=200))
def test_no_charset_label_raises_anything_but_an_input_error(label: str, body: bytes) -> None:
    page = b"<html><head><meta charset=" + label.encode("utf-8", "replace")[:40] + b"></head><body>" + body
    try:
        text, encoding = decode_html(page, http_charset=label)
    except InputError:
        return
    assert isinstance(text, str) and lookup(encoding) is not None
