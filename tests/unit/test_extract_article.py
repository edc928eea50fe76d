"""Whole-page behaviour of ``extract_article``: what is kept, what is dropped, which fields are set."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from newsdigest import extract_article
from newsdigest.errors import InputError
from newsdigest.models import Article

BODY = [
    "Die Stadt hat am Montag beschlossen, die Brücke über den Fluss vollständig zu erneuern, wie der "
    "Bürgermeister mitteilte.",
    "Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern; der Verkehr wird in dieser "
    "Zeit umgeleitet.",
    "Anwohner hatten sich seit Jahren über Lärm und Schlaglöcher beklagt, und eine Initiative "
    "sammelte Unterschriften.",
    "Die Kosten von 40 Millionen Euro teilen sich Land und Stadt, der Bund beteiligt sich mit einem "
    "kleineren Zuschuss.",
]


def _page(extra_head: str = "", before: str = "", inside: str = "", after: str = "", lang: str = "de") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!doctype html><html lang="{lang}"><head>
<title>Brücke wird erneuert | Stadtanzeiger</title>
<meta property="og:site_name" content="Stadtanzeiger">
<meta name="description" content="Die Brücke wird erneuert.">
<link rel="canonical" href="/lokales/bruecke">
{extra_head}</head><body>
<header class="site-header">
<nav><a href="/">Start</a> <a href="/lokales">Lokales</a> <a href="/sport">Sport</a></nav></header>
<div class="cookie-banner">Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten. Akzeptieren?</div>
<ol class="breadcrumb"><li><a href="/">Start</a></li><li><a href="/lokales">Lokales</a></li></ol>
{before}
<article>
<h1>Brücke wird erneuert</h1>
<p class="byline">Von Erika Mustermann</p>
<time datetime="2021-03-04T08:00:00+01:00">4. März 2021</time>
<div class="share-bar"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">E-Mail</a></div>
{paragraphs}
<h2>Was Anwohner erwartet</h2>
<ul><li>Umleitung über die Hauptstraße während der gesamten Bauzeit</li>
<li>Nachtarbeit nur in Ausnahmefällen und mit Ankündigung</li></ul>
<blockquote>„Wir sind froh, dass es endlich losgeht“, sagte eine Anwohnerin der Zeitung.</blockquote>
{inside}
</article>
<aside class="related"><h3>Mehr zum Thema</h3>
<ul><li><a href="/a">Neue Ampel am Markt</a></li><li><a href="/b">Radweg gesperrt</a></li></ul></aside>
<div class="newsletter-box">Abonnieren Sie unseren Newsletter und verpassen Sie keine Nachricht
aus der Region mehr!</div>
<section id="comments" class="comments">
<p>Leser123: Das wurde aber auch Zeit, die Brücke ist seit Jahren marode und gefährlich.</p></section>
{after}
<footer class="site-footer"><p>© 2021 Stadtanzeiger – Impressum – Datenschutz</p></footer>
</body></html>"""


def _extract(html: str, url: str = "https://www.stadtanzeiger.example/lokales/bruecke") -> Article:
    return extract_article(html.encode("utf-8"), url)


def test_main_text_in_reading_order_without_furniture() -> None:
    article = _extract(_page())
    text = article.text
    positions = [text.index(p) for p in BODY]
    assert positions == sorted(positions)
    for kept in [
        "Was Anwohner erwartet",
        "Umleitung über die Hauptstraße",
        "Wir sind froh, dass es endlich losgeht",
    ]:
        assert kept in text
    for dropped in [
        "Cookies",
        "Lokales",
        "Facebook",
        "Mehr zum Thema",
        "Neue Ampel",
        "Newsletter",
        "Leser123",
        "Impressum",
        "Von Erika Mustermann",
    ]:
        assert dropped not in text, dropped
    assert "\n\n" in text
    assert text.count(BODY[0]) == 1


def test_fields() -> None:
    article = _extract(_page())
    assert article.status == "ok"
    assert article.reason is None
    assert article.title == "Brücke wird erneuert"
    assert article.authors == ["Erika Mustermann"]
    assert article.published == "2021-03-04T08:00:00+01:00"
    assert article.site_name == "Stadtanzeiger"
    assert article.language == "de"
    assert article.canonical_url == "https://www.stadtanzeiger.example/lokales/bruecke"
    assert article.description == "Die Brücke wird erneuert."
    assert article.encoding == "utf-8"
    assert article.url == "https://www.stadtanzeiger.example/lokales/bruecke"
    assert "Brücke wird erneuert" not in article.text  # the title is not repeated in the text


