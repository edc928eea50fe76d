"""Per-host politeness: the gap between two requests to one host, and where each new URL's fetch goes.

Chosen over FIFO message groups keyed by host (see README, "Discovery"): a FIFO group serialises a
host's messages but does not space them, so Ingest would still fetch ten of one host's pages back to
back per batch; and a FIFO queue cannot take S3's notifications nor per-message delays. Instead each
host has a budget of one request per ``interval`` (the source's requests per minute, or robots.txt's
Crawl-delay when longer), and each queued URL gets the next free slot: its exact time travels in the
message (``not_before``, which Ingest waits for) and its whole seconds are the SQS ``DelaySeconds``
(rounded down: a message comes at most a second early and waits, never late because of rounding).
Slots outlive the run (stored per host), so two sources on one host, or two runs, share one budget.

Slots are a plan: a message can be delivered late (a busy container, a redelivery) and then sit next to
the following one. What keeps the pace is the **turn**: before every request to a host, Discover and
each Ingest container take the host's turn with one conditional write shared by all of them (the last
request's time, taken only if ``interval`` has passed since); whoever finds it taken waits until it
frees. So no two requests to a host, from any container, are closer than its interval.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from newsdigest.discovery import limits

#: ``gate(host, interval, now)``: take the host's turn at ``now`` when ``interval`` has passed since
#: anyone's last request to it (returns None), or say when the turn frees (epoch seconds).
HostGate = Callable[[str, float, float], float | None]
#: Turns tried per request before giving up on the host for now (others keep taking it first).
MAX_GATE_TRIES = 20


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

    def reserve(self, now: float) -> tuple[float, int] | None:
        """The next slot (epoch seconds) and the whole seconds SQS delays its message by, or None when
        the slot is further ahead than SQS can delay a message (nothing booked).

        Slots are exactly ``interval`` apart whatever the rounding: had the next slot followed the
        delay rounded up, every slot of a sub-second or fractional interval would lose up to a
        second (600 requests a minute would become about 55)."""
        at = max(self.next_at, now)
        if at - now > limits.MAX_DELAY_SECONDS:
            return None
        self.next_at = at + self.interval
        return at, math.floor(at - now)


class Pacer:
    """Spaces requests to each host: this process's own (Discover's documents, Ingest's batch) and,
    through ``gate``, everyone's."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        gate: HostGate | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._gate = gate
        self._last: dict[str, float] = {}

    def last(self, host: str) -> float | None:
        return self._last.get(host)

    def wait(
        self, host: str, interval: float, *, not_before: float = 0.0, budget: float | None = None
    ) -> bool:
        """Sleep until ``host`` may be asked again and take its turn; False when that is past
        ``budget`` seconds from now (nothing taken, no sleep past the budget)."""
        interval = min(interval, limits.MAX_HOST_INTERVAL_SECONDS)
        start = self._clock()
        ready = max(not_before, self._last.get(host, 0.0) + interval)
        for _ in range(MAX_GATE_TRIES):
            pause = ready - self._clock()
            if pause > 0:
                if budget is not None and ready - start > budget:
                    return False
                self._sleep(pause)
            now = self._clock()
            free_at = self._gate(host, interval, now) if self._gate is not None else None
            if free_at is None:
                self._last[host] = now
                return True
            ready = max(free_at, now)
        return False
