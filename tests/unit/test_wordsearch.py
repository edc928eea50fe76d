"""The trie form of the vocabulary's word tests answers exactly what the plain forms answer."""

from __future__ import annotations

import re

import pytest
from newsdigest.extract import vocabulary as V
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


@pytest.mark.parametrize("name", sorted(LISTS))
def test_same_answers_as_the_plain_forms(name: str) -> None:
    words = LISTS[name]
    test = contains_any(words)
    for sample in SAMPLES + [s.upper() for s in SAMPLES] + [s.lower() for s in SAMPLES]:
        if isinstance(words, re.Pattern):
            expected = words.search(sample) is not None
        else:
            expected = any(w in sample for w in words)
        assert test(sample) is expected, (name, sample)


def test_words_that_other_words_start_with() -> None:
    test = contains_any(("ad", "adblock", "share", "sharing"))
    assert test("adblock") and test("xsharingx") and test("AD".lower())
    assert not test("a-d sha-re")


def test_empty_lists() -> None:
    assert contains_any(())("anything") is False
    assert contains_any(("",))("anything") is True


def test_a_pattern_that_is_not_plain_words_is_searched_as_it_is() -> None:
    pattern = re.compile(r"ad\d+|share", re.I)
    test = contains_any(pattern)
    assert test("slot-AD12") and test("Share") and not test("ad-slot")
