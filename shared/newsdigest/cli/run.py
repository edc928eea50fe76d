"""`newsdigest run` and `newsdigest provision`: the whole pipeline on the embedded local stack, a running
endpoint, or a deployed stack."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from newsdigest.cli.common import find_template, print_json
from newsdigest.cli.target import DEFAULT_NAME, add_target_arguments

DEFAULT_TIMEOUT = 120.0


def _report(submissions: list[Any], items: dict[str, dict[str, Any]], out: TextIO, timeout: float) -> int:
    failures = 0
    printed: set[str] = set()
    for sub in submissions:
        if sub.error:
            failures += 1
            print(f"newsdigest: FAILED {sub.source}: {sub.error}", file=sys.stderr)
            continue
        item = items.get(sub.article_id)
        if item is None:
            failures += 1
            print(f"newsdigest: FAILED {sub.source}: no result within {timeout:.0f}s", file=sys.stderr)
            continue
        if sub.article_id not in printed:
            print_json(item, out)
            printed.add(sub.article_id)
        if item.get("status") != "ok":
            failures += 1
            print(
                f"newsdigest: FAILED {sub.source}: {item.get('reason')}: {item.get('error', '')}",
                file=sys.stderr,
            )
    return 1 if failures else 0


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.cli.target import open_target
    from newsdigest.local.drivers import LocalPipeline, StackPipeline
    from newsdigest.local.runtime import LocalRuntime

    with open_target(args) as target:
        if target.resources is None:  # a deployed stack: its own functions do the work
            stack_pipeline = StackPipeline(target.outputs)
            submissions = stack_pipeline.submit(args.sources, page_url=args.page_url)
            stack_pipeline.wait(submissions, args.timeout)
            return _report(submissions, stack_pipeline.items(submissions), out, args.timeout)
        extra_env = {
            # Explicit either way, so an inherited environment cannot open private addresses.
            "FETCH_ALLOW_PRIVATE_ADDRESSES": "true" if args.allow_private_addresses else "false",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": args.log_level,
            # CloudWatch metric lines are for CloudWatch; on a terminal they only bury the results.
            "POWERTOOLS_METRICS_DISABLED": "false" if args.log_level in {"DEBUG", "INFO"} else "true",
        }
        runtime = LocalRuntime(target.resources, extra_env=extra_env)
        pipeline = LocalPipeline(runtime)
        target.changed = True
        submissions = pipeline.submit(args.sources, page_url=args.page_url)
        pipeline.wait(submissions, args.timeout)
        return _report(submissions, pipeline.items(submissions), out, args.timeout)


def cmd_provision(args: argparse.Namespace, out: TextIO) -> int:
    """Create the template's resources on a running endpoint (for `sam local invoke` against moto)."""
    from newsdigest.local.stack import local_aws_environment, provision

    with local_aws_environment(args.endpoint_url):
        resources = provision(find_template(args.template), name=args.name)
    print_json(
        {
            "outputs": resources.outputs,
            "functions": {k: v.environment for k, v in resources.functions.items()},
        },
        out,
    )
    return 0


def register(sub: Any) -> None:
    run = sub.add_parser("run", help="run the whole pipeline on URLs or local .html files")
    run.add_argument("sources", nargs="+", metavar="SOURCE", help="http(s) URL or path to an .html file")
    add_target_arguments(run)
    run.add_argument("--page-url", help="the URL the uploaded file(s) were saved from")
    run.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for results")
    run.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="handler log level on stderr (INFO and DEBUG also print the CloudWatch metrics)",
    )
    run.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="let the fetcher reach loopback/private hosts (local testing only)",
    )
    run.set_defaults(func=cmd_run)

    prov = sub.add_parser("provision", help="create the template's resources on a running moto server")
    prov.add_argument("--endpoint-url", required=True)
    prov.add_argument("--name", default=DEFAULT_NAME, help="prefix of the local resource names")
    prov.add_argument("--template", help="path to template.yaml (default: found from the checkout)")
    prov.set_defaults(func=cmd_provision)
