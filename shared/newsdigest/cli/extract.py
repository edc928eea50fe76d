"""`newsdigest extract`: the article of one file or URL, no AWS involved."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from newsdigest.cli.common import print_json


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.errors import NewsdigestError
    from newsdigest.extract import extract_article

    charset = None
    try:
        if args.source.lower().startswith(("http://", "https://")):
            from newsdigest.aws.settings import get_settings
            from newsdigest.fetch import fetch_url

            result = fetch_url(args.source, get_settings().fetch)
            html, url, charset = result.body, result.final_url, result.charset
        else:
            html, url = Path(args.source).read_bytes(), args.url
        article = extract_article(html, url, http_charset=charset)
    except (NewsdigestError, OSError) as exc:
        print(f"newsdigest: {args.source}: {getattr(exc, 'reason', 'error')}: {exc}", file=sys.stderr)
        return 1
    print_json(article.to_dict(), out)
    return 0 if article.status == "ok" else 1


def register(sub: Any) -> None:
    extract = sub.add_parser("extract", help="print the article extracted from a file or URL (no AWS)")
    extract.add_argument("source", metavar="FILE|URL")
    extract.add_argument("--url", help="the page's URL, when SOURCE is a file")
    extract.set_defaults(func=cmd_extract)
