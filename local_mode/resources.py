"""Create the template's tables, queues, keys and secrets in moto, and resolve references.

moto's CloudFormation drops a table's SSE and TTL settings, so resources are created through
the service APIs from the template's own ``Properties`` instead (same key schemas, indexes,
redrive policies, TTL attributes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hotelvoice import aws
from local_mode.template import Template

ACCOUNT_ID = "123456789012"
_TABLE = "AWS::DynamoDB::Table"
_QUEUE = "AWS::SQS::Queue"
_KEY = "AWS::KMS::Key"
_SECRET = "AWS::SecretsManager::Secret"  # noqa: S105 - a type name
_BUCKET = "AWS::S3::Bucket"


class UnresolvedReference(LookupError):
    """A reference to something not (yet) created locally."""


@dataclass
class LocalResources:
    """Physical values of each logical id: what ``Ref`` and ``GetAtt`` give locally."""

    region: str
    stack_name: str
    parameters: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    """The template's ``Conditions``, evaluated against :attr:`parameters` for ``Fn::If``."""

    def resolve(self, value: Any) -> Any:
        """Evaluate ``Ref``, ``Fn::GetAtt``, ``Fn::Sub``, ``Fn::Join``, ``Fn::If``, recursively."""
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "Ref" in value:
            return self._ref(value["Ref"])
        if "Fn::GetAtt" in value:
            logical, attr = value["Fn::GetAtt"]
            try:
                return self.attributes[(logical, attr)]
            except KeyError:
                raise UnresolvedReference(f"{logical}.{attr}") from None
        if "Fn::Sub" in value:
            return re.sub(r"\$\{([\w:.]+)\}", lambda m: self._sub(m.group(1)), value["Fn::Sub"])
        if "Fn::Join" in value:
            sep, parts = value["Fn::Join"]
            return sep.join(str(self.resolve(p)) for p in parts)
        if "Fn::If" in value:
            name, if_true, if_false = value["Fn::If"]
            return self.resolve(if_true if self.condition(name) else if_false)
        return {k: self.resolve(v) for k, v in value.items()}

    def condition(self, name: str) -> bool:
        """A named condition of the template, as CloudFormation would evaluate it here."""
        return self._truth(self.conditions[name])

    def _truth(self, expr: Any) -> bool:
        (function, args), *_ = expr.items()
        if function == "Fn::Equals":
            left, right = (str(self.resolve(a)) for a in args)
            return left == right
        if function == "Fn::Not":
            return not self._truth(args[0])
        if function == "Fn::And":
            return all(self._truth(a) for a in args)
        if function == "Fn::Or":
            return any(self._truth(a) for a in args)
        if function == "Condition":
            return self.condition(args)
        raise UnresolvedReference(f"condition function {function}")

    def _sub(self, name: str) -> str:
        if "." in name:
            logical, attr = name.split(".", 1)
            return str(self.resolve({"Fn::GetAtt": [logical, attr]}))
        return str(self._ref(name))

    def _ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::StackName": self.stack_name,
            "AWS::URLSuffix": "amazonaws.com",
        }
        for table in (pseudo, self.parameters, self.refs):
            if name in table:
                return table[name]
        raise UnresolvedReference(name)


def create_resources(
    template: Template,
    *,
    region: str,
    stack_name: str = "hotelvoice-local",
    parameter_overrides: dict[str, str] | None = None,
    secret_values: dict[str, str] | None = None,
) -> LocalResources:
    """Create every table, queue, key and secret of ``template`` in the current AWS endpoint.

    ``secret_values`` gives a secret's local value by logical id (local mode never generates
    random secrets: the CLI must be able to sign tokens with the same key).
    """
    params = {name: str(p.get("Default", "")) for name, p in template.parameters.items()}
    params.update(parameter_overrides or {})
    local = LocalResources(
        region=region,
        stack_name=stack_name,
        parameters=params,
        conditions=template.body.get("Conditions", {}),
    )
    creators = {
        _KEY: _create_key,
        _TABLE: _create_table,
        _QUEUE: _create_queue,
        _SECRET: _create_secret,
        _BUCKET: _create_bucket,
    }
    pending = {lid: r for lid, r in template.resources.items() if r.get("Type") in creators}
    while pending:
        progressed = False
        for logical_id, resource in list(pending.items()):
            try:
                props = local.resolve(resource.get("Properties", {}))
            except UnresolvedReference:
                continue
            name = f"{stack_name}-{logical_id}"
            creators[resource["Type"]](local, logical_id, name, props, secret_values or {})
            del pending[logical_id]
            progressed = True
        if not progressed:
            raise UnresolvedReference(f"cannot resolve references of {sorted(pending)}")
    return local


