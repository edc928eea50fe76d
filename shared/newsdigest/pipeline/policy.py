"""The retry policy: what an error means for the input that raised it. The one place that decides.

Three kinds, and what the handlers do with each:

* **permanent**: the input itself cannot succeed (bad input, bad document, too large, not an article,
  unsupported charset, bad URL, a bucket or object that does not exist, a record past its time budget).
  Retrying would give the same answer, so it ends at once as a failed item with its reason.
* **transient**: the platform failed for a moment (throttling, 5xx, timeouts, lost connections, a
  concurrent delivery holding the idempotency lock). Re-raised, so the queue delivers the message again;
  on the last delivery a failed item ``retries_exhausted:<reason>`` is written before the dead letter.
* **bug**: anything else, our code's fault (``AttributeError``, ``TypeError``, a request AWS refuses
  as malformed). Logged with its traceback and treated like a transient error: retried, then
  dead-lettered beside a ``retries_exhausted:bug:<ExceptionName>`` item, so it is seen and can be
  redriven once fixed. A bug is never recorded as something about the page.

Project errors carry their kind (``NewsdigestError.permanent``); AWS and network errors are classified
by their codes here; the handlers and services only ever ask :func:`classify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from newsdigest.errors import BudgetExceeded, NewsdigestError


class Kind(StrEnum):
    PERMANENT = "permanent"
    TRANSIENT = "transient"
    BUG = "bug"


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: Kind
    reason: str  # the stable code recorded on the item

    @property
    def permanent(self) -> bool:
        return self.kind is Kind.PERMANENT

    @property
    def give_up_reason(self) -> str:
        """The reason recorded when the last delivery fails this way."""
        return f"retries_exhausted:{self.reason}"


#: AWS error codes that name a missing or refused thing, not a moment's trouble: the same request
#: gets the same answer until someone changes the input or the deployment.
PERMANENT_AWS_CODES = {
    "NoSuchBucket": "no_such_bucket",
    "NoSuchKey": "object_missing",
    "NotFound": "object_missing",
    "404": "object_missing",
    "InvalidBucketName": "bad_input",
    "KeyTooLongError": "bad_input",
    "InvalidObjectState": "object_archived",
    "EntityTooLarge": "too_large",
    "AccessDenied": "access_denied",
}
#: Throttling codes across S3, DynamoDB and SQS (botocore's standard retry mode uses the same list).
THROTTLING_AWS_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
#: Powertools idempotency errors that mean "another delivery holds this object right now" or "the
#: idempotency store failed": both pass. Matched by name so the summarise handler, which keeps no
#: idempotency store, never imports that utility.
TRANSIENT_IDEMPOTENCY_ERRORS = frozenset(
    {"IdempotencyAlreadyInProgressError", "IdempotencyPersistenceLayerError"}
)
#: DynamoDB's answer to an item over 400 KB (our writes are fitted first, so this is a last resort).
_ITEM_TOO_LARGE = "item size has exceeded the maximum allowed size"


def classify(exc: BaseException) -> Verdict:
    """The kind of ``exc`` and the reason to record; never raises."""
    if isinstance(exc, BudgetExceeded):
        return Verdict(Kind.PERMANENT, exc.reason)
    if isinstance(exc, NewsdigestError):
        return Verdict(Kind.PERMANENT if exc.permanent else Kind.TRANSIENT, exc.reason)
    if isinstance(exc, ClientError):
        return _classify_aws(exc)
    if isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        return Verdict(Kind.TRANSIENT, "timeout")
    if isinstance(exc, EndpointConnectionError | BotoConnectionError):
        return Verdict(Kind.TRANSIENT, "connection")
    if isinstance(exc, NoCredentialsError):  # credentials refreshing (after a SnapStart restore)
        return Verdict(Kind.TRANSIENT, "credentials")
    if isinstance(exc, BotoCoreError):  # parameter validation and the like: our request was wrong
        return _bug(exc)
    if isinstance(exc, TimeoutError):
        return Verdict(Kind.TRANSIENT, "timeout")
    if isinstance(exc, ConnectionError):
        return Verdict(Kind.TRANSIENT, "connection")
    if {cls.__name__ for cls in type(exc).__mro__} & TRANSIENT_IDEMPOTENCY_ERRORS:
        return Verdict(Kind.TRANSIENT, "in_progress")
    return _bug(exc)


def _classify_aws(exc: ClientError) -> Verdict:
    error = exc.response.get("Error", {}) if isinstance(exc.response, dict) else {}
    code = str(error.get("Code", ""))
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    if code in PERMANENT_AWS_CODES:
        return Verdict(Kind.PERMANENT, PERMANENT_AWS_CODES[code])
    if code in THROTTLING_AWS_CODES or status == 429:
        return Verdict(Kind.TRANSIENT, "throttled")
    if isinstance(status, int) and status >= 500:
        return Verdict(Kind.TRANSIENT, "service_error")
    if code == "ValidationException" and _ITEM_TOO_LARGE in str(error.get("Message", "")).lower():
        return Verdict(Kind.PERMANENT, "too_large")
    return _bug(exc)


def _bug(exc: BaseException) -> Verdict:
    return Verdict(Kind.BUG, f"bug:{type(exc).__name__}")


def describe(exc: BaseException) -> str:
    """The message recorded on a failed item: a project error's own text, else the type and text."""
    if isinstance(exc, NewsdigestError | BudgetExceeded):
        return str(exc)
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
