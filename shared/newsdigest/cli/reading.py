"""What the read commands (list, show, digest, failed) share: the reader of a target, the output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from newsdigest.cli.target import Target, note, open_target

#: Characters of a title in a table row; the whole item is in ``--format json``.
TITLE_WIDTH = 70


def reader_of(target: Target) -> Any:
    from newsdigest.aws.reader import Reader

    return Reader(target.table, target.articles_bucket)


def add_format_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["table", "json"],
        help="one row per item, or one JSON object per line (default: table on a terminal, else json)",
    )


def add_paging_arguments(parser: argparse.ArgumentParser) -> None:
    from newsdigest.reading.query import DEFAULT_LIMIT, MAX_LIMIT

    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"items per page, 1-{MAX_LIMIT} (default: {DEFAULT_LIMIT})",
    )
    paging = parser.add_mutually_exclusive_group()
    paging.add_argument("--cursor", help="continue from the cursor a previous page printed")
    paging.add_argument("--all", action="store_true", help="every page, not only the first")


def pages(reader: Any, query: Any, args: argparse.Namespace) -> Iterator[list[dict[str, Any]]]:
    """The pages the options ask for; says on stderr how to get the next one when there is more."""
    cursor = args.cursor
    while True:
        page = reader.list(query, cursor)
        yield page.items
        cursor = page.cursor
        if not cursor:
            return
        if not args.all:
            note(f"more items: add --cursor {cursor}")
            return


def table_format(args: argparse.Namespace, out: TextIO) -> bool:
    if args.format:
        return bool(args.format == "table")
    return out.isatty()


def _cell(value: Any, width: int | None = None) -> str:
    text = " ".join(str(value).split()) if value not in (None, "") else "-"
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def write_rows(
    items: Sequence[dict[str, Any]], columns: Sequence[tuple[str, int | None]], out: TextIO, *, table: bool
) -> None:
    if not table:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False, sort_keys=True, default=str) + "\n")
        out.flush()
        return
    for item in items:
        out.write("  ".join(_cell(item.get(name), width) for name, width in columns).rstrip() + "\n")
    out.flush()


def print_listing(
    args: argparse.Namespace,
    out: TextIO,
    params: dict[str, str | None],
    columns: Sequence[tuple[str, int | None]],
) -> int:
    """The pages of one article query on the target the options name: exit 2 on a bad parameter."""
    from newsdigest.reading.query import ArticleQuery, QueryError

    try:
        query = ArticleQuery.from_params({**params, "limit": str(args.limit)})
    except QueryError as exc:
        return usage_error(str(exc))
    with open_target(args) as target:
        reader = reader_of(target)
        table = table_format(args, out)
        try:
            for items in pages(reader, query, args):
                write_rows(items, columns, out, table=table)
        except QueryError as exc:  # a cursor of another query
            return usage_error(str(exc))
    return 0


def usage_error(message: str) -> int:
    print(f"newsdigest: {message}", file=sys.stderr)
    return 2