def _create_key(
    local: LocalResources, lid: str, name: str, props: dict[str, Any], secrets: dict[str, str]
) -> None:
    key = aws.client("kms").create_key(Description=props.get("Description", name))["KeyMetadata"]
    local.refs[lid] = key["KeyId"]
    local.attributes[(lid, "Arn")] = key["Arn"]


def _create_table(
    local: LocalResources, lid: str, name: str, props: dict[str, Any], secrets: dict[str, str]
) -> None:
    ddb = aws.client("dynamodb")
    kwargs: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    sse = props.get("SSESpecification")
    if sse:
        kwargs["SSESpecification"] = {
            "Enabled": bool(sse.get("SSEEnabled")),
            "SSEType": sse.get("SSEType", "KMS"),
            **({"KMSMasterKeyId": sse["KMSMasterKeyId"]} if "KMSMasterKeyId" in sse else {}),
        }
    table = ddb.create_table(**kwargs)["TableDescription"]
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        ddb.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
        )
    local.refs[lid] = name
    local.attributes[(lid, "Arn")] = table["TableArn"]


def _create_queue(
    local: LocalResources, lid: str, name: str, props: dict[str, Any], secrets: dict[str, str]
) -> None:
    sqs = aws.client("sqs")
    attributes = {
        key: (json.dumps(value) if isinstance(value, dict) else str(value))
        for key, value in props.items()
        if key
        in {
            "VisibilityTimeout",
            "MessageRetentionPeriod",
            "RedrivePolicy",
            "KmsMasterKeyId",
            "DelaySeconds",
            "ReceiveMessageWaitTimeSeconds",
        }
    }
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    local.refs[lid] = url
    local.attributes[(lid, "Arn")] = arn
    local.attributes[(lid, "QueueName")] = name
    local.attributes[(lid, "QueueUrl")] = url


def _create_secret(
    local: LocalResources, lid: str, name: str, props: dict[str, Any], secrets: dict[str, str]
) -> None:
    value = secrets.get(lid, props.get("SecretString"))
    if value is None:  # a generated secret: local mode must know its value to use it
        raise KeyError(f"local mode needs a value for secret {lid}")
    arn = aws.client("secretsmanager").create_secret(Name=name, SecretString=value)["ARN"]
    local.refs[lid] = arn


def _create_bucket(
    local: LocalResources, lid: str, name: str, props: dict[str, Any], secrets: dict[str, str]
) -> None:
    """The bucket with its lifecycle rules (expiry is behaviour the cache relies on)."""
    s3 = aws.client("s3")
    bucket = name.lower()
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": local.region})
    rules = props.get("LifecycleConfiguration", {}).get("Rules", [])
    if rules:
        s3.put_bucket_lifecycle_configuration(
            Bucket=bucket,
            LifecycleConfiguration={"Rules": [_lifecycle_rule(rule) for rule in rules]},
        )
    local.refs[lid] = bucket
    local.attributes[(lid, "Arn")] = f"arn:aws:s3:::{bucket}"


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation lifecycle rule as S3's API takes it (expiry, aborted uploads)."""
    out: dict[str, Any] = {
        "ID": rule.get("Id", "rule"),
        "Status": rule["Status"],
        "Filter": {"Prefix": rule.get("Prefix", "")},
    }
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    if "AbortIncompleteMultipartUpload" in rule:
        days = int(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])
        out["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": days}
    return out
