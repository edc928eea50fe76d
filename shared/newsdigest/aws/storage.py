"""Every AWS call the workers make: S3 objects in and out, DynamoDB items.

Clients are created once per process (Lambda cold start) and reused. Endpoints come from boto3's own
configuration (``AWS_ENDPOINT_URL`` and friends), which is how local runs point at a moto server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from newsdigest.aws import snapstart
from newsdigest.aws.item_size import ITEM_LIMIT, item_size
from newsdigest.errors import InputError
from newsdigest.reading.keys import INDEX_KEY_ATTRIBUTES

_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=20)
#: The codes S3 answers for an object that is not there (GetObject and HeadObject differ).
MISSING_OBJECT_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


def error_code(exc: ClientError) -> str:
    """The AWS error code of a failed call ("" when the reply names none)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def condition_failed(exc: ClientError) -> bool:
    """Whether a conditional write was refused because its condition did not hold."""
    return error_code(exc) == "ConditionalCheckFailedException"


@dataclass(frozen=True, slots=True)
class StoredObject:
    bucket: str
    key: str
    body: bytes
    etag: str
    content_type: str | None
    metadata: Mapping[str, str]


def _to_dynamo(value: Any) -> Any:
    """DynamoDB has no floats and no empty-string keys in maps; JSON round-trip with Decimals fixes both."""
    return json.loads(json.dumps(value), parse_float=Decimal)


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value


def shared_session() -> boto3.session.Session:
    """boto3's default session, which Storage's clients use: other clients made from it (Powertools'
    idempotency layer) reuse its parsed service models instead of loading them again at cold start."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    return boto3.DEFAULT_SESSION


class Storage:
    def __init__(self, *, s3: Any | None = None, dynamodb: Any | None = None) -> None:
        self._given = (s3, dynamodb)
        self._s3, self._dynamodb = self._given
        snapstart.track(self)

    def reset_clients(self) -> None:
        """Drop the clients it made (and their connections); the next use creates new ones from boto3's
        default session (SnapStart restore). Clients passed to the constructor are kept."""
        self._s3, self._dynamodb = self._given

    def prime(self) -> None:
        """Create the clients now (before a SnapStart snapshot), so their service models are loaded."""
        _ = self.s3, self.dynamodb

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = boto3.client("s3", config=_CLIENT_CONFIG)
        return self._s3

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = boto3.resource("dynamodb", config=_CLIENT_CONFIG)
        return self._dynamodb

    # S3 -------------------------------------------------------------------------------------------

    def get_object(self, bucket: str, key: str, *, max_bytes: int) -> StoredObject:
        try:
            response = self.s3.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if error_code(exc) in MISSING_OBJECT_CODES:
                raise InputError(
                    f"s3://{bucket}/{key} no longer exists (deleted before processing)",
                    reason="object_missing",
                ) from exc
            raise
        length = int(response.get("ContentLength") or 0)
        stream = response["Body"]
        if length > max_bytes:
            stream.close()
            raise InputError(f"object is {length} bytes, over the {max_bytes}-byte limit", reason="too_large")
        body = stream.read(max_bytes + 1)
        stream.close()
        if len(body) > max_bytes:
            raise InputError(f"object is over the {max_bytes}-byte limit", reason="too_large")
        return StoredObject(
            bucket=bucket,
            key=key,
            body=body,
            etag=str(response.get("ETag", "")).strip('"'),
            content_type=response.get("ContentType"),
            metadata=dict(response.get("Metadata") or {}),
        )

    def put_json(
        self, bucket: str, key: str, document: Mapping[str, Any], *, metadata: Mapping[str, str]
    ) -> str:
        body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
        response = self.s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType="application/json; charset=utf-8",
            Metadata=dict(metadata),
        )
        return str(response.get("ETag", "")).strip('"')

    # DynamoDB -------------------------------------------------------------------------------------

    def write_item(
        self, table: str, item: Mapping[str, Any], *, replace_ok: bool, new_method_replaces: bool = False
    ) -> bool:
        """Write one item keyed on ``article_id``; returns False when the write was not needed.

        ``replace_ok=False`` (failures) never overwrites a successful summary. A successful summary
        replaces anything except a successful summary of the same content, so a re-delivered event
        makes no second write while a changed page still updates its item. ``new_method_replaces``
        (resummarising) also replaces a summary of the same content made another way (algorithm or
        parameters), and still not one made the same way.
        """
        values = _to_dynamo(dict(item))
        size = item_size(values)
        if size > ITEM_LIMIT:  # never sent: DynamoDB would refuse it (and moto would apply part of it)
            raise InputError(
                f"item of {size} bytes is over DynamoDB's {ITEM_LIMIT}-byte limit", reason="too_large"
            )
        created_at = values.pop("created_at")
        # An index key cannot be NULL: None there means "not in that index" (the sparse failure index).
        removed = [name for name in INDEX_KEY_ATTRIBUTES if name in values and values[name] is None]
        for name in removed:
            del values[name]
        names = {f"#f{i}": name for i, name in enumerate(values) if name != "article_id"}
        placeholders = {name: f"#f{i}" for i, name in enumerate(values) if name != "article_id"}
        sets = [f"{placeholders[n]} = :v{i}" for i, n in enumerate(values) if n != "article_id"]
        attr_values = {f":v{i}": v for i, (n, v) in enumerate(values.items()) if n != "article_id"}
        sets.append("#created = if_not_exists(#created, :created)")
        names["#created"] = "created_at"
        names["#status"] = "status"
        attr_values[":created"] = created_at
        attr_values[":ok"] = "ok"
        if replace_ok:
            names["#sha"] = "content_sha256"
            attr_values[":sha"] = values.get("content_sha256", "")
            condition = "attribute_not_exists(article_id) OR #status <> :ok OR #sha <> :sha"
            if new_method_replaces:
                names["#alg"], names["#params"] = "algorithm", "summary_parameters"
                attr_values[":alg"] = values.get("algorithm", "")
                attr_values[":params"] = values.get("summary_parameters") or {}
                condition += " OR #alg <> :alg OR #params <> :params"
        else:
            condition = "attribute_not_exists(article_id) OR #status <> :ok"
        names.update({f"#r{i}": name for i, name in enumerate(removed)})
        remove = f" REMOVE {', '.join(f'#r{i}' for i in range(len(removed)))}" if removed else ""
        try:
            self.dynamodb.Table(table).update_item(
                Key={"article_id": item["article_id"]},
                UpdateExpression="SET " + ", ".join(sets) + remove,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=attr_values,
            )
        except ClientError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def get_item(self, table: str, article_id: str) -> dict[str, Any] | None:
        response = self.dynamodb.Table(table).get_item(Key={"article_id": article_id}, ConsistentRead=True)
        item = response.get("Item")
        return _from_dynamo(item) if item else None
