"""What one fetch may do: timeouts, sizes, redirects, retries, robots.txt and address policy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = "newsdigest/0.1 (+https://github.com/newsdigest/newsdigest)"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_retries: int = 2
    respect_robots: bool = True
    #: Tests point this at loopback servers; production never turns it on.
    allow_private_addresses: bool = False
    #: Hard wall-clock budget for one fetch_url call: robots.txt, redirects, retries and sleeps.
    total_timeout: float = 30.0
    #: First retry delay in seconds; doubles per retry (Retry-After wins when it is longer).
    backoff_base: float = 0.5
    #: Longest single wait; a server asking for more gets a TransientError (SQS retries later).
    max_retry_wait: float = 10.0
    #: robots.txt is truncated (not refused) past this size, as RFC 9309 allows (>= 500 KiB).
    robots_max_bytes: int = 512_000
    #: CA bundle for HTTPS verification; None uses the system store.
    ca_certs: str | None = None
