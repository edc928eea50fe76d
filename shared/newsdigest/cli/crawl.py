"""`newsdigest crawl SOURCE...`: add the sources if new, discover (N rounds, as the schedule would), run
the rest of the pipeline, and print one JSON line per item this call stored."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.progress import MODES
from newsdigest.cli.sources import add_source_flags, add_sources, source_specs
from newsdigest.cli.target import add_target_arguments

DEFAULT_TIMEOUT = 300.0
#: How often a deployed stack's items are looked up while waiting.
POLL_SECONDS = 2.0


def _discover(target: Any, runtime: Any, request: dict[str, Any]) -> dict[str, Any]:
    name = target.output("DiscoverFunctionName")
    if runtime is not None:
        logical = next(k for k, v in runtime.resources.functions.items() if v.name == name)
        return dict(runtime.invoke(logical, request))
    reply = target.client("lambda").invoke(FunctionName=name, Payload=json.dumps(request).encode())
    return dict(json.loads(reply["Payload"].read() or b"{}"))


def _wait(
    target: Any, runtime: Any, article_ids: set[str], args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """The final items of ``article_ids`` that arrive within the timeout, with progress on stderr."""
    from newsdigest.cli.progress import Progress

    final: dict[str, dict[str, Any]] = {}

    def settled() -> bool:
        for article_id in article_ids - set(final):
            item = target.storage.get_item(target.table, article_id)
            if item and item.get("status") in {"ok", "failed"}:
                final[article_id] = item
        shown.set(len(final))
        return len(final) == len(article_ids)

    with Progress(len(article_ids), "crawl", unit="articles", mode=args.progress) as shown:
        if runtime is not None:
            runtime.pump_until(settled, timeout=args.timeout)
        else:
            deadline = time.monotonic() + args.timeout
            while not settled() and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
    return final


def cmd_crawl(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.aws.discovery import CrawlStateTable, SourceTable
    from newsdigest.cli.common import print_json
    from newsdigest.cli.run import local_runtime
    from newsdigest.cli.target import open_target

    with open_target(args) as target:
        runtime = None
        if target.resources is not None:
            allow = args.allow_private_addresses
            runtime = local_runtime(target.resources, allow_private_addresses=allow, log_level=args.log_level)
            target.changed = True
        sources, errors = add_sources(
            SourceTable(target.output("SourcesTableName")),
            source_specs(args),
            allow_private=args.allow_private_addresses,
        )
        for error in errors:
            print(f"newsdigest: refused {error}", file=sys.stderr)
        if not sources:
            return exits.INPUT_FAILED
        request: dict[str, Any] = {"sources": [s.id for s in sources]}
        if args.limit:
            request["limit"] = args.limit
        failures = late = stored = 0
        for round_number in range(1, args.rounds + 1):
            queued: dict[str, str] = {}
            reply = _discover(target, runtime, request)
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
            items = _wait(target, runtime, set(queued), args) if queued else {}
            for article_id in queued:
                if article_id in items:
                    stored += 1
                    print_json(items[article_id], out)
                    if items[article_id].get("status") != "ok":
                        failures += 1
            missing = [url for article_id, url in queued.items() if article_id not in items]
            if missing:
                late += len(missing)
                print(
                    f"newsdigest: {len(missing)} articles without a result within {args.timeout:.0f}s",
                    file=sys.stderr,
                )
                if target.kind == "embedded":
                    # The embedded stack's queue ends with this command: forget these URLs were seen
                    # and the documents' validators (a 304 would hide them), so that the next crawl
                    # queues them again instead of never.
                    state = CrawlStateTable(target.output("CrawlStateTableName"))
                    for url in missing:
                        state.release(url)
                    state.forget_validators()
        if not stored and not late:
            print(
                "newsdigest: nothing new: every article these sources list was seen before", file=sys.stderr
            )
    if late:
        return exits.INFRASTRUCTURE
    return exits.INPUT_FAILED if failures or errors else exits.OK


def register(sub: Any) -> None:
    parser = sub.add_parser("crawl", help="discover and ingest the new articles of sites, feeds or sitemaps")
    parser.add_argument("urls", nargs="+", metavar="SOURCE", help="homepage, feed or sitemap URL")
    parser.add_argument("--limit", type=int, help="new articles per source and round at most")
    parser.add_argument(
        "--rounds", type=int, default=1, help="discovery rounds, as the schedule would run them"
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait per round")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument(
        "--progress",
        choices=MODES,
        help="progress on stderr: a bar, plain periodic lines, or none "
        "(default: a bar on a terminal, lines otherwise; NEWSDIGEST_PROGRESS sets it too)",
    )
    add_source_flags(parser)
    add_target_arguments(parser)
    parser.set_defaults(func=cmd_crawl, file=None)
