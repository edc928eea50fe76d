"""The operations commands' AWS calls: failed items, stored articles, re-triggering an object.

Read paths are paginated and bounded by what is asked for (a time, a stage, a site); nothing here
writes except :func:`retrigger`, which copies an object onto itself so S3 notifies its queue again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsdigest.aws.storage import Storage, _from_dynamo

#: Object metadata a re-trigger sets (an object cannot be copied onto itself unchanged).
RETRIGGERED_METADATA = "newsdigest-retriggered-at"


def failed_items(
    storage: Storage, table: str, *, since: str | None = None, stage: str | None = None
) -> Iterator[dict[str, Any]]:
    """Items with ``status = failed`` (updated at or after ``since``, an ISO 8601 time; of ``stage``)."""
    from boto3.dynamodb.conditions import Attr

    condition = Attr("status").eq("failed")
    if since:
        condition &= Attr("updated_at").gte(since)
    if stage:
        condition &= Attr("stage").eq(stage)
    request: dict[str, Any] = {"FilterExpression": condition, "ConsistentRead": True}
    while True:
        page = storage.dynamodb.Table(table).scan(**request)
        for item in page.get("Items", []):
            yield _from_dynamo(item)
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def object_keys(storage: Storage, bucket: str, prefix: str) -> Iterator[str]:
    for page in storage.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for entry in page.get("Contents", []):
            yield str(entry["Key"])


def retrigger(storage: Storage, bucket: str, key: str, *, when: str) -> None:
    """Copy the object onto itself, its content type and metadata kept, so S3 sends ObjectCreated to the
    bucket's queue again: the stored input goes through the deployed pipeline once more."""
    head = storage.s3.head_object(Bucket=bucket, Key=key)
    metadata = dict(head.get("Metadata") or {})
    metadata[RETRIGGERED_METADATA] = when
    storage.s3.copy_object(
        Bucket=bucket,
        Key=key,
        CopySource={"Bucket": bucket, "Key": key},
        MetadataDirective="REPLACE",
        Metadata=metadata,
        ContentType=head.get("ContentType") or "application/octet-stream",
    )
