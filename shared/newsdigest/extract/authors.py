"""Turn byline strings ("By Jane Doe and John Roe | 12 May 2020") into clean author names."""

from __future__ import annotations

import re

from newsdigest.extract.limits import MAX_BYLINE_CHARS, MAX_CANDIDATES, add_note, cut

#: Authors kept per article.
MAX_NAMES = 10

# "By" in the languages of the pages we see; matched only at the start of a byline.
_BY = re.compile(
    r"^(?:(?:written|posted|text|words|reported|story|photos?|von|by|par|por|di|da|de|door|av|af|"
    r"od|przez|autor(?:in)?|author|auteur|autore|texto|testo|tekst|redakcja|écrit par|publié par|"
    r"escrito por|scritto da|geschrieben von|interview|(?:erstellt|eingestellt|verfasst|beitrag)\s*von)\b"
    r"[\s:]*)+",
    re.I,
)
_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\bog\b|\boch\b|\ben\b)\s*", re.I
)
_NOISE = re.compile(
    r"https?://\S+|\S+@\S+|\(\S*\)|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|\bupdated?\b.*$|"
    r"\bpublished\b.*$|\bveröffentlicht\b.*$|\baktualisiert\b.*$",
    re.I,
)
# Field labels that bylines and comment forms print where a name would go.
_LABELS = frozenset(
    [
        "name",
        "author",
        "authors",
        "autor",
        "autoren",
        "autorin",
        "auteur",
        "auteurs",
        "autore",
        "autori",
        "by",
    ]
)
_TRAILING = re.compile(r"\s+(?:at|am|um|on|says|sagt|schreibt|dit|escribió)$", re.I)
_HAS_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_HANDLE = re.compile(r"\s+@\w+$")
_GUILLEMETS = " -–—:·•,.|*»«›‹"


def _clean_one(name: str) -> str | None:
    name = " ".join(name.split()).strip(" -–—:·•,.|")
    name = _BY.sub("", name).strip(_GUILLEMETS)
    name = _HANDLE.sub("", _TRAILING.sub("", name)).strip(_GUILLEMETS)
    if not name or not _HAS_LETTER.search(name) or name.casefold() in _LABELS:
        return None
    # One letter is an initial or a stray label, not a name; digits inside a several-word "name"
    # are a reading time or a date ("ca. 8 Min", "on September 21"), while a one-word user handle
    # may carry digits.
    if sum(ch.isalnum() for ch in name) < 2 or (" " in name and any(ch.isdigit() for ch in name)):
        return None
    if len(name) > 60 or len(name.split()) > 6 or name.startswith(("http", "@", "www.")):
        return None
    if sum(ch.isdigit() for ch in name) > 3:
        return None
    return name


def clean_authors(
    values: list[str], site_name: str | None = None, notes: list[str] | None = None
) -> list[str]:
    """Distinct cleaned names from raw author strings, in order; drops URLs, dates and "By".

    Reads the first ``MAX_CANDIDATES`` strings and ``MAX_BYLINE_CHARS`` of each (a cut is noted in
    ``notes``), and stops at ``MAX_NAMES`` names.
    """
    names: list[str] = []
    seen: set[str] = set()
    site = site_name.casefold() if site_name else None
    if len(values) > MAX_CANDIDATES:
        add_note(notes, f"author candidates cut to {MAX_CANDIDATES}")
    for value in values[:MAX_CANDIDATES]:
        if len(names) >= MAX_NAMES:
            break
        if not value or value.startswith(("http://", "https://")):
            continue
        byline = cut(value, MAX_BYLINE_CHARS, "byline", notes)
        cleaned = _BY.sub("", " ".join(_NOISE.sub(" ", byline).split()))
        for part in _SPLIT.split(cleaned):
            name = _clean_one(part)
            if not name:
                continue
            key = name.casefold()
            if key in seen or (site is not None and key == site and len(values) > 1):
                continue
            seen.add(key)
            names.append(name)
    return names[:MAX_NAMES]
