"""The redrive's calls to SQS's message-move API, checked against botocore's model of the real service
(Stubber validates every request and response shape). moto 5.2.5 does not implement this API, so the
end-to-end test on moto (tests/integration/test_operations.py) exercises the local move instead."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from newsdigest.aws.redrive import start_redrive, wait_for

REGION = "us-east-1"
DLQ_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/stack-IngestDeadLetterQueue"
DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:stack-IngestDeadLetterQueue"
WORK_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/stack-IngestQueue"
WORK_ARN = "arn:aws:sqs:us-east-1:123456789012:stack-IngestQueue"


@pytest.fixture
def sqs() -> boto3.client:
    return boto3.client(
        "sqs", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x", aws_session_token="x"
    )


def _prelude(stub: Stubber, waiting: int) -> None:
    stub.add_response(
        "get_queue_attributes",
        {"Attributes": {"QueueArn": DLQ_ARN}},
        {"QueueUrl": DLQ_URL, "AttributeNames": ["QueueArn"]},
    )
    stub.add_response("list_dead_letter_source_queues", {"queueUrls": [WORK_URL]}, {"QueueUrl": DLQ_URL})
    stub.add_response(
        "get_queue_attributes",
        {"Attributes": {"QueueArn": WORK_ARN}},
        {"QueueUrl": WORK_URL, "AttributeNames": ["QueueArn"]},
    )
    stub.add_response(
        "get_queue_attributes",
        {"Attributes": {"ApproximateNumberOfMessages": str(waiting)}},
        {"QueueUrl": DLQ_URL, "AttributeNames": ["ApproximateNumberOfMessages"]},
    )


def test_starts_a_move_task_to_the_work_queue_and_reports_it_until_done(sqs: boto3.client) -> None:
    with Stubber(sqs) as stub:
        _prelude(stub, waiting=3)
        stub.add_response(
            "start_message_move_task",
            {"TaskHandle": "handle-1"},
            {"SourceArn": DLQ_ARN, "DestinationArn": WORK_ARN, "MaxNumberOfMessagesPerSecond": 5},
        )
        report = start_redrive(sqs, DLQ_URL, rate=5)
        assert (report.mode, report.status, report.task_handle) == ("sqs-move-task", "RUNNING", "handle-1")
        assert report.messages_at_start == 3
        for status, moved in (("RUNNING", 1), ("COMPLETED", 3)):
            stub.add_response(
                "list_message_move_tasks",
                {
                    "Results": [
                        {
                            "TaskHandle": "handle-1",
                            "Status": status,
                            "SourceArn": DLQ_ARN,
                            "DestinationArn": WORK_ARN,
                            "ApproximateNumberOfMessagesMoved": moved,
                            "ApproximateNumberOfMessagesToMove": 3,
                            "StartedTimestamp": 1,
                        }
                    ]
                },
                {"SourceArn": DLQ_ARN, "MaxResults": 1},
            )
        done = wait_for(sqs, report, timeout=30, poll=0)
        assert (done.status, done.moved) == ("COMPLETED", 3)
        stub.assert_no_pending_responses()


def test_a_task_already_running_is_reported_not_duplicated(sqs: boto3.client) -> None:
    with Stubber(sqs) as stub:
        _prelude(stub, waiting=7)
        stub.add_client_error(
            "start_message_move_task",
            service_error_code="AWS.SimpleQueueService.UnsupportedOperation",
            service_message="There is already a task running.",
            http_status_code=400,
            expected_params={"SourceArn": DLQ_ARN, "DestinationArn": WORK_ARN},
        )
        stub.add_response(
            "list_message_move_tasks",
            {
                "Results": [
                    {
                        "TaskHandle": "h0",
                        "Status": "RUNNING",
                        "SourceArn": DLQ_ARN,
                        "ApproximateNumberOfMessagesMoved": 2,
                    }
                ]
            },
            {"SourceArn": DLQ_ARN, "MaxResults": 1},
        )
        report = start_redrive(sqs, DLQ_URL)
        assert report.already_running and (report.task_handle, report.moved) == ("h0", 2)


def test_an_empty_dead_letter_queue_starts_nothing(sqs: boto3.client) -> None:
    with Stubber(sqs) as stub:
        _prelude(stub, waiting=0)
        report = start_redrive(sqs, DLQ_URL)
        stub.assert_no_pending_responses()  # no StartMessageMoveTask call
    assert (report.mode, report.status, report.moved) == ("none", "EMPTY", 0)


def test_a_deployed_stack_never_falls_back_to_moving_by_hand(sqs: boto3.client) -> None:
    with Stubber(sqs) as stub:
        _prelude(stub, waiting=1)
        stub.add_client_error(
            "start_message_move_task", service_error_code="InternalError", http_status_code=500
        )
        with pytest.raises(ClientError):
            start_redrive(sqs, DLQ_URL, local_endpoint=False)
