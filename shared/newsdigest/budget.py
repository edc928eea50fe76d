"""Time budgets: every record of an invocation runs under a share of the time left, and stops at its end.

Lambda kills an invocation at its timeout: nothing of the batch is reported, every message comes back,
and after the redeliveries one slow record has taken its whole batch to the dead-letter queue. So each
record runs under a :class:`time_limit`, its share of the invocation (:class:`Shares`), and a record
that runs past it raises :class:`~newsdigest.errors.BudgetExceeded`, which the pipeline records as a
failed item with reason ``budget`` before the next record starts.

Two mechanisms enforce a limit:

* in the main thread (where Lambda runs the handler), a real-time timer (``signal.setitimer``) whose
  SIGALRM handler raises ``BudgetExceeded`` wherever the work is: a quadratic loop in Python code, a
  retry sleep, a blocking socket read (the interrupted call raises, PEP 475). A single long call into C
  (one lxml parse) is interrupted when it returns; the caps of the pure packages bound those;
* everywhere, including other threads, cooperative :func:`check` calls at stage boundaries.

Limits nest (an inner one never outlives the one around it), and a timer someone else set before (a
test runner's own timeout) is kept: it still fires when it is due, and is re-armed when the last limit
ends. Cleaning up is written to survive the alarm landing in the middle of it: whatever a cut-short
exit leaves behind is a limit already marked ``fired``, which nothing counts any more. Python discards
an exception raised inside a garbage-collector callback or a finaliser, so an alarm landing there is
lost: a limit whose block is still running is interrupted again every :data:`REPEAT_SECONDS`.

On Python 3.11 and 3.12 an exception a signal handler raises at a loop's backward jump escapes the
``try`` of that same frame (fixed in 3.13, the template's runtime). Every place that catches
``BudgetExceeded`` runs the limited work in frames of its own, which that does not affect.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Any

from newsdigest.errors import BudgetExceeded

#: Kept back from an invocation's time for writing the last record's outcome and replying: a tenth of
#: it, at most this many seconds (Lambda's default 60 s function keeps 5 s).
RESERVE_SHARE = 0.1
RESERVE_MAX_SECONDS = 5.0
#: No record of a batch gets less than this: a normal page takes 0.1-0.3 s end to end (and a bounded
#: hostile one under a second of CPU, more on Lambda's fraction of a core), so this only stops
#: pathological ones. The template's timeout gives each record of a full batch more than this
#: (tests/unit/test_template.py), so the floor never makes an invocation outlive its timeout there;
#: it binds only under short local contexts, where nothing enforces them.
MIN_RECORD_SECONDS = 4.0
#: A limit whose block still runs this long after its interrupt is interrupted again (the first was
#: swallowed). Code that catches BudgetExceeded inside the block has this long to record the failure.
REPEAT_SECONDS = 1.0
#: Shortest timer ever set (setitimer(0) would disarm it instead of firing at once).
_MIN_DELAY = 1e-4
#: An alarm this early counts as on time (timer resolution).
_SLACK = 1e-3


@dataclass(eq=False, slots=True)
class _Limit:
    deadline: float  # time.monotonic()
    outer: _Limit | None
    what: str
    fired: bool = False  # its BudgetExceeded has been raised
    repeat_at: float = 0.0  # when to raise it again if the block is still running


def _live(limit: _Limit | None) -> _Limit | None:
    """The innermost limit still in force: fired ones have had their say."""
    while limit is not None and limit.fired:
        limit = limit.outer
    return limit


_CURRENT: ContextVar[_Limit | None] = ContextVar("newsdigest_time_limit", default=None)


def remaining() -> float | None:
    """Seconds left under the innermost limit in force, or None when no limit is set."""
    limit = _live(_CURRENT.get())
    return None if limit is None else limit.deadline - time.monotonic()


def check(stage: str = "") -> None:
    """Raise ``BudgetExceeded`` when the limit in force has run out (the cooperative half)."""
    limit = _live(_CURRENT.get())
    if limit is not None and time.monotonic() >= limit.deadline:
        limit.fired = True
        limit.repeat_at = time.monotonic() + REPEAT_SECONDS
        raise BudgetExceeded(_message(limit, stage))


def _message(limit: _Limit, stage: str = "") -> str:
    where = f" during {stage}" if stage else ""
    return f"the {limit.what} ran past its share of the invocation's time{where}"


class _AlarmClock:
    """The one ITIMER_REAL of the process, shared by the nested limits of the main thread."""

    def __init__(self) -> None:
        self.limits: list[_Limit] = []  # outermost first
        self.foreign_handler: Any = None
        self.foreign_due: float | None = None
        self.foreign_interval = 0.0

    def push(self, limit: _Limit) -> None:
        if signal.getsignal(signal.SIGALRM) is not _on_alarm:
            # Someone else's handler (or none): keep it and its timer, and give them back at the end.
            self.foreign_handler = signal.getsignal(signal.SIGALRM)
            delay, self.foreign_interval = signal.setitimer(signal.ITIMER_REAL, 0)
            self.foreign_due = time.monotonic() + delay if delay else None
            self.limits = []
            signal.signal(signal.SIGALRM, _on_alarm)
        # A fired limit left here by an exit the alarm cut short must not be interrupted again.
        self.limits = [other for other in self.limits if not other.fired or _encloses(other, limit)]
        self.limits.append(limit)
        self._schedule()

    def pop(self, limit: _Limit) -> None:
        self.limits = [other for other in self.limits if other is not limit and not other.fired]
        if self.limits:
            self._schedule()
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        if self.foreign_due is not None:
            delay = max(self.foreign_due - time.monotonic(), _MIN_DELAY)
            signal.setitimer(signal.ITIMER_REAL, delay, self.foreign_interval)
        handler = self.foreign_handler if self.foreign_handler is not None else signal.SIG_DFL
        signal.signal(signal.SIGALRM, handler)
        self.foreign_handler, self.foreign_due = None, None

    def _schedule(self) -> None:
        dues = [_due_at(limit) for limit in self.limits]
        if self.foreign_due is not None:
            dues.append(self.foreign_due)
        delay = max(min(dues) - time.monotonic(), _MIN_DELAY) if dues else 0.0
        signal.setitimer(signal.ITIMER_REAL, delay)

    def on_alarm(self, signum: int, frame: FrameType | None) -> None:
        now = time.monotonic() + _SLACK
        due = next((i for i, limit in enumerate(self.limits) if _due_at(limit) <= now), None)
        if due is not None:
            for limit in self.limits[due:]:  # the limits inside the one that ran out end with it
                limit.fired = True
                limit.repeat_at = now + REPEAT_SECONDS
            self._schedule()
            raise BudgetExceeded(_message(self.limits[due]))
        if self.foreign_due is not None and self.foreign_due <= now:
            handler = self.foreign_handler
            self.foreign_due = now + self.foreign_interval if self.foreign_interval else None
            self._schedule()
            if callable(handler):
                handler(signum, frame)
            return
        self._schedule()


_CLOCK = _AlarmClock()


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    _CLOCK.on_alarm(signum, frame)


def _due_at(limit: _Limit) -> float:
    """When the limit's next interrupt is due: its deadline, then every REPEAT_SECONDS after it."""
    return limit.repeat_at if limit.fired else limit.deadline


