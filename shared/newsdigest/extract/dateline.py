"""Recognise wire-service datelines at the start of an article's text.

A dateline says where (often when) a story was filed and by which agency. House styles differ, but
they come in a few shapes, and the shapes are what is matched here (no list of agencies):

* agency between slashes after place and date: ``MOSCOW, May 11. /TASS/.``, ``МОСКВА, 11 мая. /ТАСС/.``
* agency in brackets, after a place (and date) or alone, then a dash: ``PARIS (Reuters) -``,
  ``BEIJING, Jan. 3 (Xinhua) --``, ``BERLIN (dpa) -``, ``LONDON, England (CNN) --``,
  ``Madrid, 11 may (EFE).-``, ``(CNN) --``; an agency in capitals alone needs no dash: ``(CNN) The``
* agency named after a dash, then a full stop: ``МОСКВА, 11 мая — РИА Новости.``
* no agency, a place in capitals and a dash: ``NEW YORK —``, ``NEW DELHI, Jan 3 —``

Letters are matched in any script, and case is checked in code (``re`` has no class for upper-case
letters beyond ASCII): places are capitalised words (short lower-case joiners such as ``de`` or ``am``
inside them), agencies one word or capitalised words, with no digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from newsdigest.extract.months import month_day
from newsdigest.models import Dateline

#: Only the opening of a paragraph can hold its dateline.
_HEAD_CHARS = 160
#: A place is at most this many words ("RIO DE JANEIRO", "LONDON, England").
_MAX_PLACE_WORDS = 5
#: Longest agency name in brackets or slashes ("Interfax-Ukraine", "Корр. ТАСС").
_MAX_AGENCY_CHARS = 30
#: Lower-case words this short may join a place's words ("Rio de Janeiro", "Frankfurt am Main").
_MAX_JOINER_CHARS = 3

_LETTER = r"[^\W\d_]"
_NAME = rf"{_LETTER}(?:{_LETTER}|['’.-])*"
_PLACE = rf"{_NAME}(?:(?:,?\s|/){_NAME}){{0,{_MAX_PLACE_WORDS - 1}}}"
_MONTH = rf"{_LETTER}{{3,12}}\.?"
_YEAR = r"(?:,?\s\d{4})?"
_DATE = rf"(?:{_MONTH}\s\d{{1,2}}{_YEAR}|\d{{1,2}}\.?\s{_MONTH}{_YEAR}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}})"
_DASH = r"\s*\.?\s*[-–—]{1,2}"

# The four shapes, tried in this order. Each is compiled the first time a paragraph could hold it:
# compiling them was most of a Summarise cold start's dateline work (about 20 M instructions,
# ``benchmarks/coldstart.py --instructions``), and most paragraphs hold none of the characters a shape
# needs (a slash, a bracket, a dash after a space).
_SHAPES: dict[str, str] = {
    # ``MOSCOW, May 11. /TASS/.``
    "slashed": (
        rf"(?P<loc>{_PLACE})[,.]\s+(?P<date>{_DATE})\.?\s*/(?P<agency>[^/\n]{{2,{_MAX_AGENCY_CHARS}}})/\.?"
    ),
    # ``МОСКВА, 11 мая — РИА Новости.``
    "dashed": (
        rf"(?P<loc>{_PLACE})[,.]\s+(?P<date>{_DATE})\.?\s+[-–—]\s+(?P<agency>{_NAME}(?:\s{_NAME}){{0,2}})\.(?=\s)"
    ),
    # ``LONDON, Oct 16 (Reuters) -``, ``(CNN) --``, ``(CNN) The``
    "bracketed": (
        rf"(?:(?P<loc>{_PLACE})(?:,\s+(?P<date>{_DATE}))?\s*)?"
        rf"\((?P<agency>[^()\n]{{1,{_MAX_AGENCY_CHARS}}})\)(?P<dash>{_DASH})?(?=\s|$)"
    ),
    # ``NEW YORK —`` (no agency: only trusted when the place is in capitals)
    "bare": rf"(?P<loc>{_PLACE})(?:,\s+(?P<date>{_DATE}))?\s+[-–—]{{1,2}}(?=\s+[\w\"“„«‘'(])",
}
_SPACED_DASH = re.compile(r"\s[-–—]")


def _spaced_dash(head: str) -> bool:
    """Whether a dash follows a space in ``head`` (the dashed and bare shapes need one)."""
    return _SPACED_DASH.search(head) is not None


#: What a paragraph's head must hold for each shape to match it (a cheaper test than the match).
_MAY_HOLD: dict[str, Callable[[str], bool]] = {
    "slashed": lambda head: "/" in head,
    "dashed": _spaced_dash,
    "bracketed": lambda head: "(" in head,
    "bare": _spaced_dash,
}


@cache
def _shape(kind: str) -> re.Pattern[str]:
    return re.compile(_SHAPES[kind])


_YEAR_SUFFIX = re.compile(r",?\s(\d{4})$")


def _is_place(text: str, *, capitals: bool) -> bool:
    """Capitalised words; with ``capitals``, the place itself in capitals and what follows a comma (its
    region) capitalised: ``NEW YORK``, ``SEOUL, South Korea``."""
    words = re.split(r"[\s,/]+", text.strip(" ,"))
    if not words or len(words) > _MAX_PLACE_WORDS or len(text) < 2:
        return False
    in_capitals = len(re.split(r"[\s/]+", text.split(",", 1)[0].strip()))
    for i, word in enumerate(words):
        if word[:1].isupper():
            if capitals and i < in_capitals and word != word.upper():
                return False
            continue
        inner = 0 < i < len(words) - 1
        if not (inner and word.isalpha() and len(word) <= _MAX_JOINER_CHARS):
            return False
    return True


def _is_agency(text: str, *, alone: bool) -> bool:
    """One word ("dpa", "Xinhua", "Interfax-Ukraine") or capitalised words ("Корр. ТАСС"), no digits.

    ``alone``: the agency opens the paragraph without a dash ("(CNN) The ..."), which is only trusted
    for a name in capitals, as a bracketed word at a paragraph's start can be an aside too.
    """
    text = text.strip()
    if not text or not text[0].isalpha() or any(ch.isdigit() for ch in text):
        return False
    if alone:
        return len(text) >= 2 and text.isalpha() and text.isupper()
    words = text.split()
    return len(words) == 1 or (len(words) <= 3 and all(w[:1].isupper() for w in words))


def _iso(date: str | None, year: int | None) -> str | None:
    if not date:
        return None
    date = date.strip().rstrip(".")
    written_year = _YEAR_SUFFIX.search(date)
    if written_year:
        year = int(written_year.group(1))
        date_part = date[: written_year.start()]
    else:
        date_part = date
    parts = month_day(date_part)
    if parts is None or year is None:
        return date
    month, day = parts
    return f"{year:04d}-{month:02d}-{day:02d}"


def _valid(kind: str, match: re.Match[str]) -> bool:
    location = match.group("loc")
    agency = match.groupdict().get("agency")
    if kind == "bracketed":
        alone = location is None and not match.group("dash")
        if location is not None and not match.group("dash"):
            return False  # "Apple (the company) said": a place and a bracket are a dateline only with a dash
        if not _is_agency(agency or "", alone=alone):
            return False
    elif agency is not None and not _is_agency(agency, alone=False):
        return False
    if location is not None and not _is_place(location, capitals=kind == "bare"):
        return False
    date = match.groupdict().get("date")
    # Without an agency, a date written with a month name must name a month ("NEW YORK, May 11 —"), as
    # the agency is what makes the other shapes certain ("11 травня" is a month this table lacks).
    return not (
        kind == "bare" and date and not date[0].isdigit() and month_day(_YEAR_SUFFIX.sub("", date)) is None
    )


def _match(kind: str, head: str) -> re.Match[str] | None:
    match = _shape(kind).match(head) if _MAY_HOLD[kind](head) else None
    return match if match and _valid(kind, match) else None


def _first_match(head: str) -> tuple[str, re.Match[str]] | None:
    for kind in _SHAPES:
        match = _match(kind, head)
        if match:
            return kind, match
    return None


def parse_dateline(text: str, year: int | None = None) -> Dateline | None:
    """The dateline opening ``text``, if it has one; ``year`` completes a yearless date."""
    head = text.lstrip()[:_HEAD_CHARS]
    found = _first_match(head)
    if found is None:
        return None
    kind, match = found
    raw = match.group(0).strip()
    location, date = match.group("loc"), match.groupdict().get("date")
    if kind == "bracketed" and location is None:
        # Agency first, place after: "(ANSA) - ROMA, 11 MAG -".
        rest = head[match.end() :]
        after = _match("bare", rest.lstrip())
        if after:
            raw = f"{raw} {after.group(0).strip()}"
            location, date = after.group("loc"), after.group("date")
    agency = match.groupdict().get("agency")
    return Dateline(
        raw=raw,
        location=location.strip(" ,") if location else None,
        date=_iso(date, year),
        agency=agency.strip() if agency else None,
    )
