"""Text measures of the content pass."""

from __future__ import annotations

from lxml import etree
from newsdigest.extract.measure import cut, measure
from newsdigest.extract.score import score_candidates


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


def test_paragraphs_broken_by_br_score_as_paragraphs() -> None:
    sentence = "Das Gericht setzte die nächste Anhörung an, das Urteil könnte am selben Tag fallen."
    story = "<br><br>".join(f"{sentence} Absatz {i}." for i in range(8))
    teaser = "Die Behörde erhielt am Dienstag neue Impfstoffe, verteilt werden sie ab der nächsten Woche."
    root = _tree(
        f"<html><body><div class='node'><div><p>{story}</p></div></div>"
        f"<div class='teasers'><div class='field-content'><div>{teaser}</div></div></div></body></html>"
    )
    stats = measure(root)
    best = score_candidates(root, stats)
    # One block of eight paragraphs outscores a one-paragraph teaser whose class says "content".
    assert best is not None and "Absatz 7" in "".join(best.itertext())


def test_a_closing_cjk_paragraph_in_brackets_is_a_sentence() -> None:
    from newsdigest import extract_article

    body = "".join(
        f"<p>谷歌在2014年收购的人工智能公司开发出一款能够用自己的记忆学习新知识的计算机，第{i}段。</p>"
        for i in range(6)
    )
    last = "DeepMind已将其研究结果发表在科学刊物《自然》上。（编译/林靖东）"  # short, but a sentence
    article = extract_article(f"<html><body><article>{body}<p>{last}</p></article></body></html>")
    assert article.text.endswith(last)


def test_line_breaks_of_the_source_are_spaces_outside_pre_and_br() -> None:
    from newsdigest import extract_article

    wrapped = "<p>The dress was taken from her room\nat the hotel, the sources said,\r\nand cops looked.</p>"
    html = (
        f"<html><body><article>{wrapped * 3}<pre>def f():\n    return 1\n# the code keeps its lines</pre>"
        "<p>Before the break<br>\nafter it, in the same paragraph.</p></article></body></html>"
    )
    text = extract_article(html).text
    assert "taken from her room at the hotel, the sources said, and cops looked." in text
    assert "Before the break\nafter it, in the same paragraph." in text
    assert "def f():\nreturn 1\n# the code keeps its lines" in text
