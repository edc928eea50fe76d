"""A source: a site's homepage, a feed or a sitemap, with its schedule, limits and URL patterns.

Validated when added (``SourceError`` with a reason naming what is wrong), stored as one DynamoDB item
(:meth:`CrawlSource.to_item` / :meth:`CrawlSource.from_item`), identified by a short hash of its
canonical URL so that adding the same site twice, however it is written, names one source.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from newsdigest.discovery import limits
from newsdigest.discovery.canonical import canonical_url
from newsdigest.errors import InputError

SourceKind = Literal["auto", "homepage", "feed", "sitemap"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("auto", "homepage", "feed", "sitemap")

_RATE = re.compile(r"^\s*(?:rate\(\s*)?(\d+)\s*([a-z]*)\s*\)?\s*$", re.IGNORECASE)
_UNITS = {
    "": 1,
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hour": 60,
    "hours": 60,
    "d": 1440,
    "day": 1440,
    "days": 1440,
}


class SourceError(InputError):
    """A source that cannot be added: ``reason`` says which field, the message what to change."""

    reason = "bad_source"


def parse_every(value: str | int) -> int:
    """Minutes from ``30``, ``"15m"``, ``"2h"``, ``"1d"`` or EventBridge's ``"rate(15 minutes)"``."""
    if isinstance(value, bool):
        raise SourceError(f"schedule {value!r} is not a rate", reason="bad_schedule")
    if isinstance(value, int):
        minutes = value
    else:
        match = _RATE.match(str(value))
        unit = match.group(2).lower() if match else ""
        if not match or unit not in _UNITS:
            raise SourceError(
                f"schedule {value!r} is not a rate: use minutes, '15m', '2h', '1d' or 'rate(15 minutes)'",
                reason="bad_schedule",
            )
        minutes = int(match.group(1)) * _UNITS[unit]
    if not limits.MIN_EVERY_MINUTES <= minutes <= limits.MAX_EVERY_MINUTES:
        raise SourceError(
            f"schedule of every {minutes} minutes is out of range "
            f"({limits.MIN_EVERY_MINUTES} minutes to {limits.MAX_EVERY_MINUTES // 1440} days)",
            reason="bad_schedule",
        )
    return minutes


def _bounded_int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SourceError(f"{name} must be a whole number", reason=f"bad_{name}")
    try:
        number = int(value)
    except ValueError as exc:
        raise SourceError(f"{name} must be a whole number, got {value!r}", reason=f"bad_{name}") from exc
    if not low <= number <= high:
        raise SourceError(f"{name} must be between {low} and {high}, got {number}", reason=f"bad_{name}")
    return number


def _patterns(name: str, values: Iterable[str] | None) -> tuple[str, ...]:
    patterns = tuple(values or ())
    if len(patterns) > limits.MAX_PATTERNS:
        raise SourceError(f"at most {limits.MAX_PATTERNS} {name} patterns", reason="bad_pattern")
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern or len(pattern) > limits.MAX_PATTERN_LENGTH:
            raise SourceError(
                f"{name} patterns must be regular expressions of 1-{limits.MAX_PATTERN_LENGTH} characters",
                reason="bad_pattern",
            )
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SourceError(
                f"{name} pattern {pattern!r} is not a regular expression: {exc}", reason="bad_pattern"
            ) from exc
    return patterns


