"""`newsdigest extract`: the article of one file, URL or standard input, no AWS involved."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.common import print_json
from newsdigest.cli.readers import hint_for, read_input, source_kind

if TYPE_CHECKING:
    from newsdigest.models import Article

FORMATS = ("json", "text", "html", "markdown")


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.aws.settings import get_settings
    from newsdigest.errors import NewsdigestError
    from newsdigest.extract import extract_article

    # The limits Ingest applies: FETCH_MAX_BYTES for a file or stdin as for an upload, and the
    # fetcher's own settings for a URL.
    fetch_settings = get_settings().fetch
    if args.allow_private_addresses:
        fetch_settings = replace(fetch_settings, allow_private_addresses=True)
    charset = None
    try:
        if source_kind(args.source) == "url":
            from newsdigest.fetch import fetch_url

            result = fetch_url(args.source, fetch_settings)
            html, url, charset = result.body, result.final_url, result.charset
        else:
            html, url = read_input(args.source, max_bytes=fetch_settings.max_bytes), args.url
        article = extract_article(html, url, http_charset=charset)
    except NewsdigestError as exc:
        hint = hint_for(exc.reason)
        print(f"newsdigest: {args.source}: {exc.reason}: {exc}", file=sys.stderr)
        if hint:
            print(f"newsdigest: {hint}", file=sys.stderr)
        return exits.INPUT_FAILED
    except Exception as exc:
        # Not the project's own error, so a bug in the extractor (a charset label only Python knows,
        # say): named on one line instead of a traceback; the library call raises it whole.
        print(f"newsdigest: {args.source}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return exits.INPUT_FAILED
    if args.format == "json":
        print_json(article.to_dict(), out)
    else:
        out.write(render(article, args.format))
        out.flush()
    return exits.OK if article.status == "ok" else exits.INPUT_FAILED


def render(article: Article, fmt: str) -> str:
    """The article as a document of ``fmt`` (text, html, markdown): its title as the heading, then
    the body the extractor wrote for that format."""
    from html import escape

    title = article.title or ""
    if fmt == "text":
        body = article.text
        head = f"{title}\n\n" if title else ""
    elif fmt == "html":
        body = article.html
        head = f"<h1>{escape(title, quote=False)}</h1>\n" if title else ""
    else:
        from newsdigest.extract.markdown import escape_text

        body = article.markdown
        head = f"# {escape_text(title, line_start=False)}\n\n" if title else ""
    return head + body.rstrip("\n") + "\n"


def register(sub: Any) -> None:
    extract = sub.add_parser("extract", help="print the article extracted from a file, URL or stdin (no AWS)")
    extract.add_argument("source", metavar="SOURCE", help="http(s) URL, path to an HTML file, or - for stdin")
    extract.add_argument("--url", help="the page's URL, when SOURCE is a file or stdin")
    extract.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="let the fetcher reach loopback/private hosts (local testing only)",
    )
    extract.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json: the whole Article (default); text, html, markdown: the article in that format",
    )
    extract.set_defaults(func=cmd_extract)
