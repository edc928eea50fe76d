"""Reading a clean-article document back: JSON in, a checked document or ``bad_document`` out.

Summarise reads whatever lands under the articles prefix, which is normally Ingest's output but may be
anything someone else wrote there. A document of the wrong shape is a permanent failure, found here
before any of it is used: the article's fields are checked against :class:`~newsdigest.models.Article`'s
own type hints (so fields other work adds to the model are checked without a list kept here), and the
envelope against the shape :func:`~newsdigest.pipeline.records.article_document` writes.
"""

from __future__ import annotations

import json
import math
import types
from dataclasses import MISSING, fields, is_dataclass
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from newsdigest.errors import InputError
from newsdigest.models import Article
from newsdigest.pipeline.inputs import is_article_id

#: A word count is a count of words in a document of at most a few megabytes.
MAX_WORD_COUNT = 10**9
#: Source kinds Ingest writes.
SOURCE_KINDS = ("url", "s3")


def bad_document(message: str) -> InputError:
    return InputError(f"article document {message}", reason="bad_document")


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 parses as inf
        raise ValueError(f"{text[:40]} is out of range")
    return value


def load(body: bytes) -> Any:
    """JSON as Ingest writes it: finite numbers only; nesting too deep to parse is a bad document."""
    try:
        return json.loads(body, parse_float=_finite, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise bad_document("nests too deeply to read") from exc
    except ValueError as exc:  # includes UnicodeDecodeError and ints of more than 4,300 digits
        raise bad_document(f"is not JSON: {str(exc)[:200]}") from exc


def document_id(document: Any) -> str | None:
    """The document's own article id, when it has a valid one (failures are keyed on it then)."""
    if isinstance(document, dict) and is_article_id(document.get("article_id")):
        return str(document["article_id"])
    return None


def check(document: Any) -> dict[str, Any]:
    """``document`` itself when it has the clean-article shape; raises ``bad_document`` otherwise."""
    if not isinstance(document, dict):
        raise bad_document(f"is a JSON {type(document).__name__}, not an object")
    if document_id(document) is None:
        raise bad_document("has no valid 'article_id' (32 hex digits)")
    if not isinstance(document.get("content_sha256"), str):
        raise bad_document("has no 'content_sha256' string")
    if "version" in document and not _is_int(document["version"]):
        raise bad_document("has a 'version' that is not an integer")
    _check_source(document.get("source"))
    article = document.get("article")
    if not isinstance(article, dict):
        raise bad_document("has no 'article' object")
    if not isinstance(article.get("text"), str):
        raise bad_document("has no article 'text' string")
    for name, hint in _article_hints().items():
        if name in article and not conforms(article[name], hint):
            raise bad_document(f"has an article '{name}' that is not {_describe(hint)}")
    count = article.get("word_count", 0)
    if not _is_int(count) or not 0 <= count <= MAX_WORD_COUNT:
        raise bad_document("has an article 'word_count' that is not a count of words")
    return document


def _check_source(source: Any) -> None:
    if not isinstance(source, dict):
        raise bad_document("has no 'source' object")
    if source.get("kind", "s3") not in SOURCE_KINDS:
        raise bad_document(f"has a source 'kind' other than {' or '.join(SOURCE_KINDS)}")
    if not isinstance(source.get("ref"), str):
        raise bad_document("has no source 'ref' string")
    for name in ("url", "raw_key"):
        if source.get(name) is not None and not isinstance(source[name], str):
            raise bad_document(f"has a source '{name}' that is not a string")


@cache
def _article_hints() -> dict[str, Any]:
    return get_type_hints(Article)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def conforms(value: Any, hint: Any) -> bool:
    """Whether a JSON value fits a type hint of the models (str, int, float, bool, None, unions,
    Literal, list, dict and nested dataclasses). A hint it does not know accepts anything."""
    origin = get_origin(hint)
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if origin in (Union, types.UnionType):
        return any(conforms(value, arg) for arg in get_args(hint))
    if origin is Literal:
        return any(type(value) is type(arg) and value == arg for arg in get_args(hint))
    if origin is list:
        (item,) = get_args(hint) or (Any,)
        return isinstance(value, list) and all(conforms(v, item) for v in value)
    if origin is dict:
        args = get_args(hint) or (str, Any)
        return isinstance(value, dict) and all(conforms(v, args[1]) for v in value.values())
    if is_dataclass(hint) and isinstance(hint, type):
        return _conforms_to_dataclass(value, hint)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return _is_int(value)
    if hint is float:
        return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)
    if hint is str:
        return isinstance(value, str)
    return True


def _conforms_to_dataclass(value: Any, cls: type) -> bool:
    if not isinstance(value, dict):
        return False
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
    if set(value) - known or required - set(value):  # the model would refuse to build from it
        return False
    return all(conforms(v, hints[name]) for name, v in value.items())


def _describe(hint: Any) -> str:
    return str(hint).replace("typing.", "").replace("newsdigest.models.", "")
