"""Create the template's buckets, queues and tables on a moto server (or any AWS-compatible endpoint).

Names are derived from the logical ids, so the same template yields the same local resources each
time and two local stacks on one server stay apart by their ``name``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from newsdigest.aws.storage import error_code
from newsdigest.local.template import Resolver, load_template

LOCAL_REGION = "us-east-1"
LOCAL_ACCOUNT = "123456789012"
#: Deployed queues wait minutes before redelivery; locally a retry should come within seconds.
LOCAL_VISIBILITY_TIMEOUT = 2
#: Except for queues whose messages are fetched over the network at a per-host pace (discovered URLs):
#: the runtime gives a batch half the visibility timeout, and a pace of one request a second per host
#: with a fetch each needs more than one second.
LOCAL_VISIBILITY_OVERRIDES = {"DiscoveredQueue": 30}


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    logical_id: str
    name: str
    code_dir: Path
    module: str
    handler: str
    environment: dict[str, str]
    timeout: int
    memory: int
    #: (queue url, queue arn, batch size) for each SQS event source
    sqs_sources: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    """An ``AWS::Scheduler::Schedule`` whose target is one of the template's functions."""

    logical_id: str
    expression: str
    function: str  # logical id of the target function
    input: dict[str, Any]


@dataclass(slots=True)
class LocalResources:
    name: str
    template_path: Path
    refs: dict[str, str]
    attributes: dict[tuple[str, str], str]
    functions: dict[str, FunctionSpec]
    queues: dict[str, str]  # logical id -> url
    outputs: dict[str, str]
    schedules: list[ScheduleSpec] = field(default_factory=list)


@contextmanager
def local_aws_environment(endpoint_url: str, region: str = LOCAL_REGION) -> Iterator[None]:
    """Point boto3 (ours and Powertools') at the endpoint with throwaway credentials, then restore."""
    values = {
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
    }
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _bucket_name(stack: str, logical_id: str) -> str:
    return f"{stack}-{logical_id}".lower()[:63]


def _notification(cfn: dict[str, Any], resolve: Resolver) -> dict[str, Any]:
    configs = []
    for entry in cfn.get("QueueConfigurations", []):
        config: dict[str, Any] = {"QueueArn": resolve(entry["Queue"]), "Events": [entry["Event"]]}
        rules = entry.get("Filter", {}).get("S3Key", {}).get("Rules")
        if rules:
            config["Filter"] = {
                "Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}
            }
        configs.append(config)
    return {"QueueConfigurations": configs}


def _index(cfn: dict[str, Any]) -> dict[str, Any]:
    """A template's GlobalSecondaryIndexes entry as CreateTable takes it (on-demand: no throughput)."""
    return {key: cfn[key] for key in ("IndexName", "KeySchema", "Projection")}


def _add_missing_indexes(
    dynamodb: Any, table: str, attribute_definitions: list[dict[str, str]], indexes: list[dict[str, Any]]
) -> None:
    """A table made by an older template on a long-running endpoint gets the indexes added since."""
    existing = dynamodb.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])
    have = {index["IndexName"] for index in existing}
    for index in indexes:
        if index["IndexName"] not in have:
            dynamodb.update_table(
                TableName=table,
                AttributeDefinitions=attribute_definitions,
                GlobalSecondaryIndexUpdates=[{"Create": index}],
            )


