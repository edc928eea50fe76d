"""Recognise wire-service datelines at the start of an article's text.

Handled shapes (the location is upper-case or title-case words, the agency a short name):

* TASS / RIA: ``MOSCOW, May 11. /TASS/.``
* Reuters / AP / AFP / dpa: ``LONDON (Reuters) -``, ``WASHINGTON (AP) —``, ``LONDON, Oct 16 (Reuters) -``,
  ``Berlin (dpa) -``
* no agency, capitalised place and a dash: ``NEW YORK — ``
"""

from __future__ import annotations

import re

from newsdigest.extract.dates import month_day
from newsdigest.models import Dateline

_PLACE = r"[A-ZÀ-ÞĀ-Ž][\w.'’À-ž-]*(?:[ ,/][A-ZÀ-ÞĀ-Ž][\w.'’À-ž-]*){0,4}"
_UPPER_PLACE = r"[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž.'’-]+(?:[ /][A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž.'’-]+){0,3}"
_DATE = r"[A-Za-zÀ-ž]{3,10}\.? \d{1,2}|\d{1,2}\.? [A-Za-zÀ-ž]{3,10}\.?"
_AGENCY = r"[A-Za-z][A-Za-z.&/ -]{0,20}?"
_DASH = r"\s*[-–—:]+\s*"

# ``MOSCOW, May 11. /TASS/.``
_SLASHED = re.compile(
    rf"^(?P<loc>{_PLACE}),\s+(?P<date>{_DATE})\.?\s*/(?P<agency>[A-Za-z][\w -]{{0,20}})/\.?"
)
# ``LONDON, Oct 16 (Reuters) -`` / ``WASHINGTON (AP) —``
_PAREN = re.compile(rf"^(?P<loc>{_PLACE})(?:,\s+(?P<date>{_DATE}))?\s*\((?P<agency>{_AGENCY})\){_DASH}")
# ``NEW YORK — `` (no agency: only trusted when the place is in capitals)
_BARE = re.compile(rf"^(?P<loc>{_UPPER_PLACE})(?:,\s+(?P<date>{_DATE}))?\s+[–—-]{{1,2}}\s+(?=\w)")


def _iso(date: str | None, year: int | None) -> str | None:
    if not date:
        return None
    date = date.strip().rstrip(".")
    if year is None:
        return date
    parts = month_day(date)
    if parts is None:
        return date
    month, day = parts
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_dateline(text: str, year: int | None = None) -> Dateline | None:
    """The dateline opening ``text``, if it has one; ``year`` completes a yearless date."""
    head = text.lstrip()[:160]
    for pattern in (_SLASHED, _PAREN, _BARE):
        match = pattern.match(head)
        if not match:
            continue
        location = match.group("loc").strip(" ,")
        if len(location) < 2 or len(location.split()) > 5:
            continue
        agency = match.groupdict().get("agency")
        raw = match.group(0).strip()
        date = match.group("date")
        if date and month_day(date) is None:
            continue
        return Dateline(
            raw=raw,
            location=location,
            date=_iso(date, year),
            agency=agency.strip() if agency else None,
        )
    return None
