"""Turn the raw bytes of a page into text the way a browser would.

Order (after WHATWG "encoding sniffing"): byte-order mark, then the transport charset, then a
``<meta>`` declaration near the top, then UTF-8 when the bytes are valid UTF-8, then a statistical
guess. Only the labels of the WHATWG Encoding Standard are honoured, through its label table as the
``webencodings`` package keeps it (the one html5lib uses): ISO-8859-1 and ASCII mean windows-1252,
GB2312 means GBK, which decodes as GB18030. Any other label (UTF-7, EBCDIC, Python's ``idna``,
``punycode`` or ``undefined`` codecs, a label holding NUL) is unknown and the next step decides, as in
a browser. Invalid bytes become U+FFFD instead of failing.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from typing import NamedTuple

import webencodings

from newsdigest.errors import InputError


class Encoding(NamedTuple):
    name: str  # the standard's name, reported as Article.encoding
    codec: codecs.CodecInfo


#: The standard's legacy single-byte encodings (its section 9): bytes that are valid UTF-8 under one
#: of these labels are a template's leftover default, not text in it.
_SINGLE_BYTE = frozenset(
    [
        "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6", "iso-8859-7",
        "iso-8859-8", "iso-8859-8-i", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15",
        "iso-8859-16", "koi8-r", "koi8-u", "macintosh", "windows-874", "windows-1250", "windows-1251",
        "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256", "windows-1257",
        "windows-1258", "x-mac-cyrillic",
    ]
)  # fmt: skip
_UTF16 = frozenset({"utf-16le", "utf-16be"})
#: The standard decodes GBK with the GB18030 decoder (Python's gbk codec lacks GB18030's characters).
_GB18030 = Encoding("gb18030", codecs.lookup("gb18030"))
_UTF8 = Encoding("utf-8", codecs.lookup("utf-8"))
_WINDOWS_1252 = Encoding("windows-1252", codecs.lookup("cp1252"))
#: Labels of encodings no browser decodes (ISO-2022-KR, HZ, ...): the standard maps them to
#: "replacement", whose decoder yields one U+FFFD for the whole input, so nothing can be read.
_REPLACEMENT = "replacement"


def _encoding(found: webencodings.Encoding) -> Encoding:
    if found.name == "gbk":
        return _GB18030
    return Encoding(found.name, found.codec_info)


def lookup(label: str | None) -> Encoding | None:
    """The standard's encoding for a label, or ``None`` when the label is not one of its labels."""
    if not label or not label.isascii():  # every label of the standard is ASCII
        return None
    found = webencodings.lookup(label.strip().strip("\"'"))
    return _encoding(found) if found is not None else None


@cache
def _by_python_name() -> dict[str, Encoding]:
    """Python codec name -> the standard's encoding decoded by that codec (for the guesser's names)."""
    table: dict[str, Encoding] = {}
    for name in sorted(set(webencodings.LABELS.values())):
        if name in {_REPLACEMENT, "x-user-defined"}:
            continue
        found = webencodings.lookup(name)
        if found is not None:
            table.setdefault(found.codec_info.name, _encoding(found))
    return table


def _from_guess(name: str) -> Encoding | None:
    try:
        python_name = codecs.lookup(name).name
    except LookupError:
        return None
    return lookup(name) or _by_python_name().get(python_name)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16be", "utf-16-be"),
)
# Signatures of common non-text formats that are sometimes served in place of a page.
_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"OggS",
    b"ID3",
    b"fLaC",
    b"wOFF",
    b"wOF2",
    b"\x00asm",
    b"SQLite format 3",
    b"\xd0\xcf\x11\xe0",
    b"RIFF",
)

# <meta charset=x> and <meta http-equiv=content-type content="...; charset=x"> in one pattern.
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,400}?charset\s*=\s*["']?\s*([a-z0-9_.:+-]{1,40})""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-z0-9_.:+-]{1,40})""", re.I)
_PRESCAN_BYTES = 16384  # browsers look at 1 KB; real pages often bury the tag under inline scripts
_GUESS_BYTES = 65536  # enough for a statistical guess, bounded so huge pages stay cheap


