"""At-least-once delivery under injected faults: every input reaches a final state, exactly once.

The handlers (and the runtime's SQS poller) talk to moto through a fault-injecting proxy; assertions
read moto directly. "Writes" are counted from the proxy's log of what moto actually applied, so a
retried call whose first response was lost is caught as a second write.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

import pytest

from .conftest import Stack
from .proxy import FaultPlan, Request, Rule, updated_fields
from .support import dead_letter_ids, drain, pages, upload

INGEST_STAGE_REASONS = {"empty", "binary", "not_article", "no_text", "too_short"}


def ok_writes(stack: Stack) -> Counter[str]:
    """Successful summary writes DynamoDB really applied (moto answered 200), per article_id."""
    table = stack.outputs["TableName"]
    counts: Counter[str] = Counter()
    for entry in stack.proxy.entries(service="dynamodb", operation="UpdateItem"):
        ok = updated_fields(entry.request).get("status") == "ok"
        if entry.request.resource == table and entry.status == 200 and ok:
            counts[entry.request.key] += 1
    return counts


def writes_after_ok(stack: Stack) -> list[str]:
    """Article ids whose item was written again (by anything) after its successful summary landed."""
    table = stack.outputs["TableName"]
    seen_ok: set[str] = set()
    late: list[str] = []
    for entry in stack.proxy.entries(service="dynamodb", operation="UpdateItem"):
        if entry.request.resource != table or entry.status != 200:
            continue
        if entry.request.key in seen_ok:
            late.append(entry.request.key)
        if updated_fields(entry.request).get("status") == "ok":
            seen_ok.add(entry.request.key)
    return late


def article_puts(stack: Stack, article_id: str) -> int:
    key = f"articles/{article_id}.json"
    return sum(
        1
        for e in stack.proxy.entries(service="s3", operation="PutObject")
        if e.request.resource == stack.articles_bucket and e.request.key == key and e.status == 200
    )


# ------------------------------------------------------------------------------------------ random faults


def test_random_faults_on_every_service_still_bring_every_upload_to_one_final_item(stack: Stack) -> None:
    batch = pages(24, broken_every=6)
    inputs = upload(stack.s3, stack.raw_bucket, batch)
    usable = {aid for aid, (_key, _body, ok) in zip(inputs, batch, strict=True) if ok}
    # How many SQS calls a run makes depends on timing (idle polls), so one fault there is scripted;
    # the rest are drawn per request, never from a generator the threads share.
    first_receive = Rule(lambda r: r.service == "sqs" and r.operation == "ReceiveMessage", times=1)
    stack.proxy.plan = FaultPlan(
        rates={"s3": 0.25, "dynamodb": 0.25, "sqs": 0.1}, rules=[first_receive], seed=6
    )
    assert stack.pump_until_drained(timeout=60), "work queues did not drain within 60 s"
    stack.proxy.plan = FaultPlan()

    injected = stack.proxy.faults_injected()
    for service, least in (("s3", 5), ("dynamodb", 5), ("sqs", 1)):
        assert sum(n for k, n in injected.items() if k.startswith(service)) >= least, injected
    assert sum(n for k, n in injected.items() if k.endswith("lost_response")) >= 5, injected
    assert sum(s.failed_messages for s in stack.stats) >= 1, "no fault ever reached SQS redelivery"

    result, dead = stack.reconcile(inputs)
    assert result.balanced, result.summary()
    assert not result.unaccounted and not result.stray and not result.dead_letter_only
    dead_ids = {i for ids in dead.values() for i in ids}
    for article_id in result.failed:
        item = stack.table.get_item(Key={"article_id": article_id})["Item"]
        if article_id in usable:  # only an exhausted transient failure may stop a good page
            assert str(item["reason"]).startswith("retries_exhausted:"), item
            assert article_id in dead_ids
        else:
            assert item["stage"] == "extract", item
    assert len(result.ok) >= len(usable) - 2, result.summary()  # faults delay; they rarely defeat
    # (Not asserted: that every unusable page fails. The extractor accepts some random binary blobs as
    # windows-1252 "articles"; that is its business, not delivery's.)
    writes = ok_writes(stack)
    assert {a: n for a, n in writes.items() if n != 1} == {}
    assert set(writes) == result.ok
    assert writes_after_ok(stack) == []


def test_poller_keeps_polling_through_sqs_faults_and_a_failed_delete_costs_nothing(stack: Stack) -> None:
    """SQS calls fail: the first receive and the first delete exhaust botocore's three attempts, and a
    third of the rest fail once. The local poller must carry on as Lambda's does; the batch whose
    delete failed is redelivered, and idempotency makes that a no-op."""
    inputs = upload(stack.s3, stack.raw_bucket, pages(6))
    receive = Rule(lambda r: r.operation == "ReceiveMessage", kind="error", times=3)
    delete = Rule(lambda r: r.operation == "DeleteMessageBatch", kind="error", times=3)
    stack.proxy.plan = FaultPlan(
        rates={"sqs": 0.3}, kinds=("error", "drop"), rules=[receive, delete], seed=11
    )
    assert stack.pump_until_drained(timeout=40)
    stack.proxy.plan = FaultPlan()
    assert receive.hits == 3 and delete.hits == 3
    assert sum(s.messages for s in stack.stats) > 2 * len(inputs)  # the undeleted batch came back
    result, dead = stack.reconcile(inputs)
    assert result.ok == set(inputs), result.summary()
    assert dead == {"IngestDeadLetterQueue": [], "SummariseDeadLetterQueue": []}
    assert {a: n for a, n in ok_writes(stack).items() if n != 1} == {}
    assert all(article_puts(stack, a) == 1 for a in inputs)


# ------------------------------------------------------------------------------------------ scripted faults


def _first_per_key(operation: str, resource: str) -> Any:
    seen: set[str] = set()

    def match(request: Request) -> bool:
        if request.operation != operation or request.resource != resource or request.key in seen:
            return False
        seen.add(request.key)
        return True

    return match


def test_lost_idempotency_lock_response_does_not_strand_a_good_page(stack: Stack) -> None:
    """The in-progress record is written but its response is lost: botocore's retry then finds the
    caller's own lock ("already in progress"). Redelivery must get past it, not dead-letter the page.
    (Only ingest keeps an idempotency store; summarise's guard is its conditional item write.)"""
    batch = pages(3)
    inputs = upload(stack.s3, stack.raw_bucket, batch)
    idempotency_table = stack.resources.refs["IdempotencyTable"]
    rule = Rule(_first_per_key("PutItem", idempotency_table), kind="lost_response")
    stack.proxy.plan = FaultPlan(rules=[rule])
    assert stack.pump_until_drained(timeout=30)
    assert rule.hits == 3  # the first lock of each page
    assert sum(s.failed_messages for s in stack.stats) >= 3  # each was redelivered
    result, dead = stack.reconcile(inputs)
    assert result.ok == set(inputs), result.summary()
    assert dead == {"IngestDeadLetterQueue": [], "SummariseDeadLetterQueue": []}
    assert all(n == 1 for n in ok_writes(stack).values())


@pytest.mark.parametrize("stage", ["ingest", "summarise"])
def test_poison_record_is_dead_lettered_with_its_reason_and_the_rest_succeed(
    stack: Stack, stage: str
) -> None:
    batch = pages(4)
    inputs = upload(stack.s3, stack.raw_bucket, batch)
    poison_id, poison_key = next(iter(inputs.items()))
    bucket, key = (
        (stack.raw_bucket, poison_key)
        if stage == "ingest"
        else (stack.articles_bucket, f"articles/{poison_id}.json")
    )

    def poison(request: Request) -> bool:
        return request.operation == "GetObject" and request.resource == bucket and request.key == key

    stack.proxy.plan = FaultPlan(rules=[Rule(poison)])
    assert stack.pump_until_drained(timeout=40)

    result, dead = stack.reconcile(inputs)
    assert result.ok == set(inputs) - {poison_id}, result.summary()
    assert result.failed == {poison_id}
    queue = "IngestDeadLetterQueue" if stage == "ingest" else "SummariseDeadLetterQueue"
    other = "SummariseDeadLetterQueue" if stage == "ingest" else "IngestDeadLetterQueue"
    assert dead[queue] == [poison_id]
    assert dead[other] == []
    item = stack.table.get_item(Key={"article_id": poison_id})["Item"]
    assert item["status"] == "failed"
    assert item["stage"] == stage
    assert str(item["reason"]).startswith("retries_exhausted:")
    assert "SlowDown" in item["error"] or "InternalError" in item["error"]
    attempts = [e for e in stack.proxy.entries(service="s3", operation="GetObject") if poison(e.request)]
    # maxReceiveCount deliveries x botocore's attempts per call (retries max_attempts=5 means 5 retries)
    assert len(attempts) == 3 * 6


def test_give_up_item_of_an_upload_naming_its_page_lands_on_that_pages_article(stack: Stack) -> None:
    """An upload with x-amz-meta-source-url is that page's article. When storing it keeps failing, the
    retries_exhausted item must be where a success would go (and where a later success replaces it),
    not on an id derived from the upload's key that no success ever writes."""
    from newsdigest.pipeline.inputs import Source

    key, body, _usable = pages(1)[0]
    page_url = "https://news.example/world/2024/05/grain-harvest"
    metadata = {"source-url": page_url}
    stack.s3.put_object(Bucket=stack.raw_bucket, Key=key, Body=body, Metadata=metadata)
    page_id = Source.from_s3(stack.raw_bucket, key, page_url=page_url).article_id

    def article_put(request: Request) -> bool:
        return request.operation == "PutObject" and request.resource == stack.articles_bucket

    stack.proxy.plan = FaultPlan(rules=[Rule(article_put)])
    assert stack.pump_until_drained(timeout=30)
    items = {i["article_id"]: i for i in stack.items()}
    assert list(items) == [page_id]
    assert str(items[page_id]["reason"]).startswith("retries_exhausted:")
    assert items[page_id]["url"] == page_url
    assert dead_letter_ids(drain(stack.sqs, stack.queue("IngestDeadLetterQueue"))) == [
        Source.from_s3(stack.raw_bucket, key).article_id  # the notification itself names only the key
    ]

    stack.proxy.plan = FaultPlan()  # storage recovers; the page is uploaded again
    stack.s3.put_object(Bucket=stack.raw_bucket, Key=key, Body=body, Metadata=metadata)
    assert stack.pump_until_drained(timeout=30)
    items = {i["article_id"]: i for i in stack.items()}
    assert list(items) == [page_id]
    assert items[page_id]["status"] == "ok"


# ------------------------------------------------------------------------------------------ duplicates


def _records_for(stack: Stack, queue: str, copies: int) -> tuple[str, list[dict[str, Any]]]:
    """The one notification waiting on ``queue``, as ``copies`` SQS records with distinct message ids."""
    waiting = [m for m in drain(stack.sqs, stack.queue(queue)) if "s3:TestEvent" not in m["Body"]]
    assert len(waiting) == 1, waiting
    arn = stack.resources.attributes[(queue, "Arn")]
    records = []
    for i in range(copies):
        message = copy.deepcopy(waiting[0])
        message["MessageId"] = f"duplicate-{i}"
        message["Attributes"]["ApproximateReceiveCount"] = "1"
        records.append(stack.runtime._record(message, arn))
    return waiting[0]["ReceiptHandle"], records


def _invoke_concurrently(stack: Stack, function: str, records: list[dict[str, Any]]) -> list[Any]:
    """One fresh execution environment per copy, all released at once, as parallel Lambda invocations."""
    runtimes = [stack.new_runtime() for _ in records]
    barrier = threading.Barrier(len(records))
    replies: list[Any] = [None] * len(records)

    def run(index: int) -> None:
        barrier.wait(timeout=10)
        try:
            replies[index] = runtimes[index].invoke(function, {"Records": [records[index]]})
        except Exception as exc:  # reported, and asserted on below
            replies[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(records))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert not [r for r in replies if isinstance(r, Exception)], replies
    # What SQS would redeliver: records reported failed (typically "already in progress").
    retry = [
        records[i]
        for i, reply in enumerate(replies)
        if any(f["itemIdentifier"] == records[i]["messageId"] for f in reply["batchItemFailures"])
    ]
    for record in retry:
        again = stack.runtime.invoke(function, {"Records": [record]})
        assert again == {"batchItemFailures": []}
    return replies


def test_concurrent_duplicate_notifications_make_one_article_one_item_one_write(stack: Stack) -> None:
    inputs = upload(stack.s3, stack.raw_bucket, pages(1))
    article_id = next(iter(inputs))

    _, records = _records_for(stack, "IngestQueue", 6)
    _invoke_concurrently(stack, "IngestFunction", records)
    assert article_puts(stack, article_id) == 1

    _, records = _records_for(stack, "SummariseQueue", 6)  # the single notification of that one put
    _invoke_concurrently(stack, "SummariseFunction", records)
    items = stack.items()
    assert [(i["article_id"], i["status"]) for i in items] == [(article_id, "ok")]
    assert ok_writes(stack) == Counter({article_id: 1})
    assert writes_after_ok(stack) == []


def test_duplicate_messages_on_the_queue_make_no_second_write(stack: Stack) -> None:
    inputs = upload(stack.s3, stack.raw_bucket, pages(1))
    article_id = next(iter(inputs))
    waiting = drain(stack.sqs, stack.queue("IngestQueue"))
    notification = next(m["Body"] for m in waiting if dead_letter_ids([m]) == [article_id])
    for message in waiting:
        stack.sqs.delete_message(QueueUrl=stack.queue("IngestQueue"), ReceiptHandle=message["ReceiptHandle"])
    for _ in range(5):  # S3 (or a retrying producer) delivering the same event five times
        stack.sqs.send_message(QueueUrl=stack.queue("IngestQueue"), MessageBody=notification)
    assert stack.pump_until_drained(timeout=30)
    assert sum(s.messages for s in stack.stats) >= 6  # five copies at ingest, at least one at summarise
    assert article_puts(stack, article_id) == 1
    items = stack.items()
    assert [(i["article_id"], i["status"]) for i in items] == [(article_id, "ok")]
    assert ok_writes(stack) == Counter({article_id: 1})


# ------------------------------------------------------------------------------------------ crash


def test_process_killed_mid_batch_loses_nothing_and_a_rerun_delivers_the_rest(
    stack: Stack, tmp_path: Any
) -> None:
    import os
    import queue as queue_module
    import signal
    import subprocess
    import sys

    from newsdigest.local.drivers import upload_key
    from newsdigest.pipeline.inputs import Source

    from .conftest import ROOT

    files = []
    for index, (_key, body, _usable) in enumerate(pages(24, broken_every=8)):
        path = tmp_path / f"page-{index:03d}.html"
        path.write_bytes(body)
        files.append(path)
    inputs = {
        Source.from_s3(stack.raw_bucket, upload_key(p, p.read_bytes())).article_id: str(p) for p in files
    }
    usable = {
        Source.from_s3(stack.raw_bucket, upload_key(p, p.read_bytes())).article_id
        for p, (_k, _b, ok) in zip(files, pages(24, broken_every=8), strict=True)
        if ok
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    command = [
        sys.executable,
        str(ROOT / "tests" / "faults" / "pump_driver.py"),
        "--endpoint-url",
        stack.proxy.url,
        *map(str, files),
    ]

    first = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines: queue_module.Queue[str] = queue_module.Queue()

    def read() -> None:
        for line in first.stderr or []:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    summarise_batches = 0
    deadline = time.monotonic() + 45
    try:
        while summarise_batches < 2:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith("START SummariseFunction"):
                summarise_batches += 1
        time.sleep(0.15)  # well inside the batch: the handler is between records
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        reader.join(timeout=5)
    assert first.returncode == -signal.SIGKILL
    in_flight = sum(
        int(
            stack.sqs.get_queue_attributes(
                QueueUrl=stack.queue(q), AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
            )["Attributes"]["ApproximateNumberOfMessagesNotVisible"]
        )
        for q in ("IngestQueue", "SummariseQueue")
    )
    assert in_flight > 0, "the kill did not land mid-batch"
    before = {i["article_id"] for i in stack.items()}
    assert 0 < len(before) < len(inputs), "the kill was not part-way"

    rerun = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=90,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]

    result, dead = stack.reconcile(inputs)
    assert result.balanced, result.summary()
    assert result.ok == usable, result.summary()
    assert result.failed == set(inputs) - usable
    assert dead == {"IngestDeadLetterQueue": [], "SummariseDeadLetterQueue": []}
    assert {a: n for a, n in ok_writes(stack).items() if n != 1} == {}
    for article_id in result.failed:
        item = stack.table.get_item(Key={"article_id": article_id})["Item"]
        assert item["stage"] == "extract"
    documents = {
        PurePosixPath(o["Key"]).stem
        for o in stack.s3.list_objects_v2(Bucket=stack.articles_bucket).get("Contents", [])
    }
    assert documents == usable
