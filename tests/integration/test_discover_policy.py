"""Discover under the production address policy (private addresses refused): the synthetic site is
reached as a public name (an injected resolver answers a public address, ``connect_override`` dials
loopback in its place), and a sitemap that points at a private address is refused, never dialled."""

from __future__ import annotations

from functools import partial

from newsdigest.discovery.sources import validate_source
from newsdigest.fetch import fetch_url
from newsdigest.fetch.policy import FetchSettings
from newsdigest.fetch.robots import RobotsCache
from newsdigest.pipeline.discover import DiscoverService

from tests.unit.memory_store import MemoryQueue, MemoryStore

from .news_site import NewsSite, serve

PUBLIC_IP = "93.184.215.14"


def test_a_sitemap_pointing_at_a_private_address_is_a_recorded_failure_and_never_dialled() -> None:
    index = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>http://10.20.30.40/internal-sitemap.xml</loc></sitemap>"
        b"<sitemap><loc>http://news.example/news-sitemap.xml</loc></sitemap></sitemapindex>"
    )
    site = NewsSite(articles=2, crawl_delay=0, extra={"/hostile/index.xml": ("application/xml", index)})
    with serve(site):
        port = int(site.base.rsplit(":", 1)[1])
        dialled: list[tuple[str, int]] = []

        def resolver(host: str, port_: int) -> list[str]:
            dialled.append((host, port_))
            return [PUBLIC_IP] if host == "news.example" else []

        fetcher = partial(
            fetch_url, resolver=resolver, connect_override={(PUBLIC_IP, 80): ("127.0.0.1", port)}
        )
        site.base = "http://news.example"  # the documents name the public host
        # The fastest rate: this is about the address policy, and the default pace (2 s) would sleep
        # 4 s of the test between robots.txt, the index and its public child.
        source = validate_source({"url": "http://news.example/hostile/index.xml", "requests_per_minute": 600})
        store, queue = MemoryStore([source]), MemoryQueue()
        service = DiscoverService(store, queue, FetchSettings(allow_private_addresses=False), fetcher=fetcher)
        (report,) = service.run(seconds=60)
    assert [e["reason"] for e in report.errors] == ["address_not_allowed"]
    assert "10.20.30.40" in report.errors[0]["url"]
    assert report.status == "partial"  # the public child sitemap was still read
    assert sorted(q.url for q in queue.sent) == sorted(site.article_urls()[-2:])
    assert store.sources[source.id].state["errors"][0]["reason"] == "address_not_allowed"
    assert all(host == "news.example" for host, _ in dialled)


def test_the_pace_hook_runs_before_every_request_and_what_it_raises_ends_the_fetch() -> None:
    import pytest

    site = NewsSite(articles=2, crawl_delay=0)
    settings = FetchSettings(allow_private_addresses=True)
    first, second = site.slugs()
    with serve(site):
        origins: list[str] = []
        fetch_url(site.base + first, settings, robots_cache=RobotsCache(), pace=origins.append)
        assert origins == [site.base, site.base]  # robots.txt, then the page
        assert site.paths_hit() == ["/robots.txt", first]

        class Busy(Exception):
            pass

        def refuse(origin: str) -> None:
            raise Busy(origin)

        with pytest.raises(Busy):  # not retried, not turned into robots_unavailable
            fetch_url(site.base + second, settings, robots_cache=RobotsCache(), pace=refuse)
        assert site.paths_hit() == ["/robots.txt", first]  # nothing more was sent
