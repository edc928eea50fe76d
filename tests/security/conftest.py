"""Fixtures for the hostile-URL suite.

Safety net first: every test here runs with real DNS disabled and outbound connections limited to
127.0.0.1. A connection attempt anywhere else raises and is recorded, so a policy bug shows up as
a failing test instead of a packet to 169.254.169.254.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from newsdigest.fetch import RobotsCache
from newsdigest.fetch.policy import FetchSettings

from tests.security.hostile_servers import LoopbackServer, html

#: A public address (it is only ever a policy input: connect_override maps it to loopback).
PUBLIC_IP = "93.184.216.34"
PUBLIC_IP_2 = "93.184.216.35"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


@dataclass
class NetworkGuard:
    #: Every destination any socket tried to connect to during the test.
    connections: list[tuple[str, int]] = field(default_factory=list)
    blocked: list[Any] = field(default_factory=list)

    def ports(self) -> list[int]:
        return [port for _, port in self.connections]


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    guard = NetworkGuard()

    def check(address: Any) -> None:
        host, port = address[0], address[1]
        guard.connections.append((host, port))
        if host != "127.0.0.1":
            guard.blocked.append(address)
            raise ConnectionRefusedError(f"test network guard: {address!r} is not 127.0.0.1")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        _real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return _real_connect_ex(self, address)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", b"127.0.0.1"):
            guard.blocked.append(("dns", host))
            raise socket.gaierror(socket.EAI_NONAME, f"test network guard: no DNS for {host!r}")
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return guard


@pytest.fixture(scope="session")
def _servers() -> Iterator[dict[str, LoopbackServer]]:
    # Started once: tearing a server down costs ~0.1 s, times hundreds of cases.
    servers = {name: LoopbackServer(name) for name in ("target", "origin", "origin2")}
    yield servers
    for server in servers.values():
        server.close()


def _fresh(server: LoopbackServer) -> LoopbackServer:
    server.reset()
    return server


@pytest.fixture
def target(_servers: dict[str, LoopbackServer]) -> LoopbackServer:
    """The "victim": an internal service hostile URLs try to reach. Must see zero requests."""
    server = _fresh(_servers["target"])
    server.routes["*"] = html("<html><body><p>SECRET internal data</p></body></html>")
    return server


@pytest.fixture
def origin(_servers: dict[str, LoopbackServer]) -> LoopbackServer:
    """A "public" site: reached as http://news.example/ (-> PUBLIC_IP -> this loopback port)."""
    return _fresh(_servers["origin"])


@pytest.fixture
def origin2(_servers: dict[str, LoopbackServer]) -> LoopbackServer:
    """A second "public" site: http://other.example/ (-> PUBLIC_IP_2 -> this loopback port)."""
    return _fresh(_servers["origin2"])


class FakeDNS:
    """Injected resolver: a fixed table, NXDOMAIN for everything else, and a call log."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.table[host])


@pytest.fixture
def dns() -> FakeDNS:
    return FakeDNS(
        {
            "news.example": [PUBLIC_IP],
            "other.example": [PUBLIC_IP_2],
            "internal.example": ["10.0.0.1"],
            "metadata.example": ["169.254.169.254"],
            "loopback.example": ["127.0.0.1"],
            "v6loop.example": ["::1"],
            "v6meta.example": ["fd00:ec2::254"],
            "mapped.example": ["::ffff:169.254.169.254"],
            "nat64.example": ["64:ff9b::a9fe:a9fe"],
            "cgnat.example": ["100.64.0.1"],
            "mixed.example": [PUBLIC_IP, "127.0.0.1"],
            "mixed-late.example": [PUBLIC_IP, PUBLIC_IP_2, "192.168.0.1"],
            "zero.example": ["0.0.0.0"],
            "empty.example": [],
            "garbage.example": ["not-an-address"],
        }
    )


@pytest.fixture
def override(origin: LoopbackServer, origin2: LoopbackServer) -> dict[tuple[str, int], tuple[str, int]]:
    """Public addresses (as the policy sees them) -> the loopback servers that play them."""
    return {
        (PUBLIC_IP, 80): ("127.0.0.1", origin.port),
        (PUBLIC_IP_2, 80): ("127.0.0.1", origin2.port),
    }


STRICT = FetchSettings(
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=10.0,  # generous: a loaded CI machine must not turn a refusal into a timeout
    max_bytes=200_000,
    max_redirects=3,
    max_retries=2,
    respect_robots=False,
    backoff_base=0.01,
    max_retry_wait=5.0,
)


@pytest.fixture
def strict() -> FetchSettings:
    """Production policy (private addresses refused), tight limits for fast tests."""
    return STRICT


@pytest.fixture
def loopback_ok() -> FetchSettings:
    """For response-level attacks served straight from a loopback server."""
    return replace(STRICT, allow_private_addresses=True)


@pytest.fixture
def robots_cache() -> RobotsCache:
    return RobotsCache()


class SleepRecorder:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()
