"""Every item fits: DynamoDB refuses an item over 400 KB, so long fields are cut before the write.

:func:`fit_item` returns a copy of an item that fits :data:`ITEM_BUDGET` by DynamoDB's own size rules
(:mod:`newsdigest.aws.item_size`): strings made valid UTF-8, lists capped, URLs and references cut,
then the longest remaining strings cut until the item fits. Each cut is written into the item's
``notes``, so a reader sees what is missing and why. The clean-article document in S3 keeps the whole
of everything; only the item is trimmed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsdigest.aws.item_size import ITEM_LIMIT, item_size, value_size

#: What an item may take of DynamoDB's limit. The rest is headroom for attributes an earlier write left
#: on the item that this one does not set (a failure's ``stage`` and ``error``: at most a few KB).
ITEM_BUDGET = ITEM_LIMIT - 16 * 1024
#: Longest list kept on an item (authors, tags, summary sentences); a page with more is hostile or broken.
MAX_LIST_ITEMS = 100
#: URLs and references are cut to this many characters (browsers and CDNs refuse far shorter ones).
MAX_URL_CHARS = 8192
#: A failure's error text is cut to this many characters.
MAX_ERROR_CHARS = 1000
#: Notes kept on an item, and characters per note.
MAX_NOTES = 50
MAX_NOTE_CHARS = 300
#: Attributes never cut: keys, states and codes the rest of the system matches on.
FIXED = frozenset({"article_id", "status", "reason", "stage", "content_sha256", "created_at", "updated_at"})
URL_FIELDS = ("url", "source_ref", "canonical_url", "raw_key", "source_key")
ELLIPSIS = "…"
#: Cut this much more than the excess, so the note the cut adds does not need a second cut.
NOTE_SLACK = 512


def fit_item(item: dict[str, Any], *, budget: int = ITEM_BUDGET) -> dict[str, Any]:
    """A copy of ``item`` that fits ``budget`` bytes, with what was cut appended to its ``notes``."""
    fitted: dict[str, Any] = {name: _valid_text(value) for name, value in item.items()}
    notes: list[str] = [str(n) for n in fitted.get("notes") or []]
    for name, value in list(fitted.items()):
        if isinstance(value, list) and name != "notes" and len(value) > MAX_LIST_ITEMS:
            fitted[name] = value[:MAX_LIST_ITEMS]
            notes.append(f"{name}: kept the first {MAX_LIST_ITEMS} of {len(value)}")
    for name in URL_FIELDS:
        value = fitted.get(name)
        if isinstance(value, str) and len(value) > MAX_URL_CHARS:
            fitted[name] = _cut(value, MAX_URL_CHARS)
            notes.append(f"{name}: cut from {len(value)} to {MAX_URL_CHARS} characters")
    error = fitted.get("error")
    if isinstance(error, str) and len(error) > MAX_ERROR_CHARS:
        fitted["error"] = _cut(error, MAX_ERROR_CHARS)
    cuts: dict[str, tuple[int, int]] = {}  # path -> (characters before, characters kept)

    def set_notes() -> None:
        cut_notes = [
            f"{path}: cut from {was} to {kept} characters to fit" for path, (was, kept) in cuts.items()
        ]
        fitted["notes"] = _capped([*notes, *cut_notes])

    set_notes()
    while (excess := item_size(fitted) - budget) > 0:
        found = max(_strings(fitted), key=lambda leaf: leaf[2], default=None)
        if found is None or found[2] <= len(ELLIPSIS.encode()):
            raise ValueError(f"item cannot be made to fit {budget} bytes")  # only fixed fields left
        path, setter, size = found
        text = _get(fitted, path)
        kept = _cut_bytes(text, max(size - excess - NOTE_SLACK, 0))
        setter(kept)
        name = ".".join(map(str, path))
        cuts[name] = (cuts.get(name, (len(text), 0))[0], len(kept))
        set_notes()
    return fitted


def _capped(notes: list[str]) -> list[str]:
    notes = [_cut(n, MAX_NOTE_CHARS) if len(n) > MAX_NOTE_CHARS else n for n in notes]
    if len(notes) > MAX_NOTES:
        notes = [*notes[: MAX_NOTES - 1], f"and {len(notes) - MAX_NOTES + 1} more notes"]
    return notes


def _strings(item: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], Any, int]]:
    """(path, setter, size) of every string that may be cut: top-level ones, and those in lists and maps."""
    for name, value in item.items():
        if name in FIXED or name == "notes":
            continue
        if isinstance(value, str):
            yield (name,), _setter(item, name), value_size(value)
        elif isinstance(value, list):
            for index, element in enumerate(value):
                if isinstance(element, str):
                    yield (name, index), _setter(value, index), value_size(element)
        elif isinstance(value, dict):
            for key, element in value.items():
                if isinstance(element, str):
                    yield (name, key), _setter(value, key), value_size(element)


def _setter(container: Any, key: Any) -> Any:
    def set_value(value: str) -> None:
        container[key] = value

    return set_value


def _get(item: dict[str, Any], path: tuple[Any, ...]) -> str:
    value: Any = item
    for step in path:
        value = value[step]
    return str(value)


def _cut(text: str, chars: int) -> str:
    return text[: max(chars - len(ELLIPSIS), 0)] + ELLIPSIS


def _cut_bytes(text: str, size: int) -> str:
    """At most ``size`` UTF-8 bytes of ``text`` (whole characters), then an ellipsis."""
    return text.encode("utf-8")[:size].decode("utf-8", "ignore") + ELLIPSIS


def _valid_text(value: Any) -> Any:
    """DynamoDB stores valid UTF-8 only: lone surrogates (a JSON request's "\\ud800") become U+FFFD."""
    if isinstance(value, str):
        return (
            value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            if _has_surrogate(value)
            else value
        )
    if isinstance(value, list):
        return [_valid_text(v) for v in value]
    if isinstance(value, dict):
        return {_valid_text(k): _valid_text(v) for k, v in value.items()}
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
