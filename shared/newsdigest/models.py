"""Plain data passed between the pure logic and the AWS edges.

Everything here is a frozen dataclass with a ``to_dict`` that yields JSON-ready values, so the same
objects serialise to S3, DynamoDB and the CLI without per-caller glue.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ArticleStatus = Literal["ok", "not_article", "empty"]


@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire-service dateline such as ``MOSCOW, May 11. /TASS/.``."""

    raw: str
    location: str | None = None
    date: str | None = None  # as written ("May 11") or ISO when the year is known
    agency: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None
    text: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 date or datetime
    modified: str | None = None
    site_name: str | None = None
    language: str | None = None  # ISO 639-1 code
    canonical_url: str | None = None
    description: str | None = None
    image: str | None = None  # the lead image: og:image, JSON-LD image, else the first figure's
    dateline: Dateline | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    encoding: str | None = None  # the character encoding the bytes were decoded with
    status: ArticleStatus = "ok"
    reason: str | None = None  # why status is not "ok"
    #: What the extractor's cost bounds left out of this page ("title cut to 1000 characters", "page cut
    #: at 20000 elements"); empty for any ordinary page.
    notes: list[str] = field(default_factory=list)
    # The text's blocks with their structure (headings, lists, quotes, tables, code, figures, links,
    # emphasis) as clean HTML and as Markdown.
    html: str = ""
    markdown: str = ""
    # Which path produced ``text``: "cascade" (the rule passes), "baseline", "jsonld", "microdata",
    # "readability" or "paragraph-run" (the second opinions), "none" when no text was found.
    extraction: str = "none"

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["word_count"] = self.word_count
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {name for name in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        dateline = values.get("dateline")
        if isinstance(dateline, dict):
            values["dateline"] = Dateline(**dateline)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Summary:
    sentences: list[str]
    method: str
    language: str  # the language the summariser actually used
    parameters: dict[str, Any] = field(default_factory=dict)
    note: str | None = None  # the notes below in one line, for people
    #: What the summariser could not honour or left out: a fallback language, the part of a long text it
    #: did not read ("text cut to 200000 characters", "first 250 of 6000 sentences ranked").
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
