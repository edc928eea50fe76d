"""`newsdigest digest`: an Atom feed of summaries (one site or all; one UTC day or the latest N)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from newsdigest.cli.reading import reader_of, usage_error
from newsdigest.cli.target import add_target_arguments, open_target


def cmd_digest(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.reading.atom import build_feed
    from newsdigest.reading.digest import digest_request
    from newsdigest.reading.query import QueryError

    params = {"site": args.site, "day": args.day, "last": str(args.last) if args.last else None}
    try:
        digest = digest_request(params)
    except QueryError as exc:
        return usage_error(str(exc))
    with open_target(args) as target:
        page = reader_of(target).list(digest.query)
    out.write(build_feed(digest.info, page.items).decode("utf-8"))
    out.flush()
    return 0


def register(sub: Any) -> None:
    from newsdigest.reading.digest import DEFAULT_LAST
    from newsdigest.reading.query import MAX_LIMIT

    parser = sub.add_parser("digest", help="an Atom feed of the stored summaries, on stdout")
    parser.add_argument("--site", help="only this site (host name, e.g. tass.com)")
    parser.add_argument("--day", help="articles published on this UTC day, YYYY-MM-DD")
    parser.add_argument(
        "--last",
        type=int,
        help=f"the latest N (default: {DEFAULT_LAST}; with --day, up to {MAX_LIMIT} of that day)",
    )
    add_target_arguments(parser)
    parser.set_defaults(func=cmd_digest)
