"""`newsdigest reprocess --failed`: the sources of failed items through the pipeline again.

URLs are fetched again (a direct invoke of Ingest); uploads are re-read from the raw bucket and
articles that failed in Summarise are summarised again, both by re-triggering their stored object so
the deployed path (S3 -> SQS -> function) runs. Ids derive from the source, so a reprocessed input
lands on its own item: repeating the command touches only what is still failed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.common import print_json
from newsdigest.cli.exits import UsageError
from newsdigest.cli.target import add_target_arguments, note

_DURATION = re.compile(r"^(\d+)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
#: How often a deployed stack's items are polled for their new state.
POLL_SECONDS = 2.0
IDEMPOTENCY_NOTE = (
    "an upload whose failure was permanent is not redone within 24 h of it while its bytes are the same "
    "(Ingest's idempotency record); upload it again changed, or wait"
)


def since_time(text: str | None, *, now: datetime | None = None) -> str | None:
    """``--since``: an ISO 8601 date or time, or a duration back from now (30m, 6h, 2d), as the items'
    ``updated_at`` format (UTC, seconds, Z)."""
    if not text:
        return None
    now = now or datetime.now(UTC)
    match = _DURATION.match(text.strip())
    if match:
        moment = now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    else:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(
                f"--since {text!r}: give an ISO 8601 time (2026-05-11T08:00Z) or 30m, 6h, 2d"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def plan(item: dict[str, Any], outputs: Any) -> tuple[str, str, str] | None:
    """(how, where, what) to resubmit an item's source: ``url``, or ``object`` with bucket and key."""
    if item.get("stage") == "summarise" and item.get("source_key"):
        return ("object", outputs["ArticlesBucketName"], str(item["source_key"]))
    if item.get("raw_key"):
        return ("object", outputs["RawBucketName"], str(item["raw_key"]))
    url = item.get("url") or item.get("source_ref")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return ("url", "", url)
    return None


def cmd_reprocess(args: argparse.Namespace, out: TextIO) -> int:
    from botocore.exceptions import ClientError

    from newsdigest.aws.maintenance import failed_items, retrigger
    from newsdigest.cli.redrive import process_local_queues
    from newsdigest.cli.target import open_target
    from newsdigest.local.drivers import LocalPipeline, StackPipeline
    from newsdigest.pipeline.records import utc_now
    from newsdigest.pipeline.url_requests import MAX_URLS_PER_REQUEST

    if not args.failed:
        raise UsageError("say what to reprocess: --failed (the sources of failed items)")
    since = since_time(args.since)
    status = exits.OK
    with open_target(args) as target:
        items = list(failed_items(target.storage, target.table, since=since, stage=args.stage))
        if not items:
            note("no failed items" + (f" since {since}" if since else ""))
            return exits.OK
        started = utc_now()
        local = target.resources is not None
        if local:
            from newsdigest.cli.run import local_runtime

            pipeline: Any = LocalPipeline(
                local_runtime(target.resources, allow_private_addresses=args.allow_private_addresses)
            )
        else:
            pipeline = StackPipeline(target.outputs)
        urls: list[str] = []
        waiting: list[str] = []
        for item in items:
            how = plan(item, target.outputs)
            if how is None:
                print(f"newsdigest: SKIPPED {item['article_id']}: no source to resubmit", file=sys.stderr)
                status = exits.INPUT_FAILED
                continue
            kind, bucket, ref = how
            if kind == "url":
                urls.append(ref)
            else:
                try:
                    retrigger(target.storage, bucket, ref, when=started)
                except ClientError as exc:
                    print(
                        f"newsdigest: FAILED {item['article_id']}: s3://{bucket}/{ref}: {exc}",
                        file=sys.stderr,
                    )
                    status = exits.INPUT_FAILED
                    continue
            waiting.append(item["article_id"])
        note(f"resubmitted {len(waiting)} of {len(items)} failed inputs ({len(urls)} URLs)")
        target.changed = True
        for start in range(0, len(urls), MAX_URLS_PER_REQUEST):
            pipeline.submit_urls(urls[start : start + MAX_URLS_PER_REQUEST])
        if local and not process_local_queues(target, timeout=args.timeout):
            status = exits.INFRASTRUCTURE
        results = _await(target, waiting, started, timeout=0 if local else args.timeout)
        for article_id in waiting:
            result = results.get(article_id)
            if result is None and local:
                # The queues are empty, so the input was handled and its item left as it was: Ingest's
                # idempotency record of the same upload (same ETag) answered for it.
                print(f"newsdigest: {article_id}: unchanged: {IDEMPOTENCY_NOTE}", file=sys.stderr)
                status = max(status, exits.INPUT_FAILED)
                continue
            if result is None:
                print(f"newsdigest: {article_id}: no new result within {args.timeout:.0f}s", file=sys.stderr)
                status = exits.INFRASTRUCTURE
                continue
            print_json(result, out)
            if result.get("status") != "ok" and status == exits.OK:
                status = exits.INPUT_FAILED
    return status


def _await(target: Any, article_ids: list[str], started: str, *, timeout: float) -> dict[str, dict[str, Any]]:
    """The items updated since ``started`` (a re-run that was skipped as a duplicate updates nothing)."""
    deadline = time.monotonic() + timeout
    found: dict[str, dict[str, Any]] = {}
    while True:
        for article_id in article_ids:
            if article_id not in found:
                item = target.storage.get_item(target.table, article_id)
                if item and str(item.get("updated_at", "")) >= started:
                    found[article_id] = item
        if len(found) == len(article_ids) or time.monotonic() >= deadline:
            return found
        time.sleep(POLL_SECONDS)


def register(sub: Any) -> None:
    cmd = sub.add_parser("reprocess", help="send the sources of failed items through the pipeline again")
    cmd.add_argument("--failed", action="store_true", help="the failed items (required: what to reprocess)")
    cmd.add_argument(
        "--since", metavar="T", help="only items that failed since T: ISO 8601 time, or 30m, 6h, 2d"
    )
    cmd.add_argument(
        "--stage", help="only items that failed at this stage (fetch, read, extract, summarise, ingest)"
    )
    cmd.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the new results")
    cmd.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="let the local fetcher reach loopback/private hosts (local testing only)",
    )
    add_target_arguments(cmd)
    cmd.set_defaults(func=cmd_reprocess)
