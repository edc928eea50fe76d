"""template.yaml wiring: no function is triggered by what it writes, and the shape the issue asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from newsdigest.local.template import load_template

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(TEMPLATE)


def _bucket_of(resource: Any) -> tuple[str, str] | None:
    """(bucket logical id, key prefix) that an IAM resource expression grants on."""
    if isinstance(resource, dict) and "Fn::Sub" in resource:
        text = resource["Fn::Sub"] if isinstance(resource["Fn::Sub"], str) else resource["Fn::Sub"][0]
        if text.startswith("${") and ".Arn}" in text:
            logical = text[2 : text.index(".Arn}")]
            rest = text[text.index(".Arn}") + 5 :]
            return logical, rest.lstrip("/").rstrip("*")
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        return resource["Fn::GetAtt"][0], ""
    return None


def writes_of(function: dict[str, Any]) -> set[tuple[str, str]]:
    writes: set[tuple[str, str]] = set()
    for policy in function["Properties"].get("Policies", []):
        for name, args in policy.items():
            if name in {"S3CrudPolicy", "S3WritePolicy", "S3FullAccessPolicy"}:
                writes.add((args["BucketName"]["Ref"], ""))
            if name == "Statement":
                for statement in args:
                    actions = (
                        statement["Action"]
                        if isinstance(statement["Action"], list)
                        else [statement["Action"]]
                    )
                    if not any(a.startswith("s3:Put") or a in {"s3:*", "*"} for a in actions):
                        continue
                    resources = (
                        statement["Resource"]
                        if isinstance(statement["Resource"], list)
                        else [statement["Resource"]]
                    )
                    for res in resources:
                        target = _bucket_of(res)
                        assert target is not None, f"unrecognised write grant {res}"
                        writes.add(target)
    return writes


def triggers_of(template: dict[str, Any], function: dict[str, Any]) -> set[tuple[str, str]]:
    resources = template["Resources"]
    queues = {
        event["Properties"]["Queue"]["Fn::GetAtt"][0]
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] == "SQS"
    }
    triggers: set[tuple[str, str]] = set()
    for logical, resource in resources.items():
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        for config in (
            resource["Properties"].get("NotificationConfiguration", {}).get("QueueConfigurations", [])
        ):
            if config["Queue"]["Fn::GetAtt"][0] in queues:
                rules = config.get("Filter", {}).get("S3Key", {}).get("Rules", [])
                prefix = next((r["Value"] for r in rules if r["Name"] == "prefix"), "")
                triggers.add((logical, prefix))
    return triggers


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}


def test_no_function_writes_where_its_trigger_listens(template: dict[str, Any]) -> None:
    checked = 0
    for name, function in functions(template).items():
        for bucket, trigger_prefix in triggers_of(template, function):
            for written_bucket, write_prefix in writes_of(function):
                overlap = write_prefix.startswith(trigger_prefix) or trigger_prefix.startswith(write_prefix)
                assert not (bucket == written_bucket and overlap), (
                    f"{name} writes {written_bucket}/{write_prefix}* "
                    f"which triggers it ({bucket}/{trigger_prefix}*)"
                )
                checked += 1
    assert checked >= 1  # the ingest function both is triggered and writes: the check really ran


def test_ingest_writes_only_under_the_prefix_its_environment_names(template: dict[str, Any]) -> None:
    ingest = template["Resources"]["IngestFunction"]
    env = ingest["Properties"]["Environment"]["Variables"]
    assert writes_of(ingest) == {(env["ARTICLES_BUCKET"]["Ref"], env["ARTICLES_PREFIX"])}
    assert triggers_of(template, template["Resources"]["SummariseFunction"]) == {
        (env["ARTICLES_BUCKET"]["Ref"], env["ARTICLES_PREFIX"])
    }


def test_queue_sources_report_partial_failures_and_have_dead_letter_queues(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    for function in functions(template).values():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] != "SQS":
                continue
            assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert "MaximumConcurrency" in event["Properties"]["ScalingConfig"]
            queue = resources[event["Properties"]["Queue"]["Fn::GetAtt"][0]]
            dlq = queue["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
            assert resources[dlq]["Type"] == "AWS::SQS::Queue"


def test_storage_is_private_and_encrypted(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    buckets = [k for k, v in resources.items() if v["Type"] == "AWS::S3::Bucket"]
    assert len(buckets) == 2
    for bucket in buckets:
        props = resources[bucket]["Properties"]
        assert all(props["PublicAccessBlockConfiguration"].values())
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        policies = [
            v
            for v in resources.values()
            if v["Type"] == "AWS::S3::BucketPolicy" and v["Properties"]["Bucket"] == {"Ref": bucket}
        ]
        statement = policies[0]["Properties"]["PolicyDocument"]["Statement"][0]
        assert statement["Effect"] == "Deny"
        assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    for table in (v for v in resources.values() if v["Type"] == "AWS::DynamoDB::Table"):
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["SSESpecification"]["SSEEnabled"] is True


def test_runtime_is_supported_past_2027(template: dict[str, Any]) -> None:
    assert template["Globals"]["Function"]["Runtime"] in {"python3.12", "python3.13"}
    layer = template["Resources"]["NewsdigestLayer"]
    assert layer["Properties"]["ContentUri"] == "shared/"
    assert not (TEMPLATE.parent / "shared" / "python").exists()


def _statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for function in functions(template).values():
        for policy in function["Properties"].get("Policies", []):
            found.extend(policy.get("Statement", []))
    return found


def test_function_policies_grant_no_wildcard_actions(template: dict[str, Any]) -> None:
    statements = _statements(template)
    assert statements
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert statement["Effect"] == "Allow"
        for action in actions:
            assert "*" not in action, action
        assert statement["Resource"] != "*"


def test_queues_are_encrypted_and_functions_capped(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    queues = [v for v in resources.values() if v["Type"] == "AWS::SQS::Queue"]
    assert len(queues) == 6
    assert all(q["Properties"]["SqsManagedSseEnabled"] is True for q in queues)
    assert "ReservedConcurrentExecutions" in template["Globals"]["Function"]


def test_every_policy_scan_exception_is_justified(template: dict[str, Any]) -> None:
    skips = [
        skip
        for resource in template["Resources"].values()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips
    for skip in skips:
        assert skip["id"].startswith("CKV_")
        assert len(skip.get("comment", "")) > 30


def _granted(function: dict[str, Any]) -> dict[str, set[str]]:
    """Resource logical id -> actions granted on it by the function's inline statements."""
    grants: dict[str, set[str]] = {}
    for policy in function["Properties"].get("Policies", []):
        assert set(policy) == {"Statement"}, f"managed policy templates are not least privilege: {policy}"
        for statement in policy["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            for resource in resources:
                logical = resource["Fn::GetAtt"][0]
                grants.setdefault(logical, set()).update(actions)
    return grants


WRITE_ACTIONS = {
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "sqs:SendMessage",
    "s3:PutObject",
}


def test_discover_writes_only_to_its_queue_and_its_tables_and_nothing_triggers_it_back(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    discover = resources["DiscoverFunction"]
    grants = _granted(discover)
    written = {logical for logical, actions in grants.items() if actions & WRITE_ACTIONS}
    assert written == {"SourcesTable", "CrawlStateTable", "DiscoveredQueue"}
    assert grants["DiscoveredQueue"] == {"sqs:SendMessage"}
    env = discover["Properties"]["Environment"]["Variables"]
    assert {
        env["SOURCES_TABLE"]["Ref"],
        env["CRAWL_TABLE"]["Ref"],
        env["DISCOVERED_QUEUE_URL"]["Ref"],
    } == written
    # Only the schedule invokes Discover; its queue feeds Ingest, never Discover itself.
    assert "Events" not in discover["Properties"]
    consumers = {
        name
        for name, function in functions(template).items()
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] == "SQS" and event["Properties"]["Queue"]["Fn::GetAtt"][0] == "DiscoveredQueue"
    }
    assert consumers == {"IngestFunction"}
    # Ingest's part in discovery: the host turn it takes before each discovered fetch, nothing more.
    ingest_grants: dict[str, set[str]] = {}
    for policy in resources["IngestFunction"]["Properties"]["Policies"]:
        for statement in policy.get("Statement", []):
            target = statement["Resource"].get("Fn::GetAtt", [None])[0]
            ingest_grants.setdefault(target, set()).update(statement["Action"])
    assert ingest_grants["CrawlStateTable"] == {"dynamodb:UpdateItem"}
    assert not {"SourcesTable", "DiscoveredQueue"} & set(ingest_grants)
    # No table in the template has a stream, so no DynamoDB write triggers any function.
    assert not [
        k
        for k, v in resources.items()
        if v["Type"] == "AWS::DynamoDB::Table" and "StreamSpecification" in v["Properties"]
    ]
    assert discover["Properties"]["ReservedConcurrentExecutions"] == 1


def test_discover_is_driven_by_eventbridge_scheduler_with_a_role_that_only_invokes_it(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    (schedule,) = [v for v in resources.values() if v["Type"] == "AWS::Scheduler::Schedule"]
    target = schedule["Properties"]["Target"]
    assert target["Arn"] == {"Fn::GetAtt": ["DiscoverFunction", "Arn"]}
    role = resources[target["RoleArn"]["Fn::GetAtt"][0]]
    (principal,) = [
        s["Principal"]["Service"] for s in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    ]
    assert principal == "scheduler.amazonaws.com"
    statements = [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
    assert {s["Action"]: s["Resource"]["Fn::GetAtt"][0] for s in statements} == {
        "lambda:InvokeFunction": "DiscoverFunction",
        "sqs:SendMessage": "DiscoveredDeadLetterQueue",
    }


def test_indexes_match_the_read_sides_access_patterns(template: dict[str, Any]) -> None:
    from newsdigest.reading import keys

    props = template["Resources"]["SummariesTable"]["Properties"]
    declared = {
        index["IndexName"]: tuple(k["AttributeName"] for k in index["KeySchema"])
        for index in props["GlobalSecondaryIndexes"]
    }
    assert declared == keys.INDEXES
    types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
    assert set(types) == {"article_id", *keys.INDEX_KEY_ATTRIBUTES}
    assert set(types.values()) == {"S"}  # the keys are text: ISO times, hosts, shard numbers, stages
    for index in props["GlobalSecondaryIndexes"]:
        assert [k["KeyType"] for k in index["KeySchema"]] == ["HASH", "RANGE"]
        assert index["Projection"] == {"ProjectionType": "ALL"}  # a listing needs no second read per item


def test_read_function_is_read_only_and_serves_the_read_routes(template: dict[str, Any]) -> None:
    read = template["Resources"]["ReadFunction"]
    statements = [s for p in read["Properties"]["Policies"] for s in p.get("Statement", [])]
    assert not [p for p in read["Properties"]["Policies"] if "Statement" not in p]  # no broad SAM templates
    granted = {
        a for s in statements for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    }
    assert granted == {"dynamodb:GetItem", "dynamodb:Query", "s3:GetObject"}
    assert writes_of(read) == set()
    for statement in statements:
        resources = (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
        if statement["Action"] == ["s3:GetObject"]:
            assert resources == [{"Fn::Sub": "${ArticlesBucket.Arn}/articles/*"}]  # clean articles only
        else:
            assert resources == [
                {"Fn::GetAtt": ["SummariesTable", "Arn"]},
                {"Fn::Sub": "${SummariesTable.Arn}/index/*"},
            ]
    routes = {
        (e["Properties"]["Method"], e["Properties"]["Path"])
        for e in read["Properties"]["Events"].values()
        if e["Type"] == "HttpApi"
    }
    assert routes == {("GET", "/articles"), ("GET", "/articles/{article_id}"), ("GET", "/digest")}
    assert all(e["Type"] == "HttpApi" for e in read["Properties"]["Events"].values())  # nothing triggers it
    assert {e["Properties"]["ApiId"]["Ref"] for e in read["Properties"]["Events"].values()} == {"IngestApi"}
    auth = template["Resources"]["IngestApi"]["Properties"]["Auth"]
    assert auth["DefaultAuthorizer"] == "AWS_IAM"  # the read routes are signed like POST /articles
    assert not any("Auth" in e["Properties"] for e in read["Properties"]["Events"].values())
    # Ingest keeps its own routes and gains nothing from the read side.
    ingest = template["Resources"]["IngestFunction"]
    ingest_routes = {
        (e["Properties"]["Method"], e["Properties"]["Path"])
        for e in ingest["Properties"]["Events"].values()
        if e["Type"] == "HttpApi"
    }
    assert ingest_routes == {("POST", "/articles")}
