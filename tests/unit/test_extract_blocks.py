"""The writer's blocks: the paragraphs of the text with the nodes they were read from."""

from __future__ import annotations

from lxml import etree
from newsdigest.extract.content import Block, choose_blocks, linearise, measure, write_blocks

PAGE = """<html><body>
<nav><ul><li><a href="/a">Home</a></li><li><a href="/b">World</a></li>
<li><a href="/c">Sport</a></li></ul></nav>
<article>
  <h1>Harvest record expected</h1>
  <p>The grain harvest in the region is expected to reach a record this year, officials said on Monday.</p>
  <div class="figure-slot"></div>
  <h2>Exports</h2>
  <p>Exports are set to grow, <b>the ministry <a href="/m">said</a></b> in a statement,
  as demand stays high.</p>
  <div>Text typed straight into a box, without a paragraph, is a paragraph of its own here.<br>
  Its second line follows a line break, and both belong to the same block of the article.</div>
  <ul class="related"><li><a href="/1">Other story one</a></li><li><a href="/2">Other story two</a></li>
  <li><a href="/3">Other story three</a></li></ul>
  <p>Farmers expect prices to stay stable through the autumn, the association said in its report.</p>
</article>
</body></html>"""


def _tree(html: str) -> etree._Element:
    return etree.fromstring(html, parser=etree.HTMLParser())


def _blocks(root: etree._Element, title: str | None = "Harvest record expected") -> list[Block]:
    body = root.find("body")
    stats = measure(body)
    return write_blocks(choose_blocks(body, stats, title), stats, title)


def _read(block: Block) -> str:
    parts = []
    for node, tail in block.sources:
        if node.tag == "br" and not tail:
            parts.append("\n")
        elif isinstance(node.tag, str):  # a line break in the source is a space (no <pre> here)
            parts.append(((node.tail if tail else node.text) or "").replace("\n", " "))
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip())


def test_blocks_are_the_text_with_their_elements_and_sources() -> None:
    root = _tree(PAGE)
    blocks = _blocks(root)
    body = root.find("body")
    stats = measure(body)
    assert [b.text for b in blocks] == linearise(
        choose_blocks(body, stats, "Harvest record expected"), stats, "Harvest record expected"
    )
    assert [b.kind for b in blocks] == ["paragraph", "heading", "paragraph", "paragraph", "paragraph"]
    assert [b.element.tag for b in blocks] == ["p", "h2", "p", "div", "p"]
    for block in blocks:
        assert _read(block) == block.text
    # The inline markup of a paragraph is reachable from its sources: the link inside the bold text.
    exports = blocks[2]
    assert [(n.tag, tail) for n, tail in exports.sources] == [
        ("p", False),
        ("b", False),
        ("a", False),
        ("b", True),
    ]


def test_placeholders_keep_their_place_and_go_with_skipped_furniture() -> None:
    root = _tree(PAGE)
    slot = root.find(".//div[@class='figure-slot']")
    between = etree.ProcessingInstruction("nd-picture")
    slot.append(between)
    inline = etree.ProcessingInstruction("nd-picture")
    root.find(".//b").addprevious(inline)
    in_links = etree.ProcessingInstruction("nd-picture")
    root.find(".//ul[@class='related']/li").append(in_links)
    blocks = _blocks(root)
    kinds = [(b.kind, b.element is between) for b in blocks]
    assert kinds[:3] == [("paragraph", False), ("placeholder", True), ("heading", False)]
    assert all(b.element is not in_links for b in blocks)  # the related-stories list was skipped
    assert any(node is inline for node, _ in blocks[3].sources)  # inside the paragraph it stood in
    # The text is what it was without placeholders.
    assert [b.text for b in blocks if b.kind != "placeholder"] == [b.text for b in _blocks(_tree(PAGE))]


def test_a_placeholder_after_dropped_closing_lines_goes_with_them() -> None:
    # (a linked call: an unlinked closing line of the body's own container is a sign-off, kept)
    html = PAGE.replace(
        "</article>",
        "<p>Share this story with <a href='/friends'>friends</a></p><div class='slot'></div></article>",
    )
    root = _tree(html)
    after_label = etree.ProcessingInstruction("nd-picture")
    root.find(".//div[@class='slot']").append(after_label)
    blocks = _blocks(root)
    assert blocks[-1].text.startswith("Farmers expect")  # the call to action is dropped ...
    assert all(b.kind != "placeholder" for b in blocks)  # ... and the placeholder after it too


def _paragraph(n: int) -> str:
    return (
        f"<p>Paragraph {n} of the story tells what happened in the valley this week, and why the "
        f"farmers there say the harvest will be the largest in a decade.</p>"
    )


def test_headings_made_of_links_head_sections_only_in_a_series() -> None:
    from newsdigest.extract import extract_article

    sections = "".join(
        f"<h3>{n}) <a href='/reviews/film-{n}'>Film number {n}</a></h3>{_paragraph(n)}" for n in (3, 2, 1)
    )
    listicle = extract_article(f"<html><body><article><h1>Best films</h1>{sections}</article></body></html>")
    assert [p for p in listicle.text.split("\n\n") if p.endswith(tuple("321"))] == [
        "3) Film number 3", "2) Film number 2", "1) Film number 1",
    ]  # fmt: skip
    # One headline of another story set between the paragraphs is not a section of this one.
    teaser = "<h3>See also: <a href='/news/other-story'>Prices of grain fall again in the south</a></h3>"
    story = extract_article(
        f"<html><body><article><h1>Harvest</h1>{_paragraph(1)}{_paragraph(2)}{teaser}{_paragraph(3)}"
        "</article></body></html>"
    )
    assert "Prices of grain" not in story.text and "Paragraph 3" in story.text


def test_a_heading_before_a_captioned_picture_stays_and_one_before_related_stories_goes() -> None:
    from newsdigest.extract import extract_article

    picture = (
        "<div class='thumb'><img src='/field.jpg'><div class='thumbcaption'>A combine harvester at work "
        "on a wheat field near the river, photographed in the evening light.</div></div>"
    )
    related = (
        "<div class='related-stories'><a href='/a'>Rain delays sowing in the north of the country</a> "
        "<a href='/b'>Fertiliser prices climb for the third month in a row</a></div>"
    )
    page = (
        f"<html><body><article><h1>Harvest</h1>{_paragraph(1)}<h2>The fields</h2>{picture}{_paragraph(2)}"
        f"<h2>Related stories</h2>{related}{_paragraph(3)}</article></body></html>"
    )
    paragraphs = extract_article(page).text.split("\n\n")
    assert "The fields" in paragraphs and "Related stories" not in paragraphs
    assert not any("combine harvester" in p for p in paragraphs)