def test_jsonld_metadata_wins() -> None:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Stadtanzeiger"},
            {
                "@type": "NewsArticle",
                "headline": "Brücke wird erneuert",
                "author": [
                    {"@type": "Person", "name": "Max Muster"},
                    {"@type": "Person", "name": "Eva Beispiel"},
                ],
                "datePublished": "2021-03-03T19:00:00+01:00",
                "dateModified": "2021-03-05T10:00:00+01:00",
                "articleSection": "Lokales",
                "keywords": "Brücke, Verkehr",
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    article = _extract(_page(extra_head=head), url="https://www.stadtanzeiger.example/lokales/bruecke")
    assert article.authors == ["Max Muster", "Eva Beispiel"]
    assert article.published == "2021-03-03T19:00:00+01:00"
    assert article.modified == "2021-03-05T10:00:00+01:00"
    assert article.section == "Lokales"
    assert article.tags == ["Brücke", "Verkehr"]


def test_jsonld_article_body_rescues_a_page_without_markup_text() -> None:
    body = "\n".join(BODY)
    data = {"@type": "NewsArticle", "headline": "Brücke", "articleBody": body}
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
        '<body><div id="app"><a href="/">Start</a></div></body></html>'
    )
    article = _extract(html)
    assert article.status == "ok"
    assert article.text.split("\n\n") == BODY


def test_url_date_beats_a_meta_date() -> None:
    head = '<meta property="article:published_time" content="2022-01-01T00:00:00Z">'
    article = _extract(_page(extra_head=head), url="https://example.org/2021/03/04/bruecke")
    assert article.published == "2021-03-04"


def test_lead_paragraph_in_header_is_kept() -> None:
    lead = "Nach jahrelangem Streit ist die Entscheidung gefallen: Die alte Brücke wird neu gebaut."
    html = _page().replace(
        "<h1>Brücke wird erneuert</h1>",
        f"<header><h1>Brücke wird erneuert</h1><p class='lead'>{lead}</p></header>",
    )
    assert lead in _extract(html).text


def test_dateline_is_parsed_from_the_first_paragraph() -> None:
    html = _page().replace(BODY[0], "BERLIN (dpa) - " + BODY[0])
    article = _extract(html)
    assert article.dateline is not None
    assert article.dateline.location == "BERLIN"
    assert article.dateline.agency == "dpa"


def test_language_detected_when_not_declared() -> None:
    html = _page().replace('<html lang="de">', "<html>")
    assert _extract(html).language == "de"


def test_wrong_declared_language_is_corrected_by_a_clear_reading() -> None:
    html = _page(lang="en")
    assert _extract(html).language == "de"


def test_to_dict_round_trip() -> None:
    article = _extract(_page())
    again = Article.from_dict(article.to_dict())
    assert again == article


def test_marked_dateline_span_stays_in_the_text_and_is_parsed() -> None:
    first = '<span class="text-content__dateline">MOSCOW, May 11. /TASS/.</span> ' + BODY[0]
    html = _page().replace(f"<p>{BODY[0]}</p>", f"<p>{first}</p>")
    html = html.replace(
        "</head>", '<meta property="article:published_time" content="2021-05-11T10:00:00+03:00"></head>'
    )
    article = _extract(html, url="https://example.org/lokales/bruecke")
    assert article.dateline is not None
    assert article.dateline.raw == "MOSCOW, May 11. /TASS/."
    assert article.dateline.location == "MOSCOW"
    assert article.dateline.agency == "TASS"
    assert article.dateline.date == "2021-05-11"
    assert "MOSCOW, May 11. /TASS/. Die Stadt hat am Montag" in article.text


def test_picture_caption_with_credit_is_dropped() -> None:
    caption = "Die alte Brücke im Winter. (Foto: Stadtarchiv)"
    html = _page().replace(
        "<h2>Was Anwohner erwartet</h2>", f"<div><p>{caption}</p></div><h2>Was Anwohner erwartet</h2>"
    )
    text = _extract(html).text
    assert "Stadtarchiv" not in text
    assert BODY[-1] in text


def test_small_box_after_the_body_is_dropped_but_a_lead_before_it_kept() -> None:
    lead = "Nach jahrelangem Streit ist die Entscheidung gefallen: Die alte Brücke wird neu gebaut."
    appeal = "Unterstützen Sie unabhängigen Journalismus mit einem Beitrag!"
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY + BODY[::-1][:2])
    html = f"""<html><head><title>Brücke wird erneuert</title></head><body>
<h1>Brücke wird erneuert</h1>
<div class="wrap"><div class="intro"><p>{lead}</p></div>
<div class="body">{paragraphs}</div>
<div class="box"><p>{appeal}</p></div></div>
</body></html>"""
    text = _extract(html).text
    assert lead in text
    assert BODY[-1] in text
    assert "Unterstützen Sie" not in text


