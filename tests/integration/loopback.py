"""A site on loopback for the tests that fetch over real HTTP: a route function in, a base URL out."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: path -> (status, Content-Type, body)
Route = Callable[[str], tuple[int, str, bytes]]
#: (path, request headers) -> (status, Content-Type or "" for none, body, extra response headers)
Respond = Callable[[str, Message], tuple[int, str, bytes, dict[str, str]]]


@contextmanager
def serve(respond: Respond, port: int = 0) -> Iterator[str]:
    """Answer every GET with ``respond`` until the block ends; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, kind, body, extra = respond(self.path, self.headers)
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_routes(route: Route, hits: list[str] | None = None) -> Iterator[str]:
    """Serve ``route`` until the block ends, appending each requested path to ``hits``."""

    def respond(path: str, _headers: Message) -> tuple[int, str, bytes, dict[str, str]]:
        if hits is not None:
            hits.append(path)
        return (*route(path), {})

    with serve(respond) as base:
        yield base
