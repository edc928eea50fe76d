"""`newsdigest crawl SOURCE...`: add the sources if new, discover (N rounds, as the schedule would), run
the rest of the pipeline, and print one JSON line per item this call stored."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO

from newsdigest.cli.discovery_target import add_target_arguments, open_target
from newsdigest.cli.sources import add_source_flags, add_sources, source_specs

DEFAULT_TIMEOUT = 300.0


def _discover(target: Any, request: dict[str, Any]) -> dict[str, Any]:
    if target.runtime is not None:
        logical = next(
            k for k, v in target.runtime.resources.functions.items() if v.name == target.discover_function
        )
        return dict(target.runtime.invoke(logical, request))
    import boto3

    reply = boto3.client("lambda").invoke(
        FunctionName=target.discover_function, Payload=json.dumps(request).encode()
    )
    return dict(json.loads(reply["Payload"].read() or b"{}"))


def _wait(target: Any, article_ids: set[str], timeout: float) -> dict[str, dict[str, Any]]:
    from newsdigest.aws.storage import Storage

    storage = Storage()
    final: dict[str, dict[str, Any]] = {}

    def settled() -> bool:
        for article_id in article_ids - set(final):
            item = storage.get_item(target.summaries_table, article_id)
            if item and item.get("status") in {"ok", "failed"}:
                final[article_id] = item
            else:
                return False
        return True

    if target.runtime is not None:
        target.runtime.pump_until(settled, timeout=timeout)
    else:
        deadline = time.monotonic() + timeout
        while not settled() and time.monotonic() < deadline:
            time.sleep(2)
    return final


def cmd_crawl(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.aws.discovery import SourceTable
    from newsdigest.cli.common import print_json

    extra_env = {
        "FETCH_ALLOW_PRIVATE_ADDRESSES": "true" if args.allow_private_addresses else "false",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": args.log_level,
        "POWERTOOLS_METRICS_DISABLED": "false" if args.log_level in {"DEBUG", "INFO"} else "true",
    }
    with open_target(args, extra_env=extra_env) as target:
        sources, errors = add_sources(
            SourceTable(target.sources_table), source_specs(args), allow_private=args.allow_private_addresses
        )
        for error in errors:
            print(f"newsdigest: refused {error}", file=sys.stderr)
        if not sources:
            return 1
        request: dict[str, Any] = {"sources": [s.id for s in sources]}
        if args.limit:
            request["limit"] = args.limit
        queued: dict[str, str] = {}
        failures = stored = 0
        for round_number in range(1, args.rounds + 1):
            reply = _discover(target, request)
            for report in reply.get("sources", []):
                for error in report.get("errors", []):
                    failures += 1
                    print(
                        f"newsdigest: source {report['url']}: {error['url']}: {error['reason']}: "
                        f"{error['message']}",
                        file=sys.stderr,
                    )
                for entry in report.get("queued", []):
                    queued[entry["article_id"]] = entry["url"]
                print(
                    f"newsdigest: round {round_number}: {report['url']}: {report['new']} new, "
                    f"{report['seen']} seen before, {report['found']} listed",
                    file=sys.stderr,
                )
            items = _wait(target, set(queued), args.timeout)
            for article_id in list(queued):
                if article_id in items:
                    stored += 1
                    print_json(items[article_id], out)
                    if items[article_id].get("status") != "ok":
                        failures += 1
            missing = set(queued) - set(items)
            if missing:
                failures += len(missing)
                print(
                    f"newsdigest: {len(missing)} articles without a result within {args.timeout:.0f}s",
                    file=sys.stderr,
                )
            queued.clear()
        if not stored:
            print(
                "newsdigest: nothing new: every article these sources list was seen before", file=sys.stderr
            )
    return 1 if failures else 0


def register(sub: Any) -> None:
    parser = sub.add_parser("crawl", help="discover and ingest the new articles of sites, feeds or sitemaps")
    parser.add_argument("urls", nargs="+", metavar="SOURCE", help="homepage, feed or sitemap URL")
    parser.add_argument("--limit", type=int, help="new articles per source and round at most")
    parser.add_argument(
        "--rounds", type=int, default=1, help="discovery rounds, as the schedule would run them"
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait per round")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    add_source_flags(parser)
    add_target_arguments(parser)
    parser.set_defaults(func=cmd_crawl, file=None)
