"""The publication date: htmldate decides the day; our reading gives the local day and the timestamp."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap

import pytest
from newsdigest import extract_article

BODY = (
    "<p>"
    + "The council met on Tuesday and agreed the budget for the coming year after a long debate. " * 6
    + "</p>"
)


def page(head: str = "", body: str = "", title: str = "Council agrees the budget") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1>{body}{BODY}</body></html>"


def test_the_day_in_the_url_stands_against_page_timestamps_that_agree_on_a_later_day() -> None:
    # Three timestamps (a re-published or edited story) outvote the URL in our own reading; htmldate
    # reads the URL's day first, and off the development pages that order was the better one.
    html = page(
        head='<meta property="article:published_time" content="2019-06-17T18:28:00+02:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-06-17"}</script>',
        body='<time datetime="2019-06-17T18:28:00+02:00">17 June 2019</time>',
    )
    article = extract_article(html, "https://news.example/home/2017/7/12/council-budget")
    assert article.published == "2017-07-12"


def test_a_timestamp_near_midnight_utc_gives_the_local_day_the_page_prints() -> None:
    # htmldate reads 2022-05-10 from the header, a UTC timestamp late in the evening; the byline prints
    # the 11th, the outlet's local day. Our reading keeps it: one day from htmldate's, a time zone apart.
    html = page(
        head='<meta property="article:published_time" content="2022-05-10T23:35:55Z">',
        body="<p class='byline'>By Ana Ruiz, 11 May 2022</p>",
    )
    article = extract_article(html, "https://news.example/politics/council-budget")
    assert article.published == "2022-05-11"


def test_the_page_timestamp_is_kept_when_it_falls_on_the_decided_day() -> None:
    html = page(head='<meta property="article:published_time" content="2021-03-03T09:15:00+01:00">')
    article = extract_article(html, "https://news.example/politics/council-budget")
    assert article.published == "2021-03-03T09:15:00+01:00"


def test_a_date_only_htmldate_finds_is_used_when_our_reading_has_none() -> None:
    # An <abbr title> date: no source of our own reads it, htmldate does.
    html = page(body='<abbr class="published" title="2021-03-03T10:00:00">three years ago</abbr>')
    article = extract_article(html, "https://news.example/politics/council-budget")
    assert article.published is not None
    assert article.published.startswith("2021-03-03")


def test_no_date_anywhere_gives_none() -> None:
    assert extract_article(page(), "https://news.example/politics/council-budget").published is None


@pytest.mark.parametrize("url", [None, "https://news.example/a"])
def test_htmldate_never_downloads_anything(monkeypatch: pytest.MonkeyPatch, url: str | None) -> None:
    """htmldate downloads a string input that starts with 'http'; we hand it the parsed tree."""
    import htmldate.utils

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("htmldate tried to fetch a URL")

    monkeypatch.setattr(htmldate.utils, "fetch_url", refuse)
    monkeypatch.setattr(htmldate.core, "fetch_url", refuse, raising=False)
    html = page(head='<link rel="canonical" href="http://127.0.0.1:9/2020/01/02/story">')
    extract_article(html, url)


def test_dateparser_is_neither_needed_nor_imported_for_the_strings_that_would_reach_it() -> None:
    """htmldate hands date-like strings its own parsers miss to dateparser (which tries every locale in
    turn: seconds of CPU for one string) and reads month names from dateparser's locales. Our reader
    answers both, in an interpreter where dateparser cannot be imported, as in the layer."""
    child = textwrap.dedent(
        """
        import sys
        sys.modules["dateparser"] = None  # any import of it raises ImportError, as in the layer
        from newsdigest import extract_article
        from newsdigest.extract import published
        asked = []
        read = published._OurDateParser.get_date_data
        published._OurDateParser.get_date_data = lambda self, s: asked.append(s) or read(self, s)
        sentences = "<p>" + "The council met and agreed the budget. " * 12 + "</p>"
        for line in ("Managua, Nicaragua 26 Abril, 2022 7:43", "Publicado el 3 de mayo, 10:45"):
            html = f"<html><body><h1>Council</h1><div class='date'>{line}</div>{sentences}</body></html>"
            print(extract_article(html, "https://news.example/politics/council").published)
        print(len(set(asked)))
        """
    )
    command = [sys.executable, "-c", child]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    # Both strings reached the last resort; the first is read, the second has no year.
    assert proc.stdout.split() == ["2022-04-26T07:43", "None", "2"]


def test_the_hooks_it_replaces_are_htmldate_s_own() -> None:
    """An htmldate release that renames them must fail here, not quietly import dateparser again."""
    import htmldate.extractors
    from newsdigest.extract.published import _htmldate

    _htmldate()
    assert htmldate.extractors.get_external_parser.__module__ == "newsdigest.extract.published"
    assert htmldate.extractors.month_words.__module__ == "newsdigest.extract.published"
    assert "get_external_parser()" in inspect.getsource(htmldate.extractors._external_date)
    assert "month_words()" in inspect.getsource(htmldate.extractors.has_date_cue)


def test_htmldate_is_not_run_on_pages_past_its_size_bounds() -> None:
    from newsdigest.extract.dom import parse_html
    from newsdigest.extract.published import release_day
    from newsdigest.extract.thresholds import HTMLDATE_MAX_CHARS, HTMLDATE_MAX_ELEMENTS

    dated = '<meta property="article:published_time" content="2021-03-03">'
    small = parse_html(page(head=dated))
    assert small is not None
    assert release_day(small, None, page_chars=1000) == "2021-03-03"
    assert release_day(small, None, page_chars=HTMLDATE_MAX_CHARS + 1) is None
    many = parse_html(page(head=dated, body="<span>x</span>" * HTMLDATE_MAX_ELEMENTS))
    assert many is not None
    assert release_day(many, None, page_chars=1000) is None
