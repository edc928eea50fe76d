"""Sitemaps and homepages without any network or AWS: urlsets, indexes, gzip, Google News sitemaps,
the safe XML and gzip readers under them, and a homepage's feeds and article-like links."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest
from newsdigest.discovery import limits
from newsdigest.discovery.documents import DocumentError, gunzip, iter_xml, sniff
from newsdigest.discovery.homepage import looks_like_article, parse_homepage
from newsdigest.discovery.sitemaps import parse_sitemap

BASE = "https://news.example/sitemap.xml"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>
<url><loc>https://news.example/2024/05/10/older</loc><lastmod>2024-05-10</lastmod></url>
<url><loc> https://news.example/2024/05/11/newer </loc><lastmod>2024-05-11T08:00:00+00:00</lastmod></url>
<url><loc>/relative-story-of-the-day</loc></url>
<url><lastmod>2024-05-11</lastmod></url>
</urlset>""".encode()

INDEX = f"""<?xml version="1.0"?><sitemapindex {NS}>
<sitemap><loc>https://news.example/sitemap-2024-04.xml.gz</loc><lastmod>2024-04-30</lastmod></sitemap>
<sitemap><loc>https://news.example/sitemap-2024-05.xml</loc><lastmod>2024-05-11</lastmod></sitemap>
</sitemapindex>""".encode()

NEWS = f"""<?xml version="1.0"?><urlset {NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/breaking</loc><lastmod>2024-05-01</lastmod>
<news:news><news:publication><news:name>News</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-05-12T06:30:00+02:00</news:publication_date><news:title>Breaking</news:title>
</news:news></url></urlset>""".encode()


def test_a_urlset_lists_its_locations_with_lastmod() -> None:
    sitemap = parse_sitemap(URLSET, BASE)
    assert sitemap.children == [] and not sitemap.truncated
    assert [(c.url, c.published) for c in sitemap.urls] == [
        ("https://news.example/2024/05/10/older", datetime(2024, 5, 10, tzinfo=UTC)),
        ("https://news.example/2024/05/11/newer", datetime(2024, 5, 11, 8, tzinfo=UTC)),
        ("https://news.example/relative-story-of-the-day", None),
    ]


def test_a_sitemap_index_lists_its_children_with_lastmod() -> None:
    sitemap = parse_sitemap(INDEX, BASE)
    assert sitemap.urls == []
    assert [(c.url, c.published) for c in sitemap.children] == [
        ("https://news.example/sitemap-2024-04.xml.gz", datetime(2024, 4, 30, tzinfo=UTC)),
        ("https://news.example/sitemap-2024-05.xml", datetime(2024, 5, 11, tzinfo=UTC)),
    ]


def test_google_news_publication_date_wins_over_lastmod() -> None:
    (story,) = parse_sitemap(NEWS, BASE).urls
    assert story.url == "https://news.example/breaking"
    assert story.published == datetime(2024, 5, 12, 4, 30, tzinfo=UTC)


@pytest.mark.parametrize("body", [URLSET, INDEX, NEWS])
def test_sitemaps_sniff_as_sitemaps_whatever_their_content_type(body: bytes) -> None:
    assert sniff(body, "text/plain") == "sitemap"


def test_a_gzip_sitemap_is_read_after_gunzip() -> None:
    packed = gzip.compress(URLSET)
    assert packed[:2] == b"\x1f\x8b"
    assert len(parse_sitemap(gunzip(packed), BASE).urls) == 3


def test_a_gzip_bomb_stops_at_the_cap_and_corrupt_gzip_is_refused() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    with pytest.raises(DocumentError) as caught:
        gunzip(bomb, max_bytes=1_000_000)
    assert caught.value.reason == "decompression_bomb"
    assert len(gunzip(bomb, max_bytes=2_000_000)) == 2_000_000  # exactly at the cap is fine
    for broken in (b"\x1f\x8b\x08\x00garbage", gzip.compress(URLSET)[:-12], b"\x1f\x8bnot gzip at all"):
        with pytest.raises(DocumentError) as corrupt:  # corrupt, or cut off in transfer
            gunzip(broken)
        assert corrupt.value.reason == "bad_gzip"