def source_id(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class CrawlSource:
    url: str  # canonical
    kind: SourceKind = "auto"
    every_minutes: int = limits.DEFAULT_EVERY_MINUTES
    max_new_per_run: int = limits.DEFAULT_MAX_NEW_PER_RUN
    requests_per_minute: int = limits.DEFAULT_REQUESTS_PER_MINUTE
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    enabled: bool = True
    #: What the last runs left: due time, counters, last errors. Not validated; written by Discover.
    state: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return source_id(self.url)

    @property
    def min_interval(self) -> float:
        """Seconds between two requests to this source's hosts that its own rate allows."""
        return 60.0 / self.requests_per_minute

    def wants(self, url: str) -> bool:
        """Whether ``url`` passes the include (any of, when given) and exclude (none of) patterns."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)

    def to_item(self) -> dict[str, Any]:
        return {
            "source_id": self.id,
            "url": self.url,
            "kind": self.kind,
            "every_minutes": self.every_minutes,
            "max_new_per_run": self.max_new_per_run,
            "requests_per_minute": self.requests_per_minute,
            "include": list(self.include),
            "exclude": list(self.exclude),
            "enabled": self.enabled,
            **dict(self.state),
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> CrawlSource:
        own = {
            "source_id",
            "url",
            "kind",
            "every_minutes",
            "max_new_per_run",
            "requests_per_minute",
            "include",
            "exclude",
            "enabled",
        }
        return cls(
            url=str(item["url"]),
            kind=item.get("kind", "auto"),
            every_minutes=int(item.get("every_minutes", limits.DEFAULT_EVERY_MINUTES)),
            max_new_per_run=int(item.get("max_new_per_run", limits.DEFAULT_MAX_NEW_PER_RUN)),
            requests_per_minute=int(item.get("requests_per_minute", limits.DEFAULT_REQUESTS_PER_MINUTE)),
            include=tuple(item.get("include") or ()),
            exclude=tuple(item.get("exclude") or ()),
            enabled=bool(item.get("enabled", True)),
            state={k: v for k, v in item.items() if k not in own},
        )

    def with_state(self, **changes: Any) -> CrawlSource:
        return replace(self, state={**self.state, **changes})


AddressCheck = Callable[[str], None]

_FIELDS = {
    "url",
    "kind",
    "every",
    "every_minutes",
    "max_new_per_run",
    "requests_per_minute",
    "include",
    "exclude",
    "enabled",
}


def validate_source(spec: Mapping[str, Any], *, check_address: AddressCheck | None = None) -> CrawlSource:
    """A :class:`CrawlSource` from a user's spec (CLI flags, a JSON file, the template parameter).

    ``check_address(url)`` raises ``NewsdigestError`` when the URL's host is not a public address (the
    fetcher's own policy); it is skipped only when the caller allows private addresses (local tests).
    """
    if not isinstance(spec, Mapping):
        raise SourceError("a source is a JSON object with at least a 'url'", reason="bad_source")
    unknown = set(spec) - _FIELDS
    if unknown:
        raise SourceError(f"unknown source field(s): {', '.join(sorted(unknown))}", reason="bad_source")
    raw_url = spec.get("url")
    if not isinstance(raw_url, str) or not raw_url.strip():
        raise SourceError("a source needs a 'url'", reason="bad_url")
    from newsdigest.errors import NewsdigestError
    from newsdigest.fetch.urls import parse_url

    try:
        parse_url(raw_url.strip())  # scheme http(s), a valid host, no credentials: the fetcher's rules
        url = canonical_url(raw_url)
    except NewsdigestError as exc:
        raise SourceError(f"source URL {raw_url[:200]!r}: {exc}", reason=exc.reason) from exc
    except ValueError as exc:
        raise SourceError(f"source URL {raw_url[:200]!r} cannot be parsed: {exc}", reason="bad_url") from exc
    if check_address is not None:
        try:
            check_address(url)
        except NewsdigestError as exc:
            raise SourceError(f"source URL {url!r}: {exc}", reason=exc.reason) from exc
    kind = spec.get("kind", "auto")
    if kind not in SOURCE_KINDS:
        raise SourceError(f"kind must be one of {', '.join(SOURCE_KINDS)}, got {kind!r}", reason="bad_kind")
    every = spec.get("every", spec.get("every_minutes", limits.DEFAULT_EVERY_MINUTES))
    enabled = spec.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourceError("enabled must be true or false", reason="bad_enabled")
    return CrawlSource(
        url=url,
        kind=kind,
        every_minutes=parse_every(every),
        max_new_per_run=_bounded_int(
            "max_new_per_run",
            spec.get("max_new_per_run", limits.DEFAULT_MAX_NEW_PER_RUN),
            1,
            limits.MAX_MAX_NEW_PER_RUN,
        ),
        requests_per_minute=_bounded_int(
            "requests_per_minute",
            spec.get("requests_per_minute", limits.DEFAULT_REQUESTS_PER_MINUTE),
            1,
            limits.MAX_REQUESTS_PER_MINUTE,
        ),
        include=_patterns("include", spec.get("include")),
        exclude=_patterns("exclude", spec.get("exclude")),
        enabled=enabled,
    )
