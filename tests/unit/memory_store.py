"""In-memory stand-ins for Discover's store and queue (the DynamoDB and SQS adapters' contracts), for
tests of the service that need no AWS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdigest.discovery import limits


class MemoryStore:
    def __init__(self, sources: Sequence[Any] = ()) -> None:
        self.sources = {s.id: s for s in sources}
        #: url -> (state, expires), as the seen-URL records of the crawl-state table
        self.claims: dict[str, tuple[str, float]] = {}
        self.slots: dict[str, float] = {}
        #: host -> the last request's time (the shared turn of every container)
        self.turns: dict[str, float] = {}
        self.documents: dict[str, Any] = {}
        #: how many URLs each seen-URL read asked for, and every URL a conditional claim was tried on
        self.lookups: list[int] = []
        self.claimed: list[str] = []

    def list_sources(self) -> list[Any]:
        return list(self.sources.values())

    def save_state(self, source: Any) -> None:
        self.sources[source.id] = source

    def seen_urls(self, urls: Sequence[str]) -> set[str]:
        self.lookups.append(len(urls))
        return {u for u in urls if u in self.claims and self.claims[u][0] != "pending"}

    def claim(self, url: str, *, source_id: str, now: float) -> str:
        self.claimed.append(url)
        held = self.claims.get(url)
        if held is not None:
            state, expires = held
            if state != "pending":
                return "seen"
            if expires >= now:
                return "pending"
        self.claims[url] = ("pending", now + limits.PENDING_CLAIM_SECONDS)
        return "new"

    def confirm(self, urls: Sequence[str], *, source_id: str, expires: int) -> None:
        for url in urls:
            self.claims[url] = ("queued", expires)

    def release(self, url: str) -> None:
        self.claims.pop(url, None)

    def state_of(self, url: str) -> str | None:
        held = self.claims.get(url)
        return held[0] if held else None

    def take_turn(self, host: str, interval: float, now: float) -> float | None:
        last = self.turns.get(host)
        if last is not None and last > now - interval:
            return last + interval
        self.turns[host] = now
        return None

    def host_slot(self, host: str) -> float | None:
        return self.slots.get(host)

    def set_host_slot(self, host: str, at: float) -> None:
        self.slots[host] = at

    def validators(self, url: str) -> Any:
        return self.documents.get(url)

    def set_validators(self, url: str, validators: Any, *, expires: int) -> None:
        self.documents[url] = validators


class MemoryQueue:
    def __init__(self) -> None:
        self.sent: list[Any] = []
        #: URLs whose send fails (as SendMessageBatch's per-entry failures)
        self.refuse: set[str] = set()

    def send(self, urls: Sequence[Any]) -> list[Any]:
        failed = [q for q in urls if q.url in self.refuse]
        self.sent += [q for q in urls if q.url not in self.refuse]
        return failed