def test_small_box_after_the_last_paragraph_of_the_body_is_dropped() -> None:
    html = _page(inside='<div class="box"><p>Gefällt Ihnen unser Lokalteil? Jetzt teilen!</p></div>')
    text = _extract(html).text
    assert "Wir sind froh, dass es endlich losgeht" in text
    assert "Lokalteil" not in text


def test_box_of_short_linked_teasers_inside_the_body_is_skipped() -> None:
    teasers = "".join(
        f'<p><a href="/{i}">{kicker}</a> {line}</p>'
        for i, (kicker, line) in enumerate(
            [
                ("Verkehr in der Stadt", "Neue Ampel am Markt, damit es weniger Unfälle gibt."),
                ("Radwege im Umland", "Sperrung an der Uferstraße: Sie dauert bis Mai."),
                ("Aus dem Stadtrat", "Haushalt für das kommende Jahr beschlossen, knapp."),
                ("Kultur am Abend", "Das Stadttheater zeigt im Herbst drei neue Stücke."),
                ("Sport in der Region", "Der Ruderclub feiert sein hundertjähriges Bestehen."),
                ("Aus den Schulen", "Die Gesamtschule bekommt eine neue, größere Mensa."),
            ]
        )
    )
    html = _page().replace(
        "<h2>Was Anwohner erwartet</h2>",
        f"<div><h6>Auch interessant</h6>{teasers}</div><h2>Was Anwohner erwartet</h2>",
    )
    text = _extract(html).text
    assert "Neue Ampel" not in text
    assert "Haushalt für das kommende Jahr" not in text
    assert "Umleitung über die Hauptstraße" in text


def test_accordion_marked_as_tab_list_keeps_its_paragraphs() -> None:
    section = (
        "Die Verwaltung hat dazu ein Gutachten in Auftrag gegeben, das die Tragfähigkeit der alten Pfeiler "
        "prüft. Es kommt zu dem Schluss, dass zwei von ihnen ersetzt werden müssen, bevor der Neubau des "
        "Überbaus beginnen kann, und empfiehlt, die Arbeiten in zwei Abschnitten auszuführen."
    )
    accordion = (
        '<div class="panel-group" role="tablist"><div class="panel"><h2>Das Gutachten</h2>'
        f'<div class="panel-collapse collapse" role="tabpanel"><p>{section}</p><p>{section}</p></div>'
        "</div></div>"
    )
    text = _extract(_page(inside=accordion)).text
    assert "Tragfähigkeit der alten Pfeiler" in text
    assert BODY[0] in text


def test_table_wrapped_in_a_figure_is_kept_without_its_caption() -> None:
    table = (
        '<figure class="wp-block-table"><table><tr><th>Abschnitt</th><th>Beginn der Arbeiten</th></tr>'
        "<tr><td>Nordrampe und Widerlager</td><td>März, nach dem Ende der Frostperiode</td></tr>"
        "<tr><td>Mittelteil über dem Fluss</td><td>Juni, wenn der Pegel niedrig ist</td></tr></table>"
        "<figcaption>Zeitplan der Bauabschnitte</figcaption></figure>"
    )
    html = _page().replace("<h2>Was Anwohner erwartet</h2>", f"{table}<h2>Was Anwohner erwartet</h2>")
    text = _extract(html).text
    assert "Nordrampe und Widerlager" in text
    assert "Zeitplan der Bauabschnitte" not in text


def test_body_continuing_in_a_sibling_box_with_a_read_also_card_is_kept() -> None:
    more = (
        "Der Stadtrat will die Bürger im Sommer in einer Versammlung über den Zeitplan der Arbeiten "
        'informieren, sagte eine <a href="/rat">Sprecherin der Verwaltung</a> am Dienstag.'
    )
    card = (
        '<div class="card"><div class="label">Lesen Sie auch</div><h4><a href="/x">Neue Ampel am Markt '
        'soll den Verkehr beruhigen und Unfälle vermeiden</a></h4><h4><a href="/y">Radweg an der Uferstraße '
        'bleibt bis zum Mai gesperrt, die Umleitung ist ausgeschildert</a></h4><h4><a href="/z">Stadttheater '
        "zeigt im Herbst drei neue Stücke für Kinder und Erwachsene</a></h4>"
        '<a href="/x">Weiterlesen</a></div>'
    )
    paragraphs = "".join(f"<p>{p}</p><p>{p.replace('Stadt', 'Gemeinde')}</p>" for p in BODY)
    html = f"""<html><head><title>Brücke wird erneuert</title></head><body>
<h1>Brücke wird erneuert</h1>
<div class="wrap"><div class="part">{paragraphs}</div>
<div class="part2"><p>{more}</p><p>{more.replace("Sommer", "Herbst")}</p>
<p>{more.replace("Sommer", "Mai")}</p><p>{more.replace("Sommer", "Juni")}</p>{card}
<p>Zuletzt war die Brücke im Jahr 1998 saniert worden, damals für rund zwölf Millionen Mark.</p></div></div>
</body></html>"""
    text = _extract(html).text
    assert BODY[0] in text
    assert "Versammlung über den Zeitplan" in text
    assert "Neue Ampel" not in text


