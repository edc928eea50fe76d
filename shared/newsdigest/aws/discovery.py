"""Discovery's AWS side: the sources table, the crawl-state table (seen URLs, host slots, validators)
and the queue of discovered URLs that feeds Ingest.

Crawl-state items share one table, keyed ``url#<canonical url>`` (the seen-URL record: claimed with a
conditional put, so of two runs listing one URL exactly one queues it; ``state`` ``pending`` with a
15-minute life until the send to the queue is confirmed, then ``queued`` for 90 days), ``host#<host>``
(the next free request slot of a host, as Discover planned it), ``turn#<host>`` (the time of the last
request anyone made to the host: Discover and every Ingest container take the host's turn with a
conditional write before each request) and ``doc#<document url>`` (ETag and Last-Modified of a feed or
sitemap). Every item carries ``expires``, the table's TTL attribute.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from newsdigest.aws.storage import _from_dynamo, _to_dynamo, condition_failed
from newsdigest.discovery import limits
from newsdigest.discovery.sources import CrawlSource
from newsdigest.fetch.client import Validators

if TYPE_CHECKING:
    from newsdigest.pipeline.discover import ClaimResult, QueuedUrl

_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=20)
#: SQS SendMessageBatch takes ten entries per call.
SQS_BATCH = 10
#: DynamoDB BatchGetItem takes 100 keys per call.
DYNAMODB_GET_BATCH = 100
#: Calls per batch of keys while DynamoDB returns some unprocessed (throttled): past this, those URLs
#: are left to their conditional claim, which decides correctly, only at a write's cost.
MAX_GET_ROUNDS = 4
#: A seen-URL record's ``state``: claimed by a run that has not sent it yet, or sent to the queue.
#: Records written before claims had a state count as queued.
PENDING = "pending"
QUEUED = "queued"
#: A host's last-request record outlives any interval (at most a minute) by far.
TURN_TTL_SECONDS = 86400


#: Conditions on a source item: it exists and was not removed (a removed source is a tombstone).
_LIVE = "attribute_exists(source_id) AND attribute_not_exists(removed_at)"


class SourceTable:
    """Sources, one item each, keyed ``source_id``; small (a few hundred items), so read by Scan.

    Removing a source leaves a tombstone (``source_id`` and ``removed_at`` only) instead of deleting the
    item: the template's ``Sources`` seed adds only sources never seen before, so a seeded source the
    owner removed does not come back at the next cold start. Adding it by hand revives it.
    """

    def __init__(self, table_name: str, *, dynamodb: Any | None = None) -> None:
        self.table = (dynamodb or boto3.resource("dynamodb", config=_CLIENT_CONFIG)).Table(table_name)

    def list_sources(self) -> list[CrawlSource]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "ConsistentRead": True,
            "FilterExpression": "attribute_not_exists(removed_at)",
        }
        while True:
            page = self.table.scan(**kwargs)
            items += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return sorted((CrawlSource.from_item(_from_dynamo(i)) for i in items), key=lambda s: s.url)

    def get(self, source_id: str) -> CrawlSource | None:
        item = self.table.get_item(Key={"source_id": source_id}, ConsistentRead=True).get("Item")
        if not item or "removed_at" in item:
            return None
        return CrawlSource.from_item(_from_dynamo(item))

    def add(self, source: CrawlSource, *, revive: bool = True) -> bool:
        """Store a new source; False when one with the same canonical URL exists (left as it is).

        ``revive`` (an owner adding it) replaces a removed source's tombstone; a seed (``revive=False``)
        never does, so what the owner removed stays removed."""
        condition = "attribute_not_exists(source_id)"
        if revive:
            condition += " OR attribute_exists(removed_at)"
        try:
            self.table.put_item(Item=_to_dynamo(source.to_item()), ConditionExpression=condition)
        except ClientError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def remove(self, source_id: str, *, now: float | None = None) -> bool:
        """Replace the source by its tombstone; False when there is no such (live) source."""
        import time
        from datetime import UTC, datetime

        removed_at = datetime.fromtimestamp(time.time() if now is None else now, tz=UTC)
        try:
            self.table.put_item(
                Item={"source_id": source_id, "removed_at": removed_at.isoformat(timespec="seconds")},
                ConditionExpression=_LIVE,
            )
        except ClientError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def set_enabled(self, source_id: str, enabled: bool) -> bool:
        try:
            self.table.update_item(
                Key={"source_id": source_id},
                UpdateExpression="SET enabled = :e",
                ConditionExpression=_LIVE,
                ExpressionAttributeValues={":e": enabled},
            )
        except ClientError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def save_state(self, source: CrawlSource) -> None:
        """Write what a run learnt, without touching the owner's settings (a concurrent `sources
        disable` wins) and without resurrecting a source removed meanwhile."""
        state = _to_dynamo(dict(source.state))
        if not state:
            return
        names = {f"#s{i}": k for i, k in enumerate(state)}
        values = {f":s{i}": v for i, v in enumerate(state.values())}
        try:
            self.table.update_item(
                Key={"source_id": source.id},
                UpdateExpression="SET " + ", ".join(f"#s{i} = :s{i}" for i in range(len(state))),
                ConditionExpression=_LIVE,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if not condition_failed(exc):
                raise


class CrawlStateTable:
    def __init__(self, table_name: str, *, dynamodb: Any | None = None) -> None:
        self.dynamodb = dynamodb or boto3.resource("dynamodb", config=_CLIENT_CONFIG)
        self.table = self.dynamodb.Table(table_name)

    def seen_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of ``urls`` (distinct) with a lasting seen-URL record: what :meth:`claim` would answer
        ``seen``, read 100 per call (a strongly consistent read costs a fifth of the conditional write
        it saves, which DynamoDB charges even when its condition fails)."""
        import time

        seen: set[str] = set()
        name = self.table.name
        for start in range(0, len(urls), DYNAMODB_GET_BATCH):
            keys = [{"key": f"url#{u}"} for u in urls[start : start + DYNAMODB_GET_BATCH]]
            for attempt in range(MAX_GET_ROUNDS):
                reply = self.dynamodb.batch_get_item(
                    RequestItems={
                        name: {
                            "Keys": keys,
                            "ConsistentRead": True,
                            "ProjectionExpression": "#k, #st",
                            "ExpressionAttributeNames": {"#k": "key", "#st": "state"},
                        }
                    }
                )
                for item in reply.get("Responses", {}).get(name, []):
                    if item.get("state", QUEUED) != PENDING:
                        seen.add(str(item["key"]).removeprefix("url#"))
                keys = reply.get("UnprocessedKeys", {}).get(name, {}).get("Keys", [])
                if not keys:
                    break
                time.sleep(0.05 * 2**attempt)  # throttled: back off before asking for the rest
        return seen

    def claim(self, url: str, *, source_id: str, now: float) -> ClaimResult:
        """Claim ``url`` as pending: it is new, or its last claim lapsed before that run confirmed it."""
        try:
            self.table.put_item(
                Item={
                    "key": f"url#{url}",
                    "source_id": source_id,
                    "state": PENDING,
                    "expires": int(now) + limits.PENDING_CLAIM_SECONDS,
                },
                ConditionExpression="attribute_not_exists(#k) OR (#st = :pending AND #exp < :now)",
                ExpressionAttributeNames={"#k": "key", "#st": "state", "#exp": "expires"},
                ExpressionAttributeValues={":pending": PENDING, ":now": int(now)},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if condition_failed(exc):
                held = exc.response.get("Item", {}).get("state", {}).get("S")
                return "pending" if held == PENDING else "seen"
            raise
        return "new"

    def confirm(self, urls: Sequence[str], *, source_id: str, expires: int) -> None:
        """The sends went through: the claims become the lasting seen-URL records."""
        with self.table.batch_writer() as batch:
            for url in urls:
                batch.put_item(
                    Item={"key": f"url#{url}", "source_id": source_id, "state": QUEUED, "expires": expires}
                )

    def release(self, url: str) -> None:
        self.table.delete_item(Key={"key": f"url#{url}"})

    def claim_state(self, url: str) -> str | None:
        """``pending``, ``queued`` or None (never claimed, or released)."""
        item = self.table.get_item(Key={"key": f"url#{url}"}, ConsistentRead=True).get("Item")
        return None if item is None else str(item.get("state", QUEUED))

    def seen(self, url: str) -> bool:
        return self.claim_state(url) is not None

    def take_turn(self, host: str, interval: float, now: float) -> float | None:
        """Take ``host``'s request turn at ``now`` if ``interval`` has passed since the last request
        anyone made to it; otherwise return when the turn frees. (The :data:`HostGate` of pacing.)"""
        from decimal import Decimal

        try:
            self.table.update_item(
                Key={"key": f"turn#{host}"},
                UpdateExpression="SET last_at = :now, expires = :expires",
                ConditionExpression="attribute_not_exists(last_at) OR last_at <= :free",
                ExpressionAttributeValues={
                    ":now": Decimal(f"{now:.3f}"),
                    ":free": Decimal(f"{now - interval:.3f}"),
                    ":expires": int(now) + TURN_TTL_SECONDS,
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if condition_failed(exc):
                last = exc.response.get("Item", {}).get("last_at", {}).get("N")
                return (float(last) if last else now) + interval
            raise
        return None

    def host_slot(self, host: str) -> float | None:
        item = self.table.get_item(Key={"key": f"host#{host}"}, ConsistentRead=True).get("Item")
        return float(item["next_at"]) if item else None

    def set_host_slot(self, host: str, at: float) -> None:
        from decimal import Decimal

        self.table.put_item(
            Item={"key": f"host#{host}", "next_at": Decimal(str(round(at, 3))), "expires": int(at) + 86400}
        )

    def validators(self, url: str) -> Validators | None:
        item = self.table.get_item(Key={"key": f"doc#{url}"}, ConsistentRead=True).get("Item")
        if not item:
            return None
        return Validators(etag=item.get("etag") or None, last_modified=item.get("last_modified") or None)

    def forget_validators(self) -> int:
        """Drop every document's ETag and Last-Modified, so each is read in full next time (the local
        stack's way back after its queue was lost; a scan, never used by the deployed functions)."""
        from boto3.dynamodb.conditions import Attr

        kwargs: dict[str, Any] = {
            "FilterExpression": Attr("key").begins_with("doc#"),
            "ProjectionExpression": "#k",
        }
        kwargs["ExpressionAttributeNames"] = {"#k": "key"}
        dropped = 0
        while True:
            page = self.table.scan(**kwargs)
            for item in page.get("Items", []):
                self.table.delete_item(Key={"key": item["key"]})
                dropped += 1
            if "LastEvaluatedKey" not in page:
                return dropped
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def set_validators(self, url: str, validators: Validators, *, expires: int) -> None:
        fields = {
            "etag": validators.etag,
            "last_modified": validators.last_modified,
        }
        kept = {k: v for k, v in fields.items() if v and len(v) <= limits.MAX_VALIDATOR_LENGTH}
        if not kept:
            return
        self.table.put_item(Item={"key": f"doc#{url}", **kept, "expires": expires})


class DiscoveryStore(SourceTable):
    """What the Discover service needs, over the two tables."""

    def __init__(self, sources_table: str, state_table: str, *, dynamodb: Any | None = None) -> None:
        resource = dynamodb or boto3.resource("dynamodb", config=_CLIENT_CONFIG)
        super().__init__(sources_table, dynamodb=resource)
        self.state = CrawlStateTable(state_table, dynamodb=resource)

    def seen_urls(self, urls: Sequence[str]) -> set[str]:
        return self.state.seen_urls(urls)

    def claim(self, url: str, *, source_id: str, now: float) -> ClaimResult:
        return self.state.claim(url, source_id=source_id, now=now)

    def confirm(self, urls: Sequence[str], *, source_id: str, expires: int) -> None:
        self.state.confirm(urls, source_id=source_id, expires=expires)

    def release(self, url: str) -> None:
        self.state.release(url)

    def take_turn(self, host: str, interval: float, now: float) -> float | None:
        return self.state.take_turn(host, interval, now)

    def host_slot(self, host: str) -> float | None:
        return self.state.host_slot(host)

    def set_host_slot(self, host: str, at: float) -> None:
        self.state.set_host_slot(host, at)

    def validators(self, url: str) -> Validators | None:
        return self.state.validators(url)

    def set_validators(self, url: str, validators: Validators, *, expires: int) -> None:
        self.state.set_validators(url, validators, expires=expires)


class DiscoveredQueue:
    """The queue Ingest reads discovered URLs from: batches of ten, each message delayed to its slot."""

    def __init__(self, queue_url: str, *, sqs: Any | None = None) -> None:
        self.queue_url = queue_url
        self.sqs = sqs or boto3.client("sqs", config=_CLIENT_CONFIG)

    def send(self, urls: Sequence[QueuedUrl]) -> list[QueuedUrl]:
        failed: list[QueuedUrl] = []
        for start in range(0, len(urls), SQS_BATCH):
            chunk = list(urls[start : start + SQS_BATCH])
            entries = [
                {"Id": str(i), "MessageBody": json.dumps(q.message()), "DelaySeconds": q.delay_seconds}
                for i, q in enumerate(chunk)
            ]
            try:
                response = self.sqs.send_message_batch(QueueUrl=self.queue_url, Entries=entries)
            except ClientError:
                failed += chunk
                continue
            failed += [chunk[int(f["Id"])] for f in response.get("Failed", [])]
        return failed
