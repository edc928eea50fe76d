"""Turn the raw bytes of a page into text the way a browser would.

Order (after WHATWG "encoding sniffing"): byte-order mark, then the transport charset, then a
``<meta>`` declaration near the top, then UTF-8 when the bytes are valid UTF-8, then a statistical
guess. Labels are mapped to the encodings browsers actually use (ISO-8859-1 and ASCII mean
windows-1252, GB2312 and GBK mean GB18030, ...). Invalid bytes become U+FFFD instead of failing.
"""

from __future__ import annotations

import codecs
import re

from newsdigest.errors import InputError

# WHATWG label -> (canonical name reported, Python codec). Only labels seen in the wild are listed;
# anything else falls back to Python's own codec lookup.
_WINDOWS_1252 = ("windows-1252", "cp1252")
_GB18030 = ("gb18030", "gb18030")
_LABELS: dict[str, tuple[str, str]] = {}


def _register(names: str, canonical: str, codec: str) -> None:
    for name in names.split():
        _LABELS[name] = (canonical, codec)


_register(
    "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "utf-8",
    "utf-8",
)
_register(
    "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 "
    "iso_8859-1 iso_8859-1:1987 l1 latin1 latin-1 us-ascii windows-1252 x-cp1252 x-user-defined",
    *_WINDOWS_1252,
)
_register(
    "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso-8859-2",
    "iso8859-2",
)
_register("cp1250 windows-1250 x-cp1250", "windows-1250", "cp1250")
_register("cp1251 windows-1251 x-cp1251", "windows-1251", "cp1251")
_register("cp1253 windows-1253 x-cp1253", "windows-1253", "cp1253")
_register(
    "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 "
    "windows-1254 x-cp1254",
    "windows-1254",
    "cp1254",
)
_register("cp1255 windows-1255 x-cp1255", "windows-1255", "cp1255")
_register("cp1256 windows-1256 x-cp1256", "windows-1256", "cp1256")
_register("cp1257 windows-1257 x-cp1257", "windows-1257", "cp1257")
_register("cp1258 windows-1258 x-cp1258", "windows-1258", "cp1258")
_register(
    "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "windows-874",
    "cp874",
)
_register(
    "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    *_GB18030,
)
_register("big5 big5-hkscs cn-big5 csbig5 x-x-big5", "big5", "big5hkscs")
_register(
    "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "shift_jis",
    "cp932",
)
_register("cseucpkdfmtjapanese euc-jp x-euc-jp", "euc-jp", "euc_jp")
_register("csiso2022jp iso-2022-jp", "iso-2022-jp", "iso2022_jp")
_register(
    "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 "
    "windows-949",
    "euc-kr",
    "cp949",
)
_register("cskoi8r koi koi8 koi8-r koi8_r", "koi8-r", "koi8_r")
_register("koi8-ru koi8-u", "koi8-u", "koi8_u")
_register("csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9", "iso-8859-15", "iso8859-15")
_register(
    "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5",
    "iso-8859-5",
    "iso8859-5",
)
_register("greek greek8 iso-8859-7 iso8859-7 iso88597 iso_8859-7 sun_eu_greek", "iso-8859-7", "iso8859-7")
# A page cannot really be UTF-16 if its own ASCII <meta> was readable; browsers then use UTF-8.
_META_UTF16 = {"utf-16", "utf-16le", "utf-16be", "unicodefffe", "unicodefeff", "csunicode", "ucs-2"}
_SINGLE_BYTE = {
    "windows-1252",
    "iso-8859-2",
    "windows-1250",
    "windows-1251",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "windows-874",
    "koi8-r",
    "koi8-u",
    "iso-8859-15",
    "iso-8859-5",
    "iso-8859-7",
}

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


def lookup(label: str | None) -> tuple[str, str] | None:
    """``(canonical name, python codec)`` for an encoding label, or ``None`` when unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _LABELS:
        return _LABELS[key]
    if key in _META_UTF16:
        return ("utf-16", "utf-16")
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if info.name in {"rot-13", "base64", "hex", "zlib", "bz2", "uu", "quopri"}:  # not text encodings
        return None
    return (info.name, info.name)


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


def check_binary(data: bytes) -> None:
    """Raise :class:`InputError` for bytes that are clearly not a text page."""
    head = data[:4096]
    stripped = head.lstrip()
    if any(stripped.startswith(sig) for sig in _MAGIC):
        raise InputError("the input is a binary file, not an HTML page", reason="binary")
    if not head:
        return
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head.count(0) > 0.05 * len(head) or controls > 0.1 * len(head):
        raise InputError("the input is binary data, not an HTML page", reason="binary")


def _guess(data: bytes) -> tuple[str, str]:
    # charset-normalizer ships with requests; imported here so normal pages never pay for it.
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - only when the optional helper is missing
        return _WINDOWS_1252
    best = from_bytes(data[:_GUESS_BYTES]).best()
    found = lookup(best.encoding) if best is not None else None
    if found is None or found[0] in {"utf-16", "utf-16le", "utf-16be", "utf-32"}:
        return _WINDOWS_1252
    return found


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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

    chosen = lookup(http_charset)
    if chosen is None or chosen[0] == "utf-16":
        chosen = lookup(declared_encoding(data))
        if chosen is not None and chosen[0] == "utf-16":
            chosen = ("utf-8", "utf-8")
    is_ascii = data.isascii()
    if chosen is not None:
        if chosen[0] in _SINGLE_BYTE and not is_ascii and _valid_utf8(data):
            # Non-ASCII bytes that form valid UTF-8 are almost never legacy single-byte text: the
            # declaration is a leftover template default, and honouring it would produce mojibake.
            chosen = ("utf-8", "utf-8")
        elif chosen[0] == "utf-8" and not is_ascii and not _valid_utf8(data):
            text = data.decode("utf-8", "replace")
            bad = text.count("\ufffd")
            non_ascii = sum(1 for ch in text if ord(ch) > 127)
            if bad > 16 and bad > 0.3 * non_ascii:
                # Declared UTF-8 but mostly invalid: a lying declaration, so guess instead.
                chosen = _guess(data)
            else:
                return text, "utf-8"
    elif is_ascii or _valid_utf8(data):
        chosen = ("utf-8", "utf-8")
    else:
        chosen = _guess(data)

    name, codec = chosen
    try:
        text = data.decode(codec, "replace")
    except LookupError:
        name, text = "utf-8", data.decode("utf-8", "replace")
    if len(text) > 256 and text.count("\ufffd") > 0.3 * len(text):
        raise InputError(f"the bytes do not decode as text (tried {name})", reason="undecodable")
    return text, name
