"""`newsdigest failed`: failed items, newest failure first, with the stage and reason of each."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from newsdigest.cli.reading import (
    add_format_argument,
    add_paging_arguments,
    pages,
    reader_of,
    table_format,
    usage_error,
    write_rows,
)
from newsdigest.cli.target import add_target_arguments, open_target

COLUMNS = (
    ("failed_at", None),
    ("stage", None),
    ("reason", 28),
    ("article_id", None),
    ("source_ref", 60),
    ("error", 80),
)


def cmd_failed(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.reading.query import ArticleQuery, QueryError

    try:
        query = ArticleQuery.from_params(
            {
                "since": args.since,
                "until": args.until,
                "status": "failed",
                "stage": args.stage,
                "limit": str(args.limit),
            }
        )
    except QueryError as exc:
        return usage_error(str(exc))
    with open_target(args) as target:
        reader = reader_of(target)
        table = table_format(args, out)
        try:
            for items in pages(reader, query, args):
                write_rows(items, COLUMNS, out, table=table)
        except QueryError as exc:
            return usage_error(str(exc))
    return 0


def register(sub: Any) -> None:
    from newsdigest.reading.query import FAILURE_STAGES

    parser = sub.add_parser("failed", help="failed items with the stage and reason of each, newest first")
    parser.add_argument("--stage", choices=FAILURE_STAGES, help="only failures at this stage")
    parser.add_argument("--since", help="failed at or after (ISO 8601 date or datetime)")
    parser.add_argument("--until", help="failed before (ISO 8601 date or datetime)")
    add_paging_arguments(parser)
    add_format_argument(parser)
    add_target_arguments(parser)
    parser.set_defaults(func=cmd_failed)
