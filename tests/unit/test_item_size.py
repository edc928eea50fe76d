"""Every write fits: DynamoDB's item size rules, the fitting of long fields, and the limit itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from newsdigest.aws.item_size import ITEM_LIMIT, item_size, number_size, value_size
from newsdigest.aws.storage import Storage
from newsdigest.errors import InputError
from newsdigest.models import Article, Summary
from newsdigest.pipeline.fitting import ITEM_BUDGET, MAX_LIST_ITEMS, MAX_URL_CHARS, fit_item
from newsdigest.pipeline.inputs import Source
from newsdigest.pipeline.records import article_document, failure_item, summary_item


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("", 0),
        ("abc", 3),
        ("é", 2),  # UTF-8 bytes, not characters
        ("日本", 6),
        (b"\x00\x01", 2),
        (None, 1),
        (True, 1),
        ([], 3),
        ({}, 3),
        (["ab", "c"], 3 + (1 + 2) + (1 + 1)),
        ({"k": "vv"}, 3 + 1 + 1 + 2),
        ({"a": [1]}, 3 + 1 + 1 + (3 + 1 + 2)),
        ({"x", "yy"}, 3),
    ],
)
def test_value_sizes_follow_dynamodbs_rules(value: Any, size: int) -> None:
    assert value_size(value) == size


@pytest.mark.parametrize(
    ("number", "size"),
    [
        (0, 2),
        (7, 2),
        (12, 2),
        (123, 3),
        (1000, 2),  # trailing zeros trimmed: one significant digit
        (Decimal("0.0015"), 2),  # leading zeros trimmed
        (-12, 3),
        (12345678901234567890, 11),
        (Decimal("1.5"), 2),
    ],
)
def test_numbers_count_one_byte_per_two_significant_digits_plus_one(number: Any, size: int) -> None:
    assert number_size(number) == size


def test_attribute_names_count_too() -> None:
    assert item_size({"article_id": "x" * 32, "n": 1}) == 10 + 32 + 1 + 2


class Table:
    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []

    def update_item(self, **kwargs: Any) -> None:
        self.updates.append(kwargs)


class Dynamo:
    def __init__(self) -> None:
        self.table = Table()

    def Table(self, name: str) -> Table:
        return self.table


def _item_of_size(size: int) -> dict[str, Any]:
    item = {"article_id": "a" * 32, "status": "failed", "created_at": "2024-05-11T00:00:00Z", "error": ""}
    item["error"] = "x" * (size - item_size(item))
    assert item_size(item) == size
    return item


def test_the_storage_writes_an_item_at_the_limit_and_never_sends_one_over_it() -> None:
    dynamo = Dynamo()
    storage = Storage(s3=object(), dynamodb=dynamo)
    assert storage.write_item("t", _item_of_size(ITEM_LIMIT), replace_ok=False)
    assert len(dynamo.table.updates) == 1
    with pytest.raises(InputError) as info:
        storage.write_item("t", _item_of_size(ITEM_LIMIT + 1), replace_ok=False)
    assert info.value.reason == "too_large" and info.value.permanent
    assert len(dynamo.table.updates) == 1  # nothing was sent


def _summary(article: Article, sentences: list[str] | None = None) -> dict[str, Any]:
    document = article_document(article, Source.from_url("https://news.example/a"), raw_key=None)
    summary = Summary(sentences=sentences or ["One sentence."], method="default", language="english")
    return summary_item(document, summary, source_key="articles/x.json")


@pytest.mark.parametrize(
    ("article", "sentences", "cut"),
    [
        (Article(title="T" * 1_000_000, text="Body text."), None, "title"),
        (Article(title="T", text="Body.", tags=["k" * 600_000]), None, "tags.0"),
        (Article(title="T", text="Body."), ["w " * 225_000], "summary.0"),
        (Article(title="é" * 300_000, text="Body.", description="d" * 300_000), None, "title"),
    ],
)
def test_oversized_fields_are_cut_to_fit_with_a_note(
    article: Article, sentences: list[str] | None, cut: str
) -> None:
    item = _summary(article, sentences)
    assert item_size(item) <= ITEM_BUDGET < ITEM_LIMIT
    assert any(note.startswith(f"{cut}: cut from") for note in item["notes"]), item["notes"]
    assert item["status"] == "ok" and item["article_id"] and item["content_sha256"]


def test_lists_are_capped_and_the_articles_own_notes_are_carried() -> None:
    article = Article(
        title="T", text="Body.", authors=[f"Author {i}" for i in range(5000)], notes=["text: capped"]
    )
    item = _summary(article)
    assert len(item["authors"]) == MAX_LIST_ITEMS
    assert item["notes"][0] == "text: capped"
    assert f"authors: kept the first {MAX_LIST_ITEMS} of 5000" in item["notes"]


def test_an_item_that_fits_is_left_alone() -> None:
    item = _summary(Article(title="Harvest", text="Body."))
    # Empty notes are written too: a rewrite clears the notes of an earlier, longer version.
    assert (item["title"], item["notes"]) == ("Harvest", [])


def test_a_failure_for_a_300_kb_url_fits_with_its_url_and_error_cut() -> None:
    url = "https://news.example/" + "a" * 300_000
    item = failure_item(Source.for_request(url), stage="fetch", reason="bad_url", message=f"bad {url}")
    assert item_size(item) <= ITEM_BUDGET
    assert len(item["url"]) == MAX_URL_CHARS and len(item["source_ref"]) == MAX_URL_CHARS
    assert len(item["error"]) <= 1000
    assert item["article_id"] == Source.for_request(url).article_id  # the id still names the whole URL
    assert any(note.startswith("url: cut from") for note in item["notes"])


def test_lone_surrogates_from_a_json_request_become_valid_text() -> None:
    item = failure_item(
        Source.for_request("https://e.com/\ud800"), stage="fetch", reason="bad_url", message="x"
    )
    item["url"].encode("utf-8")  # would raise on a lone surrogate


def test_the_fitted_item_is_exactly_within_any_budget() -> None:
    item = {"article_id": "a" * 32, "status": "ok", "title": "t" * 50_000, "summary": ["s" * 50_000] * 3}
    for budget in (20_000, 50_000, 120_000):
        assert item_size(fit_item(item, budget=budget)) <= budget
