"""template.yaml keeps personal data only as long as it should, and keeps what it must readable.

Each check is a function from a template body to its problems, so that every test also runs
against a broken copy of the template (the way it was before issue 13, or a likely slip) and
must see the problem there: no check passes by finding nothing to look at.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase
from typing import Any

import pytest

from hotelvoice.contracts.hotels import RetentionSettings
from hotelvoice.settings import Settings
from local_mode.template import Template, load_template

BODY = load_template().body
DAY_S = 86_400

KMS_KEY = "AWS::KMS::Key"
FUNCTION = "AWS::Serverless::Function"
TABLE = "AWS::DynamoDB::Table"
BUCKET = "AWS::S3::Bucket"
LOG_GROUP = "AWS::Logs::LogGroup"

# Properties that name the key a resource is encrypted with: KmsKeyId (secrets, log groups),
# KMSMasterKeyId (DynamoDB SSE), KMSMasterKeyID (S3 default encryption), KmsMasterKeyId (SQS).
KEY_PROPERTIES = {"kmskeyid", "kmsmasterkeyid"}

CALL_DATA_TABLES = {
    "CallsTable",
    "AuditTable",
    "IdempotencyTable",
    "RateLimitTable",
    "TtsCacheTable",
}
"""Tables whose items come from calls: each item expires (TTL) within the hotel's retention."""
TTL_EXEMPT_TABLES = {
    # Hotel configuration: not personal data, and it holds each hotel's retention itself.
    "HotelsTable",
    # The demo PMS: the hotel's own PMS data, which the hotel erases in its PMS.
    "PmsTable",
}

PRIVACY_ROUTES = {("POST", "/v1/privacy/export"), ("POST", "/v1/privacy/erase")}
SUBJECT_KEY_READERS = {"CallEventsConsumerFunction", "PrivacyFunction", "RetentionFunction"}


def _bound(field: str, kind: str) -> int:
    """A bound of a ``RetentionSettings`` field: ``ge`` (lowest) or ``le`` (highest), in days."""
    (value,) = [
        getattr(m, kind) for m in RetentionSettings.model_fields[field].metadata if hasattr(m, kind)
    ]
    return int(value)


# --------------------------------------------------------------------------- template helpers


def _resources(body: dict[str, Any], kind: str | None = None) -> dict[str, Any]:
    return {lid: r for lid, r in body["Resources"].items() if kind is None or r.get("Type") == kind}


def _props(body: dict[str, Any], lid: str) -> dict[str, Any]:
    return body["Resources"][lid].get("Properties", {})


def _refs(value: Any) -> set[str]:
    """Logical ids (and parameters) that ``value`` refers to: Ref, GetAtt, ``${…}`` in Sub."""
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    if "Ref" in value:
        return {value["Ref"]}
    if "Fn::GetAtt" in value:
        return {value["Fn::GetAtt"][0]}
    if "Fn::Sub" in value:
        text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
        names = {m.split(".", 1)[0] for m in re.findall(r"\$\{([\w:.]+)\}", text)}
        return {n for n in names if not n.startswith("AWS::")}
    return set().union(*(_refs(v) for v in value.values())) if value else set()


def _key_references(value: Any) -> Iterator[Any]:
    """Every value under a ``KmsKeyId``-like property, at any depth."""
    if isinstance(value, list):
        for item in value:
            yield from _key_references(item)
    elif isinstance(value, dict):
        for name, item in value.items():
            if name.lower() in KEY_PROPERTIES:
                yield item
            else:
                yield from _key_references(item)


