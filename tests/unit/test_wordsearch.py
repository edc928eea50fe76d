"""The trie form of the vocabulary's word tests answers exactly what the plain forms answer, and takes
over from them after the calls the threshold names."""

from __future__ import annotations

import re

import pytest
from newsdigest.extract import thresholds as T
from newsdigest.extract import vocabulary as V
from newsdigest.extract import wordsearch
from newsdigest.extract.wordsearch import contains_any

# Class strings as pages write them, and the cases where lower-casing and re.I could part ways.
SAMPLES = [
    "",
    "-",
    "article-body entry-content",
    "ArticleBody",
    "SHARE-BAR",
    "social_share",
    "relatedPosts",
    "sidebar-widget",
    "post-ad-slot",
    "x-AD",
    "AD-x",
    "header__nav",
    "byline author-name",
    "c-newsletter-signup",
    "Kelvin\u212a",  # re.I folds the Kelvin sign onto "k"; lower() does not
    "\u017fhare",  # long s: re.I folds it onto "s"
    "\u0130nfo",  # dotted capital I
    "kommentare",
    "commentary-section",
    "live-match-comment",
    "caption credit image-desc",
    "mostread most-read",
]
LISTS = {
    name: value
    for name, value in vars(V).items()
    if name.isupper()
    and (
        isinstance(value, re.Pattern) or (isinstance(value, tuple) and all(isinstance(w, str) for w in value))
    )
}


@pytest.mark.parametrize("trie_after", [0, 7, None])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_same_answers_as_the_plain_forms(name: str, trie_after: int | None) -> None:
    words = LISTS[name]
    test = contains_any(words, trie_after=trie_after)
    for sample in SAMPLES + [s.upper() for s in SAMPLES] + [s.lower() for s in SAMPLES]:
        if isinstance(words, re.Pattern):
            expected = words.search(sample) is not None
        else:
            expected = any(w in sample for w in words)
        assert test(sample) is expected, (name, sample)


def test_the_trie_is_compiled_at_the_call_the_threshold_names(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    compile_ = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return compile_(pattern, flags)

    monkeypatch.setattr(wordsearch.re, "compile", counting)
    test = contains_any(("share", "sharing", "social"), trie_after=3)
    assert [test("x-share"), test("footer")] == [True, False] and compiled == []
    assert test("SOCIAL".lower()) and compiled == ["s(?:har(?:e|ing)|ocial)"]
    assert not test("nav") and len(compiled) == 1
    assert contains_any(("ad",), trie_after=0)("ads") and compiled[1:] == ["ad"]
    assert T.TRIE_AFTER_CALLS > 0  # a cold start's one page must not pay for tries it never repays


@pytest.mark.parametrize("trie_after", [0, None])
def test_words_that_other_words_start_with(trie_after: int | None) -> None:
    test = contains_any(("ad", "adblock", "share", "sharing"), trie_after=trie_after)
    assert test("adblock") and test("xsharingx") and test("AD".lower())
    assert not test("a-d sha-re")


@pytest.mark.parametrize("trie_after", [0, None])
def test_empty_lists(trie_after: int | None) -> None:
    assert contains_any((), trie_after=trie_after)("anything") is False
    assert contains_any(("",), trie_after=trie_after)("anything") is True


def test_a_pattern_that_is_not_plain_words_is_searched_as_it_is() -> None:
    pattern = re.compile(r"ad\d+|share", re.I)
    test = contains_any(pattern)
    assert test("slot-AD12") and test("Share") and not test("ad-slot")
