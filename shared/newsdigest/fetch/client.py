"""``fetch_url``: the guarded GET used by the ingest pipeline.

Order of checks for every hop (the first request and each redirect):
parse/normalise the URL -> scheme -> resolve and check EVERY address -> robots.txt -> connect to
the checked address -> status -> content type -> body streamed under size and deadline caps.

Errors: permanent refusals and failures raise ``FetchError``; throttling, 5xx, timeouts and
connection failures that survive the retries raise ``TransientError`` (``permanent = False``) so
the pipeline leaves the SQS message to be retried.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from newsdigest.errors import FetchError, TransientError
from newsdigest.fetch.body import ACCEPT_ENCODING, ACCEPTED_TYPES, looks_like_html, parse_content_type
from newsdigest.fetch.policy import FetchSettings
from newsdigest.fetch.resolver import Resolver, resolve_allowed
from newsdigest.fetch.robots import DEFAULT_CACHE, RobotsCache, Rules, rules_from_response
from newsdigest.fetch.transport import ConnectOverride, Deadline, Exchange, open_exchange
from newsdigest.fetch.urls import ParsedURL, parse_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: RFC 9309 asks crawlers to follow at least five redirects for robots.txt.
ROBOTS_MAX_REDIRECTS = 5
#: A name with many addresses gets this many connection attempts, not one per address.
MAX_CONNECT_ATTEMPTS = 3
_PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
_ROBOTS_ACCEPT = "text/plain,*/*;q=0.1"
NOT_MODIFIED = 304


@dataclass(frozen=True, slots=True)
class Validators:
    """A cached copy's ``ETag`` and ``Last-Modified``: sent back as a conditional GET (RFC 9110 13.1),
    which the server may answer ``304 Not Modified`` with no body."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        found = {}
        if self.etag:
            found["If-None-Match"] = self.etag
        if self.last_modified:
            found["If-Modified-Since"] = self.last_modified
        return found


@dataclass(frozen=True, slots=True)
class FetchResult:
    requested_url: str
    final_url: str
    status: int
    #: Lower-case MIME type; "text/html" when the server sent none and the body sniffed as HTML.
    content_type: str
    #: From the Content-Type header only (lower case); the extractor decides on meta tags.
    charset: str | None
    body: bytes
    #: Each redirect target in order, normalised; empty when the first response was final.
    redirects: list[str] = field(default_factory=list)
    elapsed_ms: int = 0
    #: What to send next time for a conditional GET (``status`` 304: nothing changed, ``body`` empty).
    validators: Validators = field(default_factory=Validators)

    @property
    def not_modified(self) -> bool:
        return self.status == NOT_MODIFIED


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


