"""Title cleaning, authors, dates, datelines and language: the metadata half of the extractor."""

from __future__ import annotations

import pytest
from newsdigest.extract.authors import clean_authors
from newsdigest.extract.dateline import parse_dateline
from newsdigest.extract.dates import date_from_url, find_dates, parse_date
from newsdigest.extract.language import detect_language, normalise_code
from newsdigest.extract.title import choose_title, clean_title
from newsdigest.models import Dateline

# --- titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "site", "url", "expected"),
    [
        ("Bohren, bis es heiß wird | ZEIT ONLINE", "ZEIT ONLINE", None, "Bohren, bis es heiß wird"),
        (
            "Despite everything, U.S. emissions dipped in 2019 - Grist",
            None,
            "https://grist.org/x",
            "Despite everything, U.S. emissions dipped in 2019",
        ),
        ("Spiegel Online - Die Lage am Morgen", None, "https://www.spiegel.de/a", "Die Lage am Morgen"),
        (
            "Krieg in der Ukraine – Politik – tagesschau.de",
            None,
            "https://www.tagesschau.de/a",
            "Krieg in der Ukraine – Politik",
        ),
        ("Wahl in Polen: Ergebnis steht fest", None, None, "Wahl in Polen: Ergebnis steht fest"),
        (
            "Covid : le gouvernement annonce de nouvelles mesures",
            None,
            None,
            "Covid : le gouvernement annonce de nouvelles mesures",
        ),
        (
            "The long road to electric cars - Autos | Example News",
            "Example News",
            None,
            "The long road to electric cars - Autos",
        ),
    ],
)
def test_clean_title_strips_site_decorations(
    raw: str, site: str | None, url: str | None, expected: str
) -> None:
    assert clean_title(raw, site_name=site, url=url) == expected


def test_heading_settles_which_part_is_the_title() -> None:
    raw = "Sazerac - alles über den Cocktail-Klassiker - Leben - watson"
    got = clean_title(raw, headings=["Sazerac - alles über den Cocktail-Klassiker"])
    assert got == "Sazerac - alles über den Cocktail-Klassiker"


def test_short_trailing_parts_are_dropped_without_site_name() -> None:
    assert (
        clean_title("A very long and descriptive headline here | Sport | Foo")
        == "A very long and descriptive headline here"
    )


def test_choose_title_prefers_a_candidate_confirmed_by_h1() -> None:
    got = choose_title(
        ["Site Promo Title", "Real Headline – Site"], site_name="Site", url=None, headings=["Real Headline"]
    )
    assert got == "Real Headline"


def test_choose_title_falls_back_to_heading() -> None:
    assert choose_title([], site_name=None, url=None, headings=["Only a heading"]) == "Only a heading"
    assert clean_title(None) is None
    assert clean_title("   ") is None


# --- authors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["By Jane Doe"], ["Jane Doe"]),
        (["Von Lars Fischer und Alina Schadwinkel"], ["Lars Fischer", "Alina Schadwinkel"]),
        (["Par Jean Dupont"], ["Jean Dupont"]),
        (["Written by Mary Major and John Roe | 12.05.2020, 10:15"], ["Mary Major", "John Roe"]),
        (["https://www.facebook.com/someone"], []),
        (["Jane Doe", "jane doe"], ["Jane Doe"]),
        (["Autor: Piotr Żochowski"], ["Piotr Żochowski"]),
        (["2020-05-11"], []),
        (["Erstellt von Andri Bryner"], ["Andri Bryner"]),
        (["Interview: Julia Lauter"], ["Julia Lauter"]),
        (["Williams Perdomo @wperdomod"], ["Williams Perdomo"]),
        (["Beitrag von r23 »"], ["r23"]),
        (["Christoph Hein", "ca. 8 Min"], ["Christoph Hein"]),
        (["V"], []),
    ],
)
def test_clean_authors(raw: list[str], expected: list[str]) -> None:
    assert clean_authors(raw) == expected


