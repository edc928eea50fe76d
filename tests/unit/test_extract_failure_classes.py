"""Synthetic pages, one per failure class of the main-text passes (issue 11: A-F), and the safety net.

Each page is small and made up, shaped like the failure seen on real pages: the test names the class
and what must hold, not the site it came from.
"""

from __future__ import annotations

import lxml.html
from newsdigest import extract_article
from newsdigest.extract.content import write_blocks
from newsdigest.extract.measure import measure

SENTENCE = (
    "The council approved the new budget on Tuesday after a long debate about schools, roads and the "
    "future of the harbour, and the mayor said the city would start the first works in spring. "
)


def _body(n: int, word: str = "budget") -> str:
    return "".join(f"<p>{SENTENCE.replace('budget', f'{word} {i}')}</p>" for i in range(n))


def _page(inner: str, title: str = "Council approves the budget") -> str:
    return f"<html><head><title>{title}</title></head><body>{inner}</body></html>"


def test_a_one_class_word_on_the_body_wrapper_does_not_delete_the_body() -> None:
    for word in ("article-overlay-handle", "subscriber-only", "section-and-ad"):
        html = _page(
            "<header><h1>Council approves the budget</h1></header>"
            f"<div class='{word}'>{_body(6)}</div>"
            "<footer><p>Contact us, imprint and privacy policy of the newspaper.</p></footer>"
        )
        article = extract_article(html)
        assert article.status == "ok", word
        assert "budget 0" in article.text and "budget 5" in article.text, word


def test_b_bare_text_beside_an_archive_sidebar_is_not_skipped_with_the_widened_wrapper() -> None:
    text = "<br>".join(SENTENCE.replace("budget", f"budget {i}") for i in range(5))
    sidebar = "".join(f"<li><a href='/a/{i}'>Archive of month number {i:02d}</a></li>" for i in range(40))
    html = _page(
        "<h1>Council approves the budget</h1>"
        "<div id='wrap'><p class='intro'>A short introduction to the story, written by the desk.</p>"
        f"<div class='row'><div class='text'>{text}</div><ul class='archive'>{sidebar}</ul></div></div>"
    )
    article = extract_article(html)
    assert article.status == "ok"
    assert "budget 0" in article.text and "budget 4" in article.text
    assert "Archive of month" not in article.text


def test_c_hidden_copies_are_not_protected() -> None:
    html = _page(
        "<h1>Council approves the budget</h1>"
        f"<div class='story'>{_body(5)}</div>"
        f"<div style='display:none' itemprop='articleBody'>{_body(5)}</div>"
        "<div class='templates' hidden><h1>Log in</h1>"
        "<p>Hello {* user_name *}, welcome back to your account page.</p></div>"
    )
    article = extract_article(html)
    assert article.text.count("budget 0") == 1
    assert "{*" not in article.text and "Log in" not in article.text


def test_d_a_teaser_list_with_long_punctuated_summaries_is_not_the_article() -> None:
    teasers = "".join(
        f"<li><h3><a href='/news/{i}'>Breaking story number {i}</a></h3>"
        f"<p>Officials said on Monday that the event, which drew crowds, would be repeated. "
        f"More details are expected later, they added, after talks.</p></li>"
        for i in range(10)
    )
    html = _page(
        "<h1>Council approves the budget</h1>"
        f"<div class='main'><div class='story'>{_body(4)}</div></div>"
        f"<div class='breaking'><ul>{teasers}</ul></div>"
    )
    article = extract_article(html)
    assert "budget 0" in article.text and "budget 3" in article.text
    assert "Breaking story" not in article.text and "drew crowds" not in article.text


def test_e_repeats_inside_the_body_are_kept_repeats_of_furniture_are_not() -> None:
    rows = "".join(
        f"<tr><td>Day {d}</td><td>Breakfast: oatmeal with berries, a spoon of honey and green tea.</td></tr>"
        for d in range(1, 5)
    )
    quote = SENTENCE.replace("budget", "budget 1")
    html = _page(
        "<h1>Council approves the budget</h1>"
        f"<div class='story'>{_body(3)}<table>{rows}</table>{_body(2, 'plan')}"
        f"<div class='pull'><p>{quote}</p></div></div>"
    )
    article = extract_article(html)
    assert article.text.count("Breakfast: oatmeal with berries") == 4
    assert article.text.count("budget 1 ") == 1


