"""One HTTP exchange with an already-checked address, under a hard deadline.

Built on stdlib ``http.client`` + ``ssl`` rather than urllib3: the Lambda Python runtimes ship
their own (sometimes 1.26) urllib3 with boto3, and the pieces we need -- dial a given address, send
the URL's Host header, do SNI and certificate verification for the URL's hostname, stream the raw
body -- are a few lines of stdlib with no version skew and no import cost.
The socket goes to the address the policy approved; nothing here ever resolves a name.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from newsdigest.errors import FetchError, TransientError
from newsdigest.fetch.addresses import IPAddress
from newsdigest.fetch.body import make_decoder
from newsdigest.fetch.urls import ParsedURL

#: Test hook: ``(checked address, port) -> (loopback address, port)`` actually dialled.
ConnectOverride = Mapping[tuple[str, int], tuple[str, int]]

_READ_CHUNK = 16_384


class Deadline:
    """Wall-clock budget for a whole ``fetch_url`` call (robots, redirects, retries, sleeps)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.started = clock()
        self.expires = self.started + seconds

    def remaining(self) -> float:
        return self.expires - self._clock()

    def elapsed_ms(self) -> int:
        return int((self._clock() - self.started) * 1000)

    def check(self, what: str) -> float:
        left = self.remaining()
        if left <= 0:
            raise TransientError(f"overall fetch deadline exceeded during {what}", reason="timeout")
        return left


@dataclass
class _Watchdog:
    """Shuts the socket down when the deadline passes.

    Per-recv socket timeouts alone cannot stop a server that trickles one byte just inside each
    timeout (a slow-loris response); shutting the socket down makes any blocked read return.
    """

    conn: http.client.HTTPConnection
    #: Pinned once the request is sent, because http.client may drop ``conn.sock`` afterwards.
    sock: socket.socket | None = None
    fired: bool = False
    _timer: threading.Timer | None = field(default=None, repr=False)

    def start(self, seconds: float) -> None:
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = self.sock or self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


class _PinnedHTTPSConnection(http.client.HTTPConnection):
    """TCP to a fixed address, TLS with SNI and certificate verification for ``server_hostname``.

    ``http.client.HTTPSConnection`` would use the dialled address for SNI and the hostname check;
    here the stdlib verifies the certificate against the URL's hostname instead.
    """

    default_port = 443

    def __init__(
        self, host: str, port: int, *, timeout: float, server_hostname: str, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self._server_hostname = server_hostname
        self._context = context

    def connect(self) -> None:
        super().connect()
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self._server_hostname)


@functools.lru_cache(maxsize=4)
def tls_context(ca_certs: str | None) -> ssl.SSLContext:
    # Cached: loading the system trust store costs tens of ms per call; contexts are thread-safe.
    context = ssl.create_default_context(cafile=ca_certs)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class Exchange:
    """An open response: status and headers read, body not yet."""

    def __init__(
        self,
        *,
        conn: http.client.HTTPConnection,
        sock: socket.socket,
        response: http.client.HTTPResponse,
        watchdog: _Watchdog,
        deadline: Deadline,
        read_timeout: float,
    ) -> None:
        self._conn = conn
        # http.client drops conn.sock when the server says "Connection: close"; keep our own handle.
        self._sock = sock
        self._response = response
        self._watchdog = watchdog
        self._deadline = deadline
        self._read_timeout = read_timeout
        self.status: int = response.status

    def header(self, name: str) -> str | None:
        return self._response.getheader(name)

    def read_body(self, *, max_bytes: int, truncate: bool = False) -> bytes:
        """Stream the body, decoding as we go; stop the moment either cap is passed.

        ``max_bytes`` caps both the bytes on the wire and the decoded bytes. With ``truncate``
        (robots.txt) the first ``max_bytes`` are kept instead of failing.
        """
        decoder, compressed = make_decoder(self.header("Content-Encoding"))
        out = bytearray()
        wire = 0
        try:
            while True:
                left = self._deadline.check("body read")
                if self._response.isclosed():
                    # The whole body is in: from Python 3.13 (Lambda's runtime) http.client releases
                    # the socket the moment it has read Content-Length bytes, and after "Connection:
                    # close" nothing else holds it, so it takes no timeout any more (EBADF).
                    chunk = b""
                else:
                    self._sock.settimeout(max(0.001, min(self._read_timeout, left)))
                    # read1 returns what one socket read gives, so the deadline is checked between
                    # trickled bytes instead of after a full buffer.
                    chunk = self._response.read1(_READ_CHUNK)
                if not chunk:
                    if self._watchdog.fired:
                        raise TransientError(
                            "overall fetch deadline exceeded during body read", reason="timeout"
                        )
                    out += decoder.finish(max_bytes - len(out))
                    break
                wire += len(chunk)
                out += decoder.feed(chunk, max_bytes - len(out))
                if len(out) > max_bytes or wire > max_bytes:
                    if truncate:
                        break
                    if compressed and len(out) > max_bytes:
                        raise FetchError(
                            f"decoded body exceeds {max_bytes} bytes after {wire} compressed bytes",
                            reason="decompression_bomb",
                        )
                    raise FetchError(f"body exceeds {max_bytes} bytes", reason="too_large")
        except (FetchError, TransientError):
            raise
        except Exception as exc:
            raise _map_error(exc, self._watchdog.fired, "reading the body") from exc
        if len(out) > max_bytes:
            if not truncate:
                raise FetchError(f"decoded body exceeds {max_bytes} bytes", reason="decompression_bomb")
            del out[max_bytes:]
        return bytes(out)

    def close(self) -> None:
        self._watchdog.cancel()
        for closer in (self._response.close, self._conn.close, self._sock.close):
            try:
                closer()
            except Exception:  # noqa: S112 - closing a dead socket must not mask the real outcome
                continue


