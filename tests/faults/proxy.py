"""A fault-injecting HTTP proxy on 127.0.0.1 in front of the moto server.

The handlers' boto3 clients are pointed at it (``AWS_ENDPOINT_URL``); it forwards each request to moto
and, for a seeded share of requests per service, answers instead with a throttling or server error in
the service's own wire shape, drops the connection before forwarding, or forwards and then drops the
connection so the call took effect but the caller never heard (the case that makes retries write twice
if writes are not idempotent). Every request is logged with what moto answered, so tests can count
writes that really happened.

Which requests fault does not depend on timing: each decision is drawn from a hash of the seed and the
request's service, operation, resource and key, and of how many such requests came before it (its
attempt). Concurrent S3, DynamoDB and SQS calls therefore cannot take each other's faults, as they did
when one seeded generator was shared by all of them and each draw went to whichever thread came first.

DynamoDB requests are forwarded one at a time. DynamoDB applies each write, condition included, as one
atomic step per item; moto's in-memory backend checks a condition and then writes without a lock, so
concurrent conditional writes could all pass there. Serialising them restores the guarantee the
service gives and the handlers rely on (S3 and SQS calls stay concurrent).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "expect"}

#: What each fault kind does: answer with an error, close before forwarding, or forward then close.
FAULT_KINDS = ("error", "drop", "lost_response")


@dataclass(frozen=True, slots=True)
class Request:
    service: str  # s3, dynamodb, sqs (from the SigV4 credential scope)
    operation: str  # UpdateItem, GetObject, ReceiveMessage, ...
    method: str
    path: str
    body: bytes
    resource: str = ""  # table name, bucket, or queue url
    key: str = ""  # S3 object key, or DynamoDB article_id/id

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass(slots=True)
class Entry:
    request: Request
    fault: str | None  # None: forwarded and answered; else the fault kind injected
    status: int | None  # what moto answered (None when never forwarded)
    response: bytes = b""
    at: float = field(default_factory=time.monotonic)


@dataclass
class Rule:
    """A scripted fault: requests matching ``match`` get ``kind``, the first ``times`` of them (or all)."""

    match: Callable[[Request], bool]
    kind: str = "error"
    times: int | None = None
    hits: int = 0


@dataclass
class FaultPlan:
    """Share of requests to fault per service (seeded), which kinds, and scripted rules (checked first)."""

    rates: dict[str, float] = field(default_factory=dict)
    kinds: tuple[str, ...] = FAULT_KINDS
    rules: list[Rule] = field(default_factory=list)
    seed: int = 0


class Draw:
    """Uniform numbers in [0, 1) that depend only on what is drawn for, never on when."""

    def __init__(self, seed: int, request: Request, attempt: int) -> None:
        self.basis = (
            f"{seed}|{request.service}|{request.operation}|{request.resource}|{request.key}|{attempt}"
        )

    def random(self, purpose: str) -> float:
        digest = hashlib.sha256(f"{self.basis}|{purpose}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    def choice(self, purpose: str, options: Any) -> Any:
        return options[int(self.random(purpose) * len(options))]


def _error_response(request: Request, draw: Draw) -> tuple[int, dict[str, str], bytes]:
    if request.service == "s3":
        code, status, message = draw.choice(
            "error",
            [("SlowDown", 503, "Please reduce your request rate."), ("InternalError", 500, "Injected")],
        )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
            f"<Message>{message}</Message><RequestId>fault</RequestId></Error>"
        )
        return status, {"Content-Type": "application/xml"}, xml.encode()
    if request.service == "dynamodb":
        code, status = draw.choice(
            "error",
            [
                ("ProvisionedThroughputExceededException", 400),
                ("ThrottlingException", 400),
                ("InternalServerError", 500),
            ],
        )
        text = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "Injected"})
        return status, {"Content-Type": "application/x-amz-json-1.0"}, text.encode()
    code, status = draw.choice("error", [("ThrottlingException", 400), ("InternalError", 500)])
    text = json.dumps({"__type": f"com.amazonaws.sqs#{code}", "message": "Injected"})
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-query-error": f"{code};Sender"}
    return status, headers, text.encode()


def describe(method: str, path: str, headers: Any, body: bytes) -> Request:
    match = _CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
    service = match.group(1) if match else "unknown"
    target = headers.get("X-Amz-Target", "")
    operation = target.rsplit(".", 1)[-1] if target else ""
    resource = key = ""
    if service == "s3":
        parts = unquote(urlsplit(path).path).lstrip("/").split("/", 1)
        resource = parts[0]
        key = parts[1] if len(parts) > 1 else ""
        verb = {"GET": "Get", "PUT": "Put", "HEAD": "Head", "DELETE": "Delete", "POST": "Post"}
        operation = verb.get(method, method) + ("Object" if key else "Bucket")
    else:
        request = Request(service, operation, method, path, body)
        payload = request.json()
        resource = str(payload.get("TableName") or payload.get("QueueUrl") or "")
        item_key = payload.get("Key") or payload.get("Item") or {}
        for name in ("article_id", "id"):
            if isinstance(item_key.get(name), dict):
                key = str(item_key[name].get("S", ""))
                break
    return Request(service, operation or "unknown", method, path, body, resource, key)


def updated_fields(request: Request) -> dict[str, Any]:
    """Attribute name -> plain value set by an UpdateItem ``SET a = :v, ...`` (typed values unwrapped)."""
    payload = request.json()
    names = payload.get("ExpressionAttributeNames", {})
    values = payload.get("ExpressionAttributeValues", {})
    fields: dict[str, Any] = {}
    expression = str(payload.get("UpdateExpression", ""))
    for name, value in re.findall(r"(#\w+)\s*=\s*(:\w+)", expression):
        typed = values.get(value, {})
        fields[names.get(name, name)] = next(iter(typed.values()), None) if isinstance(typed, dict) else None
    return fields


class FaultProxy:
    """``with FaultProxy(upstream) as proxy:`` then point clients at ``proxy.url``; set ``proxy.plan``."""

    def __init__(self, upstream: str, plan: FaultPlan | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        if self.upstream_host != "127.0.0.1":
            raise ValueError("the fault proxy only forwards to 127.0.0.1")
        self.log: list[Entry] = []
        self._lock = threading.Lock()
        self._dynamodb_lock = threading.Lock()
        self._attempts: dict[tuple[str, str, str, str], int] = {}
        self.plan = plan or FaultPlan()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    @plan.setter
    def plan(self, plan: FaultPlan) -> None:
        with self._lock:
            self._plan = plan
            self._attempts = {}

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @contextmanager
    def faults(self, plan: FaultPlan) -> Iterator[None]:
        self.plan = plan
        try:
            yield
        finally:
            self.plan = FaultPlan()

    # -------------------------------------------------------------------------------- bookkeeping

    def entries(self, *, service: str | None = None, operation: str | None = None) -> list[Entry]:
        with self._lock:
            log = list(self.log)
        return [
            e
            for e in log
            if (service is None or e.request.service == service)
            and (operation is None or e.request.operation == operation)
        ]

    def faults_injected(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries():
            if entry.fault:
                name = f"{entry.request.service}:{entry.fault}"
                counts[name] = counts.get(name, 0) + 1
        return counts

    def _decide(self, request: Request) -> tuple[str | None, Draw]:
        """The fault for this request (None: forward it), and the draw that chose it."""
        with self._lock:
            plan = self._plan
            identity = (request.service, request.operation, request.resource, request.key)
            attempt = self._attempts.get(identity, 0)
            self._attempts[identity] = attempt + 1
            draw = Draw(plan.seed, request, attempt)
            for rule in plan.rules:
                if (rule.times is None or rule.hits < rule.times) and rule.match(request):
                    rule.hits += 1
                    return rule.kind, draw
            rate = plan.rates.get(request.service, 0.0)
            if rate and draw.random("fault") < rate:
                return draw.choice("kind", plan.kinds), draw
            return None, draw

    def _record(self, entry: Entry) -> None:
        with self._lock:
            self.log.append(entry)

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[Any, bytes]:
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            connection.request(
                method, path, body=body if body or method in {"PUT", "POST"} else None, headers=headers
            )
            response = connection.getresponse()
            data = response.read()
            return response, data
        finally:
            connection.close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    chunks: list[bytes] = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _drop(self) -> None:
                self.close_connection = True
                with suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

            def _handle(self) -> None:
                body = self._body()
                request = describe(self.command, self.path, self.headers, body)
                fault, draw = proxy._decide(request)
                if fault == "error":
                    status, headers, payload = _error_response(request, draw)
                    proxy._record(Entry(request, fault, None))
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if fault == "drop":
                    proxy._record(Entry(request, fault, None))
                    self._drop()
                    return
                forward_headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    forward_headers["Content-Length"] = str(len(body))
                try:
                    if request.service == "dynamodb":
                        with proxy._dynamodb_lock:
                            response, data = proxy._forward(self.command, self.path, forward_headers, body)
                    else:
                        response, data = proxy._forward(self.command, self.path, forward_headers, body)
                except OSError:
                    proxy._record(Entry(request, "upstream_error", None))
                    self._drop()
                    return
                proxy._record(Entry(request, fault, response.status, data))
                if fault == "lost_response":
                    self._drop()
                    return
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                length = response.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle

        return Handler
