"""Discover: for each due source, find article URLs, keep the new ones, queue them for Ingest, paced.

One run reads each due source's documents (the source URL; a homepage's advertised feeds and its
robots.txt sitemaps; a sitemap index's newest children), within :mod:`newsdigest.discovery.limits`.
Every candidate is canonicalised first; the seen-URL records of the candidates are read in batches
(most of what a feed lists was seen on an earlier run), and for each remaining one a conditional put of
its record decides whether it is new (exactly once, whichever source or run lists it again); new URLs
go to the queue with the slot their host's budget gives them. The record is a *pending* claim with a
short life (:data:`limits.PENDING_CLAIM_SECONDS`) until the send to the queue succeeded, and only then becomes
the lasting seen-URL record: a run that dies between claim and send leaves a claim that lapses, and the
next run to list the URL queues it (at worst twice, which the per-article idempotency absorbs), where a
lasting record written before the send would have hidden the article for the record's whole TTL.

Whatever fails for a source (a refused address, a billion-laughs feed, a robots.txt disallow) is
recorded on that source's item and costs no other source anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from newsdigest.aws.observability import MetricUnit, logger, metrics
from newsdigest.discovery import limits
from newsdigest.discovery.candidates import Candidate, newest_first
from newsdigest.discovery.canonical import canonical_url
from newsdigest.discovery.documents import (
    ACCEPT_HEADER,
    ACCEPTED_TYPES,
    GZIP_MAGIC,
    DocumentError,
    gunzip,
    sniff,
)
from newsdigest.discovery.pacing import HostSlots, Pacer, host_interval
from newsdigest.discovery.robots import crawl_delay, sitemap_urls
from newsdigest.discovery.sources import CrawlSource
from newsdigest.errors import NewsdigestError
from newsdigest.fetch.client import FetchResult, Validators
from newsdigest.fetch.policy import FetchSettings
from newsdigest.fetch.robots import RobotsCache
from newsdigest.pipeline.inputs import Source

#: Below this much time left in the invocation no new document is started.
MIN_DOCUMENT_SECONDS = 10.0
#: Longest wait for a host's next free slot (Ingest's queued fetches hold the earlier ones) before a
#: document is left for the next run instead.
MAX_DOCUMENT_WAIT_SECONDS = 30.0


class _HostBusy(Exception):
    """The host's request slots are taken further ahead than a run waits: try the document next run."""


@dataclass(frozen=True, slots=True)
class QueuedUrl:
    url: str  # canonical
    article_id: str
    source_id: str
    host: str
    delay_seconds: int
    not_before: float
    interval: float

    def message(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "article_id": self.article_id,
            "source_id": self.source_id,
            "not_before": round(self.not_before, 3),
            "interval": round(self.interval, 3),
        }


#: What claiming a URL found: ``new`` (claimed now, pending until confirmed), ``seen`` (queued by an
#: earlier run), ``pending`` (claimed by a run that has not confirmed its send, and whose claim has
#: not lapsed yet: looked at again by a later run).
ClaimResult = Literal["new", "seen", "pending"]


class CrawlStore(Protocol):
    def list_sources(self) -> list[CrawlSource]: ...
    def save_state(self, source: CrawlSource) -> None: ...
    def seen_urls(self, urls: Sequence[str]) -> set[str]: ...
    def claim(self, url: str, *, source_id: str, now: float) -> ClaimResult: ...
    def confirm(self, urls: Sequence[str], *, source_id: str, expires: int) -> None: ...
    def release(self, url: str) -> None: ...
    def take_turn(self, host: str, interval: float, now: float) -> float | None: ...
    def host_slot(self, host: str) -> float | None: ...
    def set_host_slot(self, host: str, at: float) -> None: ...
    def validators(self, url: str) -> Validators | None: ...
    def set_validators(self, url: str, validators: Validators, *, expires: int) -> None: ...


class UrlQueue(Protocol):
    def send(self, urls: Sequence[QueuedUrl]) -> list[QueuedUrl]:
        """Queue the URLs; return those that could not be queued."""
        ...


