"""Feeds without any network or AWS: every RSS dialect and Atom through feedparser, JSON Feed through
json, the entity screen in front of both, and the newest-first order of what they list."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from newsdigest.discovery.candidates import Candidate, newest_first, parse_w3c_datetime
from newsdigest.discovery.documents import DocumentError, sniff
from newsdigest.discovery.feeds import parse_feed, parse_json_feed

BASE = "http://news.example/feeds/main"

# Netscape's RSS 0.91 carries a DOCTYPE (without entity declarations): it must still be read.
RSS_091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>News</title><link>http://news.example/</link>
<description>d</description><language>en</language>
<item><title>One</title><link>http://news.example/2024/05/one-story</link></item>
</channel></rss>"""

RSS_092 = b"""<?xml version="1.0"?><rss version="0.92"><channel><title>News</title>
<link>http://news.example/</link><description>d</description>
<item><title>Relative</title><link>/2024/05/relative-story</link></item>
<item><title>No link at all</title><description>nothing to follow</description></item>
</channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://news.example/"><title>News</title><link>http://news.example/</link>
<description>d</description>
<items><rdf:Seq><rdf:li rdf:resource="http://news.example/rdf-story"/></rdf:Seq></items></channel>
<item rdf:about="http://news.example/rdf-story"><title>RDF</title><link>http://news.example/rdf-story</link>
<dc:date>2024-05-11T08:00:00+03:00</dc:date></item>
</rdf:RDF>"""

RSS_20 = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>
<item><title>Linked</title><link>https://news.example/a?utm_source=rss</link>
<pubDate>Sat, 11 May 2024 08:00:00 GMT</pubDate></item>
<item><title>Permalink guid</title><guid>https://news.example/guid-story</guid>
<pubDate>Sun, 12 May 2024 08:00:00 +0200</pubDate></item>
<item><title>Opaque guid</title><guid isPermaLink="false">tag:news.example,2024:77</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://news.example/world/">
<title>News</title><id>urn:news</id><updated>2024-05-11T08:00:00Z</updated>
<entry><title>E</title><id>urn:e</id>
<link rel="self" href="/api/e"/><link rel="enclosure" href="/e.mp3"/><link rel="alternate" href="e-story"/>
<published>2024-05-10T08:00:00Z</published><updated>2024-05-11T09:00:00Z</updated></entry>
<entry><title>Updated only</title><id>urn:f</id><link href="https://news.example/f-story"/>
<updated>2024-05-09T08:00:00Z</updated></entry>
</feed>"""


def _urls(candidates: list[Candidate]) -> list[str]:
    return [c.url for c in candidates]


def test_rss_091_with_its_netscape_doctype_is_read() -> None:
    assert _urls(parse_feed(RSS_091, BASE)) == ["http://news.example/2024/05/one-story"]


def test_rss_092_links_resolve_against_the_feed_and_entries_without_links_are_skipped() -> None:
    assert _urls(parse_feed(RSS_092, BASE)) == ["http://news.example/2024/05/relative-story"]


def test_rss_10_rdf_items_with_their_dublin_core_dates() -> None:
    (entry,) = parse_feed(RSS_10, BASE)
    assert entry.url == "http://news.example/rdf-story"
    assert entry.published == datetime(2024, 5, 11, 5, 0, tzinfo=UTC)


def test_rss_20_links_permalink_guids_and_dates() -> None:
    entries = parse_feed(RSS_20, BASE)
    # An opaque guid names no page; a permalink guid does. Tracking parameters stay until the run
    # canonicalises (once, for every kind of document).
    assert _urls(entries) == ["https://news.example/a?utm_source=rss", "https://news.example/guid-story"]
    assert [e.published for e in entries] == [
        datetime(2024, 5, 11, 8, 0, tzinfo=UTC),
        datetime(2024, 5, 12, 6, 0, tzinfo=UTC),
    ]


def test_atom_alternate_link_under_xml_base_published_before_updated() -> None:
    entries = parse_feed(ATOM, BASE)
    assert _urls(entries) == ["http://news.example/world/e-story", "https://news.example/f-story"]
    assert entries[0].published == datetime(2024, 5, 10, 8, 0, tzinfo=UTC)
    assert entries[1].published == datetime(2024, 5, 9, 8, 0, tzinfo=UTC)  # updated when no published


@pytest.mark.parametrize("body", [RSS_091, RSS_092, RSS_10, RSS_20, ATOM])
def test_every_feed_dialect_sniffs_as_a_feed_whatever_its_content_type(body: bytes) -> None:
    assert sniff(body, "text/html") == "feed"


def test_a_document_that_is_no_feed_is_refused_with_a_reason() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_feed(b"<html><body><p>hello</p></body></html>", BASE)
    assert caught.value.reason == "not_a_feed"


def test_entity_declarations_are_refused_before_feedparser_sees_the_feed() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<rss version="2.0"><channel><title>&b;</title><item><link>/x</link></item></channel></rss>'
    )
    with pytest.raises(DocumentError) as caught:
        parse_feed(laughs, BASE)
    assert caught.value.reason == "xml_entities_forbidden"
    external = b'<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed xmlns="http://www.w3.org/2005/Atom"/>'
    with pytest.raises(DocumentError):
        parse_feed(external, BASE)


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "News",
    "items": [
        {"id": "1", "url": "https://news.example/json-one", "date_published": "2024-05-11T08:00:00Z"},
        {"id": "2", "external_url": "/json-two", "date_modified": "2024-05-12T08:00:00+02:00"},
        {"id": "3", "content_text": "no url"},
        "not an object",
        {"id": "4", "url": "https://news.example/json-four", "date_published": 20240511},
    ],
}


def test_json_feed_items_url_or_external_url_with_dates() -> None:
    body = json.dumps(JSON_FEED).encode()
    assert sniff(body, "application/json") == "json_feed"
    entries = parse_json_feed(body, BASE)
    assert _urls(entries) == [
        "https://news.example/json-one",
        "http://news.example/json-two",
        "https://news.example/json-four",
    ]
    assert entries[0].published == datetime(2024, 5, 11, 8, 0, tzinfo=UTC)
    assert entries[1].published == datetime(2024, 5, 12, 6, 0, tzinfo=UTC)
    assert entries[2].published is None  # a number is not a date


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"version": "https://jsonfeed.org/version/1", "items": {}}', b"[1, 2]"]
)
def test_broken_json_feeds_are_refused_with_a_reason(body: bytes) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_json_feed(body, BASE)
    assert caught.value.reason == "not_a_feed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-11", datetime(2024, 5, 11, tzinfo=UTC)),
        ("2024-05-11T08:00:00Z", datetime(2024, 5, 11, 8, tzinfo=UTC)),
        ("2024-05-11T08:00:00+03:00", datetime(2024, 5, 11, 5, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_w3c_datetimes(text: str | None, expected: datetime | None) -> None:
    parsed = parse_w3c_datetime(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None


def test_newest_first_puts_dated_entries_first_and_keeps_the_order_of_undated_ones() -> None:
    day = datetime(2024, 5, 11, tzinfo=UTC)
    listed = [
        Candidate("http://n.example/undated-1"),
        Candidate("http://n.example/old", day.replace(day=1)),
        Candidate("http://n.example/undated-2"),
        Candidate("http://n.example/new", day),
        Candidate("http://n.example/" + "x" * 3000, day),  # past the URL length bound: not a link
    ]
    assert _urls(newest_first(listed)) == [
        "http://n.example/new",
        "http://n.example/old",
        "http://n.example/undated-1",
        "http://n.example/undated-2",
    ]
