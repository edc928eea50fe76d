"""`newsdigest serve`: keep the local stack up for other tools (`sam local invoke`, the AWS CLI, boto3).

The stack's state comes from the data directory and goes back there periodically and on exit, so
what the served stack holds is what ``newsdigest list`` shows afterwards. While it runs, the other
commands given the same data directory use the served stack instead of starting their own.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

from newsdigest.cli.common import print_json
from newsdigest.cli.target import (
    DEFAULT_NAME,
    SERVER_FILE,
    lock_data_dir,
    note,
    resolve_data_dir,
)

DEFAULT_PORT = 5000  # the port events/env.local.json names for `sam local invoke`
DEFAULT_SAVE_EVERY = 30.0


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.cli.common import find_template
    from newsdigest.local.server import start_moto_server
    from newsdigest.local.stack import local_aws_environment, provision
    from newsdigest.local.state import export_state, import_state

    data_dir = resolve_data_dir(args.data_dir)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with ExitStack() as stack:
        lock_data_dir(data_dir, stack)
        endpoint = start_moto_server(stack, host=args.host, port=args.port)
        stack.enter_context(local_aws_environment(endpoint))
        resources = provision(find_template(args.template), name=args.name)
        import_state(resources, data_dir)
        server_file = data_dir / SERVER_FILE
        server_file.write_text(
            json.dumps({"endpoint": endpoint, "name": args.name, "pid": os.getpid()}), encoding="utf-8"
        )
        stack.callback(server_file.unlink, missing_ok=True)
        note(f"serving the local stack at {endpoint}, state in {data_dir} (Ctrl-C stops)")
        print_json({"endpoint": endpoint, "data_dir": str(data_dir), "outputs": resources.outputs}, out)
        try:
            while not stop.wait(args.save_every):
                export_state(resources, data_dir)
        finally:
            export_state(resources, data_dir)
            note(f"state saved in {data_dir}")
    return 0


def register(sub: Any) -> None:
    serve = sub.add_parser("serve", help="keep the local stack up for other tools; prints its endpoint")
    serve.add_argument(
        "--data-dir", type=Path, help="where the state is kept (default: the per-user directory)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT}; 0: any)"
    )
    serve.add_argument(
        "--name", default=DEFAULT_NAME, help=f"prefix of the resource names (default: {DEFAULT_NAME})"
    )
    serve.add_argument("--template", help="path to template.yaml (default: found from the checkout)")
    serve.add_argument(
        "--save-every",
        type=float,
        default=DEFAULT_SAVE_EVERY,
        metavar="SECONDS",
        help=f"how often the state is written to the data directory (default: {DEFAULT_SAVE_EVERY:g})",
    )
    serve.set_defaults(func=cmd_serve)
