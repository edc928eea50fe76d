"""Where a command's AWS calls go: the embedded local stack, a running endpoint, or a deployed stack.

Every command that reads or writes the service takes the same options (:func:`add_target_arguments`)
and opens a :class:`Target` with :func:`open_target`; the target names the resources (the template's
``Outputs``, locally resolved or read from CloudFormation) and boto3 points where they live.

- default: an embedded moto server for the length of the command, its state kept in a data directory
  (``--data-dir``, default a per-user directory) so that what ``run`` stored, ``list`` shows later;
  while ``newsdigest serve`` holds that directory, commands use the served stack instead;
- ``--endpoint-url URL``: a running moto server (or another AWS-compatible endpoint); the template's
  resources are created there when missing;
- ``--stack NAME``: a deployed CloudFormation stack, with the caller's AWS credentials and region.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdigest.cli.common import find_template
from newsdigest.cli.exits import InfrastructureError

if TYPE_CHECKING:
    from newsdigest.aws.storage import Storage
    from newsdigest.local.stack import LocalResources

DEFAULT_NAME = "newsdigest-local"
#: What ``newsdigest serve`` leaves in its data directory while it runs: endpoint, name and pid.
SERVER_FILE = "server.json"
LOCK_FILE = "lock"


def resolve_data_dir(given: str | Path | None) -> Path:
    """The data directory to use (created when missing)."""
    from newsdigest.local.state import default_data_dir

    data_dir = Path(given or default_data_dir()).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose the target, the same on every command."""
    group = parser.add_argument_group("where (default: the embedded local stack)")
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="a running moto server (newsdigest serve) or other AWS-compatible endpoint",
    )
    where.add_argument(
        "--stack", metavar="NAME", help="a deployed CloudFormation stack (your AWS credentials)"
    )
    where.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        help="where the embedded local stack keeps its state (default: $NEWSDIGEST_DATA_DIR or a "
        "per-user directory, printed on stderr)",
    )
    group.add_argument(
        "--name", default=DEFAULT_NAME, help=f"prefix of the local resource names (default: {DEFAULT_NAME})"
    )
    group.add_argument("--template", help="path to template.yaml (default: found from the checkout)")


@dataclass
class Target:
    """The resources one command works on, and how to reach them."""

    kind: str  # "embedded", "endpoint" or "stack"
    description: str  # for messages: which stack this is
    outputs: Mapping[str, str]
    endpoint_url: str | None = None
    #: The locally created resources (embedded and endpoint targets); None for a deployed stack.
    resources: LocalResources | None = None
    data_dir: Path | None = None
    #: Set by commands that changed the stack, so the embedded state is written back on exit.
    changed: bool = field(default=False)

    def output(self, key: str) -> str:
        try:
            return self.outputs[key]
        except KeyError:
            raise InfrastructureError(f"{self.description} has no output {key}") from None

    @property
    def table(self) -> str:
        return self.output("TableName")

    @property
    def raw_bucket(self) -> str:
        return self.output("RawBucketName")

    @property
    def articles_bucket(self) -> str:
        return self.output("ArticlesBucketName")

    @property
    def ingest_function(self) -> str:
        return self.output("IngestFunctionName")

    def client(self, service: str) -> Any:
        """A boto3 client for the target (local endpoints come from the environment this target set)."""
        import boto3

        return boto3.client(service)

    @cached_property
    def storage(self) -> Storage:
        from newsdigest.aws.storage import Storage

        return Storage()


def note(message: str) -> None:
    print(f"newsdigest: {message}", file=sys.stderr, flush=True)


def served_endpoint(data_dir: Path) -> dict[str, Any] | None:
    """The ``newsdigest serve`` holding ``data_dir``, if one is running and answers."""
    path = data_dir / SERVER_FILE
    try:
        served = json.loads(path.read_text(encoding="utf-8"))
        os.kill(int(served["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(str(served["endpoint"]))
    try:
        socket.create_connection((address.hostname, address.port or 80), timeout=2).close()
    except OSError:
        return None
    return dict(served)


def lock_data_dir(data_dir: Path, stack: ExitStack) -> None:
    """One embedded stack per data directory at a time: the second command waits for the first."""
    handle = (data_dir / LOCK_FILE).open("a+")
    stack.callback(handle.close)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        note(f"waiting for another newsdigest command using {data_dir}")
        fcntl.flock(handle, fcntl.LOCK_EX)


def _local(args: argparse.Namespace, endpoint: str, stack: ExitStack) -> LocalResources:
    from newsdigest.local.stack import local_aws_environment, provision

    stack.enter_context(local_aws_environment(endpoint))
    return provision(find_template(getattr(args, "template", None)), name=getattr(args, "name", DEFAULT_NAME))


@contextmanager
def open_target(args: argparse.Namespace) -> Iterator[Target]:
    """Resolve the target named by the options of :func:`add_target_arguments`.

    An embedded stack loads its data directory first and, when the command set ``target.changed``,
    writes it back at the end (also when the command failed part-way: what was stored stays stored).
    """
    stack_name = getattr(args, "stack", None)
    if stack_name:
        import boto3

        try:
            described = boto3.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
        except Exception as exc:  # botocore's errors, no credentials, unknown stack: all end the command
            raise InfrastructureError(f"cannot read stack {stack_name}: {exc}") from exc
        outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
        yield Target(kind="stack", description=f"stack {stack_name}", outputs=outputs)
        return

    with ExitStack() as stack:
        endpoint = getattr(args, "endpoint_url", None)
        if endpoint:
            resources = _local(args, endpoint, stack)
            yield Target(
                kind="endpoint",
                description=f"endpoint {endpoint}",
                outputs=resources.outputs,
                endpoint_url=endpoint,
                resources=resources,
            )
            return

        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
        served = served_endpoint(data_dir)
        if served:
            note(f"using the local stack served at {served['endpoint']} (newsdigest serve, {data_dir})")
            resources = _local(args, served["endpoint"], stack)
            yield Target(
                kind="endpoint",
                description=f"local stack at {served['endpoint']}",
                outputs=resources.outputs,
                endpoint_url=served["endpoint"],
                resources=resources,
                data_dir=data_dir,
            )
            return

        from newsdigest.local.state import export_state, import_state

        lock_data_dir(data_dir, stack)
        note(f"local stack state in {data_dir}")
        from newsdigest.local.server import start_moto_server

        endpoint = start_moto_server(stack)
        resources = _local(args, endpoint, stack)
        import_state(resources, data_dir)
        target = Target(
            kind="embedded",
            description=f"local stack in {data_dir}",
            outputs=resources.outputs,
            endpoint_url=endpoint,
            resources=resources,
            data_dir=data_dir,
        )
        try:
            yield target
        finally:
            if target.changed:
                export_state(resources, data_dir)
