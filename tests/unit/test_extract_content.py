"""Text measures of the content pass."""

from __future__ import annotations

from lxml import etree
from newsdigest.extract.measure import cut, measure


def _tree(html: str) -> etree._Element:
    return etree.fromstring(html, parser=etree.HTMLParser())


def test_text_inside_a_card_link_counts_as_link_text() -> None:
    root = _tree(
        "<html><body><div id='list'><a href='/x'><h3 class='author'>Erika Muster</h3>"
        "<p>Die Stadt baut die Brücke neu, die Arbeiten beginnen im Frühjahr.</p></a></div></body></html>"
    )
    stats = measure(root)
    para = root.find(".//p")
    assert stats[para].links == stats[para].text > 0
    box = root.find(".//div")
    cut(root.find(".//h3"), stats)
    # Removing part of the card keeps the box's link share at one, never above.
    assert stats[box].links == stats[box].text
