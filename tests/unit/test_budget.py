"""Time budgets: a limit really stops pure-Python work, cleans up after itself, nests, and shares fairly."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from newsdigest import budget
from newsdigest.aws.events import BudgetedBatchProcessor, process_s3_message
from newsdigest.errors import BudgetExceeded


def spin() -> None:
    """Pure-Python work that never ends on its own (what a quadratic pass on a hostile page does)."""
    n = 0
    while True:
        n += 1


@pytest.fixture
def foreign_alarm() -> Iterator[list[int]]:
    """A SIGALRM handler and a 100 s timer of someone else's, as pytest-timeout sets one."""
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    saved = signal.setitimer(signal.ITIMER_REAL, 100.0)
    yield fired
    signal.setitimer(signal.ITIMER_REAL, *saved)
    signal.signal(signal.SIGALRM, previous)


def test_a_limit_interrupts_pure_python_work_and_restores_the_timer_it_found(
    foreign_alarm: list[int],
) -> None:
    handler = signal.getsignal(signal.SIGALRM)
    with pytest.raises(BudgetExceeded) as info, budget.time_limit(0.2):
        spin()
    assert info.value.reason == "budget" and info.value.permanent
    assert signal.getsignal(signal.SIGALRM) is handler  # the previous handler is back
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    assert 50 < left <= 100  # and the previous timer is running again, not lost or restarted
    assert budget.remaining() is None and foreign_alarm == []


def test_an_interrupt_that_was_swallowed_comes_again() -> None:
    """Python drops an exception raised in a gc callback or a finaliser; the work must still stop."""
    swallowed = []
    with pytest.raises(BudgetExceeded), budget.time_limit(0.1):
        try:
            spin()
        except BudgetExceeded as exc:  # what a finaliser running at that moment does with it
            swallowed.append(exc)
        spin()
    assert len(swallowed) == 1


def test_a_limit_interrupts_a_blocking_sleep() -> None:
    with pytest.raises(BudgetExceeded), budget.time_limit(0.1):
        time.sleep(60)


def test_work_that_ends_in_time_leaves_nothing_armed() -> None:
    before = signal.getsignal(signal.SIGALRM)
    for _ in range(200):
        with budget.time_limit(30):
            sum(range(100))
    assert signal.getsignal(signal.SIGALRM) is before
    assert budget.remaining() is None


def test_an_inner_limit_ends_its_block_and_the_outer_one_still_holds() -> None:
    with budget.time_limit(30, what="record"):
        with pytest.raises(BudgetExceeded, match="object"), budget.time_limit(0.1, what="object"):
            spin()
        left = budget.remaining()
        assert left is not None and 20 < left <= 30
    # An inner limit never outlives its outer one.
    with (
        pytest.raises(BudgetExceeded, match="record"),
        budget.time_limit(0.1, what="record"),
        budget.time_limit(60, what="object"),
    ):
        spin()


def test_a_foreign_alarm_due_during_a_limit_still_reaches_its_handler(foreign_alarm: list[int]) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0.1)
    with budget.time_limit(30):
        deadline = time.monotonic() + 30
        while not foreign_alarm and time.monotonic() < deadline:
            time.sleep(0.01)
    assert foreign_alarm == [signal.SIGALRM]


def test_no_time_left_raises_at_once() -> None:
    with pytest.raises(BudgetExceeded), budget.time_limit(0):
        pytest.fail("the block must not run")


def test_other_threads_get_the_cooperative_check() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with budget.time_limit(0.05):
                time.sleep(0.1)
                budget.check("extract")
        except BudgetExceeded as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=30)
    assert outcome and "during extract" in outcome[0]


def test_shares_split_what_is_left_evenly_and_grow_as_records_finish_early() -> None:
    clock = {"left": 60.0}
    shares = budget.Shares(lambda: clock["left"], 10)
    assert shares.reserve == 5.0
    assert shares.next() == pytest.approx(5.5)
    clock["left"] = 59.0  # the first record took one second
    assert shares.next() == pytest.approx(54 / 9)
    clock["left"] = 3.0  # the others ran long: no share goes below the floor
    assert shares.next() == budget.MIN_RECORD_SECONDS


def test_the_template_gives_every_record_of_a_full_batch_more_than_the_floor() -> None:
    from newsdigest.local.template import load_template

    template = load_template(Path(__file__).resolve().parents[2] / "template.yaml")
    timeout = template["Globals"]["Function"]["Timeout"]
    for resource in template["Resources"].values():
        for source in (resource.get("Properties", {}).get("Events") or {}).values():
            if source.get("Type") == "SQS":
                batch = source["Properties"].get("BatchSize", 10)
                shares = budget.Shares(lambda: float(timeout), batch)
                assert (timeout - shares.reserve) / batch > budget.MIN_RECORD_SECONDS


# ---------------------------------------------------------------------------------- a whole batch


class Context:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def get_remaining_time_in_millis(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)


def _record(key: str) -> dict[str, Any]:
    body = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": "raw"}, "object": {"key": key, "eTag": "e"}},
            }
        ]
    }
    return {"messageId": key, "body": json.dumps(body), "attributes": {"ApproximateReceiveCount": "1"}}


def test_a_record_past_its_share_ends_as_a_budget_item_and_the_rest_of_the_batch_completes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(budget, "MIN_RECORD_SECONDS", 0.1)
    recorded: list[tuple[str, str]] = []

    def handle(ref: dict[str, str]) -> dict[str, Any]:
        if ref["key"] == "hostile":
            spin()
        return {"status": "stored"}

    def record_failure(bucket: str, key: str, exc: BaseException, reason: str) -> dict[str, Any]:
        recorded.append((key, reason))
        return {"status": "failed", "reason": reason}

    def record_handler(record: SQSRecord) -> list[dict[str, Any]]:
        return process_s3_message(record, handle, record_failure, max_receive_count=3)

    processor = BudgetedBatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    event = {"Records": [_record(k) for k in ("a", "hostile", "b", "c")]}
    reply = process_partial_response(event, record_handler, processor, Context(2.0))
    assert reply == {"batchItemFailures": []}  # nothing redelivered: the hostile record has its item
    assert recorded == [("hostile", "budget")]
    assert len(processor.success_messages) == 4