def test_list_closing_the_text_is_kept_but_not_a_list_of_rating_labels() -> None:
    points = (
        "<h2>Das Wichtigste in Kürze</h2><ul><li>Baubeginn im Frühjahr nach dem Ende der Frostperiode</li>"
        "<li>Umleitung über die Hauptstraße während der gesamten Bauzeit</li>"
        "<li>Kosten von 40 Millionen Euro für Land und Stadt</li></ul>"
    )
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"""<html><head><title>Brücke wird erneuert</title></head><body>
<h1>Brücke wird erneuert</h1><div class="text">{paragraphs}{points}</div></body></html>"""
    text = _extract(html).text
    assert "Baubeginn im Frühjahr nach dem Ende der Frostperiode" in text
    stars = "<ul><li>1 Stern</li><li>2 Sterne</li><li>3 Sterne</li><li>4 Sterne</li></ul>"
    text = _extract(html.replace(points, stars)).text
    assert "Sterne" not in text


def test_only_the_story_under_the_page_headline_is_kept_when_more_stories_follow() -> None:
    def story(headline: str, word: str) -> str:
        paragraphs = "".join(f"<p>{p.replace('Brücke', word)}</p>" for p in BODY)
        return f"<article><header><h2>{headline}</h2></header><div>{paragraphs * 3}</div></article>"

    html = f"""<html><head><title>Brücke wird erneuert | Stadtanzeiger</title></head><body>
<main><div class="list">{story("Brücke wird erneuert", "Brücke")}
{story("Neue Schule für den Norden", "Schule")}
{story("Markt zieht um", "Markthalle")}</div></main></body></html>"""
    text = _extract(html).text
    assert BODY[0] in text
    assert "Schule" not in text
    assert "Markthalle" not in text


def test_php_error_messages_printed_into_the_page_are_dropped() -> None:
    error = (
        "Deprecated: preg_replace(): The /e modifier is deprecated, use preg_replace_callback instead in "
        "/www/htdocs/site/wp-includes/formatting.php on line 82<br>"
    )
    html = _page().replace("<h1>Brücke wird erneuert</h1>", f"<h1>Brücke wird erneuert</h1><p>{error}</p>")
    html = html.replace(f"<p>{BODY[1]}</p>", f"<p>{error}{BODY[1]}</p>")
    text = _extract(html).text
    assert "preg_replace" not in text
    assert BODY[1] in text


def test_jsonld_article_body_written_in_markdown_is_unmarked() -> None:
    body = "\n\n".join(
        [
            f"**{BODY[0]}**",
            "[#image: /photos/61979e4b]|||Die alte Brücke im Winter",
            "+++group-2",
            "### Was Anwohner erwartet",
            BODY[1].replace("umgeleitet", "[umgeleitet](https://example.org/umleitung)"),
            *BODY[2:],
        ]
    )
    data = {"@type": "NewsArticle", "headline": "Brücke", "articleBody": body}
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
        '<body><div id="app"><a href="/">Start</a></div></body></html>'
    )
    assert _extract(html).text.split("\n\n") == [BODY[0], "Was Anwohner erwartet", *BODY[1:]]


def test_paragraph_wrapped_in_its_own_box_keeps_its_links() -> None:
    linked = (
        'Die <a href="/verkehr/umleitung">Umleitung über die Hauptstraße</a> gilt ab Anfang März, '
        "teilte die Verwaltung mit; Busse halten dann an Ersatzhaltestellen."
    )
    html = _page().replace(f"<p>{BODY[2]}</p>", f'<div class="module"><p>{linked}</p></div><p>{BODY[2]}</p>')
    text = _extract(html).text
    assert "Die Umleitung über die Hauptstraße gilt ab Anfang März," in text


