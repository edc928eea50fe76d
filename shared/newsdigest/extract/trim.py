"""The trim pass: the edges of the written text, and repeats.

What a box leaves at the ends of the text once the box itself is gone: a heading with nothing after
it, short unpunctuated calls to action and labels, "follow us" and "subscribe" lines, a kicker above
the first paragraph; and paragraphs that repeat one already written.
"""

from __future__ import annotations

from newsdigest.extract import thresholds as T
from newsdigest.extract.textshape import SENTENCE_END_STRICT, normalise_key
from newsdigest.extract.write import Para, signs_off


def trim(blocks: list[Para]) -> list[Para]:
    """``blocks`` without the furniture left at their edges and without repeats (a new list)."""
    blocks = list(blocks)
    # A trailing heading with nothing after it belongs to whatever box followed it.
    while blocks and blocks[-1].heading:
        blocks.pop()
    # Short unpunctuated lines trailing the text are calls to action and box labels
    # ("Kommentar schreiben", "Lade weitere Inhalte"), not the story's last words.
    # A list that closes the text (sources, further reading) is made of such lines too; rating
    # stars, share buttons and signature lists are lists of a word or two.
    items = 0
    while (
        items < len(blocks) and blocks[-1 - items].item and len(blocks[-1 - items].text) >= T.CLOSING_ITEM_MIN
    ):
        items += 1
    while (
        len(blocks) > 1
        and items < T.CLOSING_LIST_MIN
        and len(blocks[-1].text) < T.TRAIL_MAX
        and not SENTENCE_END_STRICT.search(blocks[-1].text)
        and not signs_off(blocks[-2], blocks[-1])
    ):
        blocks.pop()
        items = max(0, items - 1)
    # A closing line that links to the outlet's social-network profiles or subscription pages is a
    # "follow us" or "subscribe" call.
    while len(blocks) > 1 and blocks[-1].follow and len(blocks[-1].text) < T.FOLLOW_MAX:
        blocks.pop()
    # Likewise a short label line above the first paragraph or above a heading is a kicker or section
    # name ("Promis", "Anzeige", "Pressemitteilungen"); headings are kept, they may be the text's own.
    for _ in range(T.LEAD_LABELS_DROPPED):
        if (
            len(blocks) > 1
            and not blocks[0].heading
            and _is_trailing_label(blocks[0].text)
            and len(blocks[0].text) < T.LEAD_LABEL_MAX
            and (blocks[1].heading or len(blocks[1].text) >= T.LEAD_LABEL_NEXT)
        ):
            blocks.pop(0)
    return dedupe(blocks)


def _is_trailing_label(text: str) -> bool:
    return len(text) < T.TRAIL_MAX and not SENTENCE_END_STRICT.search(text)


def dedupe(blocks: list[Para]) -> list[Para]:
    """Without repeats that are page furniture: the same text again in a different kind of container
    (a pull quote, the standfirst printed twice). Repeats inside one container are the text's own:
    the rows of a plan, an interview's recurring question. A heading that repeats a list item is the
    section a table of contents listed, and stays."""
    out: list[Para] = []
    seen: dict[str, tuple[str, str] | None] = {}
    listed: set[str] = set()
    for block in blocks:
        key = normalise_key(block.text)
        if not key:
            continue
        where = _container(block)
        if (
            key in seen
            and len(key) > T.REPEAT_MIN_KEY
            and (where is None or seen[key] != where)
            and not (block.heading and key in listed)
        ):
            continue
        seen.setdefault(key, where)
        if block.item:
            listed.add(key)
        out.append(block)
    return out


def _container(block: Para) -> tuple[str, str] | None:
    """The kind of box a paragraph stands in: its parent's tag and class; for a table cell, its
    table's (rows alternate classes, and two tables of a story rank the same names)."""
    el = block.element
    if el is not None and el.tag in {"td", "th"}:
        table = next((a for a in el.iterancestors("table")), None)
        if table is not None:
            return ("table", table.get("class") or "")
    parent = el.getparent() if el is not None else None
    if parent is None:
        return None
    return (str(parent.tag), parent.get("class") or "")
