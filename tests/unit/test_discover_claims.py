"""Exactly once without losing anything, no AWS: a URL is claimed as pending, sent, then confirmed; a
run that dies anywhere in between leaves at worst a duplicate send, never a lost article."""

from __future__ import annotations

from typing import Any

import pytest
from newsdigest.discovery import limits
from newsdigest.discovery.sources import validate_source
from newsdigest.fetch.policy import FetchSettings
from newsdigest.pipeline.discover import DiscoverService

from tests.unit.memory_store import MemoryQueue, MemoryStore
from tests.unit.test_discovery_pacing import Clock, Site, _feed

URLS = [f"https://a.example/2024/05/story-{i}" for i in range(3)]
FEED = "https://a.example/feed"


class Crash(BaseException):
    """The process dying (timeout, out of memory): no ``except Exception`` of ours sees it."""


class CrashingQueue(MemoryQueue):
    def send(self, urls: Any) -> list[Any]:
        raise Crash


class ConfirmCrash(MemoryStore):
    def confirm(self, urls: Any, *, source_id: str, expires: int) -> None:
        raise Crash


def _setup(store_type: type[MemoryStore] = MemoryStore) -> tuple[Site, MemoryStore, Clock, str]:
    site = Site({FEED: _feed(URLS)}, {"https://a.example": "User-agent: *\n"})
    source = validate_source({"url": FEED, "requests_per_minute": 600, "every": "1d"})
    return site, store_type([source]), Clock(), source.id


def _run(site: Site, store: MemoryStore, queue: MemoryQueue, clock: Clock, source_id: str) -> Any:
    service = DiscoverService(
        store, queue, FetchSettings(), fetcher=site.fetcher(clock), clock=clock, sleep=clock.sleep
    )
    (report,) = service.run(seconds=60, source_ids=[source_id])
    return report


def test_a_run_that_dies_between_claim_and_send_loses_no_url() -> None:
    site, store, clock, source_id = _setup()
    with pytest.raises(Crash):
        _run(site, store, CrashingQueue(), clock, source_id)
    assert [store.state_of(u) for u in URLS] == ["pending"] * 3  # claimed, never sent

    # The next tick, while the dead run's claims still stand: not queued, not counted as seen, and
    # the feed's validators are not kept (a 304 must not hide these URLs from the next look).
    clock.now += 300
    queue = MemoryQueue()
    report = _run(site, store, queue, clock, source_id)
    assert queue.sent == [] and report.pending == 3 and report.seen == 0
    assert FEED not in store.documents
    due = store.sources[source_id].state["next_due_at"]
    assert due <= clock.now + limits.PENDING_CLAIM_SECONDS  # looked at again soon, not in a day

    # Once the claims have lapsed, the next run queues every URL and makes the records lasting.
    clock.now = due + 1
    report = _run(site, store, queue, clock, source_id)
    assert sorted(q.url for q in queue.sent) == URLS and report.pending == 0
    assert [store.state_of(u) for u in URLS] == ["queued"] * 3
    assert _run(site, store, MemoryQueue(), clock, source_id).seen == 3


def test_a_run_that_dies_after_the_send_costs_a_duplicate_send_not_a_lost_article() -> None:
    site, store, clock, source_id = _setup(ConfirmCrash)
    queue = MemoryQueue()
    with pytest.raises(Crash):
        _run(site, store, queue, clock, source_id)
    assert sorted(q.url for q in queue.sent) == URLS
    first_ids = {q.article_id for q in queue.sent}

    fixed = MemoryStore(store.list_sources())
    fixed.claims = store.claims
    clock.now += limits.PENDING_CLAIM_SECONDS + 1
    report = _run(site, fixed, queue, clock, source_id)
    assert len(report.queued) == 3
    # The same article ids again: Ingest's idempotency and Summarise's conditional write absorb it.
    assert {q.article_id for q in report.queued} == first_ids


def test_a_url_whose_send_failed_is_released_and_queued_by_the_next_run() -> None:
    site, store, clock, source_id = _setup()
    queue = MemoryQueue()
    queue.refuse = {URLS[1]}
    report = _run(site, store, queue, clock, source_id)
    assert [e["reason"] for e in report.errors] == ["queue_failed"]
    assert [store.state_of(u) for u in URLS] == ["queued", None, "queued"]
    queue.refuse = set()
    clock.now += 60
    again = _run(site, store, queue, clock, source_id)
    assert [q.url for q in again.queued] == [URLS[1]] and again.seen == 2


def test_known_urls_are_read_in_batches_and_only_the_others_claimed() -> None:
    urls = [f"https://a.example/2024/05/story-{i}" for i in range(250)]
    site = Site({FEED: _feed(urls)}, {"https://a.example": "User-agent: *\n"})
    source = validate_source({"url": FEED, "requests_per_minute": 600, "max_new_per_run": 1000})
    store, clock = MemoryStore([source]), Clock()
    new = set(urls[::25])  # ten the feed lists for the first time
    for url in set(urls) - new:
        store.claims[url] = ("queued", clock.now + limits.SEEN_TTL_SECONDS)
    queue = MemoryQueue()
    report = _run(site, store, queue, clock, source.id)
    assert {q.url for q in queue.sent} == new and report.seen == 240
    assert store.lookups == [100, 100, 50]  # three reads for 250 entries
    assert sorted(store.claimed) == sorted(new)  # a conditional write only for what looked new


def test_a_run_that_reaches_its_cap_reads_no_further_than_the_chunk_it_is_in() -> None:
    urls = [f"https://a.example/2024/05/story-{i}" for i in range(500)]
    site = Site({FEED: _feed(urls)}, {"https://a.example": "User-agent: *\n"})
    source = validate_source({"url": FEED, "requests_per_minute": 600, "max_new_per_run": 30})
    store, clock = MemoryStore([source]), Clock()
    report = _run(site, store, MemoryQueue(), clock, source.id)
    assert len(report.queued) == 30 and report.deferred == 470
    assert store.lookups == [limits.SEEN_LOOKUP_CHUNK] and len(store.claimed) == 30