@dataclass(slots=True)
class SourceReport:
    source_id: str
    url: str
    status: str = "ok"
    documents: int = 0
    not_modified: int = 0
    found: int = 0
    seen: int = 0
    #: Claimed by another run that has not confirmed its send yet (or died before it could).
    pending: int = 0
    filtered: int = 0
    disallowed: int = 0
    deferred: int = 0
    queued: list[QueuedUrl] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "url": self.url,
            "status": self.status,
            "documents": self.documents,
            "not_modified": self.not_modified,
            "found": self.found,
            "new": len(self.queued),
            "seen": self.seen,
            "pending": self.pending,
            "filtered": self.filtered,
            "disallowed": self.disallowed,
            "deferred": self.deferred,
            "queued": [
                {"url": q.url, "article_id": q.article_id, "delay": q.delay_seconds} for q in self.queued
            ],
            "errors": self.errors,
        }


Fetcher = Callable[..., FetchResult]


class DiscoverService:
    def __init__(
        self,
        store: CrawlStore,
        queue: UrlQueue,
        fetch_settings: FetchSettings,
        *,
        fetcher: Fetcher | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.queue = queue
        self.fetch_settings = replace(fetch_settings, max_bytes=limits.MAX_DOCUMENT_BYTES)
        self._fetcher = fetcher
        self.clock = clock
        self.robots = RobotsCache()
        self.pacer = Pacer(clock=clock, sleep=sleep, gate=store.take_turn)
        self._slots: dict[str, HostSlots] = {}

    # ---- the run ---------------------------------------------------------------------------------

    def due(self, sources: Iterable[CrawlSource], now: float) -> list[CrawlSource]:
        ready = [s for s in sources if s.enabled and float(s.state.get("next_due_at", 0)) <= now]
        return sorted(ready, key=lambda s: float(s.state.get("next_due_at", 0)))

    def run(
        self, *, seconds: float, source_ids: Sequence[str] | None = None, limit: int | None = None
    ) -> list[SourceReport]:
        """Discover for the due sources (or exactly ``source_ids``, due or not) within ``seconds``."""
        deadline = time.monotonic() + seconds
        now = self.clock()
        sources = self.store.list_sources()
        if source_ids is not None:
            wanted = set(source_ids)
            chosen = [s for s in sources if s.id in wanted and s.enabled]
        else:
            chosen = self.due(sources, now)
        reports = []
        self._slots.clear()
        try:
            for source in chosen:
                if deadline - time.monotonic() < MIN_DOCUMENT_SECONDS:
                    break  # still due: the next run starts with it
                reports.append(self._run_source(source, deadline, limit))
        finally:
            for host, slots in self._slots.items():
                self.store.set_host_slot(host, slots.next_at)
        return reports

    def _run_source(self, source: CrawlSource, deadline: float, limit: int | None) -> SourceReport:
        report = SourceReport(source.id, source.url)
        started = self.clock()
        fresh: list[tuple[str, Validators]] = []
        try:
            candidates = self._collect(source, report, deadline, fresh)
            self._enqueue(source, candidates, report, limit)
        except Exception as exc:  # a bug stays loud in the logs, but costs the other sources nothing
            logger.exception("source failed", extra={"source_id": source.id})
            report.errors.append({"url": source.url, "reason": type(exc).__name__, "message": str(exc)[:500]})
            report.status = "failed"
            self._save(source, report, started)
            raise
        if report.errors:
            report.status = "failed" if report.documents == len(report.errors) else "partial"
        if not report.deferred and not report.pending:
            # Remembered only when every candidate was settled: otherwise a 304 next time would hide
            # the entries this run had to leave for later.
            expires = int(started) + limits.SEEN_TTL_SECONDS
            for url, validators in fresh:
                self.store.set_validators(url, validators, expires=expires)
        self._save(source, report, started)
        metrics.add_metric(name="UrlsQueued", unit=MetricUnit.Count, value=len(report.queued))
        if report.errors:
            metrics.add_metric(name="SourceErrors", unit=MetricUnit.Count, value=len(report.errors))
        logger.info("source discovered", extra={k: v for k, v in report.to_dict().items() if k != "queued"})
        return report

    def _save(self, source: CrawlSource, report: SourceReport, started: float) -> None:
        errors = [{**e, "at": _iso(started)} for e in report.errors]
        kept = (errors + list(source.state.get("errors") or []))[: limits.MAX_ERRORS_KEPT]
        counts = {k: v for k, v in report.to_dict().items() if isinstance(v, int)}
        next_due = int(started) + source.every_minutes * 60
        if report.pending:  # look again once the other run's claims have lapsed, not a week later
            next_due = min(next_due, int(started) + limits.PENDING_CLAIM_SECONDS)
        self.store.save_state(
            source.with_state(
                last_run_at=_iso(started),
                next_due_at=next_due,
                last_status=report.status,
                last_counts=counts,
                errors=kept,
                total_queued=int(source.state.get("total_queued", 0)) + len(report.queued),
            )
        )

    # ---- documents -------------------------------------------------------------------------------

    def _collect(
        self, source: CrawlSource, report: SourceReport, deadline: float, fresh: list[tuple[str, Validators]]
    ) -> list[Candidate]:
        pending: list[tuple[str, str, int]] = [(source.url, source.kind, 0)]
        visited: set[str] = set()
        candidates: list[Candidate] = []
        while pending and report.documents < limits.MAX_DOCUMENTS_PER_SOURCE:
            url, hint, depth = pending.pop(0)
            if url in visited:
                continue
            visited.add(url)
            if deadline - time.monotonic() < MIN_DOCUMENT_SECONDS:
                report.deferred += 1
                break
            try:
                result = self._fetch(source, url, conditional=hint in {"feed", "sitemap", "auto"})
            except _HostBusy:
                report.deferred += 1 + len(pending)
                pending = []
                break
            except NewsdigestError as exc:
                report.documents += 1
                logger.warning("document failed", extra={"url": url, "reason": exc.reason})
                report.errors.append({"url": url, "reason": exc.reason, "message": str(exc)[:500]})
                continue
            report.documents += 1
            try:
                if result.not_modified:
                    report.not_modified += 1
                    continue
                body = result.body
                if body.startswith(GZIP_MAGIC):
                    body = gunzip(body)
                kind = sniff(body, result.content_type)
                if kind == "feed":
                    from newsdigest.discovery.feeds import parse_feed

                    candidates += parse_feed(body, result.final_url)
                    fresh.append((url, result.validators))
                elif kind == "json_feed":
                    from newsdigest.discovery.feeds import parse_json_feed

                    candidates += parse_json_feed(body, result.final_url)
                    fresh.append((url, result.validators))
                elif kind == "sitemap":
                    from newsdigest.discovery.sitemaps import parse_sitemap

                    sitemap = parse_sitemap(body, result.final_url)
                    candidates += sitemap.urls
                    if sitemap.urls:
                        fresh.append((url, result.validators))
                    if depth < limits.MAX_SITEMAP_DEPTH:
                        pending += [(c.url, "sitemap", depth + 1) for c in newest_first(sitemap.children)]
                    elif sitemap.children:
                        raise DocumentError("sitemap indexes nested too deep", reason="sitemap_too_deep")
                elif kind == "html" and depth == 0 and hint in {"auto", "homepage"}:
                    from newsdigest.discovery.homepage import parse_homepage

                    page = parse_homepage(body, result.final_url)
                    feeds = page.feeds[: limits.MAX_FEEDS_PER_HOMEPAGE]
                    robots = self.robots.get(_origin(result.final_url))
                    sitemaps = sitemap_urls(robots) if robots is not None else []
                    pending += [(f, "feed", 1) for f in feeds] + [(s, "sitemap", 1) for s in sitemaps]
                    if not feeds and not sitemaps:
                        candidates += page.links
                else:
                    raise DocumentError(
                        f"not a feed, sitemap or homepage ({result.content_type or 'no content type'})",
                        reason="not_a_source_document",
                    )
            except NewsdigestError as exc:
                logger.warning("document failed", extra={"url": url, "reason": exc.reason})
                report.errors.append({"url": url, "reason": exc.reason, "message": str(exc)[:500]})
        if pending:
            report.deferred += len(pending)
        return candidates

    def _fetch(self, source: CrawlSource, url: str, *, conditional: bool) -> FetchResult:
        from newsdigest.fetch import fetch_url

        fetcher = self._fetcher or fetch_url

        def pace(origin: str) -> None:
            """Before each request of the fetch (robots.txt too): the host's booked slot, the interval
            (Crawl-delay once robots.txt is read) and the host's shared turn."""
            host = urlsplit(origin).netloc.lower()
            slots = self._slots.get(host)
            not_before = slots.next_at if slots is not None else (self.store.host_slot(host) or 0.0)
            interval = self._interval(source, origin)
            if not self.pacer.wait(host, interval, not_before=not_before, budget=MAX_DOCUMENT_WAIT_SECONDS):
                raise _HostBusy(host)

        validators = self.store.validators(url) if conditional else None
        return fetcher(
            url,
            self.fetch_settings,
            robots_cache=self.robots,
            accept=(ACCEPT_HEADER, ACCEPTED_TYPES),
            validators=validators or Validators(),
            pace=pace,
        )

    def _interval(self, source: CrawlSource, url: str) -> float:
        rules = self.robots.get(_origin(url))
        delay = crawl_delay(rules, self.fetch_settings.user_agent) if rules is not None else None
        return host_interval(source.requests_per_minute, delay)

    # ---- new URLs --------------------------------------------------------------------------------

    def _enqueue(
        self, source: CrawlSource, candidates: list[Candidate], report: SourceReport, limit: int | None
    ) -> None:
        cap = min(source.max_new_per_run, limit) if limit else source.max_new_per_run
        expires = int(self.clock()) + limits.SEEN_TTL_SECONDS
        eligible = self._eligible(source, candidates, report)
        batch: list[QueuedUrl] = []
        full_hosts: set[str] = set()
        for start in range(0, len(eligible), limits.SEEN_LOOKUP_CHUNK):
            if len(batch) >= cap:
                report.deferred += len(eligible) - start
                break
            chunk = eligible[start : start + limits.SEEN_LOOKUP_CHUNK]
            seen = self.store.seen_urls([url for url, _ in chunk])
            for url, host in chunk:
                if len(batch) >= cap or host in full_hosts:
                    report.deferred += 1
                    continue
                if url in seen:
                    report.seen += 1
                    continue
                queued = self._claim(source, url, host, report, full_hosts)
                if queued is not None:
                    batch.append(queued)
        failed = self.queue.send(batch) if batch else []
        lost = {f.url for f in failed}
        for url in lost:
            self.store.release(url)
        sent = [q for q in batch if q.url not in lost]
        if sent:  # only now do the claims become lasting seen-URL records
            self.store.confirm([q.url for q in sent], source_id=source.id, expires=expires)
        if failed:
            report.errors.append(
                {
                    "url": source.url,
                    "reason": "queue_failed",
                    "message": f"{len(failed)} URLs could not be queued; retried next run",
                }
            )
        report.queued = sent

    def _eligible(
        self, source: CrawlSource, candidates: list[Candidate], report: SourceReport
    ) -> list[tuple[str, str]]:
        """(canonical URL, host) of the candidates this run may queue, newest first and distinct; what
        is dropped is counted on the report."""
        looked: set[str] = set()
        eligible: list[tuple[str, str]] = []
        for candidate in newest_first(candidates):
            try:
                url = canonical_url(candidate.url)
            except ValueError:
                continue
            if url in looked or urlsplit(url).scheme not in {"http", "https"}:
                continue
            looked.add(url)
            report.found += 1
            if len(looked) > limits.MAX_CANDIDATES_PER_RUN:
                report.deferred += 1
                continue
            if not source.wants(url):
                report.filtered += 1
                continue
            rules = self.robots.get(_origin(url))
            if rules is not None and not rules.can_fetch(self.fetch_settings.user_agent, url):
                report.disallowed += 1
                continue
            eligible.append((url, urlsplit(url).netloc))
        return eligible

    def _claim(
        self, source: CrawlSource, url: str, host: str, report: SourceReport, full_hosts: set[str]
    ) -> QueuedUrl | None:
        """Claim ``url`` and book its host's next slot: the message to send, or None when another run
        holds or sent it, or when the host's slots are booked past SQS's longest delay (then the host
        joins ``full_hosts``)."""
        now = self.clock()
        claimed = self.store.claim(url, source_id=source.id, now=now)
        if claimed == "seen":  # sent by a run since the records were read
            report.seen += 1
            return None
        if claimed == "pending":
            report.pending += 1
            return None
        slots = self._host_slots(source, url, host, now)
        slot = slots.reserve(now)
        if slot is None:
            self.store.release(url)  # not claimed after all: the next run queues it
            full_hosts.add(host)
            report.deferred += 1
            return None
        at, delay = slot
        return QueuedUrl(url, Source.from_url(url).article_id, source.id, host, delay, at, slots.interval)

    def _host_slots(self, source: CrawlSource, url: str, host: str, now: float) -> HostSlots:
        slots = self._slots.get(host)
        interval = self._interval(source, url)
        if slots is None:
            stored = self.store.host_slot(host) or 0.0
            ours = self.pacer.last(host)
            start = max(now, stored, (ours + interval) if ours is not None else 0.0)
            slots = self._slots[host] = HostSlots(interval=interval, next_at=start)
        slots.interval = max(slots.interval, interval)  # the strictest source on a host sets its pace
        return slots


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class DiscoverRequest:
    #: None: every due source (the schedule's tick); else exactly these, due or not.
    source_ids: list[str] | None = None
    #: At most this many new URLs per source in this run (below each source's own limit).
    limit: int | None = None


def parse_discover_event(event: Any) -> DiscoverRequest:
    """EventBridge Scheduler's input (``{"source": "schedule"}``, or anything without ``sources``), or a
    direct invoke ``{"sources": ["<source id>", ...], "limit": N}`` (`newsdigest crawl`)."""
    from newsdigest.errors import InputError

    if not isinstance(event, dict) or "sources" not in event:
        return DiscoverRequest()
    ids = event["sources"]
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids) or len(ids) > 1000:
        raise InputError('"sources" must be a list of source ids', reason="bad_request")
    limit = event.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InputError('"limit" must be a positive whole number', reason="bad_request")
    return DiscoverRequest(source_ids=list(dict.fromkeys(ids)), limit=limit)


