"""`newsdigest sources add|list|remove|enable|disable`: the sites, feeds and sitemaps Discover reads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.common import print_json
from newsdigest.cli.target import add_target_arguments, open_target


def source_specs(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One spec per URL given (with the flags' settings), plus those of a --file."""
    from newsdigest.pipeline.discover import parse_source_specs

    flags: dict[str, Any] = {"kind": args.kind}
    for name in ("every", "max_new_per_run", "requests_per_minute"):
        if getattr(args, name, None) is not None:
            flags[name] = getattr(args, name)
    if args.include:
        flags["include"] = args.include
    if args.exclude:
        flags["exclude"] = args.exclude
    specs = [{"url": url, **flags} for url in args.urls]
    if getattr(args, "file", None):
        specs += parse_source_specs(Path(args.file).read_text(encoding="utf-8"))
    return specs


def add_sources(
    table: Any, specs: list[dict[str, Any]], *, allow_private: bool
) -> tuple[list[Any], list[str]]:
    """Validate and add; returns (sources, errors). Existing sources are kept as they are."""
    from newsdigest.discovery.sources import SourceError, validate_source
    from newsdigest.fetch.policy import FetchSettings
    from newsdigest.pipeline.discover import public_address_check

    check = public_address_check(FetchSettings(allow_private_addresses=allow_private))
    sources, errors = [], []
    for spec in specs:
        try:
            source = validate_source(spec, check_address=check)
        except SourceError as exc:
            errors.append(f"{spec.get('url')!s:.200}: {exc} [{exc.reason}]")
            continue
        if not table.add(source):
            print(
                f"newsdigest: source {source.id} ({source.url}) already exists; kept as it is",
                file=sys.stderr,
            )
        sources.append(table.get(source.id) or source)
    return sources, errors


def _view(source: Any) -> dict[str, Any]:
    return {"source_id": source.id, **source.to_item()}


def cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.aws.discovery import SourceTable

    if args.action == "add" and not args.urls and not args.file:
        raise exits.UsageError("sources add needs URLs or --file")
    with open_target(args) as target:
        table = SourceTable(target.output("SourcesTableName"))
        if args.action == "list":
            for source in table.list_sources():
                print_json(_view(source), out)
            return exits.OK
        target.changed = True  # the embedded stack keeps what this command changed
        if args.action == "add":
            allow = args.allow_private_addresses
            sources, errors = add_sources(table, source_specs(args), allow_private=allow)
            for source in sources:
                print_json(_view(source), out)
            for error in errors:
                print(f"newsdigest: refused {error}", file=sys.stderr)
            return exits.INPUT_FAILED if errors else exits.OK
        status = exits.OK
        for ref in args.urls:
            source_id = _resolve(ref)
            done = (
                table.remove(source_id)
                if args.action == "remove"
                else table.set_enabled(source_id, args.action == "enable")
            )
            if not done:
                print(f"newsdigest: no source {ref}", file=sys.stderr)
                status = exits.INPUT_FAILED
            else:
                print_json({"source_id": source_id, "action": args.action}, out)
        return status


def _resolve(ref: str) -> str:
    """A source id, or the id of the source with that URL (however it is written)."""
    from newsdigest.discovery.canonical import canonical_url
    from newsdigest.discovery.sources import source_id

    if "://" not in ref:
        return ref
    try:
        return source_id(canonical_url(ref))
    except ValueError:
        return ref


def add_source_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind",
        default="auto",
        choices=["auto", "homepage", "feed", "sitemap"],
        help="what the URL is (default: decided from what it serves)",
    )
    parser.add_argument(
        "--every", help="schedule: minutes, '15m', '2h', '1d' or 'rate(15 minutes)' (default 30m)"
    )
    parser.add_argument(
        "--max-new-per-run", type=int, help="new articles queued per run at most (default 100)"
    )
    parser.add_argument(
        "--requests-per-minute", type=int, help="per host, unless robots.txt asks for less (30)"
    )
    parser.add_argument("--include", action="append", help="regular expression a URL must match (repeatable)")
    parser.add_argument(
        "--exclude", action="append", help="regular expression a URL must not match (repeatable)"
    )
    parser.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="accept loopback/private hosts (local testing only)",
    )


def register(sub: Any) -> None:
    parser = sub.add_parser("sources", help="add, list, remove, enable or disable discovery sources")
    parser.add_argument("action", choices=["add", "list", "remove", "enable", "disable"])
    parser.add_argument(
        "urls", nargs="*", metavar="SOURCE", help="homepage, feed or sitemap URL (or source id)"
    )
    parser.add_argument("--file", help="JSON file: a list of URLs or source objects to add")
    add_source_flags(parser)
    add_target_arguments(parser)
    parser.set_defaults(func=cmd_sources)
