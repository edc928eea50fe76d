"""template.yaml's observability: log groups with retention, the alarms beside each function and queue,
and one dashboard that covers them all. Holds for functions added later too."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from newsdigest.local.template import load_template

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(TEMPLATE)


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _alarms(template: dict[str, Any], metric: str) -> list[dict[str, Any]]:
    return [
        a["Properties"]
        for a in _of_type(template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == metric
    ]


def _alarmed(alarms: list[dict[str, Any]], dimension: str) -> set[str]:
    """Logical ids the alarms watch through ``dimension`` (Ref X or GetAtt X.QueueName)."""
    watched = set()
    for alarm in alarms:
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        assert alarm["TreatMissingData"] == "notBreaching"
        for dim in alarm["Dimensions"]:
            if dim["Name"] == dimension:
                value = dim["Value"]
                watched.add(value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0])
    return watched


def test_every_function_logs_as_json_to_its_own_log_group_with_retention(template: dict[str, Any]) -> None:
    config = template["Globals"]["Function"]["LoggingConfig"]
    assert config["LogFormat"] == "JSON"
    # The system log level keeps each invocation's REPORT line (billed duration, memory used).
    assert config["SystemLogLevel"] in {"INFO", "DEBUG"}
    levels = template["Mappings"]["LambdaLogLevel"]
    assert set(levels) == set(template["Parameters"]["LogLevel"]["AllowedValues"])
    groups = _of_type(template, "AWS::Logs::LogGroup")
    for name, function in _of_type(template, "AWS::Serverless::Function").items():
        group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert group in groups, name
        assert groups[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
    for group in groups.values():
        assert "RetentionInDays" in group["Properties"]


def test_alarms_on_errors_throttles_queue_age_and_dead_letters(template: dict[str, Any]) -> None:
    functions = set(_of_type(template, "AWS::Serverless::Function"))
    assert _alarmed(_alarms(template, "Errors"), "FunctionName") == functions
    assert _alarmed(_alarms(template, "Throttles"), "FunctionName") == functions
    queues = _of_type(template, "AWS::SQS::Queue")
    work = {k for k, q in queues.items() if "RedrivePolicy" in q["Properties"]}
    dead = {q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0] for q in queues.values()
            if "RedrivePolicy" in q["Properties"]}  # fmt: skip
    assert work and dead
    age = _alarms(template, "ApproximateAgeOfOldestMessage")
    assert _alarmed(age, "QueueName") == work
    assert all(a["Threshold"] == {"Ref": "QueueAgeAlarmSeconds"} for a in age)
    assert dead <= _alarmed(_alarms(template, "ApproximateNumberOfMessagesVisible"), "QueueName")


def test_one_dashboard_covers_every_function_queue_and_our_metrics(template: dict[str, Any]) -> None:
    dashboards = _of_type(template, "AWS::CloudWatch::Dashboard")
    assert len(dashboards) == 1
    body_template = next(iter(dashboards.values()))["Properties"]["DashboardBody"]["Fn::Sub"]
    referenced = set(re.findall(r"\$\{([^}]+)\}", body_template))
    body = json.loads(re.sub(r"\$\{[^}]+\}", "1", body_template))  # valid JSON once substituted
    assert body["widgets"]
    for name in _of_type(template, "AWS::Serverless::Function"):
        assert name in referenced, name
    for name in _of_type(template, "AWS::SQS::Queue"):
        assert f"{name}.QueueName" in referenced, name
    for group in _of_type(template, "AWS::Logs::LogGroup"):
        if group != "ApiAccessLogs":
            assert group in referenced, group
    for metric in ("Failures", "ColdStart", "ArticlesStored", "SummariesStored"):
        assert metric in body_template, metric
    # Our metrics under the namespace the functions publish to, failures by the dimensions they get.
    namespace = template["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"]
    rows = [row for w in body["widgets"] for row in w["properties"].get("metrics", [])]
    assert [namespace, "ArticlesStored"] in [row[:2] for row in rows]
    assert f"{{{namespace},reason,service,stage}}" in body_template


def test_every_handler_counts_cold_starts_and_sets_a_correlation_id(template: dict[str, Any]) -> None:
    root = TEMPLATE.parent
    for name, function in _of_type(template, "AWS::Serverless::Function").items():
        source = (root / function["Properties"]["CodeUri"] / "app.py").read_text(encoding="utf-8")
        assert "@metrics.log_metrics(capture_cold_start_metric=True)" in source, name
        assert "logger.set_correlation_id(request_correlation_id(event, context))" in source, name
