"""Discovery end to end on the local stack: a synthetic news site on loopback, the real Discover and
Ingest handlers, the template's tables and queues on a moto server."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import boto3
import pytest
from newsdigest.aws.discovery import CrawlStateTable, SourceTable
from newsdigest.discovery import limits
from newsdigest.discovery.canonical import canonical_url
from newsdigest.discovery.sources import validate_source
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.inputs import Source

from .news_site import BILLION_LAUGHS, XXE, NewsSite, serve


def _add(runtime: LocalRuntime, url: str, **spec: Any) -> str:
    table = SourceTable(runtime.resources.refs["SourcesTable"])
    source = validate_source({"url": url, **spec})
    table.add(source)
    return source.id


def _items(runtime: LocalRuntime) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb").Table(runtime.resources.outputs["TableName"])
    return table.scan(ConsistentRead=True)["Items"]


def _settled(runtime: LocalRuntime, ids: set[str]) -> bool:
    done = {i["article_id"] for i in _items(runtime) if i.get("status") in {"ok", "failed"}}
    return ids <= done


def test_a_site_is_ingested_exactly_once_and_a_second_run_ingests_nothing(runtime) -> None:
    # No Crawl-delay and a fast rate: what this proves does not need the pace (the next test does).
    # Three articles: each listed by two to four of the five documents, under different spellings.
    # (More would also fill one Summarise batch, which the local runtime gives 1 s: under a heavy load
    # its last records end as 'budget' failures, which is not what this test is about.)
    site = NewsSite(articles=3, crawl_delay=0)
    with serve(site):
        source_id = _add(runtime, site.base + "/", requests_per_minute=600)
        first = runtime.invoke("DiscoverFunction", {"sources": [source_id]})
        (report,) = first["sources"]
        queued = {q["url"] for q in report["queued"]}
        # Every article once, canonical (no utm_/fbclid, no fragment), whichever feed or sitemap listed it.
        assert queued == {canonical_url(u) for u in site.article_urls()}
        assert report["disallowed"] == 1 and report["errors"] == []
        ids = {Source.from_url(u).article_id for u in queued}
        assert runtime.pump_until(lambda: _settled(runtime, ids), timeout=60)
        items = _items(runtime)
        assert sorted(i["article_id"] for i in items) == sorted(ids)  # one item per article, nothing else
        assert all(i["status"] == "ok" for i in items), [i.get("reason") for i in items]

        second = runtime.invoke("DiscoverFunction", {"sources": [source_id]})
        (again,) = second["sources"]
        assert again["queued"] == [] and again["seen"] == len(ids)
        assert again["not_modified"] >= 1  # the RSS feed answered 304 to its ETag
        runtime.pump_once()
        assert len(_items(runtime)) == len(ids)

    paths = site.paths_hit()
    assert not [p for p in paths if p.startswith("/private/")], "a robots.txt-disallowed path was requested"
    for slug in site.slugs():
        assert sum(p == slug for p in paths) == 1, f"{slug} fetched more than once"

    sources = SourceTable(runtime.resources.refs["SourcesTable"]).list_sources()
    assert sources[0].state["last_status"] == "ok" and sources[0].state["total_queued"] == len(ids)
    state = CrawlStateTable(runtime.resources.refs["CrawlStateTable"])
    assert all(state.claim_state(u) == "queued" for u in queued)  # confirmed after the send


#: Host turns are stamped to the millisecond in the crawl-state table: two turns granted one interval
#: apart can be up to 1 ms closer in the clock readings they were taken at.
TURN_STAMP_PRECISION = 0.001


#: Half a second: five times the 0.1 s of the source's rate, and the test waits it out five times.
CRAWL_DELAY = 0.5


def test_crawl_delay_is_kept_across_discover_ingest_and_the_next_run(runtime, monkeypatch) -> None:
    # Crawl-delay against a rate of 600 a minute: robots.txt's pace must win for every request to the
    # host, Discover's documents, Ingest's pages and the next run's documents alike.
    turns: list[tuple[str, float]] = []
    take_turn = CrawlStateTable.take_turn

    def recorded(self: CrawlStateTable, host: str, interval: float, now: float) -> float | None:
        free_at = take_turn(self, host, interval, now)
        if free_at is None:
            turns.append((host, now))
        return free_at

    # Every request's turn, Discover's and Ingest's alike, goes through the table's conditional write.
    monkeypatch.setattr(CrawlStateTable, "take_turn", recorded)
    site = NewsSite(articles=2, crawl_delay=CRAWL_DELAY)
    with serve(site):
        source_id = _add(runtime, site.base + "/feed.rss", requests_per_minute=600)
        (report,) = runtime.invoke("DiscoverFunction", {"sources": [source_id]})["sources"]
        ids = {q["article_id"] for q in report["queued"]}
        assert len(ids) == 2
        assert runtime.pump_until(lambda: _settled(runtime, ids), timeout=60)
        # Right after Ingest's fetches: Discover waits for the host's next free slot.
        (again,) = runtime.invoke("DiscoverFunction", {"sources": [source_id]})["sources"]
        assert again["not_modified"] == 1 and again["queued"] == []
    # Every request counts, robots.txt too: Discover's robots.txt and feed, Ingest's robots.txt and two
    # pages, the next run's feed.
    assert [p for p, _ in site.hits].count("/robots.txt") == 2
    hits = sorted(t for _, t in site.hits)
    host = site.base.split("//", 1)[1]
    stamps = sorted(t for h, t in turns if h == host)
    # The pace as scheduled: one turn per request, each granted a Crawl-delay after the one before.
    assert len(hits) == len(stamps) == 6, (hits, stamps)
    spacing = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(spacing) >= CRAWL_DELAY - TURN_STAMP_PRECISION, spacing
    # The pace as the site saw it: each request reached the server after its own turn and before the
    # next turn was granted, so none went out of turn. The gaps the server measures are a Crawl-delay
    # less how late each request arrived after its turn: the turn's own write and the connection on a
    # loaded machine (up to 0.3 s here under load), which no pacing can schedule away.
    for i, (stamp, hit) in enumerate(zip(stamps, hits, strict=True)):
        assert stamp <= hit, (i, stamps, hits)
        if i + 1 < len(stamps):
            assert hit < stamps[i + 1], (i, stamps, hits)


def test_a_claim_is_pending_until_the_send_then_lasting_and_a_lapsed_claim_is_free(resources) -> None:
    """The seen-URL record's conditional writes, on DynamoDB's own condition expressions."""
    state = CrawlStateTable(resources.refs["CrawlStateTable"])
    url, now = "https://news.example/2024/05/a-story", 1_700_000_000.0
    assert state.claim(url, source_id="s1", now=now) == "new"
    assert state.claim_state(url) == "pending"
    assert state.claim(url, source_id="s2", now=now + 60) == "pending"  # another run's live claim
    # The claiming run died: once its claim has lapsed, the URL is free to claim again.
    assert state.claim(url, source_id="s2", now=now + limits.PENDING_CLAIM_SECONDS + 1) == "new"
    state.confirm([url], source_id="s2", expires=int(now) + limits.SEEN_TTL_SECONDS)
    assert state.claim_state(url) == "queued"
    assert state.claim(url, source_id="s3", now=now + 10 * limits.PENDING_CLAIM_SECONDS) == "seen"
    state.release(url)
    assert state.claim(url, source_id="s3", now=now) == "new"
    # Records written before claims had a state are lasting seen-URL records.
    legacy = "https://news.example/2024/05/older-story"
    state.table.put_item(Item={"key": f"url#{legacy}", "source_id": "s0", "expires": int(now) + 3600})
    assert state.claim(legacy, source_id="s1", now=now) == "seen"


def test_seen_urls_are_read_a_hundred_at_a_time_and_pending_claims_are_not_seen(resources) -> None:
    state = CrawlStateTable(resources.refs["CrawlStateTable"])
    now = time.time()
    urls = [f"https://news.example/2024/05/story-{i}" for i in range(150)]
    queued, pending = urls[::3], urls[1::3]  # the rest were never claimed
    for url in queued + pending:
        assert state.claim(url, source_id="s1", now=now) == "new"
    state.confirm(queued, source_id="s1", expires=int(now) + 3600)
    legacy = urls[2]  # a record from before claims had a state: a lasting one
    state.table.put_item(Item={"key": f"url#{legacy}", "source_id": "s0", "expires": int(now) + 3600})
    assert state.seen_urls(urls) == {*queued, legacy}  # 150 keys: two BatchGetItem calls
    assert state.seen_urls([]) == set()


def test_a_run_that_dies_before_sending_loses_no_url_on_the_real_tables(resources) -> None:
    from newsdigest.aws.discovery import DiscoveredQueue, DiscoveryStore
    from newsdigest.fetch.policy import FetchSettings
    from newsdigest.pipeline.discover import DiscoverService

    class Crash(BaseException):
        pass

    class DyingQueue(DiscoveredQueue):
        def send(self, urls: Any) -> Any:
            raise Crash

    refs = resources.refs
    store = DiscoveryStore(refs["SourcesTable"], refs["CrawlStateTable"])
    queue_url = resources.outputs["DiscoveredQueueUrl"]
    site = NewsSite(articles=2, crawl_delay=0)
    offset = [0.0]
    settings = FetchSettings(allow_private_addresses=True)
    with serve(site):
        source = validate_source({"url": site.base + "/feed.rss", "requests_per_minute": 600})
        store.add(source)

        def service(queue: Any) -> DiscoverService:
            return DiscoverService(store, queue, settings, clock=lambda: time.time() + offset[0])

        with pytest.raises(Crash):
            service(DyingQueue(queue_url)).run(seconds=60, source_ids=[source.id])
        (held,) = service(DiscoveredQueue(queue_url)).run(seconds=60, source_ids=[source.id])
        assert held.queued == [] and held.pending == 2
        offset[0] = limits.PENDING_CLAIM_SECONDS + 1
        (report,) = service(DiscoveredQueue(queue_url)).run(seconds=60, source_ids=[source.id])
    assert sorted(q.url for q in report.queued) == sorted(canonical_url(u) for u in site.article_urls()[:2])
    sqs = boto3.client("sqs")
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesDelayed"]) == 2


HOSTILE = {
    "/hostile/laughs.rss": ("application/rss+xml", BILLION_LAUGHS, "xml_entities_forbidden"),
    "/hostile/xxe.xml": ("application/xml", XXE, "xml_entities_forbidden"),
    # 60 MB of zeros in a 60 kB gzip: past the 50 MB sitemap cap
    "/hostile/bomb.xml.gz": ("application/gzip", None, "decompression_bomb"),
}


def test_hostile_documents_end_as_recorded_failures_of_their_source(runtime) -> None:
    import gzip

    bomb = gzip.compress(b"\0" * 60_000_000, compresslevel=9)
    extra = {path: (kind, body or bomb) for path, (kind, body, _) in HOSTILE.items()}
    site = NewsSite(articles=1, crawl_delay=0, extra=extra)
    with serve(site):
        ids = {_add(runtime, site.base + path, requests_per_minute=600): path for path in HOSTILE}
        reply = runtime.invoke("DiscoverFunction", {"sources": list(ids)})
    table = SourceTable(runtime.resources.refs["SourcesTable"])
    assert sorted(r["source_id"] for r in reply["sources"]) == sorted(ids)
    for report in reply["sources"]:
        reason = HOSTILE[ids[report["source_id"]]][2]
        assert report["status"] == "failed" and report["queued"] == []
        assert [e["reason"] for e in report["errors"]] == [reason]
        stored = table.get(report["source_id"])
        assert stored is not None and stored.state["errors"][0]["reason"] == reason
        assert stored.state["last_status"] == "failed"
    assert reply["failed"] == len(HOSTILE)


def test_the_schedule_runs_due_sources_only(runtime) -> None:
    site = NewsSite(articles=2, crawl_delay=0)
    with serve(site):
        due = _add(runtime, site.base + "/feed.rss", requests_per_minute=600)  # no 2 s default pace
        _add(runtime, site.base + "/feed.atom", enabled=False)
        (tick,) = runtime.fire_schedules()
        assert [r["source_id"] for r in tick["sources"]] == [due]
        (again,) = runtime.fire_schedules()
        assert again["sources"] == []  # not due again for every_minutes


def test_a_removed_seed_source_stays_removed_at_the_next_cold_start(resources) -> None:
    seed = "https://93.184.215.14/news/feed.xml"
    env = {"SEED_SOURCES": json.dumps([seed, {"url": "https://93.184.215.14/other.rss", "every": "1h"}])}
    LocalRuntime(resources, extra_env=env)  # Discover's cold start seeds the table
    table = SourceTable(resources.refs["SourcesTable"])
    listed = {s.url: s for s in table.list_sources()}
    assert sorted(listed) == ["https://93.184.215.14/news/feed.xml", "https://93.184.215.14/other.rss"]
    assert listed["https://93.184.215.14/other.rss"].every_minutes == 60

    removed = listed[seed].id
    assert table.remove(removed) and not table.remove(removed)  # the second finds nothing to remove
    assert table.get(removed) is None and not table.set_enabled(removed, True)
    LocalRuntime(resources, extra_env=env)  # the next cold start, with the same Sources parameter
    assert [s.url for s in table.list_sources()] == ["https://93.184.215.14/other.rss"]

    # The owner can bring it back by adding it, which the seed never does.
    assert table.add(validate_source({"url": seed}))
    assert sorted(s.url for s in table.list_sources()) == sorted(listed)
