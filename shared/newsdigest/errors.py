"""Exceptions with a stable machine-readable ``reason`` recorded on failed items."""

from __future__ import annotations


class NewsdigestError(Exception):
    """Base class. ``reason`` is a short stable code; ``str(exc)`` is the human explanation."""

    reason = "error"
    #: Permanent errors are recorded as failed items at once; transient ones are retried.
    permanent = True

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class InputError(NewsdigestError):
    """The input itself is unusable (empty, not HTML, undecodable, malformed event)."""

    reason = "bad_input"


class ExtractionError(NewsdigestError):
    """The page parsed but holds no article (index page, error page, empty body)."""

    reason = "not_article"


class SummariseError(NewsdigestError):
    reason = "summarise_failed"


class FetchError(NewsdigestError):
    """A URL could not be fetched or was refused by policy."""

    reason = "fetch_failed"


class TransientError(NewsdigestError):
    """Worth retrying: throttling, timeouts, 5xx."""

    reason = "transient"
    permanent = False


class BudgetExceeded(BaseException):
    """The record ran past its share of the invocation's time (:mod:`newsdigest.budget`).

    A ``BaseException``, as ``KeyboardInterrupt`` and ``asyncio.CancelledError`` are: it is raised
    asynchronously (from a timer signal) wherever the work happens to be, and an ``except Exception``
    in a library on the way (HTTP clients mapping errors, retry loops) must neither swallow it nor
    turn it into some other error. Only the code that armed the budget catches it.
    """

    reason = "budget"
    permanent = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
