"""Per-host politeness: the gap between two requests to one host, and where each new URL's fetch goes.

Chosen over FIFO message groups keyed by host (see README, "Discovery"): a FIFO group serialises a
host's messages but does not space them, so Ingest would still fetch ten of one host's pages back to
back per batch; and a FIFO queue cannot take S3's notifications nor per-message delays. Instead each
host has a budget of one request per ``interval`` (the source's requests per minute, or robots.txt's
Crawl-delay when longer), and each queued URL gets the next free slot as its SQS ``DelaySeconds``.
Slots outlive the run (stored per host), so two sources on one host, or two runs, share one budget.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from newsdigest.discovery import limits


def host_interval(requests_per_minute: int, crawl_delay: float | None) -> float:
    """Seconds between requests to one host: the stricter of our rate and the site's Crawl-delay."""
    interval = 60.0 / max(1, requests_per_minute)
    if crawl_delay:
        interval = max(interval, crawl_delay)
    return min(interval, limits.MAX_HOST_INTERVAL_SECONDS)


@dataclass(slots=True)
class HostSlots:
    """One host's request budget: the next moment (epoch seconds) a request may start."""

    interval: float
    next_at: float

    def reserve(self, now: float) -> int | None:
        """Whole seconds to delay the next fetch by (SQS delays are whole seconds), or None when the
        next slot is further ahead than SQS can delay a message."""
        delay = max(0, math.ceil(self.next_at - now))
        if delay > limits.MAX_DELAY_SECONDS:
            return None
        self.next_at = now + delay + self.interval
        return delay


class Pacer:
    """Spaces this process's own requests to each host (Discover's documents, Ingest's batch)."""

    def __init__(
        self, *, clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}

    def last(self, host: str) -> float | None:
        return self._last.get(host)

    def wait(
        self, host: str, interval: float, *, not_before: float = 0.0, budget: float | None = None
    ) -> bool:
        """Sleep until ``host`` may be asked again; False (without sleeping) when that is past ``budget``."""
        now = self._clock()
        ready = max(not_before, self._last.get(host, 0.0) + min(interval, limits.MAX_HOST_INTERVAL_SECONDS))
        pause = ready - now
        if pause > 0:
            if budget is not None and pause > budget:
                return False
            self._sleep(pause)
        self._last[host] = max(now, ready)
        return True
