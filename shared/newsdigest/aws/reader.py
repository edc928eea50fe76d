"""Reading the table and the clean articles: index queries for a plan, one item, pre-signed URLs.

The only boto3 of the read side. Queries run through the low-level client so the paging keys go back
and forth exactly as DynamoDB gives them; items come out as plain JSON values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

from newsdigest.aws.storage import MISSING_OBJECT_CODES, _from_dynamo, error_code
from newsdigest.reading import cursor as cursors
from newsdigest.reading import keys
from newsdigest.reading.query import ArticleQuery, PartitionPage, PartitionQuery, plan, run_plan

_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=10)
#: Lifetime of a pre-signed clean-article URL: long enough to follow from a reply, short enough that
#: a leaked URL soon stops working.
PRESIGN_SECONDS = 300
#: Item attributes that exist for the indexes only and mean nothing to a reader.
_INTERNAL = frozenset({keys.TIME_SHARD})
#: The clean article's other renderings, stored beside the JSON document under the same name.
SIBLING_FORMATS = {"html": (".html",), "markdown": (".md",)}

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def public_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in _INTERNAL}


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    cursor: str | None
    #: Index queries this page cost (its read bound: rounds x partitions).
    queries: int = 0


class Reader:
    def __init__(self, table: str, articles_bucket: str, *, dynamodb: Any = None, s3: Any = None) -> None:
        self.table = table
        self.articles_bucket = articles_bucket
        self._dynamodb = dynamodb
        self._s3 = s3

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = boto3.client("dynamodb", config=_CLIENT_CONFIG)
        return self._dynamodb

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            # SigV4 for every region and for local endpoints alike.
            self._s3 = boto3.client("s3", config=_CLIENT_CONFIG.merge(Config(signature_version="s3v4")))
        return self._s3

    # listing --------------------------------------------------------------------------------------

    def _query(self, part: PartitionQuery, start: dict[str, Any] | None, limit: int) -> PartitionPage:
        names = {"#pk": part.partition_key}
        values: dict[str, Any] = {":pk": {"S": part.partition}}
        condition = "#pk = :pk"
        # The sort keys are whole-second UTC stamps, so "before until" is "at most a second before".
        until = keys.second_before(part.until) if part.until else None
        if part.since and until:
            condition += " AND #sk BETWEEN :since AND :until"
            values[":since"], values[":until"] = {"S": part.since}, {"S": until}
        elif part.since:
            condition += " AND #sk >= :since"
            values[":since"] = {"S": part.since}
        elif until:
            condition += " AND #sk <= :until"
            values[":until"] = {"S": until}
        if part.since or until:
            names["#sk"] = part.sort_key
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": part.index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if part.status:
            names["#status"] = "status"
            values[":status"] = {"S": part.status}
            request["FilterExpression"] = "#status = :status"
        request["ExpressionAttributeValues"] = values
        if start:
            request["ExclusiveStartKey"] = {k: _serializer.serialize(v) for k, v in start.items()}
        response = self.dynamodb.query(**request)
        items = [_from_dynamo(self._plain(i)) for i in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        return PartitionPage(
            items, {k: _deserializer.deserialize(v) for k, v in last.items()} if last else None
        )

    @staticmethod
    def _plain(item: Mapping[str, Any]) -> dict[str, Any]:
        return {k: _deserializer.deserialize(v) for k, v in item.items()}

    def list(self, query: ArticleQuery, cursor: str | None = None) -> Page:
        """One page of the query, newest first, and the cursor of the next (None on the last page)."""
        positions = cursors.decode(cursor, query.fingerprint) if cursor else None
        page = run_plan(plan(query), self._query, positions)
        next_cursor = cursors.encode(query.fingerprint, page.positions) if page.positions else None
        return Page([public_item(i) for i in page.items], next_cursor, page.queries)

    # one article ----------------------------------------------------------------------------------

    def get(self, article_id: str) -> dict[str, Any] | None:
        response = self.dynamodb.get_item(TableName=self.table, Key={"article_id": {"S": article_id}})
        item = response.get("Item")
        return public_item(_from_dynamo(self._plain(item))) if item else None

    def _sibling_key(self, item: Mapping[str, Any], name: str) -> str | None:
        key = item.get("source_key")
        if not key or name not in SIBLING_FORMATS:
            return None
        stem = str(key).removesuffix(".json")
        return stem + SIBLING_FORMATS[name][0]

    def sibling(self, item: Mapping[str, Any], name: str) -> str | None:
        """The clean article's ``html`` or ``markdown`` rendering stored beside its JSON document."""
        key = self._sibling_key(item, name)
        if key is None:
            return None
        try:
            body = self.s3.get_object(Bucket=self.articles_bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if error_code(exc) in MISSING_OBJECT_CODES | {"AccessDenied"}:
                return None
            raise
        return bytes(body).decode("utf-8")

    def links(self, item: Mapping[str, Any], *, expires: int = PRESIGN_SECONDS) -> dict[str, str]:
        """Pre-signed GET URLs of the clean article: the JSON document and, where stored beside it,
        its HTML and Markdown renderings."""
        key = item.get("source_key")
        if not key:
            return {}
        links = {"json": self._presign(str(key), expires)}
        for name in SIBLING_FORMATS:
            sibling = self._sibling_key(item, name)
            if sibling and self._exists(sibling):
                links[name] = self._presign(sibling, expires)
        return links

    def _exists(self, key: str) -> bool:
        try:
            self.s3.head_object(Bucket=self.articles_bucket, Key=key)
        except ClientError as exc:
            if error_code(exc) in MISSING_OBJECT_CODES | {"403"}:
                return False
            raise
        return True

    def _presign(self, key: str, expires: int) -> str:
        return str(
            self.s3.generate_presigned_url(
                "get_object", Params={"Bucket": self.articles_bucket, "Key": key}, ExpiresIn=expires
            )
        )

    def document(self, item: Mapping[str, Any]) -> dict[str, Any] | None:
        """The clean-article JSON document of an item (for the CLI's ``show``)."""
        import json

        key = item.get("source_key")
        if not key:
            return None
        try:
            body = self.s3.get_object(Bucket=self.articles_bucket, Key=str(key))["Body"].read()
        except ClientError as exc:
            if error_code(exc) in MISSING_OBJECT_CODES:
                return None
            raise
        document: dict[str, Any] = json.loads(body)
        return document
