"""Feed sources into a pipeline and collect the items: embedded/local (moto) or a deployed stack."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from newsdigest.aws.storage import Storage
from newsdigest.local.runtime import LocalRuntime
from newsdigest.pipeline.inputs import SOURCE_URL_METADATA, Source
from newsdigest.pipeline.url_requests import MAX_URLS_PER_REQUEST
from newsdigest.summarisation.options import SummaryOptions

FINAL_STATUSES = {"ok", "failed"}


@dataclass(frozen=True, slots=True)
class Submission:
    source: str  # what the user named: a URL or a file path
    article_id: str
    error: str | None = None  # set when the source could not even be submitted


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def upload_key(path: Path, body: bytes) -> str:
    """Content-addressed, so uploading the same file twice names the same object (and the same item)."""
    return f"uploads/{hashlib.sha256(body).hexdigest()[:16]}/{path.name}"


class _Base:
    table: str
    raw_bucket: str
    storage: Storage

    def submit(
        self, sources: Iterable[str], *, page_url: str | None = None, summary: SummaryOptions | None = None
    ) -> list[Submission]:
        """Upload files to the raw bucket and send URLs to the ingest function; ``summary`` options
        go with each (object metadata for uploads, ``"summary"`` in the URL request)."""
        submissions: list[Submission] = []
        options = summary.to_dict() if summary else {}
        urls: list[str] = []
        for source in sources:
            if is_url(source):
                urls.append(source)
                # A URL that does not parse still goes in: Ingest records it as a bad_url item.
                submissions.append(Submission(source, Source.for_request(source).article_id))
                continue
            path = Path(source)
            try:
                body = path.read_bytes()
            except OSError as exc:
                submissions.append(Submission(source, "", error=f"cannot read {path}: {exc.strerror or exc}"))
                continue
            key = upload_key(path, body)
            metadata = {SOURCE_URL_METADATA: page_url} if page_url else {}
            if summary:
                metadata.update(summary.to_metadata())
            self.storage.s3.put_object(
                Bucket=self.raw_bucket, Key=key, Body=body, ContentType="text/html", Metadata=metadata
            )
            try:
                source_ref = Source.from_s3(self.raw_bucket, key, page_url=page_url)
            except ValueError:  # Ingest fails the upload itself (bad_url), on the upload's own id
                source_ref = Source.from_s3(self.raw_bucket, key)
            submissions.append(Submission(source, source_ref.article_id))
        for start in range(0, len(urls), MAX_URLS_PER_REQUEST):
            request: dict[str, Any] = {"urls": urls[start : start + MAX_URLS_PER_REQUEST]}
            if options:
                request["summary"] = options
            self.submit_request(request)
        return submissions

    def submit_request(self, request: dict[str, Any]) -> None:
        raise NotImplementedError

    def __init__(self) -> None:
        #: Final items are remembered, so polling a large batch asks only about what is still open.
        self._final: dict[str, dict[str, Any]] = {}

    def _final_item(self, article_id: str) -> dict[str, Any] | None:
        if article_id not in self._final:
            item = self.storage.get_item(self.table, article_id)
            if not item or item.get("status") not in FINAL_STATUSES:
                return None
            self._final[article_id] = item
        return self._final[article_id]

    def items(self, submissions: list[Submission]) -> dict[str, dict[str, Any]]:
        found = {}
        for sub in submissions:
            if sub.article_id and sub.article_id not in found:
                item = self._final_item(sub.article_id)
                if item is not None:
                    found[sub.article_id] = item
        return found

    def settled(self, submissions: list[Submission]) -> bool:
        # Stops at the first open input: one lookup per poll while the batch is still moving.
        return all(self._final_item(s.article_id) is not None for s in submissions if s.article_id)

    def settled_count(self, submissions: list[Submission]) -> int:
        """How many inputs have their final item (one lookup per input still open)."""
        return sum(self._final_item(s.article_id) is not None for s in submissions if s.article_id)


class LocalPipeline(_Base):
    """The template's resources on a local endpoint, with the real handlers run in this process."""

    def __init__(self, runtime: LocalRuntime) -> None:
        super().__init__()
        self.runtime = runtime
        outputs = runtime.resources.outputs
        self.table = outputs["TableName"]
        self.raw_bucket = outputs["RawBucketName"]
        self.ingest_function = next(
            lid
            for lid, spec in runtime.resources.functions.items()
            if spec.name == outputs["IngestFunctionName"]
        )
        self.storage = Storage()

    def submit_request(self, request: dict[str, Any]) -> None:
        self.runtime.invoke(self.ingest_function, request)

    def wait(
        self, submissions: list[Submission], timeout: float, on_poll: Callable[[], None] | None = None
    ) -> bool:
        def done() -> bool:
            if on_poll is not None:
                on_poll()
            return self.settled(submissions)

        return self.runtime.pump_until(done, timeout=timeout)


class StackPipeline(_Base):
    """A deployed stack: upload to its raw bucket or invoke its ingest function, then poll the table."""

    def __init__(self, outputs: Mapping[str, str]) -> None:
        super().__init__()
        self.table = outputs["TableName"]
        self.raw_bucket = outputs["RawBucketName"]
        self.ingest_function = outputs["IngestFunctionName"]
        self.storage = Storage()
        self._lambda = boto3.client("lambda")

    def submit_request(self, request: dict[str, Any]) -> None:
        self._lambda.invoke(FunctionName=self.ingest_function, Payload=json.dumps(request).encode("utf-8"))

    def wait(
        self, submissions: list[Submission], timeout: float, on_poll: Callable[[], None] | None = None
    ) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if on_poll is not None:
                on_poll()
            if self.settled(submissions):
                return True
            time.sleep(2)
        return self.settled(submissions)
