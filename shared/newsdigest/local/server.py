"""A moto server in this process: the embedded local AWS of the commands and of `newsdigest serve`."""

from __future__ import annotations

import logging
import urllib.request
from contextlib import ExitStack


def start_moto_server(stack: ExitStack, *, host: str = "127.0.0.1", port: int = 0) -> str:
    """A moto server in this process, stopped when ``stack`` closes; returns its endpoint URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    stack.callback(server.stop)
    bound_host, bound_port = server.get_host_and_port()
    endpoint = f"http://{bound_host}:{bound_port}"
    # moto keeps its state per process, not per server: start from nothing, whatever ran here before.
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our loopback server
        response.read()
    return endpoint