def test_teaser_tiles_marked_up_as_articles_are_skipped() -> None:
    tiles = "".join(
        f'<article class="tile"><a href="/{i}"><span>{headline}</span><span>Köln</span></a></article>'
        for i, headline in enumerate(
            [
                "Sturm-Sorge beim Fußballclub: Offensive schießt keine Tore",
                "Großdemo in der Innenstadt: Versammlungen friedlich abgelaufen",
                "Heute wird ein riesiger Ansturm auf den Weihnachtsmarkt erwartet",
            ]
        )
    )
    html = _page().replace("<h2>Was Anwohner erwartet</h2>", f"{tiles}<h2>Was Anwohner erwartet</h2>")
    text = _extract(html).text
    assert BODY[0] in text
    assert "Offensive schießt keine Tore" not in text


def test_closing_follow_us_line_is_dropped_but_a_quoted_post_is_not() -> None:
    follow = (
        '<p>Folgen Sie uns auf <a href="https://www.instagram.com/stadtanzeiger/">Instagram</a> und '
        '<a href="https://twitter.com/stadtanzeiger">Twitter</a>, dort gibt es alle Neuigkeiten.</p>'
    )
    text = _extract(_page(inside=follow)).text
    assert "Folgen Sie uns" not in text
    assert "Wir sind froh, dass es endlich losgeht" in text
    quoted = (
        '<p>Der Bürgermeister <a href="https://twitter.com/buergermeister/status/123">schrieb am Abend</a>, '
        "die Stadt habe lange genug gewartet.</p>"
    )
    assert "schrieb am Abend" in _extract(_page(inside=quoted)).text


def test_closing_subscribe_line_is_dropped() -> None:
    call = (
        "<p>Ihnen hat der Artikel gefallen? Dann abonnieren Sie unseren "
        '<a href="/newsletter/anmeldung">Newsletter</a>!</p>'
    )
    text = _extract(_page(inside=call)).text
    assert "abonnieren" not in text
    assert "Wir sind froh, dass es endlich losgeht" in text


def test_closing_app_and_channel_lines_are_dropped() -> None:
    calls = (
        '<p>Laden Sie unsere App für <a href="https://apps.apple.com/de/app/stadtanzeiger/id1">iOS</a> '
        'und <a href="https://play.google.com/store/apps/details?id=de.stadtanzeiger">Android</a>.</p>'
        '<p>Folgen Sie uns auch auf <a href="https://t.me/stadtanzeiger">Telegram</a>.</p>'
    )
    text = _extract(_page(inside=calls)).text
    assert "App" not in text
    assert "Telegram" not in text
    assert "Wir sind froh, dass es endlich losgeht" in text


def test_sign_up_box_set_into_the_story_is_dropped() -> None:
    box = (
        '<div class="factbox"><h3>Unser Newsletter</h3>'
        "<p>Verpassen Sie keine Nachricht mehr aus der Region.</p>"
        '<p>Tragen Sie sich <a href="/newsletter/anmeldung">hier ein</a> und erhalten Sie jeden Morgen die '
        "wichtigsten Meldungen des Tages, kostenlos und jederzeit kündbar.</p></div>"
    )
    after = "<p>Die Stadtwerke verlegen während der Bauarbeiten auch neue Leitungen unter der Fahrbahn.</p>"
    text = _extract(_page(inside=box + after)).text
    assert "Verpassen Sie keine Nachricht" not in text
    assert "Wir sind froh, dass es endlich losgeht" in text


def test_teaser_cards_under_an_empty_stretched_link_are_skipped() -> None:
    cards = "".join(
        f'<li><article class="card"><div class="text"><h3>{headline}</h3><p>Politik</p></div>'
        f'<a class="links" href="/politik/{n}"></a></article></li>'
        for n, headline in enumerate(
            ["Neue Ampel am Markt wird im Sommer aufgestellt", "Radweg am Fluss bleibt gesperrt", "Rat tagt"]
        )
    )
    text = _extract(_page(inside=f"<ul>{cards}</ul>")).text
    assert "Neue Ampel am Markt" not in text
    assert "Wir sind froh, dass es endlich losgeht" in text


def test_ad_blocker_notice_is_dropped() -> None:
    notice = (
        '<div id="adb-notification"><h3>Sie nutzen einen Werbeblocker.</h3><p>Wir verstehen das. Aber '
        "Werbung finanziert unseren Journalismus, und ohne sie könnten wir nicht so viele Geschichten aus "
        "der Region erzählen.<br>Bitte schalten Sie ihn für unsere Seite aus.<br>Vielen Dank!</p></div>"
    )
    text = _extract(_page(after=notice)).text
    assert "Werbeblocker" not in text
    assert BODY[-1] in text


