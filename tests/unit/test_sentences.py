"""The offline sentence splitter: news abbreviations, initials, quotes, numbers, datelines, languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsdigest.summarisation.sentences import split_sentences, splitter_for
from newsdigest.summarisation.tokenizer import OfflineTokenizer, words


def test_titles_initials_and_times_do_not_end_sentences() -> None:
    text = "Mr. Smith met Dr. J. R. Jones at 3 p.m. on Friday. They talked for an hour."
    assert split_sentences(text) == [
        "Mr. Smith met Dr. J. R. Jones at 3 p.m. on Friday.",
        "They talked for an hour.",
    ]


def test_multi_letter_abbreviation_splits_only_before_a_sentence_opener() -> None:
    text = "The U.S. President spoke. It went well in the U.S. The talks end today."
    assert split_sentences(text) == [
        "The U.S. President spoke.",
        "It went well in the U.S.",
        "The talks end today.",
    ]


def test_company_suffix_and_months_before_numbers() -> None:
    text = "Apple Inc. said profit rose on Jan. 5 to $2.6bn. He works at Apple Inc. The firm declined."
    assert split_sentences(text) == [
        "Apple Inc. said profit rose on Jan. 5 to $2.6bn.",
        "He works at Apple Inc.",
        "The firm declined.",
    ]


def test_decimals_and_numbered_items_stay_whole() -> None:
    assert split_sentences("Prices rose 3.5% in No. 10 Street. Then they fell.") == [
        "Prices rose 3.5% in No. 10 Street.",
        "Then they fell.",
    ]


def test_quotes_close_sentences_and_questions_inside_quotes_do_not() -> None:
    text = 'She said: "We will win." Then she left. "Why?" he asked. Who is V. Stiviano? Nobody knows!'
    assert split_sentences(text) == [
        'She said: "We will win."',
        "Then she left.",
        '"Why?" he asked.',
        "Who is V. Stiviano?",
        "Nobody knows!",
    ]


def test_wire_dateline_stays_with_the_first_sentence() -> None:
    text = "MOSCOW, May 11. /TASS/. Russian President Vladimir Putin met officials. Talks went on."
    assert split_sentences(text) == [
        "MOSCOW, May 11. /TASS/. Russian President Vladimir Putin met officials.",
        "Talks went on.",
    ]


def test_paragraphs_and_unterminated_heading_lines() -> None:
    text = "Key points\nThe plan was approved.\n\nWork starts soon. It ends in 2027."
    assert splitter_for("english").paragraphs(text) == [
        ["Key points", "The plan was approved."],
        ["Work starts soon.", "It ends in 2027."],
    ]


def test_whitespace_is_normalised_but_text_is_verbatim() -> None:
    text = "First   sentence\nwraps here.  Second\tone."
    assert split_sentences(text) == ["First sentence wraps here.", "Second one."]


def test_german_ordinals_and_abbreviations() -> None:
    text = (
        "Am 3. Oktober feiert Deutschland. Das ist z.B. ein Feiertag. "
        "Es gibt ca. 5 Mio. Euro. Die Firma wächst."
    )
    assert split_sentences(text, "german") == [
        "Am 3. Oktober feiert Deutschland.",
        "Das ist z.B. ein Feiertag.",
        "Es gibt ca. 5 Mio. Euro.",
        "Die Firma wächst.",
    ]


def test_french_titles_and_spaced_guillemets() -> None:
    text = "M. Macron a parlé. Il a dit : « Nous gagnerons. » Le président est parti."
    assert split_sentences(text, "french") == [
        "M. Macron a parlé.",
        "Il a dit : « Nous gagnerons. »",
        "Le président est parti.",
    ]


def test_russian_dateline_initials_and_abbreviations() -> None:
    text = (
        "МОСКВА, 11 мая. /ТАСС/. Вице-премьер В. В. Иванов провел встречу. "
        "Это было в 2020 г. в Москве. Потом, т.е. позже, он уехал."
    )
    assert split_sentences(text, "russian") == [
        "МОСКВА, 11 мая. /ТАСС/. Вице-премьер В. В. Иванов провел встречу.",
        "Это было в 2020 г. в Москве.",
        "Потом, т.е. позже, он уехал.",
    ]


def test_greek_question_mark_and_unspaced_cjk() -> None:
    assert split_sentences("Τι κάνεις; Καλά είμαι.", "greek") == ["Τι κάνεις;", "Καλά είμαι."]
    assert split_sentences("今天天气很好。我们去公园吧！你去吗？", "chinese") == [
        "今天天气很好。",
        "我们去公园吧！",
        "你去吗？",
    ]


@pytest.mark.parametrize(
    "language",
    [
        "english",
        "german",
        "french",
        "spanish",
        "italian",
        "portuguese",
        "dutch",
        "danish",
        "swedish",
        "norwegian",
        "finnish",
        "hungarian",
        "romanian",
        "russian",
        "ukrainian",
        "czech",
        "slovak",
        "polish",
        "greek",
        "arabic",
    ],
)
def test_every_stemmed_language_splits_plain_sentences(language: str) -> None:
    assert split_sentences("Alpha beta gamma. Delta epsilon! Zeta eta?", language) == [
        "Alpha beta gamma.",
        "Delta epsilon!",
        "Zeta eta?",
    ]


def test_tokenizer_protocol_for_sumy() -> None:
    tokenizer = OfflineTokenizer("english")
    assert tokenizer.language == "english"
    assert tokenizer.to_sentences("One here. Two there.") == ("One here.", "Two there.")
    assert tokenizer.to_words("Don't co-operate in 2024, Mr. O'Neill!") == (
        "Don't",
        "co-operate",
        "in",
        "Mr",
        "O'Neill",
    )
    assert words("今天很好") == ("今", "天", "很", "好")


def test_sumy_parser_accepts_the_offline_tokenizer() -> None:
    from sumy.parsers.plaintext import PlaintextParser

    text = "Mr. Smith spoke. He left.\n\nThen it rained."
    parser = PlaintextParser.from_string(text, OfflineTokenizer("english"))
    assert [str(s) for s in parser.document.sentences] == ["Mr. Smith spoke.", "He left.", "Then it rained."]
    assert len(parser.document.paragraphs) == 2


_PIECES = st.sampled_from(
    [
        "Mr.",
        "U.S.",
        "Inc.",
        "J.",
        "word",
        "The",
        "3.5",
        "3.",
        '"Yes."',
        "(CNN)",
        "/TASS/.",
        "?",
        "!",
        "...",
        "\n",
        "\n\n",
    ]
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_PIECES, max_size=40).map(" ".join), st.sampled_from(["english", "german", "russian", "neutral"])
)
def test_sentences_cover_the_text_exactly(text: str, language: str) -> None:
    sentences = split_sentences(text, language)
    assert " ".join(sentences) == " ".join(text.split())
    assert all(s and s == s.strip() for s in sentences)
