"""The ``newsdigest`` command: run the pipeline locally or against a stack, or extract one page.

Each command lives in its own module of this package with a ``register(subparsers)`` function.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import redirect_stdout

from newsdigest.cli import crawl, extract, run, serve, sources

COMMANDS = (run, extract, serve, sources, crawl)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdigest", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = sys.stdout
    # Logs and metrics (Powertools writes both to stdout) go to stderr; stdout carries only results.
    with redirect_stdout(sys.stderr):
        return int(args.func(args, out))
