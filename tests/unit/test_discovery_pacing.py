"""Per-host pacing arithmetic, no network or AWS: the interval a host gets, the slots and whole-second SQS
delays its URLs get, the process-level pacer, and the delays one Discover run hands out across hosts."""

from __future__ import annotations

import math
from typing import Any
from urllib.robotparser import RobotFileParser

import pytest
from newsdigest.discovery import limits
from newsdigest.discovery.pacing import HostSlots, Pacer, host_interval
from newsdigest.discovery.sources import validate_source
from newsdigest.fetch.client import FetchResult
from newsdigest.fetch.policy import FetchSettings
from newsdigest.pipeline.discover import DiscoverService

from tests.unit.memory_store import MemoryQueue, MemoryStore


@pytest.mark.parametrize(
    ("per_minute", "crawl_delay", "interval"),
    [
        (30, None, 2.0),  # our own rate
        (30, 5, 5.0),  # robots.txt asks for more: it wins
        (600, 1, 1.0),
        (30, 0, 2.0),  # Crawl-delay 0 asks for nothing
        (1, None, 60.0),
        (30, 3600, limits.MAX_HOST_INTERVAL_SECONDS),  # an hour's Crawl-delay would stall the run
    ],
)
def test_host_interval_is_the_stricter_of_our_rate_and_crawl_delay(
    per_minute: int, crawl_delay: float | None, interval: float
) -> None:
    assert host_interval(per_minute, crawl_delay) == interval


