"""How much of one page the extractor reads, whatever it holds: the cost bound no page can break.

Each cap is applied before the step it protects, keeps the start of what it cuts (the article, its
metadata and its headline come first in a page), and is recorded in ``Article.notes`` with the short
stable text beside it. The figures are well above anything on the extraction development sets (their
largest values are quoted), so no real page is cut; ``benchmarks/hostile.py`` measures what each
cap saves on the hostile inputs it was set for.
"""

from __future__ import annotations

#: Bytes of a page decoded; the rest is dropped at a character boundary. Largest development page:
#: 1.6 MB (the fetcher's own cap is 5 MB, an upload may be anything). Guards decoding and parsing.
MAX_PAGE_BYTES = 4_000_000
#: Characters of markup parsed when the page arrives as text (the same bound as above).
MAX_HTML_CHARS = 4_000_000
#: Start tags parsed; the page is cut before the next one. Every element costs every pass (100,000
#: headings took 2-8 s); the development pages have at most 10,126.
MAX_ELEMENTS = 20_000
#: Attributes kept per element, in order. libxml2 compares each new attribute with all the earlier
#: ones (40,000 on one element took 18 s to parse); the development pages have at most 70.
MAX_ATTRIBUTES = 256
#: Characters of a title candidate (<title>, og:title and the like, JSON-LD headline, <h1>) read, and
#: of the one-line fields (site name, section, each tag). Title cleaning compares runs of a title's
#: parts; the longest development <title> has 258 characters.
MAX_TITLE_CHARS = 1_000
#: Characters kept of any other metadata value (<meta> content, the description): what an item can
#: carry, and what the tag and date parsers read. Longest development value: 25,352.
MAX_FIELD_CHARS = 50_000
#: Characters of the canonical URL kept (the fetcher refuses longer URLs).
MAX_URL_CHARS = 8_192
#: Characters of one byline read, and bylines read per source: a byline names a few people (at most
#: ten names are kept), so a longer text is not one.
MAX_BYLINE_CHARS = 1_000
#: JSON-LD blocks read, and characters of JSON-LD parsed in all. Development pages: at most 28 blocks
#: and 52,219 characters.
MAX_JSONLD_BLOCKS = 100
MAX_JSONLD_CHARS = 1_000_000
#: Elements examined as candidates for each metadata source: <h1> headings, <time> elements,
#: rel=author links, elements whose class or id names a date or a byline. Each costs a text or
#: ancestor walk; the development pages have at most 59 <h1>, 81 <time> and 16 rel=author.
MAX_CANDIDATES = 200


def add_note(notes: list[str] | None, note: str) -> None:
    """Record ``note`` once in ``notes`` (None: the caller keeps no notes)."""
    if notes is not None and note not in notes:
        notes.append(note)


def cut(value: str, limit: int, what: str, notes: list[str] | None) -> str:
    """``value`` within ``limit`` characters; a cut is noted as "<what> cut to <limit> characters"."""
    if len(value) <= limit:
        return value
    add_note(notes, f"{what} cut to {limit} characters")
    return value[:limit]
