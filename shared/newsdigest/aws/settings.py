"""The one place that reads the environment.

Handlers call :func:`get_settings` at import (Lambda cold start); everything else receives the
``Settings`` object or the values it needs. Names match the ``Environment`` blocks in template.yaml.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import TypeVar

from newsdigest.fetch.policy import FetchSettings

T = TypeVar("T", int, float)


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _optional(env: Mapping[str, str], name: str, kind: Callable[[str], T]) -> T | None:
    """A length setting: empty or 0 (the template parameters' "not set") is None."""
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        value = kind(text)
    except ValueError:
        raise RuntimeError(f"{name} must be a number, got {text!r}") from None
    return value if value else None


@dataclass(frozen=True, slots=True)
class Settings:
    raw_bucket: str = ""
    articles_bucket: str = ""
    articles_prefix: str = "articles/"
    table_name: str = ""
    idempotency_table: str = ""
    #: SQS maxReceiveCount of the source queue: on the last attempt a failure is recorded before DLQ.
    max_receive_count: int = 3
    #: The deployment's summary defaults (template parameters SummaryMethod, SummarySentences,
    #: SummaryRatio, SummaryWords); a request's own options override them. Unset lengths are None.
    summary_method: str = "default"
    summary_sentences: int | None = None
    summary_ratio: float | None = None
    summary_words: int | None = None
    #: Discover: its sources table, its crawl-state table, the queue into Ingest, sources to seed (JSON).
    sources_table: str = ""
    crawl_table: str = ""
    discovered_queue_url: str = ""
    seed_sources: str = ""
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
        return cls(
            raw_bucket=env.get("RAW_BUCKET", ""),
            articles_bucket=env.get("ARTICLES_BUCKET", ""),
            articles_prefix=env.get("ARTICLES_PREFIX", "articles/"),
            table_name=env.get("TABLE_NAME", ""),
            idempotency_table=env.get("IDEMPOTENCY_TABLE", ""),
            max_receive_count=int(env.get("MAX_RECEIVE_COUNT", "3")),
            summary_method=env.get("SUMMARY_METHOD", "").strip() or "default",
            summary_sentences=_optional(env, "SUMMARY_SENTENCES", int),
            summary_ratio=_optional(env, "SUMMARY_RATIO", float),
            summary_words=_optional(env, "SUMMARY_WORDS", int),
            sources_table=env.get("SOURCES_TABLE", ""),
            crawl_table=env.get("CRAWL_TABLE", ""),
            discovered_queue_url=env.get("DISCOVERED_QUEUE_URL", ""),
            seed_sources=env.get("SEED_SOURCES", ""),
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