def _sub_text(value: Any) -> str:
    """The text of a ``!Sub`` (``${AWS::StackName}`` and the like left in place)."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        return value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
    assert isinstance(value, str), value
    return value


def _policies(body: dict[str, Any], function: str) -> list[Any]:
    return _props(body, function).get("Policies", [])


def _statements(body: dict[str, Any], function: str) -> Iterator[dict[str, Any]]:
    for policy in _policies(body, function):
        if isinstance(policy, dict) and "Statement" in policy:
            yield from policy["Statement"]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _reads_table(body: dict[str, Any], function: str, table: str) -> bool:
    """A SAM read or CRUD policy template on ``table``."""
    return any(
        isinstance(policy, dict) and policy.get(name, {}).get("TableName") == {"Ref": table}
        for policy in _policies(body, function)
        for name in ("DynamoDBReadPolicy", "DynamoDBCrudPolicy")
    )


def _writes_audit_entries(body: dict[str, Any], function: str) -> bool:
    puts = any(
        "dynamodb:PutItem" in _as_list(s.get("Action", []))
        and "AuditTable" in _refs(s.get("Resource"))
        for s in _statements(body, function)
    )
    return puts or any(
        isinstance(p, dict)
        and p.get("DynamoDBCrudPolicy", {}).get("TableName") == {"Ref": "AuditTable"}
        for p in _policies(body, function)
    )


def _events(body: dict[str, Any], function: str) -> dict[str, Any]:
    return _props(body, function).get("Events", {})


# --------------------------------------------------------------------------- the checks


def key_retention_problems(body: dict[str, Any]) -> list[str]:
    """A key is kept (deletion and replacement) as long as anything it encrypts; rotation on."""
    keys = _resources(body, KMS_KEY)
    problems = [
        f"{k}: rotation off"
        for k, r in keys.items()
        if not r["Properties"].get("EnableKeyRotation")
    ]
    retained_encrypted = set()
    for lid, resource in _resources(body).items():
        used = set().union(*(_refs(v) for v in _key_references(resource.get("Properties", {}))))
        for key in used & set(keys):
            for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
                if resource.get(policy) != "Retain":
                    continue
                retained_encrypted.add(lid)
                if keys[key].get(policy) != "Retain":
                    problems.append(f"{lid} has {policy} Retain, its key {key} does not")
    # The tables and the secret the issue names must be among them (nothing vacuous).
    missing = {"AuditTable", "HotelsTable", "SubjectHashKey"} - retained_encrypted
    problems += [f"{lid}: not a retained, KMS-encrypted resource" for lid in sorted(missing)]
    return problems


def log_retention_problems(body: dict[str, Any]) -> list[str]:
    """Every function logs to a group of its own that expires after ``LogRetentionDays``."""
    problems, groups = [], []
    global_logging = body.get("Globals", {}).get("Function", {}).get("LoggingConfig", {})
    for function in _resources(body, FUNCTION):
        logging = _props(body, function).get("LoggingConfig", global_logging)
        group = logging.get("LogGroup")
        if not (isinstance(group, dict) and set(group) == {"Ref"}):
            problems.append(
                f"{function}: no LoggingConfig log group (Lambda's default keeps logs forever)"
            )
            continue
        lid = group["Ref"]
        groups.append(lid)
        resource = body["Resources"].get(lid, {})
        if resource.get("Type") != LOG_GROUP:
            problems.append(f"{function}: {lid} is not a log group of this template")
        elif resource["Properties"].get("RetentionInDays") != {"Ref": "LogRetentionDays"}:
            problems.append(f"{lid}: RetentionInDays is not the LogRetentionDays parameter")
    if len(set(groups)) != len(groups):
        problems.append(f"functions share log groups: {sorted(groups)}")
    return problems


def log_encryption_problems(body: dict[str, Any]) -> list[str]:
    """Log groups are encrypted with a template key whose policy lets CloudWatch Logs use it.

    A key policy that does not admit the group fails its creation at deploy time, which no
    linter sees.
    """
    problems = []
    for lid, resource in _resources(body, LOG_GROUP).items():
        props = resource["Properties"]
        if "KmsKeyId" not in props:
            problems.append(f"{lid}: not encrypted with a template key")
            continue
        (key,) = _refs(props["KmsKeyId"])
        name = _sub_text(props.get("LogGroupName", ""))
        admitted = [
            _sub_text(pattern).split(":log-group:", 1)[1]
            for statement in _props(body, key)["KeyPolicy"]["Statement"]
            if statement.get("Effect") == "Allow"
            and "logs." in _sub_text(statement.get("Principal", {}).get("Service", ""))
            for pattern in [
                statement.get("Condition", {})
                .get("ArnLike", {})
                .get("kms:EncryptionContext:aws:logs:arn")
            ]
            if pattern is not None
        ]
        if not any(fnmatchcase(name, pattern) for pattern in admitted):
            problems.append(f"{lid}: {name!r} is not admitted by {key}'s policy ({admitted})")
    return problems


def ttl_problems(body: dict[str, Any]) -> list[str]:
    """Every table that holds call data expires its items; every table is classified."""
    tables = _resources(body, TABLE)
    problems = []
    if set(tables) != CALL_DATA_TABLES | TTL_EXEMPT_TABLES:
        unclassified = set(tables) ^ (CALL_DATA_TABLES | TTL_EXEMPT_TABLES)
        problems.append(f"unclassified or missing tables: {sorted(unclassified)}")
    for lid in sorted(CALL_DATA_TABLES & set(tables)):
        ttl = tables[lid]["Properties"].get("TimeToLiveSpecification", {})
        if ttl.get("Enabled") is not True or not ttl.get("AttributeName"):
            problems.append(f"{lid}: no TTL")
    return problems


def queue_retention_problems(body: dict[str, Any]) -> list[str]:
    """No queued event outlives the shortest transcript retention; the DLQ outlasts its source."""
    shortest_s = _bound("transcripts_days", "ge") * DAY_S

    def retention(lid: str) -> int:  # SQS's default is four days
        return int(_props(body, lid).get("MessageRetentionPeriod", 4 * DAY_S))

    main, dlq = retention("CallEventsQueue"), retention("CallEventsDeadLetterQueue")
    problems = [
        f"{lid} keeps messages {seconds} s, not less than {shortest_s} s"
        for lid, seconds in (("CallEventsQueue", main), ("CallEventsDeadLetterQueue", dlq))
        if seconds >= shortest_s
    ]
    if dlq < main:
        problems.append(f"the DLQ keeps {dlq} s, less than its source's {main} s")
    return problems


def _lifecycle(body: dict[str, Any], bucket: str, prefix: str) -> list[dict[str, Any]]:
    rules = _props(body, bucket).get("LifecycleConfiguration", {}).get("Rules", [])
    return [
        r
        for r in rules
        if r.get("Status") == "Enabled" and r.get("Prefix") == prefix and "ExpirationInDays" in r
    ]


def recordings_expiry_problems(body: dict[str, Any]) -> list[str]:
    """Recordings expire at the longest retention a hotel may set; shorter ones run daily."""
    longest = _bound("recordings_days", "le")
    days = [int(r["ExpirationInDays"]) for r in _lifecycle(body, "RecordingsBucket", "recordings/")]
    problems = (
        [] if days == [longest] else [f"recordings/ expires after {days}, not [{longest}] days"]
    )
    schedules = [
        e["Properties"].get("Schedule", e["Properties"].get("ScheduleExpression"))
        for e in _events(body, "RetentionFunction").values()
        if e["Type"] in ("Schedule", "ScheduleV2")
    ]
    if schedules != ["rate(1 day)"]:
        problems.append(f"RetentionFunction runs on {schedules}, not daily")
    deletes = [
        _sub_text(resource)
        for s in _statements(body, "RetentionFunction")
        if "s3:DeleteObject" in _as_list(s["Action"])
        for resource in _as_list(s["Resource"])
    ]
    if "${RecordingsBucket.Arn}/recordings/*" not in deletes:
        problems.append(f"RetentionFunction may not delete recordings: {deletes}")
    return problems


def exports_expiry_problems(body: dict[str, Any]) -> list[str]:
    """Exports are gone within a day, and the privacy function writes nowhere else."""
    days = [
        int(r["ExpirationInDays"]) for r in _lifecycle(body, "PrivacyExportsBucket", "exports/")
    ]
    problems = [] if days and max(days) <= 1 else [f"exports/ expires after {days} days"]
    writes = [
        resource
        for s in _statements(body, "PrivacyFunction")
        if "s3:PutObject" in _as_list(s["Action"])
        for resource in _as_list(s["Resource"])
    ]
    if not writes or any(_sub_text(r) != "${PrivacyExportsBucket.Arn}/exports/*" for r in writes):
        problems.append(f"the privacy function writes outside exports/: {writes}")
    return problems


def bucket_problems(body: dict[str, Any]) -> list[str]:
    """Every bucket is private, TLS-only and unversioned; every data bucket is encrypted with
    a template KMS key and logs who reads and writes it to the access-log bucket.

    The access-log bucket is the one exception to the key: S3 delivers server access logs
    only to a bucket with S3-managed encryption (SSE-S3), and it holds object keys, which
    name hotels and calls by id, not guests' data.
    """
    problems = []
    policies = {
        _refs(r["Properties"]["Bucket"]).pop(): r["Properties"]["PolicyDocument"]["Statement"]
        for r in _resources(body, "AWS::S3::BucketPolicy").values()
    }
    keys = set(_resources(body, KMS_KEY))
    buckets = _resources(body, BUCKET)
    log_targets = {
        target
        for resource in buckets.values()
        for target in _refs(
            resource["Properties"].get("LoggingConfiguration", {}).get("DestinationBucketName")
        )
    }
    for lid, resource in buckets.items():
        props = resource["Properties"]
        block = props.get("PublicAccessBlockConfiguration", {})
        if len(block) != 4 or not all(block.values()):
            problems.append(f"{lid}: public access not fully blocked")
        (sse,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        default = sse["ServerSideEncryptionByDefault"]
        if lid in log_targets:
            if default["SSEAlgorithm"] != "AES256" or props.get("LoggingConfiguration"):
                problems.append(f"{lid}: access logs need SSE-S3 and no logging of their own")
        elif (
            default["SSEAlgorithm"] != "aws:kms" or not _refs(default.get("KMSMasterKeyID")) & keys
        ):
            problems.append(f"{lid}: not encrypted with a template KMS key")
        elif not _refs(props.get("LoggingConfiguration", {}).get("DestinationBucketName")):
            problems.append(f"{lid}: nobody could tell who read or wrote it (no access log)")
        if props.get("OwnershipControls", {}).get("Rules") != [
            {"ObjectOwnership": "BucketOwnerEnforced"}
        ]:
            problems.append(f"{lid}: ACLs not disabled")
        if props.get("VersioningConfiguration", {}).get("Status") == "Enabled":
            problems.append(f"{lid}: versioned, so a deletion would not erase")
        tls_only = any(
            s["Effect"] == "Deny"
            and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
            for s in policies.get(lid, [])
        )
        if not tls_only:
            problems.append(f"{lid}: no TLS-only bucket policy")
    return problems


def privacy_route_problems(body: dict[str, Any]) -> list[str]:
    """Export and erase are POST routes of the privacy function behind the JWT authorizer."""
    template = Template(body)
    routes = {(r.method, r.path): r for r in template.routes() if r.path.startswith("/v1/privacy/")}
    problems = []
    if set(routes) != PRIVACY_ROUTES:
        problems.append(f"privacy routes are {sorted(routes)}")
    for route in routes.values():
        if route.function != "PrivacyFunction" or route.open:
            problems.append(f"{route.route_key}: {route.function}, open={route.open}")
    for name, event in _events(body, "PrivacyFunction").items():
        if "Auth" in event.get("Properties", {}):
            problems.append(f"{name}: overrides the API's default authorizer")
    auth = _props(body, "HotelVoiceApi").get("Auth", {})
    if auth.get("DefaultAuthorizer") not in auth.get("Authorizers", {}):
        problems.append("the API has no default authorizer")
    return problems


def privacy_iam_problems(body: dict[str, Any]) -> list[str]:
    """The privacy function's S3 and DynamoDB grants name the template's own resources."""
    problems = []
    for policy in _policies(body, "PrivacyFunction"):
        if isinstance(policy, str):
            problems.append(f"a managed policy: {policy}")
    for statement in _statements(body, "PrivacyFunction"):
        actions = _as_list(statement["Action"])
        data = [a for a in actions if a == "*" or a.split(":")[0] in ("s3", "dynamodb")]
        if not data:
            continue
        if any(a.endswith("*") for a in data):
            problems.append(f"wildcard actions {data}")
        for resource in _as_list(statement.get("Resource", [])):
            named = _refs(resource) & set(body["Resources"])
            if isinstance(resource, str) or not named:
                problems.append(f"{data} on {resource!r}: not a resource of the template")
    return problems


def retention_reader_problems(body: dict[str, Any]) -> list[str]:
    """Who writes audit entries or call items reads the hotel's retention; hash keyers the key."""
    functions = set(_resources(body, FUNCTION))
    writers = {f for f in functions if _writes_audit_entries(body, f)} | {
        "CallEventsConsumerFunction"
    }
    problems = [
        f"{f}: writes without reading the hotel's retention (HotelsTable)"
        for f in sorted(writers)
        if not _reads_table(body, f, "HotelsTable")
    ]
    for function in sorted(SUBJECT_KEY_READERS):
        secrets = [
            p["AWSSecretsManagerGetSecretValuePolicy"]["SecretArn"]
            for p in _policies(body, function)
            if isinstance(p, dict) and "AWSSecretsManagerGetSecretValuePolicy" in p
        ]
        if {"Ref": "SubjectHashKey"} not in secrets:
            problems.append(f"{function}: may not read SubjectHashKey")
    return problems