def test_poll_box_in_the_story_is_dropped() -> None:
    poll = (
        '<div class="wp-polls"><h3>Umfrage</h3><div class="question">Wie kommen Sie während der Bauzeit '
        "zur Arbeit?</div><ul><li><label>Mit dem Rad über die Umleitung am Fluss</label></li>"
        "<li><label>Mit dem Bus, der dann länger braucht</label></li></ul></div>"
    )
    after = "<p>Die Stadtwerke verlegen während der Bauarbeiten auch neue Leitungen unter der Fahrbahn.</p>"
    text = _extract(_page(inside=poll + after)).text
    assert "Mit dem Rad über die Umleitung" not in text
    assert "Wir sind froh, dass es endlich losgeht" in text


def test_box_with_a_namespaced_hide_state_class_is_dropped() -> None:
    message = (
        '<div class="messagebox h--hide"><p>Vielen Dank für Ihre Registrierung. Sie haben jetzt den '
        "Aktivierungslink für Ihr Konto per E-Mail erhalten.</p></div>"
    )
    after = "<p>Die Stadtwerke verlegen während der Bauarbeiten auch neue Leitungen unter der Fahrbahn.</p>"
    text = _extract(_page(inside=message + after)).text
    assert "Registrierung" not in text
    assert "Die Stadtwerke verlegen" in text


def test_live_ticker_commentary_is_kept() -> None:
    entries = [
        "Anpfiff im Stadion am Fluss, beide Mannschaften beginnen vorsichtig und tasten sich ab.",
        "Die erste Ecke für die Gäste bringt nichts ein, der Torwart fängt den Ball sicher.",
        "Tor für die Gastgeber! Nach einem langen Pass trifft der Stürmer flach ins linke Eck.",
    ]
    ticker = "".join(
        f'<div class="live-match-comment"><div class="live-match-comment-time">{minute}\'</div>'
        f'<div class="live-match-comment-body">{entry}</div></div>'
        for minute, entry in zip((1, 12, 34), entries, strict=True)
    )
    page = (
        "<html><head><title>Liveticker: Stadt gegen Land</title></head><body>"
        "<h1>Liveticker: Stadt gegen Land</h1>"
        f'<div class="live-match">{ticker}</div></body></html>'
    )
    text = _extract(page).text
    assert all(entry in text for entry in entries)


def test_overlay_layers_are_dropped_even_when_they_hold_paragraphs() -> None:
    policy = (
        "Diese Datenschutzerklärung beschreibt, welche Daten wir von unseren Besuchern erheben, wie wir "
        "sie speichern und schützen und wofür wir sie verwenden; Sie können ihr jederzeit widersprechen."
    )
    paragraphs = f"<p>{policy}</p>" * 3
    layer = f'<div class="dialog" id="privacy"><h2>Datenschutz</h2>{paragraphs}</div>'
    text = _extract(_page(after=layer)).text
    assert "Datenschutzerklärung" not in text
    assert BODY[0] in text


def test_reader_thread_named_forum_is_dropped_however_long() -> None:
    post = (
        "Ich sehe das ganz anders als der Autor, denn die Brücke hätte man schon vor zehn Jahren "
        "erneuern müssen, und die Stadt hat das Geld lieber für andere Projekte ausgegeben."
    )
    thread = (
        '<ul class="forum">'
        + "".join(
            f'<li><div class="forum-top">Leser {i}</div><div class="forum-texte"><p>{post}</p></div></li>'
            for i in range(3)
        )
        + "</ul>"
    )
    text = _extract(_page(after=thread)).text
    assert "Ich sehe das ganz anders" not in text
    assert BODY[-1] in text


def _link_list(*links: tuple[str, str]) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}">{title}</a></li>' for href, title in links) + "</ul>"


def test_closing_list_of_sources_on_other_sites_is_kept_but_not_own_teasers() -> None:
    sources = "<h2>Quellen</h2>" + _link_list(
        ("https://www.umweltbundesamt.example/bericht", "Bericht des Umweltbundesamts zur Brückensanierung"),
        ("https://verkehr.land.example/pm", "Pressemitteilung des Verkehrsministeriums vom Montag"),
        ("https://www.bauamt.example/plan", "Bauzeitenplan der Brücke mit allen Umleitungen"),
    )
    teasers = _link_list(
        ("https://www.stadtanzeiger.example/a", "Neue Ampel am Markt wird im Sommer aufgestellt"),
        ("https://www.stadtanzeiger.example/b", "Radweg am Fluss bleibt bis zum Herbst gesperrt"),
    )
    text = _extract(_page(inside=sources)).text
    assert "Bericht des Umweltbundesamts zur Brückensanierung" in text
    assert "Pressemitteilung des Verkehrsministeriums vom Montag" in text
    text = _extract(_page(inside=teasers)).text
    assert "Neue Ampel am Markt" not in text