def _map_error(exc: BaseException, deadline_fired: bool, during: str) -> Exception:
    if deadline_fired:
        return TransientError(f"overall fetch deadline exceeded while {during}", reason="timeout")
    if isinstance(exc, TimeoutError):
        return TransientError(f"timed out while {during}: {exc}", reason="timeout")
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return FetchError(f"TLS failure while {during}: {exc}", reason="tls_error")
    if isinstance(exc, http.client.HTTPException) and not isinstance(exc, ConnectionError):
        return FetchError(f"malformed HTTP response while {during}: {exc!r}", reason="bad_response")
    return TransientError(f"connection failed while {during}: {exc}", reason="connect_failed")


def _dial_target(address: IPAddress, port: int, override: ConnectOverride | None) -> tuple[str, int]:
    if override is None:
        return str(address), port
    target = override.get((str(address), port))
    if target is None:
        return str(address), port
    # The hook exists to serve public-looking test names from loopback servers; refusing any other
    # destination means it can never be turned into a policy bypass.
    if not ipaddress.ip_address(target[0]).is_loopback:
        raise ValueError(f"connect_override may only point at loopback, not {target[0]}")
    return target


def open_exchange(
    parsed: ParsedURL,
    address: IPAddress,
    *,
    headers: Mapping[str, str],
    connect_timeout: float,
    read_timeout: float,
    deadline: Deadline,
    ca_certs: str | None = None,
    connect_override: ConnectOverride | None = None,
) -> Exchange:
    """Connect to ``address`` (already policy-checked), send GET, and read the status and headers."""
    host, port = _dial_target(address, parsed.port, connect_override)
    left = deadline.check("connect")
    timeout = max(0.001, min(connect_timeout, left))
    conn: http.client.HTTPConnection
    if parsed.scheme == "https":
        conn = _PinnedHTTPSConnection(
            host, port, timeout=timeout, server_hostname=parsed.host, context=tls_context(ca_certs)
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    # Started before connect so a TLS handshake trickled byte by byte is cut off too.
    watchdog = _Watchdog(conn)
    watchdog.start(left)
    try:
        conn.connect()
        sock = conn.sock
        if sock is None:
            raise TransientError(f"connection to {parsed.origin} closed at once", reason="connect_failed")
        watchdog.sock = sock
        left = deadline.check("request")
        sock.settimeout(max(0.001, min(read_timeout, left)))
        # Host given explicitly, so http.client adds neither its own Host nor Accept-Encoding.
        conn.request("GET", parsed.target, headers={"Host": parsed.host_header, **headers})
        response = conn.getresponse()
    except (FetchError, TransientError):
        watchdog.cancel()
        conn.close()
        raise
    except Exception as exc:
        watchdog.cancel()
        conn.close()
        raise _map_error(exc, watchdog.fired, f"fetching {parsed.origin}") from exc
    return Exchange(
        conn=conn,
        sock=sock,
        response=response,
        watchdog=watchdog,
        deadline=deadline,
        read_timeout=read_timeout,
    )