def provision(
    template_path: Path,
    *,
    name: str = "newsdigest-local",
    parameters: dict[str, str] | None = None,
    visibility_timeout: int = LOCAL_VISIBILITY_TIMEOUT,
    region: str = LOCAL_REGION,
) -> LocalResources:
    """Create (or reuse) every bucket, queue and table of the template; boto3 must already point locally."""
    template = load_template(template_path)
    resources: dict[str, Any] = template["Resources"]
    params = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    params.update(parameters or {})
    refs: dict[str, str] = {
        **params,
        "AWS::StackName": name,
        "AWS::Region": region,
        "AWS::AccountId": LOCAL_ACCOUNT,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    attributes: dict[tuple[str, str], str] = {}
    resolve = Resolver(refs, attributes)
    s3 = boto3.client("s3")
    sqs = boto3.client("sqs")
    dynamodb = boto3.client("dynamodb")
    queues: dict[str, str] = {}

    def by_type(kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [(k, v.get("Properties", {}) or {}) for k, v in resources.items() if v["Type"] == kind]

    # Queues without a redrive policy (the dead-letter queues) first, so redrive targets exist.
    sqs_resources = sorted(by_type("AWS::SQS::Queue"), key=lambda kv: "RedrivePolicy" in kv[1])
    for logical_id, props in sqs_resources:
        local_timeout = LOCAL_VISIBILITY_OVERRIDES.get(logical_id, visibility_timeout)
        queue_attrs = {"VisibilityTimeout": str(min(int(props.get("VisibilityTimeout", 30)), local_timeout))}
        if "RedrivePolicy" in props:
            redrive = resolve(props["RedrivePolicy"])
            queue_attrs["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": redrive["deadLetterTargetArn"],
                    "maxReceiveCount": int(redrive["maxReceiveCount"]),
                }
            )
        queue_name = f"{name}-{logical_id}"
        url = sqs.create_queue(QueueName=queue_name, Attributes=queue_attrs)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        refs[logical_id] = url
        attributes[(logical_id, "Arn")] = arn
        attributes[(logical_id, "QueueName")] = queue_name
        attributes[(logical_id, "QueueUrl")] = url
        queues[logical_id] = url

    for logical_id, props in by_type("AWS::DynamoDB::Table"):
        table_name = f"{name}-{logical_id}"
        indexes = [_index(index) for index in props.get("GlobalSecondaryIndexes", [])]
        try:
            dynamodb.create_table(
                TableName=table_name,
                AttributeDefinitions=props["AttributeDefinitions"],
                KeySchema=props["KeySchema"],
                BillingMode="PAY_PER_REQUEST",
                **({"GlobalSecondaryIndexes": indexes} if indexes else {}),
            )
        except ClientError as exc:
            if error_code(exc) != "ResourceInUseException":
                raise
            _add_missing_indexes(dynamodb, table_name, props["AttributeDefinitions"], indexes)
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=table_name,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )
        described = dynamodb.describe_table(TableName=table_name)["Table"]
        refs[logical_id] = table_name
        attributes[(logical_id, "Arn")] = described["TableArn"]

    buckets = by_type("AWS::S3::Bucket")
    for logical_id, _props in buckets:
        bucket = _bucket_name(name, logical_id)
        try:
            s3.create_bucket(Bucket=bucket)
        except ClientError as exc:
            if error_code(exc) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise
        refs[logical_id] = bucket
        attributes[(logical_id, "Arn")] = f"arn:aws:s3:::{bucket}"
    for logical_id, props in buckets:
        if "NotificationConfiguration" in props:
            s3.put_bucket_notification_configuration(
                Bucket=refs[logical_id],
                NotificationConfiguration=_notification(props["NotificationConfiguration"], resolve),
            )

    globals_fn = (template.get("Globals") or {}).get("Function", {})
    global_env = globals_fn.get("Environment", {}).get("Variables", {})
    functions: dict[str, FunctionSpec] = {}
    for logical_id, _ in by_type("AWS::Serverless::Function"):
        refs[logical_id] = f"{name}-{logical_id}"
        arn = f"arn:aws:lambda:{region}:{LOCAL_ACCOUNT}:function:{refs[logical_id]}"
        attributes[(logical_id, "Arn")] = arn
    for logical_id, props in by_type("AWS::Serverless::Function"):
        env = {
            k: str(resolve(v))
            for k, v in {**global_env, **props.get("Environment", {}).get("Variables", {})}.items()
        }
        module, _, handler = props["Handler"].rpartition(".")
        sources = []
        for event in (props.get("Events") or {}).values():
            if event["Type"] == "SQS":
                arn = resolve(event["Properties"]["Queue"])
                url = next(u for lid, u in queues.items() if attributes[(lid, "Arn")] == arn)
                sources.append((url, arn, int(event["Properties"].get("BatchSize", 10))))
        functions[logical_id] = FunctionSpec(
            logical_id=logical_id,
            name=refs[logical_id],
            code_dir=(template_path.parent / props["CodeUri"]).resolve(),
            module=module,
            handler=handler,
            environment=env,
            timeout=int(props.get("Timeout", globals_fn.get("Timeout", 3))),
            memory=int(props.get("MemorySize", globals_fn.get("MemorySize", 128))),
            sqs_sources=sources,
        )
    # EventBridge Scheduler has no local counterpart: the runtime fires these (LocalRuntime.fire_schedules).
    schedules = []
    functions_by_arn = {attributes[(lid, "Arn")]: lid for lid in functions}
    for logical_id, props in by_type("AWS::Scheduler::Schedule"):
        target = props["Target"]
        schedules.append(
            ScheduleSpec(
                logical_id=logical_id,
                expression=str(resolve(props["ScheduleExpression"])),
                function=functions_by_arn[resolve(target["Arn"])],
                input=json.loads(target.get("Input") or "{}"),
            )
        )
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Serverless::HttpApi":
            refs[logical_id] = f"{name}-{logical_id}".lower()
    outputs = {}
    for key, output in (template.get("Outputs") or {}).items():
        try:
            outputs[key] = str(resolve(output["Value"]))
        except KeyError:
            continue  # outputs of resources that have no local counterpart (API ids, topics)
    return LocalResources(
        name=name,
        template_path=template_path,
        refs=refs,
        attributes=attributes,
        functions=functions,
        queues=queues,
        outputs=outputs,
        schedules=schedules,
    )
