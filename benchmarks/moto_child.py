"""A moto server in a child interpreter, for the benchmarks that drive the real handlers over HTTP.

In a process of its own, moto's request handling does not share the benchmark's interpreter lock (nor
its CPU-time figures); the child lives until the parent closes its stdin, or dies.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_CHILD = """
import logging, sys
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print(f"http://{host}:{port}", flush=True)
sys.stdin.read()  # until the parent closes the pipe (or dies)
server.stop()
"""


@contextmanager
def moto_child(benchmark: str) -> Iterator[tuple[str, int]]:
    """The child's endpoint URL and process id, while the block runs."""
    moto = subprocess.Popen(
        [sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert moto.stdout is not None
        endpoint = moto.stdout.readline().strip()
        if not endpoint.startswith("http://127.0.0.1:"):
            raise SystemExit(f"{benchmark}: moto server did not start ({endpoint!r})")
        yield endpoint, moto.pid
    finally:
        if moto.stdin is not None:
            moto.stdin.close()
        try:
            moto.wait(timeout=10)
        except subprocess.TimeoutExpired:
            moto.terminate()
            moto.wait(timeout=10)
