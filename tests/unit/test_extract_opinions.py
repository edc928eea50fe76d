"""The second opinions' cost: read only when the cascade's result is in doubt, and bounded when read."""

from __future__ import annotations

import time

import pytest
from lxml import etree
from newsdigest import extract_article
from newsdigest.extract import article as article_module
from newsdigest.extract import opinions
from newsdigest.extract import thresholds as T
from newsdigest.extract.measure import cut, measure
from newsdigest.extract.write import Block

SENTENCE = (
    "The council approved the new budget on Tuesday after a long debate about schools, roads and the "
    "future of the harbour, and the mayor said the city would start the first works in spring. "
)


def _body(n: int) -> str:
    return "".join(f"<p>{SENTENCE.replace('budget', f'budget {i}')}</p>" for i in range(n))


def _page(inner: str) -> str:
    return f"<html><head><title>Council approves the budget</title></head><body>{inner}</body></html>"


def test_a_sound_result_asks_no_opinion(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> list[opinions.Opinion]:
        raise AssertionError("opinions read for a sound result")

    monkeypatch.setattr(opinions, "gather", refuse)
    monkeypatch.setattr(article_module, "_unpruned_body", refuse)  # nor parses the page again
    html = _page(f"<h1>Council approves the budget</h1><article>{_body(6)}</article><nav>Home</nav>")
    article = extract_article(html)
    assert article.extraction == "cascade"
    assert "budget 5" in article.text


def test_a_result_holding_little_of_the_page_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    read: list[str] = []
    gather = opinions.gather

    def counted(*args: object, **kwargs: object) -> list[opinions.Opinion]:
        calls.append(1)
        read.append("".join(args[0].itertext()))  # type: ignore[attr-defined]
        return gather(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(opinions, "gather", counted)
    # The cascade keeps the story; the reader thread beside it holds most of the page's paragraphs.
    thread = "".join(f"<p>Reader {i} wrote: {SENTENCE}</p>" for i in range(12))
    html = _page(
        f"<h1>Council approves the budget</h1><article>{_body(4)}</article>"
        f"<div class='comments'>{thread}</div>"
    )
    article = extract_article(html)
    assert calls == [1]
    assert "budget 3" in article.text
    # The opinions read the page as it was before the prune pass cut the thread from it.
    assert "Reader 11 wrote" in read[0] and "Reader 11" not in article.text


def test_soundness_is_the_share_that_no_replacement_can_reach() -> None:
    # A replacement must be REPLACEMENT_MIN_SHARE of the cascade's length and mostly other text.
    page = 9000
    at = round(T.SOUND_SHARE * page)
    assert opinions.sound(at, page)
    assert not opinions.sound(at - 1, page)
    assert (page - at) < T.REPLACEMENT_MIN_SHARE * at + 1
    assert not opinions.sound(T.MIN_ARTICLE_CHARS - 1, 0)


def test_agreement_reads_only_the_start_of_a_long_text() -> None:
    blocks = []
    for i in range(5000):
        element = etree.Element("p")
        text = f"Paragraph {i} of a very long text, with words enough to be read as running text."
        blocks.append(Block("paragraph", element, text))
    start = opinions._start(blocks)
    assert len(start) == T.AGREEMENT_MAX_CHARS
    assert start.startswith("Paragraph 0 of")
    assert "Paragraph 4999 " not in start


def test_cutting_a_box_forgets_the_measures_inside_it() -> None:
    root = etree.fromstring(
        "<body><div><ul><li><a href='/1'>one</a></li><li>two</li></ul></div><p>x</p></body>"
    )
    stats = measure(root)
    box = root[0]
    inside = list(box.iterdescendants())
    cut(box, stats)
    assert box in stats
    assert not any(el in stats for el in inside)
    assert stats[root].text == 1


def test_a_huge_teaser_list_costs_linear_time() -> None:
    # One cut box of 40,000 elements: freeing it used to walk the box once per measured element inside.
    units = "".join(
        f"<div class='teaser'><h3><a href='/s/{i}'>Headline number {i} of the day</a></h3>"
        f"<p>Summary {i}: a sentence that reads like a story, with a comma, and a full stop.</p></div>"
        for i in range(10_000)
    )
    start = time.process_time()
    article = extract_article(_page(f"<div class='list'>{units}</div>"))
    assert time.process_time() - start < 10.0  # CPU seconds; about 1 s, 12 s when it was quadratic
    assert article.status in {"ok", "not_article", "empty"}


def _opinion(path: str, text: str) -> opinions.Opinion:
    element = etree.Element("p")
    return opinions.Opinion(path, [Block("paragraph", element, text)])


def test_an_opinion_with_the_same_text_confirms_the_cascade_against_longer_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = " ".join(SENTENCE.replace("budget", f"budget {i}") for i in range(4))
    gallery = " ".join(f"Caption {i} of a picture in the gallery, with its agency credit." for i in range(80))
    mine = _opinion("cascade", story)
    longer = [_opinion("microdata", story + gallery), _opinion("paragraph-run", story + gallery)]
    # Readability's reading of the same story, with a credit line more.
    same = _opinion("readability", story + " Photo: City of Harbourtown, press office.")
    assert opinions.arbitrate(mine, [*longer, same]) is mine
    # Below the bar of the same text, the two agreeing longer readings outvote it.
    monkeypatch.setattr(T, "OPINIONS_SAME_TEXT", 1.0)
    assert opinions.arbitrate(mine, [*longer, same]).path != "cascade"