def declared_encoding(data: bytes) -> str | None:
    """The charset label declared by a ``<meta>`` (or XML declaration) near the top, if any."""
    head = data[:_PRESCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_DECL.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _looks_utf16(sample: bytes) -> str | None:
    """Detect BOM-less UTF-16 by its NULs sitting on every other byte."""
    if len(sample) < 64:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


_BINARY_CONTROLS = bytes([*range(0, 9), *range(14, 32)])  # C0 controls a text page does not hold


def check_binary(data: bytes) -> None:
    """Raise :class:`InputError` for bytes that are clearly not a text page."""
    head = data[:4096]
    stripped = head.lstrip()
    if any(stripped.startswith(sig) for sig in _MAGIC):
        raise InputError("the input is a binary file, not an HTML page", reason="binary")
    if not head:
        return
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))  # counted in C
    if head.count(0) > 0.05 * len(head) or controls > 0.1 * len(head):
        raise InputError("the input is binary data, not an HTML page", reason="binary")


def _guess(data: bytes) -> Encoding:
    # charset-normalizer ships with requests; imported here so normal pages never pay for it.
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - only when the optional helper is missing
        return _WINDOWS_1252
    best = from_bytes(data[:_GUESS_BYTES]).best()
    # The guesser knows every Python codec; a browser can only land on the standard's encodings.
    found = _from_guess(best.encoding) if best is not None else None
    if found is None or found.name in _UTF16:
        return _WINDOWS_1252
    return found


def _utf8_text(data: bytes) -> str | None:
    """``data`` decoded as UTF-8, or ``None`` when it is not valid UTF-8 (decoded once: the test is
    the decoding)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_html(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, canonical encoding name)``.

    Raises :class:`InputError` (``binary``/``undecodable``) for input that is not text at all.
    """
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), name
    utf16 = _looks_utf16(data[:4096])
    if utf16 is not None:
        return data.decode(utf16, "replace"), utf16.replace("-", "", 1)
    check_binary(data)

    chosen = _from_transport(lookup(http_charset))
    if chosen is None:
        chosen = lookup(declared_encoding(data))
        if chosen is not None and chosen.name in _UTF16:
            chosen = _UTF8  # an ASCII-compatible <meta> read as such cannot be UTF-16: the standard's rule
        elif chosen is not None and chosen.name == "x-user-defined":
            chosen = _WINDOWS_1252  # the standard's rule for a <meta> too
    if chosen is not None and chosen.name == _REPLACEMENT:
        raise InputError(
            "the page declares an encoding no browser decodes (ISO-2022-KR, HZ or the like)",
            reason="unsupported_charset",
        )
    is_ascii = data.isascii()
    utf8: str | None = None  # the page's text when its bytes were found to be valid UTF-8
    if chosen is not None:
        if (
            (chosen.name in _SINGLE_BYTE or chosen.name == "x-user-defined")
            and not is_ascii
            and (utf8 := _utf8_text(data)) is not None
        ):
            # Non-ASCII bytes that form valid UTF-8 are almost never legacy single-byte text: the
            # declaration is a leftover template default, and honouring it would produce mojibake.
            chosen = _UTF8
        elif chosen.name == "utf-8" and not is_ascii and (utf8 := _utf8_text(data)) is None:
            text = data.decode("utf-8", "replace")
            bad = text.count("\ufffd")
            non_ascii = sum(1 for ch in text if ord(ch) > 127)
            if bad > 16 and bad > 0.3 * non_ascii:
                # Declared UTF-8 but mostly invalid: a lying declaration, so guess instead.
                chosen = _guess(data)
            else:
                return text, "utf-8"
    elif is_ascii or (utf8 := _utf8_text(data)) is not None:
        chosen = _UTF8
    else:
        chosen = _guess(data)

    text = utf8 if utf8 is not None and chosen.name == "utf-8" else chosen.codec.decode(data, "replace")[0]
    if len(text) > 256 and text.count("\ufffd") > 0.3 * len(text):
        raise InputError(f"the bytes do not decode as text (tried {chosen.name})", reason="undecodable")
    return text, chosen.name


def _from_transport(found: Encoding | None) -> Encoding | None:
    """The HTTP (or S3) charset as used: UTF-16 without its byte pattern (checked before) is a wrong
    label, so the page's own declaration decides instead."""
    if found is not None and found.name in _UTF16:
        return None
    return found
