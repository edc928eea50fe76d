"""Progress of long work on stderr: a tqdm bar on a terminal, plain periodic lines otherwise.

A bar redrawn with carriage returns is unreadable in a CI log or a file, so when stderr is not a
terminal the same figures (done/total, rate, time left) are written as one line every few seconds and
once at the end. ``NEWSDIGEST_PROGRESS`` (``bar``, ``lines`` or ``off``) overrides the choice. stdout
is never touched: it carries the results.

Used by ``newsdigest run``, the benchmarks and any command that waits on many inputs::

    with Progress(len(pages), "extract", unit="pages") as bar:
        for page in pages:
            ...
            bar.update(failed=failures)
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import Any, Literal, TextIO

Mode = Literal["bar", "lines", "off"]
MODES: tuple[Mode, ...] = ("bar", "lines", "off")
ENV_MODE = "NEWSDIGEST_PROGRESS"
#: Seconds between plain lines: often enough that a log shows the work moving, rarely enough that
#: 1,000 inputs do not print 1,000 lines.
LINE_INTERVAL_SECONDS = 5.0

_LINE_FORMAT = (
    "{desc}: {percentage:3.0f}% {n_fmt}/{total_fmt} {unit} [{elapsed}<{remaining}, {rate_fmt}{postfix}]"
)
_OPEN_LINE_FORMAT = "{desc}: {n_fmt} {unit} [{elapsed}, {rate_fmt}{postfix}]"


def choose_mode(stream: TextIO, requested: str | None = None) -> Mode:
    """``requested`` (or ``NEWSDIGEST_PROGRESS``) if valid, else a bar on a terminal and lines elsewhere."""
    wanted = (requested or os.environ.get(ENV_MODE, "")).strip().lower()
    if wanted in MODES:
        return wanted
    isatty = getattr(stream, "isatty", None)
    return "bar" if isatty is not None and isatty() else "lines"


class Progress:
    """Counts work done out of ``total`` (``None`` when unknown) and shows it on ``stream``."""

    def __init__(
        self,
        total: int | None,
        desc: str,
        *,
        unit: str = "items",
        stream: TextIO | None = None,
        mode: str | None = None,
        interval: float = LINE_INTERVAL_SECONDS,
    ) -> None:
        self.total = total
        self.desc = desc
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.mode = choose_mode(self.stream, mode)
        self.interval = interval
        self.n = 0
        self._postfix: dict[str, Any] = {}
        self._start = time.monotonic()
        self._last_line = self._start
        self._bar: Any = None
        if self.mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, desc=desc, unit=f" {unit}", file=self.stream, dynamic_ncols=True, leave=True
            )

    def update(self, n: int = 1, **postfix: Any) -> None:
        """``n`` more done; keyword figures (``failed=2``) are shown beside the count."""
        self.set(self.n + n, **postfix)

    def set(self, n: int, **postfix: Any) -> None:
        """``n`` done in all (for work whose count is polled rather than counted)."""
        changed = n != self.n or (postfix and postfix != self._postfix)
        if postfix:
            self._postfix.update(postfix)
        if self._bar is not None:
            if postfix:
                self._bar.set_postfix(self._postfix, refresh=False)
            self._bar.update(n - self.n)
            self.n = n
            return
        self.n = n
        now = time.monotonic()
        if self.mode == "lines" and changed and now - self._last_line >= self.interval:
            self._write_line(now)

    def line(self) -> str:
        """The current figures as one plain line."""
        return self._format(time.monotonic())

    def _format(self, now: float) -> str:
        from tqdm import tqdm

        postfix = ", ".join(f"{k} {v}" for k, v in self._postfix.items()) or None
        return str(
            tqdm.format_meter(
                self.n,
                self.total,
                now - self._start,
                prefix=self.desc,
                unit=self.unit,
                postfix=postfix,
                bar_format=_LINE_FORMAT if self.total else _OPEN_LINE_FORMAT,
            )
        )

    def _write_line(self, now: float) -> None:
        self._last_line = now
        self.stream.write(self._format(now) + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.mode == "lines":
            self._write_line(time.monotonic())
        self.mode = "off"

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
