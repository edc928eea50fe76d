"""Logger, Tracer and Metrics shared by every handler, and the keys and metrics they share.

Service name, log level and metrics namespace come from the template's Globals
(POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE).

Correlation: every log line of a request carries ``correlation_id`` (the HTTP API's request id, which
the API access log records too, else Lambda's request id); every line written while one SQS record or
one input is handled carries ``message_id``, ``object``, ``source`` and ``article_id`` as far as they
are known. ``article_id`` is the same in Ingest's and Summarise's logs, so one query follows an input
through both functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

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


class _EMFProvider(AmazonCloudWatchEMFProvider):
    """Powertools' EMF provider, with the ColdStart blob honouring POWERTOOLS_METRICS_DISABLED too.

    Powertools prints ColdStart through ``single_metric``, which does not check the variable, so local
    runs with metrics off still wrote one blob per function onto the terminal.
    """

    def add_cold_start_metric(self, context: Any) -> None:
        if not is_metrics_disabled():
            super().add_cold_start_metric(context)


logger = Logger()
tracer = _make_tracer()
metrics = Metrics(provider=_EMFProvider())

#: One failed input; dimensions ``stage`` (fetch, read, extract, summarise, ingest) and ``reason``
#: (the failure's reason code, a bounded set).
FAILURE_METRIC = "Failures"


def count_failure(*, stage: str, reason: str) -> None:
    """Count one failed input with its stage and reason as dimensions.

    Dimensions added to ``metrics`` apply to every metric of the invocation's one EMF blob, so a
    per-input dimension needs a blob of its own: Powertools' ``single_metric``, as Powertools does for
    its ColdStart metric. Honours POWERTOOLS_METRICS_DISABLED like the rest of the metrics.
    """
    if is_metrics_disabled():
        return
    with single_metric(
        name=FAILURE_METRIC, unit=MetricUnit.Count, value=1, namespace=metrics.namespace
    ) as metric:
        if metrics.service:
            metric.add_dimension(name="service", value=str(metrics.service))
        metric.add_dimension(name="stage", value=stage)
        metric.add_dimension(name="reason", value=reason or "unknown")


def request_correlation_id(event: Any, context: Any) -> str | None:
    """The HTTP API's request id for API calls (as in the API's access log), else Lambda's."""
    if isinstance(event, dict):
        request_id = (event.get("requestContext") or {}).get("requestId")
        if request_id and "routeKey" in event:
            return str(request_id)
    return getattr(context, "aws_request_id", None)


@contextmanager
def log_keys(**keys: Any) -> Iterator[None]:
    """Keys on every log line written inside the block (``None`` values left out), removed after it:
    one record's or one input's identity never leaks onto the next one's lines."""
    present = {k: v for k, v in keys.items() if v is not None}
    if not present:
        yield
        return
    with logger.append_context_keys(**present):
        yield


__all__ = [
    "FAILURE_METRIC",
    "MetricUnit",
    "count_failure",
    "log_keys",
    "logger",
    "metrics",
    "request_correlation_id",
    "tracer",
]