def test_slots_are_one_interval_apart_and_delays_the_whole_seconds_before_them() -> None:
    slots = HostSlots(interval=2.0, next_at=100.0)
    assert [slots.reserve(100.0) for _ in range(4)] == [(100.0, 0), (102.0, 2), (104.0, 4), (106.0, 6)]
    assert slots.next_at == 108.0
    # A sub-second interval keeps its rate: four slots a second, exactly, whatever the delays round
    # to (down: a message comes up to a second early and Ingest waits for its slot, never late).
    fast = HostSlots(interval=0.25, next_at=100.5)
    booked = [fast.reserve(100.0) for _ in range(10)]
    assert [at for at, _ in booked] == [100.5 + 0.25 * i for i in range(10)]
    assert [delay for _, delay in booked] == [0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    # A slot already past starts at once.
    idle = HostSlots(interval=1.5, next_at=90.0)
    assert idle.reserve(100.0) == (100.0, 0) and idle.next_at == 101.5


def test_a_slot_past_sqs_longest_delay_is_refused_and_books_nothing() -> None:
    slots = HostSlots(interval=60.0, next_at=0.0)
    booked = [slots.reserve(0.0) for _ in range(limits.MAX_DELAY_SECONDS // 60 + 1)]
    assert [delay for _, delay in booked] == list(range(0, limits.MAX_DELAY_SECONDS + 1, 60))
    booked = slots.next_at
    assert slots.reserve(0.0) is None
    assert slots.next_at == booked


class Clock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_pacer_waits_out_the_interval_and_an_earlier_booking() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    assert pacer.wait("a.example", 2.0) and clock.slept == []  # first request: at once
    assert pacer.wait("a.example", 2.0) and clock.slept == [2.0]
    assert pacer.wait("b.example", 2.0) and clock.slept == [2.0]  # another host: its own budget
    assert pacer.wait("a.example", 2.0, not_before=clock.now + 5) and clock.slept == [2.0, 5.0]
    assert pacer.last("a.example") == clock.now


def test_the_pacer_refuses_a_wait_past_its_budget_without_sleeping_or_booking() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    pacer.wait("a.example", 1.0)
    before = pacer.last("a.example")
    assert not pacer.wait("a.example", 1.0, not_before=clock.now + 40, budget=30)
    assert clock.slept == [] and pacer.last("a.example") == before


def test_containers_sharing_a_hosts_turn_never_ask_it_closer_than_its_interval() -> None:
    # Two Ingest containers and Discover, each with its own pacer; the host's turn is shared (the
    # crawl-state table's conditional write). A message delivered late sits next to the following one:
    # its slot was planned 2 s earlier, yet the second container must still wait out the interval.
    clock, store = Clock(), MemoryStore()
    first, second, discover = (Pacer(clock=clock, sleep=clock.sleep, gate=store.take_turn) for _ in range(3))
    asked: list[float] = []
    assert first.wait("a.example", 2.0, not_before=clock.now - 2.0)  # planned for 998, delivered at 1000
    asked.append(clock.now)
    clock.now += 0.3
    assert second.wait("a.example", 2.0, not_before=clock.now)  # its own slot has come: 1000.3
    asked.append(clock.now)
    assert discover.wait("a.example", 2.0)  # Discover's next document
    asked.append(clock.now)
    assert asked == [1000.0, 1002.0, 1004.0]
    # A turn that would come past the caller's budget is not taken, and nothing is slept.
    slept = len(clock.slept)
    assert not first.wait("a.example", 2.0, budget=1.0)
    assert len(clock.slept) == slept and store.turns["a.example"] == 1004.0


def _robots(text: str) -> RobotFileParser:
    rules = RobotFileParser()
    rules.parse(text.splitlines())
    return rules


def _feed(urls: list[str]) -> bytes:
    items = "".join(f"<item><link>{u}</link></item>" for u in urls)
    return f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


class Site:
    """Documents by URL, robots.txt rules by origin: what fetch_url would have answered."""

    def __init__(self, documents: dict[str, bytes], robots: dict[str, str]) -> None:
        self.documents = documents
        self.robots = robots
        self.fetched: list[tuple[str, float]] = []

    def fetcher(self, clock: Clock) -> Any:
        def fetch(url: str, settings: Any, *, robots_cache: Any, pace: Any, **_: Any) -> FetchResult:
            for origin, text in self.robots.items():  # as if read before: no robots.txt request
                robots_cache.put(origin, _robots(text))
            pace("/".join(url.split("/")[:3]))  # fetch_url calls it before each request
            self.fetched.append((url, clock.now))
            body = self.documents[url]
            return FetchResult(url, url, 200, "application/rss+xml", None, body)

        return fetch


def _service(site: Site, store: MemoryStore, queue: MemoryQueue, clock: Clock) -> DiscoverService:
    return DiscoverService(
        store, queue, FetchSettings(), fetcher=site.fetcher(clock), clock=clock, sleep=clock.sleep
    )


def test_one_run_spaces_each_hosts_urls_by_its_own_interval_and_books_the_rest_for_later_runs() -> None:
    a = [f"https://a.example/2024/05/story-{i}" for i in range(5)]
    b = [f"https://b.example/2024/05/story-{i}" for i in range(3)]
    site = Site(
        {"https://a.example/feed": _feed(a + b)},
        {"https://a.example": "User-agent: *\nCrawl-delay: 3\n", "https://b.example": "User-agent: *\n"},
    )
    source = validate_source({"url": "https://a.example/feed", "requests_per_minute": 30})
    store, queue, clock = MemoryStore([source]), MemoryQueue(), Clock()
    (report,) = _service(site, store, queue, clock).run(seconds=60)
    delays = {q.url: q.delay_seconds for q in queue.sent}
    # a.example asks for 3 s and its feed was just fetched (at 1000): its first page waits 3 s.
    assert [delays[u] for u in a] == [3, 6, 9, 12, 15]
    # b.example has only our rate (30 a minute: 2 s) and no request yet: its first page goes at once.
    assert [delays[u] for u in b] == [0, 2, 4]
    for queued in queue.sent:
        assert queued.not_before == clock.now + queued.delay_seconds
        assert queued.interval == (3.0 if queued.host == "a.example" else 2.0)
    # The next run (or another source on these hosts) starts after the last booked slot.
    assert store.slots == {"a.example": 1000 + 15 + 3, "b.example": 1000 + 4 + 2}
    assert report.to_dict()["new"] == 8 and all(store.state_of(u) == "queued" for u in a + b)


def test_a_host_booked_past_sqs_longest_delay_leaves_the_rest_unclaimed_for_the_next_run() -> None:
    urls = [f"https://slow.example/2024/05/story-{i}" for i in range(20)]
    site = Site({"https://slow.example/feed": _feed(urls)}, {"https://slow.example": "User-agent: *\n"})
    source = validate_source({"url": "https://slow.example/feed", "requests_per_minute": 1})
    store, queue, clock = MemoryStore([source]), MemoryQueue(), Clock()
    (report,) = _service(site, store, queue, clock).run(seconds=60)
    fits = limits.MAX_DELAY_SECONDS // 60  # one a minute, after the feed's own request
    assert [q.delay_seconds for q in queue.sent] == [60 * (i + 1) for i in range(fits)]
    assert report.deferred == len(urls) - fits
    assert [store.state_of(u) for u in urls[fits:]] == [None] * (len(urls) - fits)  # not claimed
    assert "https://slow.example/feed" not in store.documents  # no 304 may hide the deferred ones


def test_discover_waits_for_its_hosts_booked_slot_before_its_own_documents() -> None:
    site = Site({"https://a.example/feed": _feed([])}, {"https://a.example": "User-agent: *\n"})
    source = validate_source({"url": "https://a.example/feed"})
    store, queue, clock = MemoryStore([source]), MemoryQueue(), Clock()
    store.slots["a.example"] = clock.now + 12.5  # Ingest's queued fetches hold the next 12.5 s
    _service(site, store, queue, clock).run(seconds=60)
    assert site.fetched == [("https://a.example/feed", 1012.5)]
    assert math.isclose(sum(clock.slept), 12.5)


def test_a_host_booked_further_ahead_than_a_run_waits_leaves_its_documents_for_the_next_run() -> None:
    site = Site({"https://a.example/feed": _feed([])}, {"https://a.example": "User-agent: *\n"})
    source = validate_source({"url": "https://a.example/feed"})
    store, queue, clock = MemoryStore([source]), MemoryQueue(), Clock()
    store.slots["a.example"] = clock.now + 600
    (report,) = _service(site, store, queue, clock).run(seconds=60)
    assert site.fetched == [] and clock.slept == []
    assert report.deferred == 1 and report.documents == 0