def test_site_name_is_not_an_author_when_people_are_named() -> None:
    assert clean_authors(["Example News", "Jane Doe"], site_name="Example News") == ["Jane Doe"]
    assert clean_authors(["Example News"], site_name="Example News") == ["Example News"]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-10-16T12:30:00+02:00", "2019-10-16T12:30:00+02:00"),
        ("2019-10-16T12:30:00.000Z", "2019-10-16T12:30:00Z"),
        ("2019-10-16", "2019-10-16"),
        ("16.10.2019", "2019-10-16"),
        ("16.10.2019, 14:05 Uhr", "2019-10-16T14:05"),
        ("October 16, 2019", "2019-10-16"),
        ("16 October 2019", "2019-10-16"),
        ("16. Oktober 2019", "2019-10-16"),
        ("16 de octubre de 2019", "2019-10-16"),
        ("16 marca 2021", "2021-03-16"),
        ("Wed, 16 Oct 2019 12:00:00 GMT", "2019-10-16T12:00"),
        ("20191016", "2019-10-16"),
        ("1571227200", "2019-10-16T12:00:00Z"),
        ("not a date", None),
        ("31.02.2019", None),
        ("Tel. 030 123 456", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, expected: str | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/2019/10/16/some-story/", "2019-10-16"),
        ("https://example.com/news/2020-01-05-headline", "2020-01-05"),
        ("https://example.com/a/20211103-story.html", "2021-11-03"),
        ("https://example.com/story/12345678", None),
        ("https://example.com/2019/13/40/x", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: str | None) -> None:
    assert date_from_url(url) == expected


def test_find_dates_in_text_in_order() -> None:
    text = "Veröffentlicht am 3. März 2021 – aktualisiert am 04.03.2021 um 10:00"
    assert [d for _, d in find_dates(text)] == ["2021-03-03", "2021-03-04"]


# --- datelines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        (
            "MOSCOW, May 11. /TASS/. Russia's foreign minister said",
            2021,
            Dateline("MOSCOW, May 11. /TASS/.", "MOSCOW", "2021-05-11", "TASS"),
        ),
        (
            "MOSCOW, May 11. /TASS/. Russia's foreign minister said",
            None,
            Dateline("MOSCOW, May 11. /TASS/.", "MOSCOW", "May 11", "TASS"),
        ),
        (
            "LONDON (Reuters) - British inflation rose",
            None,
            Dateline("LONDON (Reuters) -", "LONDON", None, "Reuters"),
        ),
        ("WASHINGTON (AP) — The Senate voted", None, Dateline("WASHINGTON (AP) —", "WASHINGTON", None, "AP")),
        (
            "LONDON, Oct 16 (Reuters) - Shares fell",
            2019,
            Dateline("LONDON, Oct 16 (Reuters) -", "LONDON", "2019-10-16", "Reuters"),
        ),
        ("PARIS (AFP) - Le gouvernement", None, Dateline("PARIS (AFP) -", "PARIS", None, "AFP")),
        ("Berlin (dpa) - Die Bundesregierung", None, Dateline("Berlin (dpa) -", "Berlin", None, "dpa")),
        ("NEW YORK — Stocks rallied", None, Dateline("NEW YORK —", "NEW YORK", None, None)),
        # Other languages and agencies: the same shapes, in any script.
        (
            "МОСКВА, 11 мая. /ТАСС/. Правительство России одобрило",
            2024,
            Dateline("МОСКВА, 11 мая. /ТАСС/.", "МОСКВА", "2024-05-11", "ТАСС"),
        ),
        ("PARIS (Reuters) - French lawmakers", None, Dateline("PARIS (Reuters) -", "PARIS", None, "Reuters")),
        (
            "BEIJING, Jan. 3 (Xinhua) -- China's exports",
            2024,
            Dateline("BEIJING, Jan. 3 (Xinhua) --", "BEIJING", "2024-01-03", "Xinhua"),
        ),
        ("(CNN) -- A man was arrested", None, Dateline("(CNN) --", None, None, "CNN")),
        ("BERLIN (dpa) - Die Bundesregierung", None, Dateline("BERLIN (dpa) -", "BERLIN", None, "dpa")),
        # CNN's later style: the agency alone, in capitals, without a dash.
        ("(CNN) Donald Sterling's remarks", None, Dateline("(CNN)", None, None, "CNN")),
        (
            "LONDON, England (CNN) -- Police said",
            None,
            Dateline("LONDON, England (CNN) --", "LONDON, England", None, "CNN"),
        ),
        (
            "WASHINGTON, May 11, 2023 (AP) — The Senate",
            2024,
            Dateline("WASHINGTON, May 11, 2023 (AP) —", "WASHINGTON", "2023-05-11", "AP"),
        ),
        (
            "FRANKFURT, 3. Mai (Reuters) - Die Aktien",
            2024,
            Dateline("FRANKFURT, 3. Mai (Reuters) -", "FRANKFURT", "2024-05-03", "Reuters"),
        ),
        (
            "Madrid, 11 may (EFE).- El Gobierno",
            2024,
            Dateline("Madrid, 11 may (EFE).-", "Madrid", "2024-05-11", "EFE"),
        ),
        (
            "Rio de Janeiro (AFP) - Le président",
            None,
            Dateline("Rio de Janeiro (AFP) -", "Rio de Janeiro", None, "AFP"),
        ),
        (
            "МОСКВА, 11 мая — РИА Новости. Президент России",
            2024,
            Dateline("МОСКВА, 11 мая — РИА Новости.", "МОСКВА", "2024-05-11", "РИА Новости"),
        ),
        (
            "КИЇВ, 11 травня. /Укрінформ/. Уряд схвалив",
            2024,
            Dateline("КИЇВ, 11 травня. /Укрінформ/.", "КИЇВ", "11 травня", "Укрінформ"),
        ),
        (
            "(ANSA) - ROMA, 11 MAG - Il governo",
            None,
            Dateline("(ANSA) - ROMA, 11 MAG -", "ROMA", "11 MAG", "ANSA"),
        ),
        ("NEW DELHI, Jan 3 — India's", 2024, Dateline("NEW DELHI, Jan 3 —", "NEW DELHI", "2024-01-03", None)),
    ],
)
def test_parse_dateline(text: str, year: int | None, expected: Dateline) -> None:
    assert parse_dateline(text, year) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on Monday that",
        "Im Jahr 2019 - so die Statistik - stieg",
        "New York - a city",
        "",
        # A bracket after a name is a dateline only with a dash; an aside opening a paragraph is not.
        "Apple (the company) said on Monday",
        "The company (NYSE: ABC) - which makes chips",
        "(Laughter) The audience",
        "(Updated 10:00) Officials said",
        "NEW YORK, Friday 13 — a bare place needs a real month",
    ],
)
def test_no_dateline(text: str) -> None:
    assert parse_dateline(text) is None


