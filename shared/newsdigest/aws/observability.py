"""Logger, Tracer and Metrics shared by every handler.

Service name, log level and metrics namespace come from the template's Globals
(POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

#: What X-Ray records besides our own subsegments: AWS calls and page fetches. (Powertools' default,
#: patch_all, also imports sqlite3 and the patchers of every other library it can find.)
PATCH_MODULES = ("botocore", "httplib")


class _TracingOff(Tracer):
    """The Tracer when tracing is off (tests, local runs, POWERTOOLS_TRACE_DISABLED): the decorators
    return the function itself. Powertools' own disabled Tracer still imports the X-Ray SDK, which builds
    an X-Ray client at import: a cold-start cost for nothing."""

    def __init__(self) -> None:  # no provider, no patching
        self.disabled = True
        self.auto_patch = False
        self.service = None

    def capture_lambda_handler(
        self,
        lambda_handler: Any = None,
        capture_response: bool | None = None,
        capture_error: bool | None = None,
    ) -> Any:
        return lambda_handler if lambda_handler is not None else _identity

    def capture_method(
        self, method: Any = None, capture_response: bool | None = None, capture_error: bool | None = None
    ) -> Any:
        return method if method is not None else _identity


def _identity(function: Any) -> Any:
    return function


def _make_tracer() -> Tracer:
    # Powertools' own rule (POWERTOOLS_TRACE_DISABLED, outside Lambda, SAM local, Chalice local).
    if Tracer._is_tracer_disabled():
        return _TracingOff()
    return Tracer(patch_modules=PATCH_MODULES)


logger = Logger()
tracer = _make_tracer()
metrics = Metrics()

__all__ = ["MetricUnit", "logger", "metrics", "tracer"]