def test_f_a_picture_caption_outside_figure_is_dropped() -> None:
    html = _page(
        "<h1>Council approves the budget</h1>"
        f"<div class='story'>{_body(2)}"
        "<div class='image'><img src='/p.jpg'><p>Rescuers search the rubble in the city centre on Monday.</p>"
        "<span>REUTERS/Jane Doe</span></div>"
        f"{_body(2, 'plan')}</div>"
    )
    article = extract_article(html)
    assert "plan 1" in article.text
    assert "Rescuers search" not in article.text and "REUTERS" not in article.text


def test_the_safety_net_records_its_path_and_never_returns_an_article_page_empty() -> None:
    # Everything the cascade would read is marked as a comment box; the paragraphs are still an article.
    html = _page(f"<div class='comment-thread-like'>{_body(6)}</div>")
    article = extract_article(html)
    assert article.status == "ok"
    assert "budget 5" in article.text
    assert article.extraction != "none"
    assert article.to_dict()["extraction"] == article.extraction


def test_the_cascade_path_is_recorded() -> None:
    article = extract_article(_page(f"<h1>Council approves the budget</h1><article>{_body(4)}</article>"))
    assert article.extraction == "cascade"


def test_a_gallery_set_between_the_paragraphs_goes_however_long_its_captions() -> None:
    captions = "".join(
        f"<li><h2>{i}/10 Picture {i}</h2><p>Caption {i}: {SENTENCE}</p></li>" for i in range(10)
    )
    html = _page(
        "<h1>Council approves the budget</h1>"
        f"<div class='story'>{_body(3)}<div class='widget'><div class='full-gallery'><ul>{captions}</ul>"
        f"</div></div>{_body(3, 'plan')}</div>"
    )
    article = extract_article(html)
    assert "budget 0" in article.text and "plan 2" in article.text
    assert "Caption 0" not in article.text and "Caption 9" not in article.text
    # Alone on its page, the gallery is the page's text: kept.
    alone = extract_article(_page(f"<h1>Pictures</h1><div class='full-gallery'><ul>{captions}</ul></div>"))
    assert "Caption 0" in alone.text


def test_the_writers_sign_off_is_kept_box_labels_credits_and_initials_are_not() -> None:
    for sign_off in ("Euer Hans", "x Franzi", "XX, Die Redaktion"):
        html = _page(
            f"<h1>Council approves the budget</h1><div class='entry'>{_body(5)}<p>{sign_off}</p>"
            "<div class='deal'><a href='/deal/1'>Zum Deal</a></div></div>"
        )
        assert extract_article(html).text.endswith(sign_off), sign_off
    for closing in ("Mehr zum Thema:", "Crédits photos : Bestimage", "aja/PAP"):
        html = _page(
            f"<h1>Council approves the budget</h1><div class='entry'>{_body(5)}<p>{closing}</p>"
            "<div class='deal'><a href='/deal/1'>Zum Deal</a></div></div>"
        )
        assert closing not in extract_article(html).text, closing


def test_a_short_list_of_punctuated_points_with_a_few_links_is_text() -> None:
    points = (
        "<ul><li>Fixed the start-up issue, when an add-on is updated "
        "(<a href='/b/1'>Bug 1664144, add-ons</a>).</li>"
        "<li>Cleaned up the settings page, thanks to a volunteer "
        "(<a href='/b/2'>Bug 1678173, settings</a>).</li></ul>"
    )
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_body(4)}{points}{_body(2, 'plan')}</div>"
    )
    text = extract_article(html).text
    assert "Fixed the start-up issue" in text and "Cleaned up the settings page" in text
    menu = "<ul><li><a href='/a'>Home</a></li><li><a href='/b'>Politics</a></li><li>Sport</li></ul>"
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_body(4)}{menu}{_body(2, 'plan')}</div>"
    )
    assert "Politics" not in extract_article(html).text


def test_a_kicker_above_a_heading_is_dropped() -> None:
    html = _page(
        f"<div class='story'><span>Politics</span><h2>The council says yes to the budget</h2>{_body(4)}</div>"
    )
    text = extract_article(html).text
    assert text.startswith("The council says yes to the budget")


def test_a_headings_anchor_id_made_of_its_words_is_no_furniture_word() -> None:
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_body(3)}"
        f"<h2 id='nav_the_vote_in_the_council__1'>The vote in the council</h2>{_body(3, 'plan')}"
        f"<h2 id='nav-menu'>Sections</h2></div>"
    )
    text = extract_article(html).text
    assert "The vote in the council" in text
    assert "Sections" not in text


