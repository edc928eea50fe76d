"""`newsdigest summarise FILE|-`: the summary of a text or an HTML page, no AWS involved."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.common import print_json
from newsdigest.cli.readers import read_input

#: What marks input as HTML rather than text: a tag at its start, or a document-level tag anywhere.
_HTML_START = (b"<!doctype", b"<html", b"<head", b"<body", b"<article", b"<p", b"<div", b"<meta", b"<!--")
_HTML_TAGS = (b"<html", b"<body", b"</p>")


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_START) or any(tag in head for tag in _HTML_TAGS)


def add_summary_options(parser: argparse.ArgumentParser) -> None:
    """``--method`` and one length (``--sentences``, ``--ratio``, ``--words``), as `run` takes them too."""
    from newsdigest.summarisation.methods import METHODS

    parser.add_argument(
        "--method", help=f"summarisation method: {', '.join(METHODS)} (default: the deployment's, 'default')"
    )
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--sentences", type=int, help="summary length in sentences")
    length.add_argument("--ratio", type=float, help="summary length as a share of the sentences, in (0, 1]")
    length.add_argument("--words", type=int, help="summary length as a word budget")


def summary_options(args: argparse.Namespace) -> Any:
    """The :class:`~newsdigest.summarisation.options.SummaryOptions` given on the command line."""
    from newsdigest.summarisation.options import SummaryOptions

    return SummaryOptions(method=args.method, sentences=args.sentences, ratio=args.ratio, words=args.words)


def cmd_summarise(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.aws.settings import get_settings
    from newsdigest.errors import NewsdigestError
    from newsdigest.summarisation import summarise

    try:
        options = summary_options(args)
        # The size limit Ingest applies to an upload.
        data = read_input(args.source, max_bytes=get_settings().fetch.max_bytes)
        article = None
        if looks_like_html(data):
            from newsdigest.extract import extract_article

            article = extract_article(data, args.url)
            if article.status != "ok":
                raise NewsdigestError(article.reason or f"page is {article.status}", reason=article.status)
            text, language, title = (
                article.text,
                args.language or article.language,
                args.title or article.title,
            )
        else:
            from newsdigest.extract.language import detect_language

            text = data.decode("utf-8-sig", errors="replace")
            language, title = args.language or detect_language(text)[0], args.title
        summary = summarise(
            text,
            language=language,
            method=options.method or "default",
            sentences=options.sentences,
            ratio=options.ratio,
            words=options.words,
            title=title,
        )
    except NewsdigestError as exc:
        print(f"newsdigest: {args.source}: {exc.reason}: {exc}", file=sys.stderr)
        return exits.INPUT_FAILED
    if args.format == "json":
        result: dict[str, Any] = {"summary": summary.to_dict()}
        if article is not None:
            result["article"] = {k: v for k, v in article.to_dict().items() if k != "text"}
        print_json(result, out)
    else:
        out.write("".join(f"{sentence}\n" for sentence in summary.sentences))
    if summary.note:
        print(f"newsdigest: note: {summary.note}", file=sys.stderr)
    return exits.OK


def register(sub: Any) -> None:
    summarise = sub.add_parser(
        "summarise",
        help="print the summary of a text or HTML file, or of stdin (-); no AWS",
        description="Summarise a text or an HTML page (the article is extracted first). "
        "Prints one sentence a line, or JSON with --format json.",
    )
    summarise.add_argument("source", metavar="FILE|-", help="a .txt or .html file, or - for stdin")
    add_summary_options(summarise)
    summarise.add_argument("--language", help="ISO 639-1 code or name (default: the page's, else a guess)")
    summarise.add_argument("--title", help="the headline (default: the page's), which some methods use")
    summarise.add_argument("--url", help="the page's URL, when SOURCE is an HTML file")
    summarise.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    summarise.set_defaults(func=cmd_summarise)
