"""Loopback-only HTTP test servers with full control over the bytes they send.

Every server binds 127.0.0.1 on an ephemeral port and counts the requests it receives, so a test
can prove that a refused URL never reached its target (``hits == 0``).
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]

#: Longest any handler keeps writing; bounds every test even if the client misbehaves.
MAX_HANDLER_SECONDS = 5.0


def send(
    req: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    content_length: bool = True,
) -> None:
    lines = [f"HTTP/1.1 {status} X"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if content_length:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    req.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def html(body: str = "<html><body><p>ok</p></body></html>", status: int = 200, **headers: str) -> Route:
    def route(req: BaseHTTPRequestHandler) -> None:
        send(req, status, body.encode(), {"Content-Type": "text/html; charset=utf-8", **headers})

    return route


def redirect(location: str, status: int = 302) -> Route:
    def route(req: BaseHTTPRequestHandler) -> None:
        send(req, status, b"", {"Location": location})

    return route


def raw_location(location: str, status: int = 302) -> Route:
    """A redirect whose Location is sent as UTF-8 bytes, whatever it holds (``send`` is Latin-1)."""

    def route(req: BaseHTTPRequestHandler) -> None:
        head = f"HTTP/1.1 {status} X\r\nLocation: ".encode() + location.encode("utf-8", "surrogateescape")
        req.wfile.write(head + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    return route


def raw(status: int, body: bytes, headers: dict[str, str], *, content_length: bool = True) -> Route:
    def route(req: BaseHTTPRequestHandler) -> None:
        send(req, status, body, headers, content_length=content_length)

    return route


def endless_chunked(req: BaseHTTPRequestHandler) -> None:
    """Chunked HTML that never ends (until the client hangs up or the safety bound)."""
    head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    req.wfile.write(head.encode())
    chunk = b"<p>" + b"x" * 8189 + b"</p>"
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    stop = time.monotonic() + MAX_HANDLER_SECONDS
    try:
        while time.monotonic() < stop:
            req.wfile.write(frame)
    except OSError:
        return


def close_delimited_flood(req: BaseHTTPRequestHandler) -> None:
    """No Content-Length, no chunking: body ends at connection close, which never comes."""
    req.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
    stop = time.monotonic() + MAX_HANDLER_SECONDS
    try:
        while time.monotonic() < stop:
            req.wfile.write(b"<p>" + b"y" * 16_000 + b"</p>")
    except OSError:
        return


def trickle_body(interval: float = 0.05) -> Route:
    """Valid headers, then one byte per ``interval``: each read is quick, the whole is endless."""

    def route(req: BaseHTTPRequestHandler) -> None:
        req.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        req.wfile.flush()
        stop = time.monotonic() + MAX_HANDLER_SECONDS
        try:
            while time.monotonic() < stop:
                req.wfile.write(b"x")
                req.wfile.flush()
                time.sleep(interval)
        except OSError:
            return

    return route


def trickle_headers(interval: float = 0.05) -> Route:
    """Slow-loris headers: a header byte per ``interval``, never finishing the header block."""

    def route(req: BaseHTTPRequestHandler) -> None:
        req.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        stop = time.monotonic() + MAX_HANDLER_SECONDS
        try:
            while time.monotonic() < stop:
                req.wfile.write(b"a")
                req.wfile.flush()
                time.sleep(interval)
        except OSError:
            return

    return route


def silent(req: BaseHTTPRequestHandler) -> None:
    """Accept the request and never answer (read timeout)."""
    time.sleep(MAX_HANDLER_SECONDS)


def bomb(encoding: str, decoded_size: int) -> Route:
    """A small compressed body that inflates to ``decoded_size`` bytes of HTML-ish zeros."""
    payload = b"<html><body>" + b"\0" * decoded_size
    if encoding == "gzip":
        body = gzip.compress(payload, compresslevel=9)
    elif encoding == "deflate":
        body = zlib.compress(payload, 9)
    elif encoding == "deflate-raw":
        obj = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        body = obj.compress(payload) + obj.flush()
        encoding = "deflate"
    else:
        body = payload[:1000]  # undecodable codings are refused before decoding anyway
    return raw(200, body, {"Content-Type": "text/html", "Content-Encoding": encoding})


def sequence(*routes: Route) -> Route:
    """Answer successive requests with successive routes (the last one repeats)."""
    lock = threading.Lock()
    state = {"n": 0}

    def route(req: BaseHTTPRequestHandler) -> None:
        with lock:
            index = min(state["n"], len(routes) - 1)
            state["n"] += 1
        routes[index](req)

    return route


class LoopbackServer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path
                with server._lock:
                    server.hits[path] += 1
                    server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(path) or server.routes.get("*")
                if route is None:
                    send(self, 404, b"not found", {"Content-Type": "text/plain"})
                else:
                    route(self)
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.hits.clear()
            self.requests.clear()

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
