"""`newsdigest list`: stored articles, newest first, of one site or all, in a time range, by status."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from newsdigest.cli.reading import TITLE_WIDTH, add_format_argument, add_paging_arguments, print_listing
from newsdigest.cli.target import add_target_arguments

COLUMNS = (
    ("published_at", None),
    ("status", None),
    ("site", 24),
    ("article_id", None),
    ("title", TITLE_WIDTH),
)


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    return print_listing(
        args,
        out,
        {"site": args.site, "since": args.since, "until": args.until, "status": args.status},
        COLUMNS,
    )


def register(sub: Any) -> None:
    parser = sub.add_parser("list", help="stored articles, newest first (items as JSON lines or a table)")
    parser.add_argument("--site", help="only this site (host name, e.g. tass.com)")
    parser.add_argument("--since", help="published at or after (ISO 8601 date or datetime, UTC if no offset)")
    parser.add_argument("--until", help="published before (ISO 8601 date or datetime)")
    parser.add_argument("--status", choices=["ok", "failed"], help="only summarised (ok) or failed items")
    add_paging_arguments(parser)
    add_format_argument(parser)
    add_target_arguments(parser)
    parser.set_defaults(func=cmd_list)