def test_the_cyclic_collector_is_paused_only_for_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdigest.extract import article as article_module

    during: list[bool] = []
    parse = article_module.parse_html

    def parse_recording(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.isenabled())
        return parse(*args, **kwargs)

    monkeypatch.setattr(article_module, "parse_html", parse_recording)
    assert gc.isenabled()
    extract_article(_page(), "https://example.org/lokales/bruecke")
    assert during and not any(during)  # paused while the page is worked on
    assert gc.isenabled()
    with pytest.raises(InputError):
        extract_article(b"   ")
    assert gc.isenabled()  # restored when the call raises too
    gc.disable()
    try:
        extract_article(_page())
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()


@pytest.mark.parametrize("level", ["h2", "h3"])
def test_the_headline_set_in_a_lower_heading_above_the_story_is_the_title_not_text(level: str) -> None:
    html = _page().replace("<h1>Brücke wird erneuert</h1>", f"<{level}>Brücke wird erneuert</{level}>")
    article = _extract(html)
    assert article.title == "Brücke wird erneuert"
    assert not article.text.startswith("Brücke wird erneuert")
    assert article.text.startswith(BODY[0][:40])


def test_a_heading_that_says_the_title_after_the_text_began_stays() -> None:
    # A kicker and a lead come first: the heading below them is the story's own section heading.
    html = (
        _page()
        .replace(f"<p>{BODY[1]}</p>", f"<h2>Brücke wird erneuert</h2><p>{BODY[1]}</p>")
        .replace("<h1>Brücke wird erneuert</h1>", "")
    )
    text = _extract(html).text
    assert "\n\nBrücke wird erneuert\n\n" in text


def _manual(intro_end: str) -> str:
    """A manual whose section headings link back to its contents, as documentation generators write them."""

    def heading(level: int, title: str) -> str:
        anchor = title.lower().replace(" ", "-")
        return (
            f'<h{level}><a class="toc-backref" href="#toc-{anchor}">{title}</a>'
            f'<a class="headerlink" href="#{anchor}">¶</a></h{level}>'
        )

    def section(title: str, para: str) -> str:
        return (
            f"{heading(3, title)}<p>{para}</p>"
            "<pre>$ hg clone public dev-repo\n$ cd dev-repo\n$ hg log --graph</pre>"
        )

    return (
        "<html><head><title>Evolve guide</title></head><body><div class='document'><h1>Evolve guide</h1>"
        "<p>Mutable history is safe to share when everyone involved agrees on the phases of the changesets "
        "they pass around. This guide shows how, step by step, with three repositories.</p>"
        f"{heading(2, 'Sharing with a single developer')}"
        + section(
            "Setting up",
            "We work through an example with three local repositories. First the public "
            "one, then the test repository, then the development one, each made like this" + intro_end,
        )
        + section(
            "Amend a shared changeset",
            "Now we amend a changeset that was already shared. It is "
            "still a draft, so the change is safe to make. Here is how it goes" + intro_end,
        )
        + section(
            "Amend again locally",
            "This process can repeat. Perhaps you find a more elegant fix, and "
            "want to mutate history so nobody ever knows. We implement it locally and push it" + intro_end,
        )
        + "</div></body></html>"
    )


def test_linked_section_headings_of_a_manual_stay_when_their_sections_open_on_a_colon() -> None:
    text = extract_article(_manual(":"), "https://docs.example/evolve/sharing.html").text
    for title in [
        "Sharing with a single developer",
        "Setting up",
        "Amend a shared changeset",
        "Amend again locally",
    ]:
        assert f"\n\n{title}¶\n\n" in text, title


def test_a_linked_heading_above_paragraphs_cut_short_is_another_story() -> None:
    text = extract_article(_manual("…"), "https://docs.example/evolve/sharing.html").text
    assert "Setting up¶" not in text
    assert "Sharing with a single developer¶" not in text


def test_a_name_in_two_ranking_tables_of_the_story_is_in_both() -> None:
    def ranking(by: str, rows: list[tuple[str, str]]) -> str:
        cells = "".join(
            f'<tr class="{"Odd" if i % 2 else "Even"}"><td>{name}</td><td>{n}</td></tr>'
            for i, (name, n) in enumerate(rows)
        )
        return f'<table class="OddEven"><tr><th>Developer</th><th>{by}</th></tr>{cells}</table>'

    names = ["Caolán McNamara", "Stephan Bergmann", "Miklos Vajna", "Robert Antoni Buj Gelonch"]
    tables = ranking("Changesets", [(n, str(900 - 100 * i)) for i, n in enumerate(names)]) + ranking(
        "Lines", [(n, str(9000 - 1000 * i)) for i, n in enumerate(reversed(names))]
    )
    html = _page().replace(f"<p>{BODY[2]}</p>", f"<p>{BODY[2]}</p>{tables}")
    text = _extract(html).text
    assert text.count("Robert Antoni Buj Gelonch") == 2
    assert text.count("Caolán McNamara") == 2