def test_a_sitemap_past_the_entry_bound_is_cut_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ENTRIES_PER_DOCUMENT", 5)
    urls = "".join(f"<url><loc>https://news.example/s/{i}</loc></url>" for i in range(20))
    sitemap = parse_sitemap(f"<urlset {NS}>{urls}</urlset>".encode(), BASE)
    assert len(sitemap.urls) == 5 and sitemap.truncated


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<rss version='2.0'><channel/></rss>", "not_a_sitemap"),
        (b"<urlset><url><loc>https://x.example/a</loc>", "malformed_xml"),
        (b'<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset>&x;</urlset>',
         "xml_entities_forbidden"),
        (b'<!DOCTYPE urlset SYSTEM "http://evil.example/dtd"><urlset/>', "xml_entities_forbidden"),
    ],
)  # fmt: skip
def test_what_is_no_sitemap_or_not_safe_xml_is_refused_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_sitemap(body, BASE)
    assert caught.value.reason == reason


def test_xml_is_read_without_namespaces_in_the_tag_names() -> None:
    tags = [tag for tag, _ in iter_xml(NEWS)]
    assert "publication_date" in tags and "urlset" in tags


HOMEPAGE = b"""<!doctype html><html><head><title>News</title>
<link rel="alternate" type="application/rss+xml" href="/feed.rss">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://news.example/feed.atom">
<link rel="alternate" type="application/rss+xml" href="/feed.rss">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="stylesheet" type="text/css" href="/site.css">
</head><body>
<a href="/2024/05/11/grain-harvest-record">dated</a>
<a href="/news/1234567">numeric id</a>
<a href="/world/grain-harvest-hits-record-high">wordy slug</a>
<a href="https://www.news.example/politics/vote-count-delayed-again">www of the same site</a>
<a href="/tag/grain-harvest-hits-record">a tag page</a>
<a href="/world">a section</a>
<a href="/about">about</a>
<a href="/2024/05/11/photo-of-the-day.jpg">a file</a>
<a href="https://other.example/2024/05/11/someone-elses-story">another site</a>
<a href="#top">top</a><a href="javascript:void(0)">js</a><a href="mailto:desk@news.example">mail</a>
<a href="/2024/05/11/grain-harvest-record">the same again</a>
</body></html>"""


def test_a_homepage_names_its_feeds_once_each_in_page_order() -> None:
    page = parse_homepage(HOMEPAGE, "https://news.example/")
    assert page.feeds == ["https://news.example/feed.rss", "https://news.example/feed.atom"]


def test_a_homepage_without_feeds_gives_its_article_like_links_on_the_same_site() -> None:
    page = parse_homepage(HOMEPAGE, "https://news.example/")
    assert [c.url for c in page.links] == [
        "https://news.example/2024/05/11/grain-harvest-record",
        "https://news.example/news/1234567",
        "https://news.example/world/grain-harvest-hits-record-high",
        "https://www.news.example/politics/vote-count-delayed-again",
    ]


def test_a_base_element_sets_where_relative_links_point() -> None:
    body = b'<html><head><base href="https://cdn.news.example/edition/"></head>'
    body += b'<body><a href="2024/05/11/a">x</a>'
    page = parse_homepage(body, "https://news.example/")
    assert [c.url for c in page.links] == ["https://cdn.news.example/edition/2024/05/11/a"]


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://n.example/2024/05/11/story", True),
        ("https://n.example/2024-05-11-story", True),
        ("https://n.example/story-123456.html", True),
        ("https://n.example/a/long-slug-of-words", True),
        ("https://n.example/", False),
        ("https://n.example/sport", False),
        ("https://n.example/author/jane-doe-the-reporter", False),
        ("https://n.example/page/2", False),
        ("https://n.example/feed/2024/05/11", False),
        ("https://n.example/2024/05/11/chart.png", False),
    ],
)
def test_what_looks_like_an_article_path(url: str, article: bool) -> None:
    assert looks_like_article(url) is article


def test_unparseable_html_is_an_empty_homepage_not_a_crash() -> None:
    page = parse_homepage(b"", "https://news.example/")
    assert page.feeds == [] and page.links == []
