"""Where `sources` and `crawl` act: the embedded moto server, a running endpoint, or a deployed stack."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass
class DiscoveryTarget:
    sources_table: str
    crawl_table: str
    summaries_table: str
    discover_function: str
    #: The local runtime (embedded or --endpoint-url); None for a deployed stack.
    runtime: Any = None


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--endpoint-url", help="a running moto server (after `newsdigest provision`)")
    target.add_argument("--stack", help="a deployed CloudFormation stack")
    parser.add_argument("--name", default="newsdigest-local", help="prefix of the local resource names")
    parser.add_argument("--template", help="path to template.yaml (default: found from the checkout)")


@contextmanager
def open_target(
    args: argparse.Namespace, *, extra_env: dict[str, str] | None = None
) -> Iterator[DiscoveryTarget]:
    if args.stack:
        import boto3

        stack = boto3.client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        yield DiscoveryTarget(
            outputs["SourcesTableName"],
            outputs["CrawlStateTableName"],
            outputs["TableName"],
            outputs["DiscoverFunctionName"],
        )
        return
    from newsdigest.cli.common import find_template
    from newsdigest.local.runtime import LocalRuntime
    from newsdigest.local.stack import local_aws_environment, provision

    with ExitStack() as stack:
        endpoint = args.endpoint_url
        if not endpoint:
            from moto.server import ThreadedMotoServer

            logging.getLogger("werkzeug").setLevel(logging.ERROR)
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            server.start()
            stack.callback(server.stop)
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
        stack.enter_context(local_aws_environment(endpoint))
        resources = provision(find_template(args.template), name=args.name)
        runtime = LocalRuntime(resources, extra_env=extra_env) if extra_env is not None else None
        yield DiscoveryTarget(
            resources.refs["SourcesTable"],
            resources.refs["CrawlStateTable"],
            resources.outputs["TableName"],
            resources.refs["DiscoverFunction"],
            runtime,
        )