def _noted_page(notes: str) -> str:
    """The story with note marks in its text pointing at ``notes``, whose sources are all linked
    (each entry more link than text, as a reference list's entries are)."""
    marked = (
        _page()
        .replace(
            "wie der Bürgermeister mitteilte.",
            'wie der Bürgermeister mitteilte.<sup><a href="#note-1">[1]</a></sup>',
        )
        .replace("rund zwei Jahre dauern;", 'rund zwei Jahre dauern<sup><a href="#note-2">[2]</a></sup>;')
    )
    return marked.replace("</article>", notes + "</article>")


def test_footnotes_the_text_points_to_are_kept_however_linked_their_sources() -> None:
    notes = (
        "<h2>Einzelnachweise</h2><ol>"
        '<li id="note-1"><a href="#ref-1">^</a> <a href="https://www.stadtanzeiger.example/archiv/2019">'
        "Stadtrat vertagt die Entscheidung über die Brücke erneut</a>. 2019.</li>"
        '<li id="note-2"><a href="#ref-2">^</a> <a href="https://www.stadtanzeiger.example/archiv/2020">'
        "Gutachten zum Zustand der Brücke liegt vor</a>. 2020.</li></ol>"
    )
    text = _extract(_noted_page(notes)).text
    assert "Stadtrat vertagt die Entscheidung über die Brücke erneut" in text
    assert "Gutachten zum Zustand der Brücke liegt vor" in text
    # The same list without marks pointing at it is a list of the outlet's own stories.
    text = _extract(_page(inside=notes)).text
    assert "Stadtrat vertagt die Entscheidung" not in text


def test_a_table_of_contents_leading_to_the_texts_headings_is_kept_with_the_headings() -> None:
    contents = (
        '<div class="toc"><h2>Inhalt</h2><ul>'
        '<li><a href="#plan">Der Plan</a></li><li><a href="#kosten">Die Kosten</a>'
        '<ul><li><a href="#anteile">Die Anteile von Land und Stadt</a></li></ul></li></ul></div>'
    )
    sections = (
        '<h2 id="plan">Der Plan</h2><p>Zuerst wird die alte Brücke abgerissen, dann folgen die neuen '
        "Pfeiler.</p>"
        '<h2><span id="kosten">Die Kosten</span></h2><p>Die Summe ist höher als bei der letzten '
        "Sanierung vor zwanzig Jahren.</p>"
        '<h3 id="anteile">Die Anteile von Land und Stadt</h3><p>Das Land trägt zwei Drittel, die '
        "Stadt den Rest der Summe.</p>"
    )
    html = _page().replace("<p>" + BODY[1] + "</p>", contents + "<p>" + BODY[1] + "</p>")
    article = _extract(html.replace("</article>", sections + "</article>"))
    assert "Die Anteile von Land und Stadt" in article.text
    assert article.html.count("Die Anteile von Land und Stadt") == 2  # the entry and the heading
    assert "<h3>Die Anteile von Land und Stadt</h3>" in article.html
    # A list of links to other pages in the same place stays a menu.
    menu = contents.replace('href="#', 'href="/ressort/')
    html = _page().replace("<p>" + BODY[1] + "</p>", menu + "<p>" + BODY[1] + "</p>")
    assert "Die Anteile von Land und Stadt" not in _extract(html).text


def test_a_short_partly_linked_list_between_two_paragraphs_is_the_texts_enumeration() -> None:
    materials = (
        '<ul><li><a href="/thema/stahlbeton">Stahlbeton</a> aus der Region</li><li>Spannstahl</li>'
        '<li><a href="/thema/granit">Granit</a> für die Pfeiler</li><li>Asphalt</li>'
        '<li><a href="/thema/flusskies">Flusskies</a></li></ul>'
    )
    between = "<p>Gebaut wird mit diesen Materialien.</p>" + materials + "<p>" + BODY[2] + "</p>"
    text = _extract(_page().replace("<p>" + BODY[2] + "</p>", between)).text
    assert "Granit für die Pfeiler" in text
    assert "\n\nFlusskies\n\n" in text  # an entry that is all link is an entry too
    assert text.index("Gebaut wird") < text.index("Spannstahl") < text.index(BODY[2])
    # The same short list after the story's closing quote, with no text after it, is a box of links.
    assert "Granit für die Pfeiler" not in _extract(_page(inside=materials)).text
