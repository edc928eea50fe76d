"""`newsdigest show ID`: one item with its clean article (JSON, or the text, HTML or Markdown alone)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from newsdigest.cli.reading import reader_of
from newsdigest.cli.target import add_target_arguments, open_target

FORMATS = ("json", "text", "html", "markdown")


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with open_target(args) as target:
        reader = reader_of(target)
        item = reader.get(args.article_id)
        if item is None:
            print(f"newsdigest: no article {args.article_id} in {target.description}", file=sys.stderr)
            return 1
        document = reader.document(item)
        if args.format == "json":
            # Pre-signed links outlive the command only where the stack does (not the embedded one).
            links = reader.links(item) if target.kind != "embedded" else {}
            reply = {"item": item, "article": (document or {}).get("article"), "links": links}
            out.write(json.dumps(reply, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n")
            return 0
        article = (document or {}).get("article") or {}
        body = article.get(args.format) or reader.sibling(item, args.format)
        if body is None:
            print(f"newsdigest: article {args.article_id} has no {args.format} rendering", file=sys.stderr)
            return 1
    out.write(str(body).rstrip("\n") + "\n")
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("show", help="one stored item and its clean article")
    parser.add_argument("article_id", metavar="ID", help="the article id (as `newsdigest list` prints it)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="the item and article as JSON, or only the article's text, HTML or Markdown (default: json)",
    )
    add_target_arguments(parser)
    parser.set_defaults(func=cmd_show)