# --- language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de-DE", "de"),
        ("en_US", "en"),
        ("FR", "fr"),
        ("deu", "de"),
        ("nb-NO", "no"),
        ("x", None),
        ("", None),
        ("12", None),
    ],
)
def test_normalise_code(code: str, expected: str | None) -> None:
    assert normalise_code(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The government said on Monday that it would not be able to meet the target, and that "
            "the plan was delayed.",
            "en",
        ),
        (
            "Die Regierung hat am Montag gesagt, dass sie das Ziel nicht erreichen wird und der Plan "
            "sich verzögert.",
            "de",
        ),
        (
            "Le gouvernement a déclaré lundi qu'il ne pourrait pas atteindre l'objectif et que le "
            "plan est retardé.",
            "fr",
        ),
        (
            "El gobierno dijo el lunes que no podrá cumplir con el objetivo y que el plan se ha "
            "retrasado por la crisis.",
            "es",
        ),
        (
            "Rząd poinformował w poniedziałek, że nie będzie w stanie osiągnąć celu i że plan jest "
            "opóźniony, a to jest problem.",
            "pl",
        ),
        (
            "De regering zei maandag dat het doel niet kan worden gehaald en dat het plan is "
            "vertraagd door de crisis.",
            "nl",
        ),
        (
            "Правительство заявило в понедельник, что не сможет достичь цели, и что план был отложен "
            "из-за кризиса.",
            "ru",
        ),
        ("国务院总理在人民大会堂会见了来访的代表团，双方就进一步加强合作交换了意见。", "zh"),
        ("政府は月曜日、目標を達成できないと発表しました。計画は遅れています。", "ja"),
        ("الحكومة قالت يوم الاثنين إنها لن تتمكن من تحقيق الهدف وإن الخطة تأخرت بسبب الأزمة.", "ar"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text, min_hits=3)[0] == expected


def test_detect_language_gives_up_on_too_little_text() -> None:
    assert detect_language("12345 !!!") == (None, 0.0)


def _page_with_dates(meta_time: str, printed: str) -> str:
    body = "Der Gemeinderat hat am Abend über den Haushalt beraten und ihn mit knapper Mehrheit beschlossen. "
    return (
        f'<html><head><meta property="article:published_time" content="{meta_time}"></head><body>'
        f"<article><h1>Haushalt beschlossen</h1><p>{printed}</p><p>{body * 4}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("meta_time", "printed", "expected_day"),
    [
        # midnight CET stored as UTC: the printed day is the local one
        ("2021-11-04T23:00Z", "05.11.2021", "2021-11-05"),
        # an evening story in the Americas stamped after 00:00 UTC
        ("2022-05-04T03:37:37+00:00", "3 de mayo de 2022", "2022-05-03"),
        # the wrong direction for a time zone: the machine date stands
        ("2022-05-10T01:52", "11 May 2022", "2022-05-10"),
        # midday: no time zone moves it to another day
        ("2022-05-10T12:00Z", "11.05.2022", "2022-05-10"),
        # an explicit local offset is trusted as it is
        ("2021-11-04T23:00+01:00", "05.11.2021", "2021-11-04"),
    ],
)
def test_published_day_follows_the_printed_day_across_a_utc_midnight(
    meta_time: str, printed: str, expected_day: str
) -> None:
    from newsdigest import extract_article

    article = extract_article(_page_with_dates(meta_time, printed), "https://example.org/haushalt")
    assert article.published is not None
    assert article.published[:10] == expected_day