@dataclass(frozen=True, slots=True)
class _Final:
    status: int
    content_type: str
    charset: str | None
    body: bytes
    validators: Validators = field(default_factory=Validators)


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(
    value: str | None, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    # RFC 9110 delta-seconds are ASCII digits; str.isdigit() would also accept "¹" or "٣".
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


#: A Content-Length with more digits than this is past any size cap (and past what int() will parse
#: from a string: 4,300 digits); it is read as this many bytes' worth instead of being converted.
_LENGTH_DIGITS = 18


def content_length(value: str | None) -> int | None:
    """Bytes announced by a Content-Length header; ``None`` when absent or not a plain decimal number
    (RFC 9110: 1*DIGIT, ASCII only, so "²" is not one), which is then read like a body without one."""
    if value is None:
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    digits = value.lstrip("0") or "0"
    return 10**_LENGTH_DIGITS if len(digits) > _LENGTH_DIGITS else int(digits)


def _redirect_target(current: ParsedURL, location: str) -> ParsedURL:
    """The URL a ``Location`` sends ``current`` to, checked like any URL; ``bad_redirect`` when it
    cannot be resolved at all (``http://[``, ``//[x]y/``), as a browser would stop with an error."""
    try:
        joined = urljoin(current.url, location)
    except ValueError as exc:
        raise FetchError(
            f"redirect from {current.origin} to an invalid URL {location[:200]!r}: {exc}",
            reason="bad_redirect",
        ) from exc
    return parse_url(joined)


def fetch_url(
    url: str,
    settings: FetchSettings,
    *,
    resolver: Resolver | None = None,
    sleep: Callable[[float], None] | None = None,
    robots_cache: RobotsCache | None = None,
    connect_override: ConnectOverride | None = None,
    accept: tuple[str, frozenset[str]] | None = None,
    validators: Validators | None = None,
    pace: Callable[[str], None] | None = None,
) -> FetchResult:
    """Fetch one HTML page under the safety policy in ``settings``.

    ``resolver`` maps ``(host, port)`` to address strings (default ``socket.getaddrinfo``);
    ``sleep`` is the backoff sleep (tests pass a recorder); ``robots_cache`` defaults to one cache
    per process. ``connect_override`` is a test hook: after a (public) address passed the policy,
    dial the mapped loopback ``(ip, port)`` instead; it can only point at loopback.
    ``accept`` is ``(Accept header, accepted MIME types)`` for documents other than HTML pages (feeds,
    sitemaps); ``validators`` make the request conditional, and a 304 answer is then a result.
    ``pace(origin)`` is called before each request is sent (robots.txt, retries and redirect hops
    included), so a per-host pace covers every request; whatever it raises ends the fetch unretried.
    """
    fetcher = _Fetcher(
        settings,
        resolver=resolver,
        sleep=sleep or time.sleep,
        robots_cache=robots_cache or DEFAULT_CACHE,
        connect_override=connect_override,
        accept=accept,
        validators=validators,
        pace=pace,
    )
    return fetcher.fetch(url)


class _Fetcher:
    def __init__(
        self,
        settings: FetchSettings,
        *,
        resolver: Resolver | None,
        sleep: Callable[[float], None],
        robots_cache: RobotsCache,
        connect_override: ConnectOverride | None,
        accept: tuple[str, frozenset[str]] | None = None,
        validators: Validators | None = None,
        pace: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.pace = pace
        self.accept_header, self.accepted_types = accept or (_PAGE_ACCEPT, ACCEPTED_TYPES)
        self.html_only = accept is None
        self.validators = validators
        self.resolver = resolver
        self.sleep = sleep
        self.robots_cache = robots_cache
        self.connect_override = connect_override
        self.deadline = Deadline(settings.total_timeout)

    def fetch(self, url: str) -> FetchResult:
        current = parse_url(url)
        redirects: list[str] = []
        while True:
            if self.settings.respect_robots:
                self._check_robots(current)
            outcome = self._with_retries(current)
            if isinstance(outcome, _Final):
                return FetchResult(
                    requested_url=url,
                    final_url=current.url,
                    status=outcome.status,
                    content_type=outcome.content_type,
                    charset=outcome.charset,
                    body=outcome.body,
                    redirects=redirects,
                    elapsed_ms=self.deadline.elapsed_ms(),
                    validators=outcome.validators,
                )
            if len(redirects) >= self.settings.max_redirects:
                raise FetchError(
                    f"more than {self.settings.max_redirects} redirects from {url}",
                    reason="too_many_redirects",
                )
            # Every hop is parsed and checked from scratch: scheme, host spelling, addresses, robots.
            current = _redirect_target(current, outcome.location)
            redirects.append(current.url)

    # --- one hop with retries -------------------------------------------------------------------

    def _with_retries(self, current: ParsedURL) -> _Redirect | _Final:
        attempt = 0
        while True:
            retry_after: float | None = None
            if self.pace is not None:
                self.pace(current.origin)
            try:
                return self._attempt(current, robots=False)
            except _RetryableStatus as exc:
                error = TransientError(f"HTTP {exc.status} from {current.origin}", reason="http_error")
                retry_after = exc.retry_after
            except TransientError as exc:
                error = exc
            if attempt >= self.settings.max_retries:
                raise error
            delay = self.settings.backoff_base * 2**attempt
            if retry_after is not None:
                delay = max(delay, retry_after)
            if delay > self.settings.max_retry_wait:
                # Waiting minutes inside a Lambda invocation is worse than letting SQS redeliver.
                raise TransientError(
                    f"{error} (next retry would wait {delay:.0f}s; leaving it to the queue)",
                    reason=error.reason,
                )
            if delay >= self.deadline.remaining():
                raise TransientError(f"{error} (no time left to retry)", reason=error.reason)
            self.sleep(delay)
            attempt += 1

    def _attempt(self, current: ParsedURL, *, robots: bool) -> _Redirect | _Final:
        exchange = self._open(current, robots=robots)
        try:
            status = exchange.status
            if status in REDIRECT_STATUSES:
                location = exchange.header("Location")
                if not location:
                    raise FetchError(
                        f"HTTP {status} without Location from {current.origin}", reason="http_error"
                    )
                return _Redirect(location)
            if status in RETRY_STATUSES or 500 <= status < 600:
                raise _RetryableStatus(status, parse_retry_after(exchange.header("Retry-After")))
            if robots:
                if not 200 <= status < 300:
                    return _Final(status, "", None, b"")
                body = exchange.read_body(max_bytes=self.settings.robots_max_bytes, truncate=True)
                return _Final(status, "text/plain", None, body)
            if status == NOT_MODIFIED and self.validators is not None:
                return _Final(status, "", None, b"", self.validators)
            if not 200 <= status < 300:
                raise FetchError(f"HTTP {status} from {current.url}", reason="http_error")
            return self._read_page(current, exchange, status)
        finally:
            exchange.close()

    def _read_page(self, current: ParsedURL, exchange: Exchange, status: int) -> _Final:
        mime, charset = parse_content_type(exchange.header("Content-Type"))
        if mime is not None and mime not in self.accepted_types:
            raise FetchError(
                f"content type {mime[:60]!r} from {current.url} is not "
                + ("HTML" if self.html_only else "one of " + ", ".join(sorted(self.accepted_types))),
                reason="content_type_not_allowed",
            )
        length = content_length(exchange.header("Content-Length"))
        if length is not None and length > self.settings.max_bytes:
            # Refuse before reading a byte of body.
            raise FetchError(
                f"Content-Length {length} exceeds {self.settings.max_bytes} bytes", reason="too_large"
            )
        body = exchange.read_body(max_bytes=self.settings.max_bytes)
        validators = Validators(exchange.header("ETag"), exchange.header("Last-Modified"))
        if mime is None and not self.html_only:
            mime = ""  # the caller sniffs the document it asked for
        if mime is None:
            if not looks_like_html(body):
                raise FetchError(
                    f"{current.url} sent no content type and does not look like HTML",
                    reason="content_type_not_allowed",
                )
            mime = "text/html"
        return _Final(status, mime, charset, body, validators)

    def _open(self, current: ParsedURL, *, robots: bool) -> Exchange:
        addresses = resolve_allowed(
            current, allow_private=self.settings.allow_private_addresses, resolver=self.resolver
        )
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": _ROBOTS_ACCEPT if robots else self.accept_header,
            "Accept-Encoding": ACCEPT_ENCODING,
            "Connection": "close",
        }
        if self.validators is not None and not robots:
            headers.update(self.validators.headers())
        last: TransientError | None = None
        for address in addresses[:MAX_CONNECT_ATTEMPTS]:
            try:
                return open_exchange(
                    current,
                    address,
                    headers=headers,
                    connect_timeout=self.settings.connect_timeout,
                    read_timeout=self.settings.read_timeout,
                    deadline=self.deadline,
                    ca_certs=self.settings.ca_certs,
                    connect_override=self.connect_override,
                )
            except TransientError as exc:
                if exc.reason != "connect_failed":
                    raise
                last = exc
        assert last is not None  # resolve_allowed never returns an empty list
        raise last

    # --- robots.txt -----------------------------------------------------------------------------

    def _check_robots(self, current: ParsedURL) -> None:
        rules = self.robots_cache.get(current.origin)
        if rules is None:
            rules = self._load_robots(current)
            if rules is None:
                return
            self.robots_cache.put(current.origin, rules)
        if not rules.can_fetch(self.settings.user_agent, current.url):
            raise FetchError(
                f"robots.txt of {current.origin} disallows {current.target}", reason="robots_disallowed"
            )

    def _load_robots(self, current: ParsedURL) -> Rules | None:
        """Rules for ``current``'s origin; ``None`` (allow, not cached) when policy blocked the file."""
        target = parse_url(current.origin + "/robots.txt")
        for _ in range(ROBOTS_MAX_REDIRECTS + 1):
            if self.pace is not None:  # outside the handlers below: what it raises ends the fetch as is
                self.pace(target.origin)
            try:
                outcome = self._attempt(target, robots=True)
                if isinstance(outcome, _Final):
                    return rules_from_response(outcome.status, outcome.body)
                target = _redirect_target(target, outcome.location)
            except (_RetryableStatus, TransientError) as exc:
                # RFC 9309: an unreachable robots.txt means "assume disallowed for now"; SQS retries.
                raise TransientError(
                    f"robots.txt of {current.origin} unavailable: {exc}", reason="robots_unavailable"
                ) from exc
            except FetchError:
                # The file itself was refused (its host or a redirect was outside policy, bad URL...):
                # no robots rules we may read. The page request is checked on its own merits.
                return None
        return rules_from_response(None, b"")