CHECKS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "key retention": key_retention_problems,
    "log retention": log_retention_problems,
    "log encryption": log_encryption_problems,
    "ttl": ttl_problems,
    "queue retention": queue_retention_problems,
    "recordings expiry": recordings_expiry_problems,
    "exports expiry": exports_expiry_problems,
    "buckets": bucket_problems,
    "privacy routes": privacy_route_problems,
    "privacy iam": privacy_iam_problems,
    "retention readers": retention_reader_problems,
}


@pytest.mark.parametrize("check", CHECKS.values(), ids=CHECKS.keys())
def test_the_template_passes(check):
    assert check(BODY) == []


# --------------------------------------------------------------------------- the checks can fail


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation: set ``Resources.<path>`` (dots) to ``value``; ``None`` deletes it."""

    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = body["Resources"]
        for name in parents:
            node = node[int(name)] if isinstance(node, list) else node[name]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return mutate


def _add_statement(function: str, statement: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        body["Resources"][function]["Properties"]["Policies"].append({"Statement": [statement]})

    return mutate


def _drop_policy(function: str, name: str, table: str) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        policies = body["Resources"][function]["Properties"]["Policies"]
        policies[:] = [
            p
            for p in policies
            if not (
                isinstance(p, dict)
                and p.get(name) in ({"TableName": {"Ref": table}}, {"SecretArn": {"Ref": table}})
            )
        ]

    return mutate


MUTATIONS = {
    # as before issue 13
    "key deleted with the stack": ("key retention", _set("DataKey.DeletionPolicy", None)),
    "key replaced without keeping the old": (
        "key retention",
        _set("DataKey.UpdateReplacePolicy", None),
    ),
    "key rotation off": ("key retention", _set("DataKey.Properties.EnableKeyRotation", False)),
    "no subject hash key": ("key retention", _set("SubjectHashKey", None)),
    "default log group": ("log retention", _set("PmsFunction.Properties.LoggingConfig", None)),
    "logs kept a fixed time": (
        "log retention",
        _set("PmsLogGroup.Properties.RetentionInDays", 3653),
    ),
    "log group the key does not admit": (
        "log encryption",
        _set(
            "PmsLogGroup.Properties.LogGroupName", {"Fn::Sub": "/aws/lambda/${AWS::StackName}-pms"}
        ),
    ),
    "log group unencrypted": ("log encryption", _set("PmsLogGroup.Properties.KmsKeyId", None)),
    "audit entries never expire": (
        "ttl",
        _set("AuditTable.Properties.TimeToLiveSpecification", None),
    ),
    "new table not classified": ("ttl", _set("NewTable", {"Type": TABLE, "Properties": {}})),
    "DLQ keeps 14 days": (
        "queue retention",
        _set("CallEventsDeadLetterQueue.Properties.MessageRetentionPeriod", 1_209_600),
    ),
    "queue at SQS's maximum": (
        "queue retention",
        _set("CallEventsQueue.Properties.MessageRetentionPeriod", 1_209_600),
    ),
    "DLQ shorter than its source": (
        "queue retention",
        _set("CallEventsDeadLetterQueue.Properties.MessageRetentionPeriod", 60),
    ),
    "recordings kept 30 days for all": (
        "recordings expiry",
        _set("RecordingsBucket.Properties.LifecycleConfiguration.Rules.0.ExpirationInDays", 30),
    ),
    "no daily retention run": (
        "recordings expiry",
        _set("RetentionFunction.Properties.Events", {}),
    ),
    "exports kept a week": (
        "exports expiry",
        _set("PrivacyExportsBucket.Properties.LifecycleConfiguration.Rules.0.ExpirationInDays", 7),
    ),
    "exports written outside exports/": (
        "exports expiry",
        _add_statement(
            "PrivacyFunction",
            {
                "Effect": "Allow",
                "Action": ["s3:PutObject"],
                "Resource": {"Fn::Sub": "${PrivacyExportsBucket.Arn}/*"},
            },
        ),
    ),
    "versioned recordings": (
        "buckets",
        _set("RecordingsBucket.Properties.VersioningConfiguration", {"Status": "Enabled"}),
    ),
    "no TLS-only policy": ("buckets", _set("PrivacyExportsBucketPolicy", None)),
    "recordings read without a trace": (
        "buckets",
        _set("RecordingsBucket.Properties.LoggingConfiguration", None),
    ),
    "exports unencrypted by our key": (
        "buckets",
        _set(
            "PrivacyExportsBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration",
            [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}],
        ),
    ),
    "erase without a token": (
        "privacy routes",
        _set("PrivacyFunction.Properties.Events.Erase.Properties.Auth", {"Authorizer": "NONE"}),
    ),
    "export as GET": (
        "privacy routes",
        _set("PrivacyFunction.Properties.Events.Export.Properties.Method", "GET"),
    ),
    "s3 on every bucket": (
        "privacy iam",
        _add_statement(
            "PrivacyFunction", {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
        ),
    ),
    "every dynamodb action": (
        "privacy iam",
        _add_statement(
            "PrivacyFunction",
            {
                "Effect": "Allow",
                "Action": "dynamodb:*",
                "Resource": {"Fn::GetAtt": ["CallsTable", "Arn"]},
            },
        ),
    ),
    "PMS audits without the retention": (
        "retention readers",
        _drop_policy("PmsFunction", "DynamoDBReadPolicy", "HotelsTable"),
    ),
    "consumer without the retention": (
        "retention readers",
        _drop_policy("CallEventsConsumerFunction", "DynamoDBReadPolicy", "HotelsTable"),
    ),
    "consumer without the subject key": (
        "retention readers",
        _drop_policy(
            "CallEventsConsumerFunction", "AWSSecretsManagerGetSecretValuePolicy", "SubjectHashKey"
        ),
    ),
}


@pytest.mark.parametrize(("check", "mutate"), MUTATIONS.values(), ids=MUTATIONS.keys())
def test_the_check_sees_a_broken_template(check, mutate):
    body = copy.deepcopy(BODY)
    mutate(body)
    assert CHECKS[check](body) != []


# --------------------------------------------------------------------------- wiring


def test_every_hotelvoice_variable_of_the_template_is_a_setting():
    env = BODY["Globals"]["Function"]["Environment"]["Variables"]
    variables = set(env)
    for function in _resources(BODY, FUNCTION):
        variables |= set(_props(BODY, function).get("Environment", {}).get("Variables", {}))
    names = {
        v.removeprefix("HOTELVOICE_").lower() for v in variables if v.startswith("HOTELVOICE_")
    }
    assert names - set(Settings.model_fields) == set()
    assert env["HOTELVOICE_DATA_KEY_ID"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
    assert env["HOTELVOICE_SUBJECT_KEY_SECRET_NAME"] == {"Ref": "SubjectHashKey"}
    assert env["HOTELVOICE_RECORDINGS_BUCKET"] == {"Ref": "RecordingsBucket"}


def test_only_the_privacy_function_knows_the_exports_bucket_and_the_dlq():
    holders = {
        function
        for function in _resources(BODY, FUNCTION)
        if {"HOTELVOICE_PRIVACY_EXPORTS_BUCKET", "HOTELVOICE_CALL_EVENTS_DLQ_URL"}
        & set(_props(BODY, function).get("Environment", {}).get("Variables", {}))
    }
    assert holders == {"PrivacyFunction"}
    env = _props(BODY, "PrivacyFunction")["Environment"]["Variables"]
    assert env["HOTELVOICE_CALL_EVENTS_DLQ_URL"] == {"Ref": "CallEventsDeadLetterQueue"}
    assert env["HOTELVOICE_PRIVACY_EXPORTS_BUCKET"] == {"Ref": "PrivacyExportsBucket"}


def test_the_privacy_function_answers_within_api_gateways_limit():
    assert int(_props(BODY, "PrivacyFunction")["Timeout"]) < 30


def test_local_mode_runs_no_schedule():
    """The daily retention run is a function without routes or queues locally, not an error."""
    (retention,) = [f for f in load_template().functions() if f.logical_id == "RetentionFunction"]
    assert retention.routes == []
    assert retention.sqs_sources == []
    assert retention.handler == "functions/retention/handler.lambda_handler"
