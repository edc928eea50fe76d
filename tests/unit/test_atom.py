"""Digest feeds are valid Atom (RFC 4287), checked with feedparser and against the RFC's own rules."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

import feedparser
import pytest
from newsdigest.reading.atom import ATOM_NS, FeedInfo, build_feed
from newsdigest.reading.digest import DEFAULT_LAST, digest_request
from newsdigest.reading.query import MAX_LIMIT, QueryError

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
A = f"{{{ATOM_NS}}}"


def _item(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "article_id": f"{n:032x}",
        "status": "ok",
        "title": f"Story {n} & <more>",
        "url": f"https://www.example.org/news/{n}",
        "canonical_url": f"https://example.org/news/{n}",
        "site": "example.org",
        "site_name": "Example News",
        "authors": ["Ann Writer"],
        "language": "en",
        "summary": [f"First sentence of story {n}.", "Second sentence, with <b>markup</b> & an ampersand."],
        "published_at": f"2024-05-1{n}T08:00:00Z",
        "updated_at": f"2024-05-1{n}T09:00:00Z",
        **extra,
    }


def check_rfc4287(document: bytes) -> ET.Element:
    """The RFC's MUSTs that a lenient parser forgives: ids, titles and updated times everywhere,
    RFC 3339 dates, an author for every entry, unique entry ids."""
    feed = ET.fromstring(document)
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{tag}")) == 1, tag
    assert RFC3339.match(feed.findtext(f"{A}updated") or "")
    feed_has_author = feed.find(f"{A}author/{A}name") is not None
    ids = []
    for entry in feed.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{tag}")) == 1, tag
        for tag in ("updated", "published"):
            for element in entry.findall(f"{A}{tag}"):
                assert RFC3339.match(element.text or ""), element.text
        assert feed_has_author or entry.find(f"{A}author/{A}name") is not None
        content = entry.find(f"{A}content")
        assert content is not None and content.get("type") in {"text", "html", "xhtml"}
        alternates = [
            link for link in entry.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) <= 1 and (alternates or content.text)
        ids.append(entry.findtext(f"{A}id"))
    assert len(ids) == len(set(ids))
    assert all(i and i.startswith("urn:uuid:") for i in [feed.findtext(f"{A}id"), *ids])
    return feed


def test_feed_of_summaries_is_valid_and_each_entry_links_to_its_source() -> None:
    items = [_item(2), _item(1, authors=[])]
    document = build_feed(
        FeedInfo(
            title="newsdigest: example.org",
            key="example.org/latest",
            self_url="https://api.example/digest?site=example.org",
        ),
        items,
    )
    check_rfc4287(document)
    parsed = feedparser.parse(document)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "newsdigest: example.org"
    assert [e.title for e in parsed.entries] == ["Story 2 & <more>", "Story 1 & <more>"]
    for entry, item in zip(parsed.entries, items, strict=True):
        assert entry.link == item["canonical_url"]
        html = entry.content[0].value
        for sentence in item["summary"]:
            escaped = sentence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert escaped in html  # the summary is text: its markup is shown, never run
        assert f'<a href="{item["canonical_url"]}">' in html
        assert entry.published == item["published_at"] and entry.updated == item["updated_at"]
    assert parsed.entries[0].author == "Ann Writer"
    assert parsed.feed.updated == "2024-05-12T09:00:00Z"  # the newest entry's
    assert any(link.rel == "self" for link in parsed.feed.links)


def test_ids_are_stable_across_digests() -> None:
    one = feedparser.parse(build_feed(FeedInfo(title="a", key="k1"), [_item(1), _item(2)]))
    two = feedparser.parse(build_feed(FeedInfo(title="b", key="k2"), [_item(2)]))
    assert one.entries[1].id == two.entries[0].id
    assert one.feed.id != two.feed.id


def test_characters_xml_cannot_carry_never_break_the_feed() -> None:
    bad = "\x00\x0b\x1f\ud800\ufffe"
    item = _item(
        1, title=f"Tit{bad}le", authors=[f"Ann{bad}"], site_name=f"Ex{bad}", summary=[f"One{bad} sentence."]
    )
    document = build_feed(FeedInfo(title=f"digest{bad}", key="k", subtitle=bad), [item])
    check_rfc4287(document)
    parsed = feedparser.parse(document)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert (parsed.feed.title, parsed.entries[0].title) == ("digest", "Title")
    assert parsed.entries[0].author == "Ann"
    assert "One sentence." in parsed.entries[0].content[0].value


def test_an_empty_digest_is_still_a_valid_feed() -> None:
    document = build_feed(FeedInfo(title="nothing yet", key="x"), [])
    check_rfc4287(document)
    parsed = feedparser.parse(document)
    assert parsed.bozo == 0 and parsed.entries == []


def test_digest_parameters() -> None:
    day = digest_request({"site": "www.Example.org", "day": "2024-05-11"})
    assert (day.query.site, day.query.since, day.query.until) == (
        "example.org",
        "2024-05-11T00:00:00Z",
        "2024-05-12T00:00:00Z",
    )
    assert day.query.status == "ok" and day.query.limit == MAX_LIMIT
    latest = digest_request({})
    assert latest.query.limit == DEFAULT_LAST and latest.query.since is None
    assert digest_request({"last": "3"}).query.limit == 3
    for bad in ({"day": "May 11"}, {"last": "0"}, {"last": "many"}, {"status": "failed"}):
        with pytest.raises(QueryError):
            digest_request(bad)
