"""summarise(): contract, length control, methods, languages, and no network or heavy imports."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsdigest import summarise
from newsdigest.errors import SummariseError
from newsdigest.extract.dateline import parse_dateline
from newsdigest.summarisation.methods import METHODS
from newsdigest.summarisation.sentences import split_sentences

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "summarisation"
ENGLISH = (FIXTURES / "english_article.txt").read_text(encoding="utf-8")
RUSSIAN = (FIXTURES / "russian_article.txt").read_text(encoding="utf-8")
GERMAN = (FIXTURES / "german_article.txt").read_text(encoding="utf-8")


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _assert_extract_of(summary_sentences: list[str], text: str, language: str = "english") -> None:
    """Every sentence is a sentence of the text (or, when the sentence opens with a dateline, what
    follows it), verbatim up to whitespace, in document order."""
    all_sentences = split_sentences(text, language)
    position = -1
    for sentence in summary_sentences:
        assert sentence in _normalised(text)
        # A subsequence of the text's sentences (repeated sentences may each be picked once).
        position = next(
            i for i in range(position + 1, len(all_sentences)) if all_sentences[i].endswith(sentence)
        )
        head = all_sentences[position][: -len(sentence)].strip()
        assert not head or parse_dateline(all_sentences[position]) is not None, head


def test_default_summary_records_method_language_and_length() -> None:
    summary = summarise(ENGLISH, sentences=3)
    assert summary.method == "default"
    assert summary.language == "english"
    assert summary.parameters["sentences"] == 3
    assert summary.parameters["length_basis"] == "sentences"
    assert summary.parameters["total_sentences"] == len(split_sentences(ENGLISH))
    assert summary.note is None
    assert len(summary.sentences) == 3
    _assert_extract_of(summary.sentences, ENGLISH)
    assert summary.parameters["order"] == "lead"
    # A highlight-length summary is the lead: the dateline sentence opens it, without its dateline.
    assert summary.sentences[0].startswith("The city council approved")
    assert summary.parameters["datelines_omitted"] == 1


def test_longer_default_summary_skips_fragments_and_duplicates() -> None:
    repeated = "The council approved the library plan for the old power station site on Tuesday."
    text = ENGLISH + "\n\n" + repeated + " " + repeated.replace("Tuesday", "Tuesday evening")
    summary = summarise(text, sentences=6)
    assert len(summary.sentences) == 6
    _assert_extract_of(summary.sentences, text)
    assert "Scroll down for video." not in summary.sentences
    assert summary.parameters["order"] == "centrality"
    assert not (
        repeated in summary.sentences and repeated.replace("Tuesday", "Tuesday evening") in summary.sentences
    )


def test_lead_summary_defers_hooks_that_share_nothing_with_the_article() -> None:
    text = (
        "The city council approved a new library on Tuesday after a long debate. "
        "Nobody expected such a dramatic ending to the evening. "
        "The library will cost the council £45m over five years. "
        "Critics of the library said the council had ignored housing. "
        "The council said building work starts in the autumn."
    )
    summary = summarise(text, sentences=3)
    assert "Nobody expected such a dramatic ending to the evening." not in summary.sentences
    assert summary.sentences == [
        "The city council approved a new library on Tuesday after a long debate.",
        "The library will cost the council £45m over five years.",
        "Critics of the library said the council had ignored housing.",
    ]
    assert summarise(text, sentences=3, method="lead").sentences[1].startswith("Nobody expected")


def test_ratio_keeps_that_share_of_sentences() -> None:
    total = len(split_sentences(ENGLISH))
    summary = summarise(ENGLISH, ratio=0.5)
    assert len(summary.sentences) == round(0.5 * total)
    assert summary.parameters["ratio"] == 0.5
    assert summary.parameters["length_basis"] == "ratio"


def test_word_budget_is_respected() -> None:
    summary = summarise(ENGLISH, words=60)
    assert summary.parameters["words"] == 60
    used = sum(len(s.split()) for s in summary.sentences)
    assert 0 < used <= 60
    assert summary.parameters["selected_words"] == used


def test_word_budget_below_any_sentence_still_returns_one_sentence() -> None:
    summary = summarise(ENGLISH, words=1)
    assert len(summary.sentences) == 1


def test_default_length_scales_with_the_article() -> None:
    assert len(summarise(ENGLISH).sentences) == 3
    long_text = " ".join(f"Sentence number {i} talks about topic {i % 7} in detail." for i in range(60))
    summary = summarise(long_text)
    assert summary.parameters["length_basis"] == "default"
    assert len(summary.sentences) == 7


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sentences": 0},
        {"sentences": 2.5},
        {"ratio": 0},
        {"ratio": 1.5},
        {"words": -3},
        {"sentences": 2, "words": 10},
    ],
)
def test_invalid_length_arguments_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(SummariseError) as info:
        summarise(ENGLISH, **kwargs)  # type: ignore[arg-type]
    assert info.value.reason == "invalid_length"


def test_short_text_returns_all_sentences_in_order() -> None:
    text = "The vote passed on Tuesday after a long debate. Work begins in the autumn."
    summary = summarise(text, sentences=5)
    assert summary.sentences == split_sentences(text)
    assert summary.note is not None and "only 2 sentence" in summary.note


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_an_error(text: str) -> None:
    with pytest.raises(SummariseError) as info:
        summarise(text)
    assert info.value.reason == "empty_text"


def test_unknown_method_lists_the_valid_names() -> None:
    with pytest.raises(SummariseError) as info:
        summarise(ENGLISH, method="magic")
    assert info.value.reason == "unknown_method"
    for name in (
        "default",
        "lead",
        "lexrank",
        "textrank",
        "lsa",
        "luhn",
        "edmundson",
        "kl",
        "sumbasic",
        "reduction",
    ):
        assert name in str(info.value)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_selectable(method: str) -> None:
    summary = summarise(
        ENGLISH, method=method, sentences=3, title="Council backs library at old power station"
    )
    assert summary.method == method
    assert len(summary.sentences) == 3
    _assert_extract_of(summary.sentences, ENGLISH)


def test_method_names_are_case_and_alias_tolerant() -> None:
    assert summarise(ENGLISH, method="LexRank", sentences=2).method == "lexrank"
    assert summarise(ENGLISH, method="sum_basic", sentences=2).method == "sumbasic"


def test_numpy_methods_fail_clearly_without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from newsdigest.summarisation import sumy_methods

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        sumy_methods.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "numpy" else real_find_spec(name, *a),
    )
    for method in ("lexrank", "textrank", "lsa"):
        with pytest.raises(SummariseError) as info:
            summarise(ENGLISH, method=method, sentences=2)
        assert info.value.reason == "missing_dependency"
        assert "NumPy" in str(info.value)
    assert len(summarise(ENGLISH, sentences=2).sentences) == 2


@pytest.mark.parametrize(
    ("language", "expected"),
    [(None, "english"), ("en", "english"), ("english", "english"), ("en-GB", "english"), ("DE", "german")],
)
def test_language_codes_and_names(language: str | None, expected: str) -> None:
    assert summarise(ENGLISH, language=language, sentences=2).language == expected


def test_unsupported_language_falls_back_to_neutral_tokenisation() -> None:
    summary = summarise(ENGLISH, language="tlh", sentences=4)
    assert summary.language == "neutral"
    assert summary.note is not None and "'tlh' is not supported" in summary.note
    assert len(summary.sentences) == 4
    _assert_extract_of(summary.sentences, ENGLISH, "neutral")


@pytest.mark.parametrize(("text", "language", "name"), [(RUSSIAN, "ru", "russian"), (GERMAN, "de", "german")])
def test_non_english_articles(text: str, language: str, name: str) -> None:
    for method in ("default", "lexrank", "luhn"):
        summary = summarise(text, language=language, method=method, sentences=4)
        assert summary.language == name
        assert summary.note is None
        _assert_extract_of(summary.sentences, text, name)
    # The dateline is not a sentence of its own.
    assert not any(s.endswith("/ТАСС/.") for s in split_sentences(RUSSIAN, "russian"))


def test_nothing_is_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the summariser tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for method in ("default", "lexrank", "edmundson"):
        assert len(summarise(ENGLISH, method=method, sentences=3).sentences) == 3
        assert len(summarise(RUSSIAN, language="ru", method=method, sentences=3).sentences) == 3
    assert summarise(RUSSIAN, language="uk", sentences=2).language == "ukrainian"


def test_default_path_imports_neither_nltk_numpy_nor_sumy_modules() -> None:
    # A fresh interpreter: the cold-start contract of the Lambda layer (which ships no NLTK or NumPy).
    russian = str(FIXTURES / "russian_article.txt")
    english = str(FIXTURES / "english_article.txt")
    heavy = "{'nltk', 'numpy', 'sumy', 'requests', 'pycountry'}"
    code = (
        "import json, sys\n"
        "from newsdigest import summarise\n"
        f"summarise(open({russian!r}, encoding='utf-8').read(), language='ru')\n"
        f"summarise(open({english!r}, encoding='utf-8').read(), sentences=5)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == ["sumy"]  # the bare package, for its stop-word data files


def test_without_sumys_optional_dependencies_only_sumy_methods_fail() -> None:
    # The Lambda layer ships sumy without NLTK, pycountry and requests; None in sys.modules blocks them.
    english = str(FIXTURES / "english_article.txt")
    code = (
        "import sys\n"
        "for name in ('nltk', 'pycountry', 'requests'):\n"
        "    sys.modules[name] = None\n"
        "from newsdigest import summarise\n"
        "from newsdigest.errors import SummariseError\n"
        f"text = open({english!r}, encoding='utf-8').read()\n"
        "assert len(summarise(text, sentences=4).sentences) == 4\n"
        "assert len(summarise(text, method='lead', sentences=2).sentences) == 2\n"
        "uk = summarise('Київ є столицею України. Місто стоїть на Дніпрі.', language='uk', sentences=1)\n"
        # Ukrainian keeps its stemmer without NLTK (the default layer has none).
        "assert uk.language == 'ukrainian' and uk.note is None, uk\n"
        "from newsdigest.summarisation.languages import resolve_language\n"
        "assert resolve_language('uk').stemmer('України') == 'україн'\n"
        "try:\n"
        "    summarise(text, method='luhn', sentences=2)\n"
        "except SummariseError as exc:\n"
        "    print(exc.reason)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "missing_dependency"


_WORDS = st.sampled_from(
    ["Mr.", "U.S.", "council", "The", "voted", "3.5", '"Yes."', "he", "said", "!", "?", "\n\n"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=60).map(" ".join), st.integers(1, 6))
def test_any_text_gives_an_ordered_verbatim_extract_or_empty_text(text: str, count: int) -> None:
    for method in ("default", "lead"):
        try:
            summary = summarise(text, method=method, sentences=count)
        except SummariseError as exc:
            assert exc.reason == "empty_text"
            continue
        assert 1 <= len(summary.sentences) <= count
        _assert_extract_of(summary.sentences, text)


def test_package_function_survives_importing_the_subpackage() -> None:
    import newsdigest
    import newsdigest.summarisation  # the import that used to shadow the function

    assert newsdigest.summarise("One sentence here. Another one there.", sentences=1).sentences


# --- datelines ----------------------------------------------------------------------------------

TASS_PAGE = Path(__file__).resolve().parents[2] / "events" / "pages" / "tass-grain-harvest.html"


def test_tass_summary_omits_the_dateline_and_keeps_the_standfirst() -> None:
    from newsdigest import extract_article

    article = extract_article(TASS_PAGE.read_bytes())
    assert article.dateline is not None and article.dateline.raw == "MOSCOW, May 11. /TASS/."
    summary = summarise(article.text, language=article.language, title=article.title)
    standfirst, second, *_ = summary.sentences
    # The standfirst has no full stop and still reads as a sentence of its own.
    assert (
        standfirst
        == "The Agriculture Ministry expects wheat to account for about 90 million tonnes of the total"
    )
    assert second.startswith("Russia's Agriculture Ministry has raised its forecast")
    assert not any("/TASS/" in s for s in summary.sentences)
    for sentence in summary.sentences:
        assert sentence in _normalised(article.text)
    assert summary.parameters["datelines_omitted"] == 1


@pytest.mark.parametrize("method", ["default", "lead", "luhn", "lexrank"])
def test_every_method_omits_datelines(method: str) -> None:
    summary = summarise(RUSSIAN, language="ru", method=method, sentences=8)
    assert not any(s.startswith(("МОСКВА", "/ТАСС/")) for s in summary.sentences)
    _assert_extract_of(summary.sentences, RUSSIAN, "russian")


def test_datelines_of_every_paragraph_are_omitted_and_a_bare_one_is_dropped() -> None:
    text = (
        "(CNN) -- Storms closed schools across the county on Monday, officials said.\n\n"
        "WASHINGTON (Reuters) - Congress passed the storm relief bill after a short debate.\n\n"
        "BERLIN (dpa) -\n\n"
        "Germany offered help to the county and sent two teams of engineers to the region."
    )
    summary = summarise(text, method="lead", sentences=5)
    assert summary.sentences == [
        "Storms closed schools across the county on Monday, officials said.",
        "Congress passed the storm relief bill after a short debate.",
        "Germany offered help to the county and sent two teams of engineers to the region.",
    ]
    assert summary.parameters["datelines_omitted"] == 3
    assert summary.parameters["total_sentences"] == 3


def test_dateline_split_by_the_splitter_is_omitted_whole() -> None:
    # "FLA." ends a sentence for the splitter; the dateline is found on the paragraph.
    text = (
        "SOUTHWEST MIAMI-DADE, FLA. (WSVN) - An overnight crash in Southwest Miami-Dade left one "
        "driver dead.\n\n"
        "Police closed the road for hours while detectives studied the crash site on the highway."
    )
    summary = summarise(text, method="lead", sentences=2)
    assert summary.sentences[0] == "An overnight crash in Southwest Miami-Dade left one driver dead."


def test_headings_that_look_like_datelines_are_kept() -> None:
    text = "\n\n".join(
        [
            "Insect protein is a new kind of dog food that several brands now sell in shops.",
            "The food is made from larvae raised on vegetable waste, the makers of the food say.",
            "Owners report that their dogs eat the food as readily as their usual brand.",
            "EAT SMALL – Snacks",  # a heading deep in the text: no agency, so not a dateline
            "EAT SMALL – the brand's snacks come in small packs and are sold online.",
            "BRUSSELS (Reuters) - The European Union approved insect protein for pet food in 2017.",
        ]
    )
    summary = summarise(text, method="lead", sentences=6)
    assert "EAT SMALL – Snacks" in summary.sentences
    assert "EAT SMALL – the brand's snacks come in small packs and are sold online." in summary.sentences
    assert summary.sentences[-1] == "The European Union approved insect protein for pet food in 2017."
    assert summary.parameters["datelines_omitted"] == 1
