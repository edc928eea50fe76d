"""Powertools idempotency for per-object work: a re-delivered S3 notification is a no-op.

The key is the object's bucket, key and ETag, so a changed object is processed again while a
duplicated or re-delivered notification returns the stored result without touching anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from newsdigest.aws import snapstart
from newsdigest.aws.storage import shared_session
from newsdigest.pipeline.outcomes import Outcome

#: A day covers SQS redelivery windows many times over; the summary item guards beyond that.
EXPIRES_AFTER_SECONDS = 24 * 3600


def idempotent_per_object(
    work: Callable[[str, str], Outcome], *, table_name: str
) -> tuple[Callable[[dict[str, str]], dict[str, Any]], IdempotencyConfig]:
    config = IdempotencyConfig(
        event_key_jmespath="[bucket, key, etag]",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
    )
    # boto3's default session: a session of its own would parse DynamoDB's models again at cold start.
    persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_session=shared_session())
    snapstart.track_persistence_layer(persistence)

    @idempotent_function(data_keyword_argument="ref", persistence_store=persistence, config=config)
    def run(ref: dict[str, str]) -> dict[str, Any]:
        return work(ref["bucket"], ref["key"]).to_dict()

    def call(ref: dict[str, str]) -> dict[str, Any]:
        return run(ref=ref)

    return call, config
