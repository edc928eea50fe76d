"""`newsdigest failed`: failed items, newest failure first, with the stage and reason of each."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from newsdigest.cli.reading import add_format_argument, add_paging_arguments, print_listing
from newsdigest.cli.target import add_target_arguments

COLUMNS = (
    ("failed_at", None),
    ("stage", None),
    ("reason", 28),
    ("article_id", None),
    ("source_ref", 60),
    ("error", 80),
)


def cmd_failed(args: argparse.Namespace, out: TextIO) -> int:
    return print_listing(
        args,
        out,
        {"since": args.since, "until": args.until, "status": "failed", "stage": args.stage},
        COLUMNS,
    )


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