def parse_source_specs(text: str) -> list[dict[str, Any]]:
    """Source specs from JSON (the ``Sources`` parameter, a ``--file``): a list of URLs or objects."""
    import json

    from newsdigest.discovery.sources import SourceError

    try:
        data = json.loads(text) if text.strip() else []
    except ValueError as exc:
        raise SourceError(f"sources are not JSON: {exc}", reason="bad_source") from exc
    if isinstance(data, dict):
        data = data.get("sources", [data])
    if not isinstance(data, list):
        raise SourceError("sources must be a JSON list of URLs or source objects", reason="bad_source")
    return [{"url": d} if isinstance(d, str) else d for d in data]


def seed_sources(table: Any, text: str, *, check_address: Any) -> list[str]:
    """Add the template's seed sources never seen before: not those present, nor those the owner
    removed (their tombstones stay). A bad one is logged and skipped, never fatal."""
    from newsdigest.discovery.sources import SourceError, validate_source

    added: list[str] = []
    try:
        specs = parse_source_specs(text)
    except SourceError as exc:
        logger.error("Sources parameter unusable", extra={"reason": exc.reason, "error": str(exc)})
        return added
    for spec in specs:
        try:
            source = validate_source(spec, check_address=check_address)
        except SourceError as exc:
            logger.error("seed source refused", extra={"reason": exc.reason, "error": str(exc)})
            continue
        if table.add(source, revive=False):
            added.append(source.id)
    return added


def public_address_check(
    settings: FetchSettings, *, resolver: Callable[[str, int], list[str]] | None = None
) -> Callable[[str], None] | None:
    """The fetcher's own address policy for a source URL; None when private addresses are allowed.
    ``resolver`` replaces the system's DNS (tests)."""
    if settings.allow_private_addresses:
        return None

    def check(url: str) -> None:
        from newsdigest.fetch.resolver import resolve_allowed
        from newsdigest.fetch.urls import parse_url

        resolve_allowed(parse_url(url), allow_private=False, resolver=resolver)

    return check
