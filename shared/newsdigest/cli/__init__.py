"""The newsdigest command: run the pipeline locally or against a stack, or extract one page.

Each command lives in its own module of this package with a register(subparsers) function.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import redirect_stdout

from newsdigest.cli import (
    crawl,
    digest,
    exits,
    extract,
    failed,
    listing,
    redrive,
    reprocess,
    resummarise,
    run,
    serve,
    show,
    sources,
    summarise,
)
from newsdigest.cli.help import Parser

COMMANDS = (
    run,
    extract,
    serve,
    sources,
    crawl,
    listing,
    show,
    digest,
    failed,
    redrive,
    reprocess,
    resummarise,
    summarise,
)


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("newsdigest")
    except PackageNotFoundError:  # run from a source tree that was never installed
        from newsdigest import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="newsdigest", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    # Logs and metrics (Powertools writes both to stdout) go to stderr; stdout carries only results.
    with redirect_stdout(sys.stderr):
        try:
            return int(args.func(args, out))
        except exits.UsageError as exc:
            parser.exit(exits.USAGE, f"newsdigest {args.command}: {exc}\n")
        except exits.InfrastructureError as exc:
            print(f"newsdigest {args.command}: {exc}", file=sys.stderr)
        except Exception as exc:
            if not _is_infrastructure(exc):
                raise  # a bug: let its traceback show
            print(f"newsdigest {args.command}: {_describe(exc)}", file=sys.stderr)
        return exits.INFRASTRUCTURE


def _is_infrastructure(exc: BaseException) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(exc, BotoCoreError | ClientError | ConnectionError | TimeoutError)


def _describe(exc: BaseException) -> str:
    from botocore.exceptions import ClientError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return "no AWS credentials (set AWS_PROFILE or run `aws configure`)"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"AWS refused: {error.get('Code', '?')}: {error.get('Message', exc)}"
    return f"infrastructure: {type(exc).__name__}: {exc}"
