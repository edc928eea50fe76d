"""The embedded stack's state on disk, so results outlive the moto server that held them.

A moto server keeps everything in memory. Before it stops, the items of every table and the objects of
every bucket the template declares are exported to a data directory; the next embedded stack imports
them before it does anything else. The layout is plain files a user can read without the tool::

    DIR/tables/<TableLogicalId>.jsonl         one DynamoDB item per line (DynamoDB's typed JSON)
    DIR/buckets/<BucketLogicalId>.jsonl       one object per line: key, sha256, content type, metadata
    DIR/blobs/<sha256[:2]>/<sha256>           object bodies, stored once by content

Queues are not kept: what was still queued when a command stopped is retried by submitting again
(every write is idempotent), which is what a deployed stack's dead letters need too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import boto3
from platformdirs import user_data_dir

from newsdigest.local.stack import LocalResources

STATE_VERSION = 1
#: Overrides the per-user default data directory (tests, CI, several checkouts side by side).
DATA_DIR_ENV = "NEWSDIGEST_DATA_DIR"
#: DynamoDB's BatchWriteItem limit.
_BATCH = 25


def default_data_dir() -> Path:
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return Path(user_data_dir("newsdigest", appauthor=False))


def _atomic_write(path: Path, lines: Iterable[str]) -> None:
    """Write then rename, so a crash mid-export leaves the previous file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _encode_binary(value: Any) -> Any:
    """DynamoDB's typed JSON with binary values (``B``, ``BS``) as base64, which JSON can carry."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for kind, inner in value.items():
            if kind == "B":
                out[kind] = base64.b64encode(bytes(inner)).decode("ascii")
            elif kind == "BS":
                out[kind] = [base64.b64encode(bytes(b)).decode("ascii") for b in inner]
            else:
                out[kind] = _encode_binary(inner)
        return out
    if isinstance(value, list):
        return [_encode_binary(v) for v in value]
    return value


def _decode_binary(value: Any) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for kind, inner in value.items():
            if kind == "B":
                out[kind] = base64.b64decode(inner)
            elif kind == "BS":
                out[kind] = [base64.b64decode(b) for b in inner]
            else:
                out[kind] = _decode_binary(inner)
        return out
    if isinstance(value, list):
        return [_decode_binary(v) for v in value]
    return value


def _tables(resources: LocalResources) -> dict[str, str]:
    return {
        logical: name
        for logical, name in resources.refs.items()
        if (logical, "Arn") in resources.attributes and ":table/" in resources.attributes[(logical, "Arn")]
    }


def _buckets(resources: LocalResources) -> dict[str, str]:
    return {
        logical: name
        for logical, name in resources.refs.items()
        if resources.attributes.get((logical, "Arn"), "").startswith("arn:aws:s3:::")
    }


def _blob_path(data_dir: Path, sha: str) -> Path:
    return data_dir / "blobs" / sha[:2] / sha


def export_state(resources: LocalResources, data_dir: Path) -> dict[str, int]:
    """Write every item and object of the stack to ``data_dir``; returns counts per table and bucket.

    Bodies already on disk (same key and ETag as last time) are not downloaded again."""
    dynamodb = boto3.client("dynamodb")
    s3 = boto3.client("s3")
    counts: dict[str, int] = {}
    for logical, table in _tables(resources).items():
        items: list[str] = []
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            items.extend(json.dumps(_encode_binary(i), sort_keys=True) for i in page.get("Items", []))
        _atomic_write(data_dir / "tables" / f"{logical}.jsonl", sorted(items))
        counts[logical] = len(items)
    for logical, bucket in _buckets(resources).items():
        index_path = data_dir / "buckets" / f"{logical}.jsonl"
        known = {(e["key"], e["etag"]): e for e in _read_lines(index_path)}
        entries: list[str] = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for summary in page.get("Contents", []):
                key, etag = summary["Key"], summary["ETag"].strip('"')
                entry = known.get((key, etag))
                if entry is None or not _blob_path(data_dir, entry["sha256"]).is_file():
                    response = s3.get_object(Bucket=bucket, Key=key)
                    body = response["Body"].read()
                    sha = hashlib.sha256(body).hexdigest()
                    blob = _blob_path(data_dir, sha)
                    if not blob.is_file():
                        blob.parent.mkdir(parents=True, exist_ok=True)
                        blob.write_bytes(body)
                    entry = {
                        "key": key,
                        "etag": etag,
                        "sha256": sha,
                        "content_type": response.get("ContentType"),
                        "metadata": response.get("Metadata") or {},
                    }
                entries.append(json.dumps(entry, sort_keys=True, ensure_ascii=False))
        _atomic_write(index_path, entries)
        counts[logical] = len(entries)
    _atomic_write(data_dir / "state.json", [json.dumps({"version": STATE_VERSION})])
    return counts


def import_state(resources: LocalResources, data_dir: Path) -> dict[str, int]:
    """Load what :func:`export_state` wrote into a freshly provisioned stack.

    Bucket notifications are switched off while the objects go back in: restoring a stored article
    must not look like a new one and start the pipeline again."""
    if not (data_dir / "state.json").is_file():
        return {}
    dynamodb = boto3.client("dynamodb")
    s3 = boto3.client("s3")
    counts: dict[str, int] = {}
    for logical, table in _tables(resources).items():
        batch: list[dict[str, Any]] = []
        count = 0
        for item in _read_lines(data_dir / "tables" / f"{logical}.jsonl"):
            batch.append({"PutRequest": {"Item": _decode_binary(item)}})
            count += 1
            if len(batch) == _BATCH:
                _write_batch(dynamodb, table, batch)
                batch = []
        if batch:
            _write_batch(dynamodb, table, batch)
        counts[logical] = count
    for logical, bucket in _buckets(resources).items():
        entries = list(_read_lines(data_dir / "buckets" / f"{logical}.jsonl"))
        if not entries:
            continue
        notifications = s3.get_bucket_notification_configuration(Bucket=bucket)
        notifications.pop("ResponseMetadata", None)
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
        try:
            for entry in entries:
                extra = {"ContentType": entry["content_type"]} if entry.get("content_type") else {}
                s3.put_object(
                    Bucket=bucket,
                    Key=entry["key"],
                    Body=_blob_path(data_dir, entry["sha256"]).read_bytes(),
                    Metadata=entry.get("metadata") or {},
                    **extra,
                )
        finally:
            s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=notifications)
        counts[logical] = len(entries)
    return counts


def _write_batch(dynamodb: Any, table: str, requests: list[dict[str, Any]]) -> None:
    pending: dict[str, list[dict[str, Any]]] = {table: requests}
    while pending:
        pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
