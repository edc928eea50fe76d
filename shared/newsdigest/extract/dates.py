"""Parse the many ways pages write dates into ISO 8601.

Only plausible publication dates are accepted (years 1990-2099) so that phone numbers, prices and
ids do not turn into dates. Output is ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS][offset]`` keeping
the page's own offset: the calendar day the outlet printed is what a reader expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from newsdigest.extract.months import MONTH_WORD, MONTHS

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?",
    re.I,
)
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(?!\d)")
_SLASH_YMD = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<![\d.])(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})(?![\d])")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+)?({MONTH_WORD})\.?,?\s*(?:de\s+)?(\d{{4}})(?!\d)",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)({MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)",
    re.I,
)
_TIME_AFTER = re.compile(r"^[,\s]*(?:[-|–@,]|um|at|à|a las|alle|às|o)?\s*(\d{1,2})[:h.](\d{2})(?!\d)", re.I)
_URL_DATE = re.compile(
    r"(?<![\d])(20\d{2}|19\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?![\d])|(?<![\d])(20\d{2})(\d{2})(\d{2})(?![\d])"
)


def _month_matches(pattern: re.Pattern[str], text: str, group: int) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, keeping only matches whose ``group`` is a month name."""
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        if match.group(group).lower() in MONTHS:
            yield match
            pos = match.end()
        else:
            pos = match.start() + 1


def _valid(year: int, month: int, day: int) -> bool:
    if not (1990 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return True


def _fmt(
    year: int,
    month: int,
    day: int,
    *,
    hour: int | None = None,
    minute: int | None = None,
    second: int | None = None,
    tz: str | None = None,
) -> str:
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if hour is not None and minute is not None and hour < 24 and minute < 60:
        out += f"T{hour:02d}:{minute:02d}"
        if second is not None and second < 60:
            out += f":{second:02d}"
        if tz:
            tz = tz.upper()
            if tz in {"Z", "UTC", "GMT"}:
                out += "Z"
            else:
                digits = tz[1:].replace(":", "")
                out += f"{tz[0]}{digits[:2]}:{digits[2:4]}"
    return out


def parse_date(value: str | None, *, allow_numeric_dmy: bool = True) -> str | None:
    """An ISO 8601 string for the first plausible date in ``value``, else ``None``."""
    if not value:
        return None
    value = value.strip()[:200]
    if not value:
        return None
    if value.isascii() and value.isdigit() and len(value) in (10, 13):  # "²" is a digit int() refuses
        seconds = int(value[:10])
        stamp = datetime.fromtimestamp(seconds, tz=UTC)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ") if 1990 <= stamp.year <= 2099 else None
    match = _ISO.search(value)
    if match:
        y, mo, d = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if _valid(y, mo, d):
            hour = int(match.group(4)) if match.group(4) else None
            minute = int(match.group(5)) if match.group(5) else None
            second = int(match.group(6)) if match.group(6) else None
            return _fmt(y, mo, d, hour=hour, minute=minute, second=second, tz=match.group(7))
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        match = next(_month_matches(pattern, value, 2 if order == "dmy" else 1), None)
        if match:
            if order == "dmy":
                d, mo, y = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
            else:
                mo, d, y = MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
            if _valid(y, mo, d):
                return _with_time(value[match.end() :], y, mo, d)
    match = _SLASH_YMD.search(value)
    if match:
        y, mo, d = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if _valid(y, mo, d):
            return _with_time(value[match.end() :], y, mo, d)
    if allow_numeric_dmy:
        match = _DMY.search(value)
        if match:
            a, b, y = int(match.group(1)), int(match.group(2)), int(match.group(3))
            if y < 100:
                y += 2000
            # Day first is the norm outside the US; fall back to month first only when forced.
            if _valid(y, b, a):
                return _with_time(value[match.end() :], y, b, a)
            if _valid(y, a, b):
                return _with_time(value[match.end() :], y, a, b)
    match = _COMPACT.search(value)
    if match:
        y, mo, d = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if _valid(y, mo, d):
            hour = int(match.group(4)) if match.group(4) else None
            minute = int(match.group(5)) if match.group(5) else None
            return _fmt(y, mo, d, hour=hour, minute=minute)
    return None


def _with_time(rest: str, y: int, mo: int, d: int) -> str:
    match = _TIME_AFTER.match(rest[:30])
    if match:
        return _fmt(y, mo, d, hour=int(match.group(1)), minute=int(match.group(2)))
    return _fmt(y, mo, d)


def date_from_url(url: str | None) -> str | None:
    """A ``YYYY-MM-DD`` day encoded in a URL path (``/2019/10/16/``, ``-20191016-``), if any."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else ""
    for match in _URL_DATE.finditer(path):
        groups = [g for g in match.groups() if g]
        y, mo, d = (int(g) for g in groups[:3])
        if _valid(y, mo, d):
            return _fmt(y, mo, d)
    return None


_DMY_FULL = re.compile(
    r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)|(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"
)


def find_dates(text: str, limit: int = 20) -> list[tuple[int, str]]:
    """``(position, ISO day)`` of explicit full dates (with a four-digit year) written in ``text``."""
    found: list[tuple[int, str]] = []
    scans = (
        _ISO.finditer(text),
        _month_matches(_DAY_MONTH_YEAR, text, 2),
        _month_matches(_MONTH_DAY_YEAR, text, 1),
        _DMY_FULL.finditer(text),
    )
    for matches in scans:
        for match in matches:
            iso = parse_date(match.group(0))
            if iso:
                found.append((match.start(), iso[:10]))
            if len(found) >= 4 * limit:
                break
    found.sort()
    return found[:limit]