def test_the_last_item_of_a_list_before_a_skipped_box_stays() -> None:
    items = "".join(f"<li>Point {i} without a full stop</li>" for i in range(3))
    box = (
        "<div class='more'>"
        + "".join(f"<a href='/s/{i}'>Other story number {i}</a> " for i in range(5))
        + "</div>"
    )
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_body(4)}<ul>{items}</ul>{box}"
        f"{_body(2, 'plan')}</div>"
    )
    text = extract_article(html).text
    assert "Point 2 without a full stop" in text
    assert "Other story" not in text
    # A label line before the same box still goes with it.
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_body(4)}<p>Read more</p>{box}"
        f"{_body(2, 'plan')}</div>"
    )
    assert "Read more" not in extract_article(html).text


def test_a_sentence_introducing_a_skipped_box_is_text_a_label_is_not() -> None:
    box = (
        "<div class='more'>"
        + "".join(f"<a href='/s/{i}'>Other story number {i}</a> " for i in range(5))
        + "</div>"
    )
    for line, kept in (
        ("There are several reasons why the council voted for it:", True),
        ("Read also:", False),
    ):
        html = _page(
            f"<h1>Council approves the budget</h1><div class='entry'>{_body(4)}<p>{line}</p>{box}"
            f"{_body(2, 'plan')}</div>"
        )
        assert (line in extract_article(html).text) is kept, line


def _section(heading: str, word: str, tag: str = "h2") -> str:
    return f"<{tag}>{heading}</{tag}>{_body(2, word)}"


_HATNOTE = (
    "<div role='note' class='hatnote'>Main article: "
    "<a href='/wiki/Economy_of_the_harbour_city'>Economy of the harbour city and its port</a></div>"
)
_RELATED = (
    "<ul>"
    + "".join(f"<li><a href='/news/{i}'>Another story about the harbour, part {i}</a></li>" for i in range(4))
    + "</ul>"
)
# A box that names itself like a section's note, though it lists other stories.
_READ_ALSO = (
    "<div>Read also: "
    + " ".join(f"<a href='/news/{i}'>Another story about the harbour, part {i}</a>" for i in range(2))
    + "</div>"
)


def test_a_section_heading_before_a_skipped_note_stays_when_the_section_goes_on() -> None:
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_section('History', 'plan')}"
        f"<h2>Economy</h2>{_HATNOTE}{_body(3, 'port')}{_section('Transport', 'road')}</div>"
    )
    text = extract_article(html).text
    assert "Main article" not in text
    assert "\nEconomy\n" in text and "port 0" in text.split("Economy")[1]


def test_a_related_heading_before_a_link_list_goes_with_it() -> None:
    # Another heading after the list: the heading named the list.
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_section('History', 'plan')}"
        f"<h2>Related stories</h2>{_RELATED}{_section('Transport', 'road')}</div>"
    )
    text = extract_article(html).text
    assert "Related stories" not in text and "Another story" not in text
    assert "Transport" in text


def test_a_related_box_set_between_the_story_paragraphs_goes_with_its_heading() -> None:
    # The heading stands alone at its level (the text's own sections have <h2> headings): it named
    # the list, and goes with it although the story goes on after the list.
    html = _page(
        f"<h1>Council approves the budget</h1><div class='entry'>{_section('History', 'plan')}"
        f"{_body(2)}<h3>Related</h3>{{}}{_body(3, 'port')}{_section('Transport', 'road')}</div>"
    )
    for box in (_RELATED, _READ_ALSO):
        text = extract_article(html.format(box)).text
        assert "Related" not in text and "Another story" not in text, box
        assert "port 2" in text and "History" in text and "Transport" in text


def test_a_heading_before_a_skipped_box_goes_when_the_text_after_it_is_outside_their_box() -> None:
    # The writer alone, on the chosen block: a readers' box (two lines of appeal, a heading, a list
    # of photo links) between the story's paragraphs. The paragraphs after it are the story's, not
    # the heading's section, though its level heads the story's sections.
    links = " ".join(f"<a href='/photo/{i}'>Photo of the harbour number {i}</a>" for i in range(2))
    readers = (
        "<div><p>Add your own photo of the harbour works, share it with the other readers, vote: the "
        "best one wins.</p><p>Every week our readers send us their pictures of the harbour, the ships "
        "and the new quay, and we print the best of them.</p>"
        f"<h2>Readers' photos</h2><div>Photos: {links}</div></div>"
    )
    root = lxml.html.fromstring(
        f"<html><body><div>{_section('History', 'plan')}{_body(2)}{readers}{_body(3, 'port')}"
        f"{_section('Transport', 'road')}</div></body></html>"
    )
    block = root.find("body/div")
    assert block is not None
    texts = [b.text for b in write_blocks([block], measure(root), None)]
    assert "Readers' photos" not in texts and "Photo of the harbour number 0" not in texts
    assert "History" in texts and "Transport" in texts
