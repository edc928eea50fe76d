"""Discovery end to end on the local stack: a synthetic news site on loopback, the real Discover and
Ingest handlers, the template's tables and queues on a moto server."""

from __future__ import annotations

import itertools
from typing import Any

import boto3
import pytest
from newsdigest.aws.discovery import CrawlStateTable, SourceTable
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


def test_a_site_is_ingested_exactly_once_politely_and_a_second_run_ingests_nothing(runtime) -> None:
    site = NewsSite(articles=5, crawl_delay=1)
    with serve(site):
        source_id = _add(runtime, site.base + "/")
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
    # Crawl-delay: 1 kept across Discover's documents and Ingest's pages (robots.txt itself aside).
    times = sorted(t for p, t in site.hits if p != "/robots.txt")
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.9, gaps

    sources = SourceTable(runtime.resources.refs["SourcesTable"]).list_sources()
    assert sources[0].state["last_status"] == "ok" and sources[0].state["total_queued"] == len(ids)
    state = CrawlStateTable(runtime.resources.refs["CrawlStateTable"])
    assert all(state.seen(u) for u in queued)


@pytest.mark.parametrize(
    ("path", "kind", "body", "reason"),
    [
        ("/hostile/laughs.rss", "application/rss+xml", BILLION_LAUGHS, "xml_entities_forbidden"),
        ("/hostile/xxe.xml", "application/xml", XXE, "xml_entities_forbidden"),
        ("/hostile/bomb.xml.gz", "application/gzip", None, "decompression_bomb"),
    ],
)
def test_hostile_documents_end_as_recorded_failures_of_their_source(
    runtime, path, kind, body, reason
) -> None:
    import gzip

    if body is None:  # 60 MB of zeros in a 60 kB gzip: past the 50 MB sitemap cap
        body = gzip.compress(b"\0" * 60_000_000, compresslevel=9)
    site = NewsSite(articles=1, crawl_delay=0, extra={path: (kind, body)})
    with serve(site):
        source_id = _add(runtime, site.base + path, kind="auto")
        reply = runtime.invoke("DiscoverFunction", {"sources": [source_id]})
    (report,) = reply["sources"]
    assert report["status"] == "failed" and report["queued"] == []
    assert [e["reason"] for e in report["errors"]] == [reason]
    stored = SourceTable(runtime.resources.refs["SourcesTable"]).get(source_id)
    assert stored is not None and stored.state["errors"][0]["reason"] == reason
    assert stored.state["last_status"] == "failed"


def test_the_schedule_runs_due_sources_only(runtime) -> None:
    site = NewsSite(articles=2, crawl_delay=0)
    with serve(site):
        due = _add(runtime, site.base + "/feed.rss")
        _add(runtime, site.base + "/feed.atom", enabled=False)
        (tick,) = runtime.fire_schedules()
        assert [r["source_id"] for r in tick["sources"]] == [due]
        (again,) = runtime.fire_schedules()
        assert again["sources"] == []  # not due again for every_minutes
