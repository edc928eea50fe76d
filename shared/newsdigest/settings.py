"""The one place that reads the environment.

Handlers call :func:`get_settings` at import (Lambda cold start); everything else receives the
``Settings`` object or the values it needs. Names match the ``Environment`` blocks in template.yaml.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


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


@dataclass(frozen=True, slots=True)
class Settings:
    raw_bucket: str = ""
    articles_bucket: str = ""
    articles_prefix: str = "articles/"
    table_name: str = ""
    idempotency_table: str = ""
    #: SQS maxReceiveCount of the source queue: on the last attempt a failure is recorded before DLQ.
    max_receive_count: int = 3
    summary_method: str = "default"
    summary_sentences: int | None = None
    fetch: FetchSettings = field(default_factory=FetchSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        fetch_defaults = FetchSettings()
        fetch = FetchSettings(
            user_agent=env.get("FETCH_USER_AGENT", fetch_defaults.user_agent),
            connect_timeout=float(env.get("FETCH_CONNECT_TIMEOUT", fetch_defaults.connect_timeout)),
            read_timeout=float(env.get("FETCH_READ_TIMEOUT", fetch_defaults.read_timeout)),
            max_bytes=int(env.get("FETCH_MAX_BYTES", fetch_defaults.max_bytes)),
            max_redirects=int(env.get("FETCH_MAX_REDIRECTS", fetch_defaults.max_redirects)),
            max_retries=int(env.get("FETCH_MAX_RETRIES", fetch_defaults.max_retries)),
            respect_robots=_bool(env.get("FETCH_RESPECT_ROBOTS", "true")),
            allow_private_addresses=_bool(env.get("FETCH_ALLOW_PRIVATE_ADDRESSES", "false")),
            total_timeout=float(env.get("FETCH_TOTAL_TIMEOUT", fetch_defaults.total_timeout)),
        )
        sentences = env.get("SUMMARY_SENTENCES", "").strip()
        return cls(
            raw_bucket=env.get("RAW_BUCKET", ""),
            articles_bucket=env.get("ARTICLES_BUCKET", ""),
            articles_prefix=env.get("ARTICLES_PREFIX", "articles/"),
            table_name=env.get("TABLE_NAME", ""),
            idempotency_table=env.get("IDEMPOTENCY_TABLE", ""),
            max_receive_count=int(env.get("MAX_RECEIVE_COUNT", "3")),
            summary_method=env.get("SUMMARY_METHOD", "default"),
            summary_sentences=int(sentences) if sentences else None,
            fetch=fetch,
        )

    def require(self, *names: str) -> None:
        """Fail at cold start, not mid-batch, when a handler's configuration is missing."""
        known = {f.name for f in fields(self)}
        missing = [n for n in names if n in known and not getattr(self, n)]
        if missing:
            raise RuntimeError(f"missing configuration: {', '.join(sorted(missing))}")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env(os.environ)