def _encloses(outer: _Limit, inner: _Limit) -> bool:
    step = inner.outer
    while step is not None:
        if step is outer:
            return True
        step = step.outer
    return False


def _alarms_work_here() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class time_limit:  # lower case: used like contextlib.suppress
    """``with time_limit(seconds, what="record"):`` the block raises ``BudgetExceeded`` at its deadline.

    ``seconds=None`` sets no limit (the limit around it, if any, still holds). A block entered with no
    time left raises at once.
    """

    def __init__(self, seconds: float | None, *, what: str = "record") -> None:
        self.seconds = seconds
        self.what = what
        self.limit: _Limit | None = None
        self._alarm = False

    def __enter__(self) -> time_limit:
        if self.seconds is None:
            return self
        now = time.monotonic()
        outer = _live(_CURRENT.get())
        deadline = now + max(self.seconds, 0.0)
        if outer is not None:
            deadline = min(deadline, outer.deadline)
        limit = _Limit(deadline, outer, self.what)
        if deadline <= now:
            limit.fired = True
            raise BudgetExceeded(_message(limit))
        self.limit = limit
        _CURRENT.set(limit)
        if _alarms_work_here():
            self._alarm = True
            _CLOCK.push(limit)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        limit = self.limit
        if limit is None:
            return
        self.limit = None
        _CURRENT.set(limit.outer)
        if self._alarm:
            _CLOCK.pop(limit)


class Shares:
    """Splits what is left of an invocation evenly among the records still to run.

    A record that finishes early leaves its time to the others, so the shares only grow through a
    batch; a record that uses its whole share leaves the rest theirs. ``reserve`` is kept back for
    replying; no share is below ``floor``.
    """

    def __init__(
        self,
        seconds_left: Callable[[], float],
        count: int,
        *,
        reserve: float | None = None,
        floor: float | None = None,
    ) -> None:
        self._seconds_left = seconds_left
        self._count = max(count, 1)
        start = seconds_left()
        self.reserve = min(RESERVE_MAX_SECONDS, RESERVE_SHARE * start) if reserve is None else reserve
        self.floor = MIN_RECORD_SECONDS if floor is None else floor

    def next(self) -> float:
        even = max(self._seconds_left() - self.reserve, 0.0) / self._count
        self._count = max(self._count - 1, 1)
        return max(even, self.floor)

    @classmethod
    def of_invocation(cls, context: Any, count: int) -> Shares | None:
        """Shares of a Lambda context's remaining time; None without a context (a plain call)."""
        remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
        if remaining_ms is None:
            return None
        return cls(lambda: remaining_ms() / 1000, count)
