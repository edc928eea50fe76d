"""A clean-article document of the wrong shape fails at once as ``bad_document``, on the right id."""

from __future__ import annotations

import json
from typing import Any

import pytest
from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import StoredObject
from newsdigest.models import Article
from newsdigest.pipeline.inputs import Source
from newsdigest.pipeline.records import article_document
from newsdigest.pipeline.summary import SummaryService

SOURCE = Source.from_url("https://news.example/world/1")
ARTICLE_ID = SOURCE.article_id
KEY = f"articles/{ARTICLE_ID}.json"
TEXT = "The harvest was large this year. Farmers said the weather helped. Prices fell in May."


def good_document() -> dict[str, Any]:
    article = Article(title="Harvest", text=TEXT, language="en", authors=["A. Writer"], tags=["farming"])
    return article_document(article, SOURCE, raw_key=None)


class Storage:
    def __init__(self, body: bytes) -> None:
        self.body = body
        self.items: list[dict[str, Any]] = []

    def get_object(self, bucket: str, key: str, *, max_bytes: int) -> StoredObject:
        return StoredObject(bucket, key, self.body, "etag", "application/json", {})

    def write_item(self, table: str, item: dict[str, Any], *, replace_ok: bool) -> bool:
        self.items.append(item)
        return True


def summarise(body: bytes, key: str = KEY) -> tuple[Any, list[dict[str, Any]]]:
    storage = Storage(body)
    service = SummaryService(Settings(table_name="t"), storage)  # type: ignore[arg-type]
    return service.summarise_object("arts", key), storage.items


def with_article(**fields: Any) -> bytes:
    document = good_document()
    document["article"].update(fields)
    return json.dumps(document).encode()


def test_a_good_document_is_summarised() -> None:
    outcome, items = summarise(json.dumps(good_document()).encode())
    assert outcome.status == "summarised" and items[0]["status"] == "ok"


@pytest.mark.parametrize(
    "body",
    [
        with_article(title=12),
        with_article(language={"code": "en"}),
        with_article(authors="A. Writer"),
        with_article(authors=[1, 2]),
        with_article(tags=[None]),
        with_article(text=["not", "a", "string"]),
        with_article(status="fine"),
        with_article(dateline={"raw": "MOSCOW", "unknown": 1}),
        with_article(dateline={"location": "MOSCOW"}),  # no 'raw'
        with_article(word_count=-3),
        with_article(word_count=True),
        with_article(word_count=2.5),
        json.dumps(good_document()).encode().replace(b'"word_count": 15', b'"word_count": 1e400'),
        json.dumps(good_document()).encode().replace(b'"word_count": 15', b'"word_count": NaN'),
        json.dumps(good_document()).encode().replace(b'"word_count": 15', b'"word_count": ' + b"9" * 5000),
        json.dumps({**good_document(), "source": "https://news.example/world/1"}).encode(),
        json.dumps({**good_document(), "source": {"kind": "ftp", "ref": "x"}}).encode(),
        json.dumps({**good_document(), "source": {"kind": "url", "ref": 5}}).encode(),
        json.dumps({**good_document(), "content_sha256": 7}).encode(),
        json.dumps({**good_document(), "article": "text"}).encode(),
        json.dumps(good_document()).encode()[:-1] + b', "deep": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
)
def test_wrong_types_fail_at_once_on_the_documents_id(body: bytes) -> None:
    outcome, items = summarise(body)
    assert (outcome.status, outcome.reason) == ("failed", "bad_document")
    assert [(i["article_id"], i["reason"], i["stage"]) for i in items] == [
        (ARTICLE_ID, "bad_document", "summarise")
    ]


@pytest.mark.parametrize("article_id", [12345, None, "not-an-id", ["x"], ARTICLE_ID.upper()])
def test_a_document_without_a_valid_id_fails_on_the_id_its_key_names(article_id: Any) -> None:
    document = {**good_document(), "article_id": article_id}
    outcome, items = summarise(json.dumps(document).encode())
    assert (outcome.status, outcome.reason, outcome.article_id) == ("failed", "bad_document", ARTICLE_ID)
    assert items[0]["article_id"] == ARTICLE_ID


def test_a_key_that_names_no_id_keys_the_failure_on_the_object() -> None:
    outcome, items = summarise(b"[]", key="articles/by hand.json")
    assert items[0]["article_id"] == outcome.article_id
    assert outcome.reason == "bad_document"
    assert outcome.article_id == Source.from_s3("arts", "articles/by hand.json").article_id


@pytest.mark.parametrize("body", [b"", b"not json", b"\xff\xfe", b"[" * 100_000, b"null", b'"text"'])
def test_unreadable_documents_are_bad_documents(body: bytes) -> None:
    outcome, _ = summarise(body)
    assert (outcome.status, outcome.reason) == ("failed", "bad_document")


def test_the_give_up_item_of_a_read_document_lands_on_its_id(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsdigest.summarisation

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("lost")

    monkeypatch.setattr(newsdigest.summarisation, "summarise", down)
    document = {**good_document(), "article_id": ARTICLE_ID}
    storage = Storage(json.dumps(document).encode())
    service = SummaryService(Settings(table_name="t"), storage)  # type: ignore[arg-type]
    with pytest.raises(ConnectionError):
        service.summarise_object("arts", "articles/some-other-name.json")
    service.record_failure(
        "arts", "articles/some-other-name.json", ConnectionError("lost"), "retries_exhausted:connection"
    )
    assert [(i["article_id"], i["reason"]) for i in storage.items] == [
        (ARTICLE_ID, "retries_exhausted:connection")
    ]


def test_fields_added_to_the_model_are_checked_from_its_type_hints() -> None:
    assert "notes" in Article.__dataclass_fields__
    outcome, _ = summarise(with_article(notes="title cut"))
    assert outcome.reason == "bad_document"
    outcome, items = summarise(with_article(notes=["title: cut from 1000000 to 2000 characters"]))
    assert outcome.status == "summarised"
    assert items[0]["notes"] == ["title: cut from 1000000 to 2000 characters"]
