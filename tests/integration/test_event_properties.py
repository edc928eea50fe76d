"""Whatever event arrives, through every door (SQS, S3, direct invoke, HTTP API), the handlers either
answer or raise one of the project's own errors: never a KeyError, TypeError or AttributeError from
reading a shape they did not expect.

The real handlers on a moto server, in-process. Fetching is refused for private addresses, and the
URLs drawn are shapes that never reach the network (no public host names or addresses)."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsdigest.errors import BudgetExceeded, NewsdigestError
from newsdigest.local.runtime import LocalRuntime
from newsdigest.local.stack import LocalResources

from .conftest import load_event

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
urls = st.one_of(
    st.sampled_from(
        [
            "http://[",
            "http://[::1:80/",
            "//[x]y/",
            "https://127.0.0.1/x",
            "http://10.0.0.1/",
            "http://[::1]/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://169.254.169.254/latest/meta-data/",
            "http://0x7f.1/",
            "https://news.example:99999/",
            "http://\ud800/",
            "",
            " ",
            "http://" + "a" * 5000,
        ]
    ),
    st.text(max_size=40),
)


def s3_record(bucket: Any, key: Any, event_name: Any = "ObjectCreated:Put") -> dict[str, Any]:
    return {
        "eventSource": "aws:s3",
        "eventName": event_name,
        "s3": {"bucket": {"name": bucket}, "object": {"key": key, "eTag": "e", "size": 1}},
    }


names = st.one_of(
    st.sampled_from(["newsdigest-local-rawbucket", "newsdigest-local-articlesbucket", "gone"]),
    st.text(max_size=12),
)
keys = st.one_of(
    st.sampled_from(["uploads/a.html", "articles/x.json", "a%2Bb+c.html", "%", ""]), st.text(max_size=30)
)
s3_records = st.builds(s3_record, names, keys, st.one_of(st.just("ObjectCreated:Put"), st.text(max_size=20)))
s3_payloads = st.one_of(
    st.builds(lambda records: {"Records": records}, st.lists(s3_records, max_size=3)),
    st.just({"Event": "s3:TestEvent"}),
    json_values,
)
bodies = st.one_of(
    s3_payloads.map(json.dumps),
    st.builds(
        lambda url, pace: json.dumps({"url": url, "not_before": pace, "interval": pace}), urls, scalars
    ),
    st.text(max_size=60),
)


def sqs_record(body: Any, message_id: Any, count: Any) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "receiptHandle": "r",
        "body": body,
        "attributes": {"ApproximateReceiveCount": count},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
        "awsRegion": "us-east-1",
    }


sqs_records = st.builds(
    sqs_record,
    st.one_of(bodies, scalars),
    st.one_of(st.uuids().map(str), scalars),
    st.one_of(st.sampled_from(["1", "3", "x"]), scalars),
)
sqs_events = st.builds(
    lambda first, rest: {"Records": [first, *rest]},
    sqs_records,
    st.lists(st.one_of(sqs_records, json_values), max_size=2),
)
s3_events = st.builds(lambda records: {"Records": records}, st.lists(s3_records, min_size=1, max_size=2))
direct_events = st.one_of(
    json_values,
    st.builds(lambda u: {"urls": u}, st.one_of(st.lists(urls, max_size=3), json_values)),
)


def http_event(body: Any, base64: Any, method: Any, path: Any) -> dict[str, Any]:
    event = copy.deepcopy(load_event("api-post-articles.json"))
    event["body"] = body
    event["isBase64Encoded"] = base64
    event["requestContext"]["http"]["method"] = method
    event["rawPath"] = path
    return event


http_events = st.builds(
    http_event,
    st.one_of(
        st.builds(lambda u: json.dumps({"urls": u}), st.lists(urls, max_size=3)),
        st.text(max_size=40),
        scalars,
    ),
    st.one_of(st.booleans(), scalars),
    st.sampled_from(["POST", "GET", "PUT", ""]),
    st.sampled_from(["/articles", "/", "/articles/x", ""]),
)


@pytest.fixture(scope="module")
def closed_runtime(resources_module: LocalResources) -> LocalRuntime:
    return LocalRuntime(resources_module, extra_env={"FETCH_ALLOW_PRIVATE_ADDRESSES": "false"})


@pytest.fixture(scope="module")
def resources_module(moto_endpoint: str) -> Any:
    import os

    from newsdigest.local.stack import local_aws_environment, provision

    from .conftest import ROOT, _reset

    saved = dict(os.environ)
    with local_aws_environment(moto_endpoint):
        os.environ.update({"POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true"})
        os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
        _reset(moto_endpoint)
        yield provision(ROOT / "template.yaml", name="newsdigest-local")
    os.environ.clear()
    os.environ.update(saved)


def only_project_errors(runtime: LocalRuntime, function: str, event: Any) -> None:
    with contextlib.suppress(NewsdigestError, BudgetExceeded):
        runtime.invoke(function, event)


@pytest.mark.parametrize("function", ["IngestFunction", "SummariseFunction"])
@PROPERTY
@given(event=st.one_of(sqs_events, s3_events, direct_events, http_events))
def test_no_exception_but_the_projects_own_escapes_a_handler(
    closed_runtime: LocalRuntime, function: str, event: Any
) -> None:
    only_project_errors(closed_runtime, function, event)
