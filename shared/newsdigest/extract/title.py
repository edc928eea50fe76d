"""Pick the article title and strip the site-name decorations pages add to it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Separators between the headline and the site/section names: spaced dashes, pipes, etc.
_SEPARATORS = re.compile(r"\s+[-–—|·•»«/]\s+|\s*\|\s*|\s+::\s+")
_KEY = re.compile(r"[\W_]+", re.UNICODE)


def _key(text: str) -> str:
    return _KEY.sub("", text.casefold())


def _site_keys(site_name: str | None, url: str | None) -> set[str]:
    keys: set[str] = set()
    if site_name:
        keys.add(_key(site_name))
    if url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # a page URL that is no URL (an upload's metadata says "http://[")
            host = ""
        parts = [p for p in host.split(".") if p not in {"www", "m", "amp", "mobile"}]
        if len(parts) >= 2:
            keys.add(_key(parts[-2]))
            keys.add(_key("".join(parts[-2:])))
        keys.update(_key(p) for p in parts[:-1] if len(p) > 3)
    keys.discard("")
    return keys


def _is_site_part(part: str, site_keys: set[str]) -> bool:
    key = _key(part)
    if not key:
        return True
    return any(
        key == s or (len(s) >= 4 and (s in key or key in s) and len(key) <= 2 * len(s) + 6) for s in site_keys
    )


def clean_title(
    raw: str | None,
    *,
    site_name: str | None = None,
    url: str | None = None,
    headings: list[str] | None = None,
) -> str | None:
    """``raw`` without " - Site" / "Site | " decorations; a matching ``<h1>`` settles ambiguity."""
    if not raw:
        return None
    raw = " ".join(raw.split())
    if not raw:
        return None
    headings = headings or []
    heading_keys = {_key(h): h for h in headings if h}
    if _key(raw) in heading_keys:
        return raw
    parts = [p for p in _SEPARATORS.split(raw) if p and p.strip()]
    if len(parts) == 1:
        return raw
    # A heading equal to a run of the parts is the intended title.
    run = _heading_run([_key(p) for p in parts], heading_keys)
    if run is not None:
        return run
    site_keys = _site_keys(site_name, url)
    kept = [p for p in parts if not _is_site_part(p, site_keys)]
    if not kept:
        return raw
    if len(kept) < len(parts):
        # Rebuild from the original to keep the author's own separators between the kept parts.
        return _rejoin(raw, kept)
    # No part names the site: drop short trailing parts (section/site names) after a longer headline.
    first = kept[0]
    if len(kept) >= 2 and len(first.split()) >= 3 and all(len(p.split()) <= 3 for p in kept[1:]):
        return first.strip()
    if len(kept) >= 2 and len(kept[-1].split()) >= 3 and all(len(p.split()) <= 3 for p in kept[:-1]):
        return kept[-1].strip()
    return raw


def _heading_run(keys: list[str], heading_keys: dict[str, str]) -> str | None:
    """The heading whose key is the key of a run of parts (not all of them), preferring the earliest
    run start and then the longest run; ``keys`` are the parts' keys.

    A part's key is the key of its text, so a run's key is its parts' keys joined: runs are found by
    offset in that joined string, in time linear in the parts for each heading (comparing every run's
    own join was cubic: a <title> of 800 "|"-separated parts took 17 s).
    """
    joined = "".join(keys)
    ends: dict[int, list[int]] = {}  # offset in ``joined`` -> indices of the parts ending there
    offset = 0
    starts: list[int] = []
    for index, key in enumerate(keys):
        starts.append(offset)
        offset += len(key)
        ends.setdefault(offset, []).append(index + 1)
    candidates = [key for key in heading_keys if len(key) > 3]
    for i, start in enumerate(starts):
        best: tuple[int, str] | None = None
        for key in candidates:
            if not joined.startswith(key, start):
                continue
            stops = [j for j in ends.get(start + len(key), ()) if (i, j) != (0, len(keys))]
            if stops and (best is None or max(stops) > best[0]):
                best = (max(stops), key)
        if best is not None:
            return heading_keys[best[1]]
    return None


def _rejoin(raw: str, kept: list[str]) -> str:
    start = raw.find(kept[0])
    end_part = kept[-1]
    end = raw.rfind(end_part) + len(end_part)
    if 0 <= start < end:
        return raw[start:end].strip()
    return " - ".join(kept)


def choose_title(
    candidates: list[str], *, site_name: str | None, url: str | None, headings: list[str]
) -> str | None:
    """The first candidate that cleans to something, preferring one confirmed by a heading."""
    cleaned = [
        c
        for c in (clean_title(raw, site_name=site_name, url=url, headings=headings) for raw in candidates)
        if c
    ]
    heading_keys = {_key(h) for h in headings}
    for title in cleaned:
        if _key(title) in heading_keys:
            return title
    site_keys = _site_keys(site_name, url)
    for title in cleaned:
        key = _key(title)
        for heading in headings:
            hkey = _key(heading)
            # "Kicker: Headline" or "Headline : Blog name" around the page's own <h1>.
            if len(hkey) >= 12 and hkey in key and len(hkey) >= 0.4 * len(key):
                return heading
    if (
        cleaned
        and headings
        and _is_site_part(cleaned[0], site_keys)
        and not _is_site_part(headings[0], site_keys)
    ):
        return headings[0]  # the <title> only names the site; the heading names the article
    if cleaned:
        return cleaned[0]
    return headings[0] if headings else None
