"""`newsdigest run` and `newsdigest provision`: the whole pipeline on the embedded local stack, a running
endpoint, or a deployed stack."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.common import find_template, print_json
from newsdigest.cli.progress import MODES
from newsdigest.cli.readers import hint_for, source_kind
from newsdigest.cli.summarise import add_summary_options, summary_options
from newsdigest.cli.target import DEFAULT_NAME, add_target_arguments

DEFAULT_TIMEOUT = 120.0
#: Counting settled inputs costs one item lookup per open input: at most once a second.
POLL_PROGRESS_SECONDS = 1.0


def _report(submissions: list[Any], items: dict[str, dict[str, Any]], out: TextIO, timeout: float) -> int:
    """Each item once on stdout, each failure named on stderr; the exit status of the whole run."""
    failures = late = 0
    printed: set[str] = set()
    for sub in submissions:
        if sub.error:
            failures += 1
            print(f"newsdigest: FAILED {sub.source}: {sub.error}", file=sys.stderr)
            continue
        item = items.get(sub.article_id)
        if item is None:
            late += 1
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
            hint = hint_for(item.get("reason"))
            if hint:
                print(f"newsdigest: {hint}", file=sys.stderr)
    if late:
        return exits.INFRASTRUCTURE
    return exits.INPUT_FAILED if failures else exits.OK


def _refused(sources: list[str]) -> tuple[list[str], list[Any]]:
    """Sources the pipeline can take, and submissions that already failed (unsupported schemes)."""
    from newsdigest.errors import InputError
    from newsdigest.local.drivers import Submission

    usable, refused = [], []
    for source in sources:
        try:
            if source_kind(source) == "stdin":
                raise InputError("run reads files and URLs; pipe a page into 'extract -' instead")
        except InputError as exc:
            refused.append(Submission(source, "", error=f"{exc.reason}: {exc}"))
            continue
        usable.append(source)
    return usable, refused


def _wait(pipeline: Any, submissions: list[Any], args: argparse.Namespace) -> None:
    """Wait for the items, showing how many have settled (polled at most once a second)."""
    from newsdigest.cli.progress import Progress

    pending = [s for s in submissions if s.article_id]
    with Progress(len(pending), "run", unit="inputs", mode=args.progress) as shown:
        if shown.mode == "off":
            pipeline.wait(pending, args.timeout)
            return
        last = 0.0

        def on_poll() -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= POLL_PROGRESS_SECONDS:
                last = now
                shown.set(pipeline.settled_count(pending))

        pipeline.wait(pending, args.timeout, on_poll=on_poll)
        shown.set(pipeline.settled_count(pending))


def local_runtime(
    resources: Any, *, allow_private_addresses: bool = False, log_level: str = "WARNING"
) -> Any:
    """The template's functions in this process, as ``run`` and the operations commands drive them."""
    from newsdigest.local.runtime import LocalRuntime

    extra_env = {
        # Explicit either way, so an inherited environment cannot open private addresses.
        "FETCH_ALLOW_PRIVATE_ADDRESSES": "true" if allow_private_addresses else "false",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": log_level,
        # CloudWatch metric lines are for CloudWatch; on a terminal they only bury the results.
        "POWERTOOLS_METRICS_DISABLED": "false" if log_level in {"DEBUG", "INFO"} else "true",
    }
    return LocalRuntime(resources, extra_env=extra_env)


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.cli.target import open_target
    from newsdigest.errors import NewsdigestError
    from newsdigest.local.drivers import LocalPipeline, StackPipeline

    try:
        options = summary_options(args)
    except NewsdigestError as exc:
        print(f"newsdigest: bad summary options: {exc.reason}: {exc}", file=sys.stderr)
        return exits.USAGE
    sources, refused = _refused(args.sources)
    with open_target(args) as target:
        if target.resources is None:  # a deployed stack: its own functions do the work
            stack_pipeline = StackPipeline(target.outputs)
            submissions = refused + stack_pipeline.submit(sources, page_url=args.page_url, summary=options)
            _wait(stack_pipeline, submissions, args)
            return _report(submissions, stack_pipeline.items(submissions), out, args.timeout)
        runtime = local_runtime(
            target.resources, allow_private_addresses=args.allow_private_addresses, log_level=args.log_level
        )
        pipeline = LocalPipeline(runtime)
        target.changed = True
        submissions = refused + pipeline.submit(sources, page_url=args.page_url, summary=options)
        _wait(pipeline, submissions, args)
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
    run.add_argument("sources", nargs="+", metavar="SOURCE", help="http(s) URL or path to an HTML file")
    add_target_arguments(run)
    run.add_argument("--page-url", help="the URL the uploaded file(s) were saved from")
    run.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for results")
    add_summary_options(run)
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
    run.add_argument(
        "--progress",
        choices=MODES,
        help="progress on stderr: a bar, plain periodic lines, or none "
        "(default: a bar on a terminal, lines otherwise; NEWSDIGEST_PROGRESS sets it too)",
    )
    run.set_defaults(func=cmd_run)

    prov = sub.add_parser("provision", help="create the template's resources on a running moto server")
    prov.add_argument("--endpoint-url", required=True)
    prov.add_argument("--name", default=DEFAULT_NAME, help="prefix of the local resource names")
    prov.add_argument("--template", help="path to template.yaml (default: found from the checkout)")
    prov.set_defaults(func=cmd_provision)
