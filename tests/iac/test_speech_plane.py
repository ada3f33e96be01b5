"""Offline checks for the GPU speech plane IaC and the two service Dockerfiles."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any, get_args

import pytest

from hotelvoice.regions import EU_REGIONS
from hotelvoice.settings import Settings
from hotelvoice.tts.engine import AudioFormat
from hotelvoice.tts.router import TtsRouter
from hotelvoice.tts.shared_tier import SharedTier
from hotelvoice.tts.vendors import VENDOR_ENGINES
from local_mode.template import load_template

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "iac" / "speech-plane.yaml"


# Regions the rule must reject: a hard-coded sample (works without cfn-lint's region list)
# plus every region cfn-lint knows about, added in _all_known_regions().
NON_EU_SAMPLE = {
    "us-east-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "ap-south-1",
    "me-central-1",
    "il-central-1",
    "af-south-1",
    "cn-north-1",
    "us-gov-west-1",
    "eu-isoe-west-1",
    "eusc-de-east-1",
}

# Where a secret is fetched from (…_TOKEN_URL) or which client it belongs to (…_ID) is not one.
SECRET_NAME = re.compile(
    r"^(?!.*_(?:URL|ID)$).*(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL)", re.IGNORECASE
)


# --------------------------------------------------------------------------- template loading


def _load_template() -> dict[str, Any]:
    return load_template(TEMPLATE).body


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    assert TEMPLATE.is_file(), f"missing {TEMPLATE}"
    return _load_template()


def _task_definitions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: res
        for name, res in template["Resources"].items()
        if res["Type"] == "AWS::ECS::TaskDefinition"
    }


def _containers(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for td_name, td in _task_definitions(template).items():
        for container in td["Properties"]["ContainerDefinitions"]:
            found.append((f"{td_name}/{container['Name']}", container))
    return found


def _container(template: dict[str, Any], name: str) -> dict[str, Any]:
    for path, container in _containers(template):
        if path.endswith(f"/{name}"):
            return container
    raise AssertionError(f"no container named {name}")


# --------------------------------------------------------------------------- cfn-lint


def test_cfn_lint_passes_in_every_eu_region() -> None:
    pytest.importorskip("cfnlint")
    from cfnlint.api import ManualArgs, lint_file

    matches = lint_file(TEMPLATE, ManualArgs(regions=sorted(EU_REGIONS)))
    report = "\n".join(str(m) for m in matches)
    assert not matches, f"cfn-lint reported problems:\n{report}"


# --------------------------------------------------------------------------- EU-only rule


def _all_known_regions() -> set[str]:
    regions = set(NON_EU_SAMPLE | EU_REGIONS)
    try:
        from cfnlint.helpers import REGIONS
    except ImportError:  # pragma: no cover - cfn-lint is a dev dependency
        return regions
    return regions | set(REGIONS)


def _evaluate(expr: Any, region: str) -> Any:
    """Evaluate the subset of rule functions the template may use."""
    if isinstance(expr, list):
        return [_evaluate(item, region) for item in expr]
    if not isinstance(expr, dict):
        return expr
    assert len(expr) == 1, f"unexpected expression {expr!r}"
    ((fn, args),) = expr.items()
    if fn == "Ref":
        assert args == "AWS::Region", f"rule should only depend on AWS::Region, got {args}"
        return region
    if fn == "Fn::Contains":
        haystack, needle = _evaluate(args, region)
        return needle in haystack
    if fn == "Fn::Equals":
        left, right = _evaluate(args, region)
        return left == right
    if fn == "Fn::Or":
        return any(_evaluate(args, region))
    if fn == "Fn::And":
        return all(_evaluate(args, region))
    if fn == "Fn::Not":
        return not _evaluate(args, region)[0]
    raise AssertionError(f"unsupported rule function {fn}")


def _region_rules(template: dict[str, Any]) -> list[dict[str, Any]]:
    rules = template.get("Rules") or {}
    return [rule for rule in rules.values() if "AWS::Region" in json.dumps(rule.get("Assertions"))]


def _admitted(rule: dict[str, Any], region: str) -> bool:
    if "RuleCondition" in rule and not _evaluate(rule["RuleCondition"], region):
        return True
    return all(_evaluate(a["Assert"], region) for a in rule["Assertions"])


def test_region_rule_exists(template: dict[str, Any]) -> None:
    rules = _region_rules(template)
    assert rules, "template needs a Rules entry asserting on AWS::Region"
    for rule in rules:
        for assertion in rule["Assertions"]:
            assert assertion.get("AssertDescription"), "give the region rule a description"


def test_region_rule_admits_exactly_the_eu_regions(template: dict[str, Any]) -> None:
    rules = _region_rules(template)
    regions = _all_known_regions()
    admitted = {r for r in regions if all(_admitted(rule, r) for rule in rules)}
    assert admitted == EU_REGIONS


def test_region_rule_lists_exactly_the_eu_regions(template: dict[str, Any]) -> None:
    (rule,) = _region_rules(template)
    (assertion,) = rule["Assertions"]
    haystack, needle = assertion["Assert"]["Fn::Contains"]
    assert needle == {"Ref": "AWS::Region"}
    assert len(haystack) == len(set(haystack))
    assert set(haystack) == EU_REGIONS


def test_description_mentions_eu_only(template: dict[str, Any]) -> None:
    description = template["Description"]
    assert "EU" in description
    for region in EU_REGIONS:
        assert region in description


# --------------------------------------------------------------------------- secrets


def test_no_secret_looking_names_in_plain_environment(template: dict[str, Any]) -> None:
    containers = _containers(template)
    assert containers
    offenders = [
        f"{path}: {entry['Name']}"
        for path, container in containers
        for entry in container.get("Environment", [])
        if isinstance(entry, dict) and SECRET_NAME.search(str(entry.get("Name", "")))
    ]
    assert not offenders, f"secrets must come from Secrets, not Environment: {offenders}"


def _unconditional(entries: list[Any]) -> list[dict[str, Any]]:
    """Each entry, or both branches of a ``Fn::If`` entry (minus ``AWS::NoValue``)."""
    found = []
    for entry in entries:
        branches = entry["Fn::If"][1:] if "Fn::If" in entry else [entry]
        found += [b for b in branches if b != {"Ref": "AWS::NoValue"}]
    return found


def test_agent_secrets_come_from_secrets_manager_parameters(template: dict[str, Any]) -> None:
    agent = _container(template, "realtime-agent")
    secrets = {s["Name"]: s["ValueFrom"] for s in _unconditional(agent["Secrets"])}
    assert {"LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"} <= set(secrets)
    assert "HOTELVOICE_AUTH_CLIENT_SECRET" in secrets, "the agent's OAuth client secret is missing"
    assert any(name.endswith("API_KEY") and "LIVEKIT" not in name for name in secrets)
    params = template["Parameters"]
    for name, value_from in secrets.items():
        assert isinstance(value_from, dict), f"{name} must reference a parameter, not a literal"
        assert value_from["Ref"] in params
        assert "secretsmanager" in params[value_from["Ref"]]["AllowedPattern"]


# Secrets a deployment may go without: an empty ARN leaves the feature out.
OPTIONAL_SECRET_PARAMETERS = {
    "NgcRegistrySecretArn",
    "ElevenLabsApiKeySecretArn",
    "AzureSpeechKeySecretArn",
}


def test_secret_parameters_have_no_defaults(template: dict[str, Any]) -> None:
    for name, param in template["Parameters"].items():
        if name.endswith("SecretArn") and name not in OPTIONAL_SECRET_PARAMETERS:
            assert "Default" not in param, f"{name} must be supplied at deploy time"
        elif name in OPTIONAL_SECRET_PARAMETERS:
            assert param["Default"] == "", f"{name}: an optional secret defaults to empty"


# --------------------------------------------------------------------------- services


def test_riva_container_gets_one_gpu_and_grpc_port(template: dict[str, Any]) -> None:
    riva = _container(template, "riva")
    assert {"Type": "GPU", "Value": "1"} in riva["ResourceRequirements"]
    assert any(p["ContainerPort"] == 50051 for p in riva["PortMappings"])
    assert riva["Image"] == {"Ref": "RivaImage"}


def test_asr_proxy_environment_and_health(template: dict[str, Any]) -> None:
    proxy = _container(template, "asr-proxy")
    env = {e["Name"]: e["Value"] for e in proxy["Environment"]}
    assert env["HOTELVOICE_ASR_BACKEND"] == "riva"
    assert env["HOTELVOICE_RIVA_URI"] == "localhost:50051"
    assert any(p["ContainerPort"] == 8080 for p in proxy["PortMappings"])
    assert "/health" in " ".join(proxy["HealthCheck"]["Command"])
    tg = next(
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup"
    )
    assert tg["Properties"]["HealthCheckPath"] == "/health"


def test_agent_runs_start_on_fargate_without_inbound_ports(template: dict[str, Any]) -> None:
    agent = _container(template, "realtime-agent")
    assert agent["Command"] == ["python", "-m", "realtime_agent", "start"]
    assert not agent.get("PortMappings")
    assert agent["StopTimeout"] >= 120
    td = template["Resources"]["AgentTaskDefinition"]["Properties"]
    assert td["RequiresCompatibilities"] == ["FARGATE"]
    sg = template["Resources"]["AgentSecurityGroup"]["Properties"]
    assert not sg.get("SecurityGroupIngress")


def test_every_container_logs_to_a_kms_encrypted_log_group(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    for path, container in _containers(template):
        options = container["LogConfiguration"]["Options"]
        group = resources[options["awslogs-group"]["Ref"]]
        assert group["Type"] == "AWS::Logs::LogGroup", path
        assert "RetentionInDays" in group["Properties"], path
        assert "KmsKeyId" in group["Properties"], path


def test_both_services_autoscale(template: dict[str, Any]) -> None:
    policies = [
        r["Properties"]["TargetTrackingScalingPolicyConfiguration"]
        .get("PredefinedMetricSpecification", {})
        .get("PredefinedMetricType")
        for r in template["Resources"].values()
        if r["Type"] == "AWS::ApplicationAutoScaling::ScalingPolicy"
    ]
    assert "ECSServiceAverageCPUUtilization" in policies
    assert "ALBRequestCountPerTarget" in policies


def test_required_parameters_and_outputs(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    for name in (
        "AgentImageDigest",
        "AsrProxyImageDigest",
        "RivaImage",
        "VpcId",
        "PrivateSubnetIds",
        "GpuInstanceType",
        "AgentDesiredCount",
        "AsrDesiredCount",
        "ControlPlaneApiUrl",
    ):
        assert name in params, name
    assert params["GpuInstanceType"]["AllowedValues"]
    assert {"ClusterName", "AsrProxyUrl", "AgentServiceName"} <= set(template["Outputs"])


# --------------------------------------------------------------------------- rendering a stack

PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::Region": "eu-central-1",
    "AWS::AccountId": "123456789012",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "hv-speech",
}
ARN = "arn:aws:{}:eu-central-1:123456789012:{}"
# Azure regions in EU member states (Speech is not offered in every one of them).
AZURE_EU_REGIONS = {
    "westeurope",
    "northeurope",
    "germanywestcentral",
    "germanynorth",
    "francecentral",
    "francesouth",
    "swedencentral",
    "italynorth",
    "polandcentral",
    "spaincentral",
}
DATA_KEY = ARN.format("kms", "key/0a1b2c3d-1111-2222-3333-444455556666")
ELEVENLABS_SECRET = ARN.format("secretsmanager", "secret:ElevenLabsApiKey-AbCdEf")
AZURE_SECRET = ARN.format("secretsmanager", "secret:AzureSpeechKey-AbCdEf")
DIGEST = "sha256:" + "0123456789abcdef" * 4
REQUIRED = {
    "AgentImageDigest": DIGEST,
    "AsrProxyImageDigest": DIGEST.replace("0", "f"),
    "RivaImage": f"nvcr.io/nvidia/riva/riva-speech@{DIGEST}",
    "ModelSyncImage": f"public.ecr.aws/aws-cli/aws-cli@{DIGEST}",
    "RivaModelBucket": "hv-models",
    "VpcId": "vpc-0123456789abcdef0",
    "PrivateSubnetIds": "subnet-0aaa,subnet-0bbb",
    "LiveKitUrl": "wss://hotel.livekit.cloud",
    "ControlPlaneApiUrl": "https://abc123defg.execute-api.eu-central-1.amazonaws.com",
    "ControlPlaneApiId": "abc123defg",
    "LiveKitApiKeySecretArn": ARN.format("secretsmanager", "secret:lk-key-AbCdEf"),
    "LiveKitApiSecretSecretArn": ARN.format("secretsmanager", "secret:lk-secret-AbCdEf"),
    "LlmApiKeySecretArn": ARN.format("secretsmanager", "secret:llm-AbCdEf"),
    "AgentTokenUrl": "https://idp.example.eu/oauth2/token",
    "AgentClientId": "agent-client",
    "AgentClientSecretArn": ARN.format("secretsmanager", "secret:agent-AbCdEf"),
    "TtsCacheBucketName": "hv-tts-cache",
    "TtsCacheTableName": "hv-TtsCacheTable-1AB2",
    "DataKeyArn": DATA_KEY,
    "AsrDomainName": "asr.voice.example-hotels.eu",
    "AlarmTopicArn": ARN.format("sns", "hv-AlarmTopic-1AB2"),
    "AsrCertificateArn": ARN.format("acm", "certificate/0a1b2c3d-1111-2222-3333-444455556666"),
}
NO_VALUE = object()


class Stack:
    """A deployment of the template with given parameters, rendered like CloudFormation does.

    Covers the intrinsic functions this template uses; anything else fails the test, so a new
    function gets an evaluator before a test relies on it.
    """

    def __init__(self, template: dict[str, Any], **overrides: str) -> None:
        self.template = template
        self.params: dict[str, Any] = {}
        for name, spec in template["Parameters"].items():
            raw = {**REQUIRED, **overrides}.get(name, spec.get("Default"))
            assert raw is not None, f"no value for required parameter {name}"
            listy = spec["Type"] == "CommaDelimitedList" or spec["Type"].startswith("List<")
            self.params[name] = str(raw).split(",") if listy else str(raw)
            if "AllowedValues" in spec:
                allowed = {str(v) for v in spec["AllowedValues"]}
                values = self.params[name] if listy else [self.params[name]]
                assert set(values) <= allowed, f"{name}={raw} is not allowed"

    def condition(self, name: str) -> bool:
        return bool(self.value(self.template["Conditions"][name]))

    def resource(self, name: str) -> dict[str, Any] | None:
        """The resource's rendered properties, or None when its Condition leaves it out."""
        res = self.template["Resources"][name]
        if "Condition" in res and not self.condition(res["Condition"]):
            return None
        props: dict[str, Any] = self.value(res.get("Properties", {}))
        return props

    def container(self, name: str) -> dict[str, Any]:
        for td_name in _task_definitions(self.template):
            props = self.resource(td_name)
            assert props is not None
            for container in props["ContainerDefinitions"]:
                if container["Name"] == name:
                    return dict(container)
        raise AssertionError(f"no container named {name}")

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.params:
            return self.params[name]
        assert name in self.template["Resources"], f"Ref to unknown {name}"
        return f"<{name}>"

    def _sub(self, text: str, variables: dict[str, Any]) -> str:
        def one(match: re.Match[str]) -> str:
            key = match.group(1)
            if key in variables:
                return str(variables[key])
            if "." in key and key.split(".", 1)[0] in self.template["Resources"]:
                return f"<{key}>"
            value = self._ref(key)
            assert isinstance(value, str), f"${{{key}}} is not a string"
            return value

        return re.sub(r"\$\{([^}!]+)\}", one, text)

    def value(self, expr: Any) -> Any:
        if isinstance(expr, list):
            return [v for v in (self.value(item) for item in expr) if v is not NO_VALUE]
        if not isinstance(expr, dict):
            return expr
        if len(expr) == 1:
            ((key, args),) = expr.items()
            if key == "Ref":
                return self._ref(args)
            if key in {"Condition", "Fn::Condition"}:
                return self.condition(args)
            if key == "Fn::If":
                cond, if_true, if_false = args
                return self.value(if_true if self.condition(cond) else if_false)
            if key == "Fn::Sub":
                text, variables = (args, {}) if isinstance(args, str) else args
                return self._sub(text, {k: self.value(v) for k, v in variables.items()})
            if key == "Fn::Join":
                delimiter, items = args
                values = self.value(items)
                return delimiter.join(values if isinstance(values, list) else [values])
            if key == "Fn::GetAtt":
                return f"<{'.'.join(args)}>"
            if key == "Fn::Base64":
                return self.value(args)
            if key == "Fn::Equals":
                left, right = self.value(args)
                return left == right
            if key == "Fn::Not":
                return not self.value(args)[0]
            if key == "Fn::Or":
                return any(self.value(args))
            if key == "Fn::And":
                return all(self.value(args))
            assert not key.startswith("Fn::"), f"no evaluator for {key}"
        return {k: v for k, v in ((k, self.value(v)) for k, v in expr.items()) if v is not NO_VALUE}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]


def _grants(role: dict[str, Any], prefix: str) -> set[tuple[str, str]]:
    """(action, resource) pairs the role allows for actions of one service."""
    grants = set()
    for statement in _statements(role):
        assert statement["Effect"] == "Allow"
        assert "NotAction" not in statement
        assert "NotResource" not in statement
        for action in _as_list(statement["Action"]):
            if action.startswith(prefix) or action == "*":
                grants |= {(action, r) for r in _as_list(statement["Resource"])}
    return grants


def _environment(container: dict[str, Any]) -> dict[str, str]:
    return {e["Name"]: e["Value"] for e in container.get("Environment", [])}


def _secrets(container: dict[str, Any]) -> dict[str, str]:
    return {s["Name"]: s["ValueFrom"] for s in container.get("Secrets", [])}


@pytest.fixture(scope="module")
def stack(template: dict[str, Any]) -> Stack:
    """The defaults plus the required values: no vendor keys given."""
    return Stack(template)


@pytest.fixture(scope="module")
def stack_with_keys(template: dict[str, Any]) -> Stack:
    return Stack(
        template,
        ElevenLabsApiKeySecretArn=ELEVENLABS_SECRET,
        AzureSpeechKeySecretArn=AZURE_SECRET,
    )


def _settings_of(stack: Stack, secret_values: dict[str, str]) -> Settings:
    """What the agent's Settings read from the environment ECS would give its container.

    Secrets not in ``secret_values`` get a placeholder value.
    """
    agent = stack.container("realtime-agent")
    env = _environment(agent) | {
        name: secret_values.get(arn, f"{name.lower()}-value")
        for name, arn in _secrets(agent).items()
    }
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith(("HOTELVOICE_", "LIVEKIT_", "ELEVENLABS_", "AZURE_")):
                mp.delenv(name)
        for name, value in env.items():
            mp.setenv(name, value)
        return Settings()


# --------------------------------------------------------------------------- speech features


def test_agent_task_role_grants_exactly_get_put_list_on_the_tts_cache(stack: Stack) -> None:
    role = stack.resource("AgentTaskRole")
    assert role is not None
    assert not role.get("ManagedPolicyArns"), "managed policies would widen the task role"
    objects = "arn:aws:s3:::hv-tts-cache/tts/*"
    table = "arn:aws:dynamodb:eu-central-1:123456789012:table/hv-TtsCacheTable-1AB2"
    assert _grants(role, "s3:") == {
        ("s3:GetObject", objects),
        ("s3:PutObject", objects),
        ("s3:ListBucket", "arn:aws:s3:::hv-tts-cache"),  # a 404, not a 403, for expired audio
    }
    assert _grants(role, "dynamodb:") == {
        ("dynamodb:GetItem", table),
        ("dynamodb:PutItem", table),
    }
    assert _grants(role, "secretsmanager:") == set(), "the task role must not read secrets"


def test_agent_task_role_uses_the_data_key_only_through_s3_and_dynamodb(stack: Stack) -> None:
    role = stack.resource("AgentTaskRole")
    assert role is not None
    assert _grants(role, "kms:") == {("kms:Decrypt", DATA_KEY), ("kms:GenerateDataKey", DATA_KEY)}
    (statement,) = [s for s in _statements(role) if "kms:Decrypt" in _as_list(s["Action"])]
    via = set(_as_list(statement["Condition"]["StringEquals"]["kms:ViaService"]))
    assert via == {"s3.eu-central-1.amazonaws.com", "dynamodb.eu-central-1.amazonaws.com"}


def test_control_plane_outputs_what_the_agent_needs() -> None:
    control = load_template().body
    outputs = control["Outputs"]
    assert outputs["DataKeyArn"]["Value"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
    assert outputs["TtsCacheBucketName"]["Value"] == {"Ref": "TtsCacheBucket"}
    assert outputs["TtsCacheTableName"]["Value"] == {"Ref": "TtsCacheTable"}
    speech_days = load_template(TEMPLATE).body["Parameters"]["TtsCacheDays"]
    assert speech_days["Default"] == control["Parameters"]["TtsCacheDays"]["Default"]
    # Both are encrypted with DataKey: that is why the task role needs the key at all.
    resources = control["Resources"]
    bucket_sse = resources["TtsCacheBucket"]["Properties"]["BucketEncryption"]
    default = bucket_sse["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert default["KMSMasterKeyID"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
    table_sse = resources["TtsCacheTable"]["Properties"]["SSESpecification"]
    assert table_sse["KMSMasterKeyId"] == {"Ref": "DataKey"}
    for secret in ("ElevenLabsApiKey", "AzureSpeechKey"):
        assert resources[secret]["Properties"]["KmsKeyId"] == {"Ref": "DataKey"}


def test_vendor_keys_are_task_secrets_only_when_given(stack: Stack, stack_with_keys: Stack) -> None:
    without, given = stack.container("realtime-agent"), stack_with_keys.container("realtime-agent")
    vendor = {"HOTELVOICE_ELEVENLABS_API_KEY", "HOTELVOICE_AZURE_SPEECH_KEY"}
    assert not vendor & set(_secrets(without))
    assert {k: v for k, v in _secrets(given).items() if k in vendor} == {
        "HOTELVOICE_ELEVENLABS_API_KEY": ELEVENLABS_SECRET,
        "HOTELVOICE_AZURE_SPEECH_KEY": AZURE_SECRET,
    }
    for container in (without, given):
        assert not vendor & set(_environment(container)), "vendor keys must not be plain env"
    assert _secrets(given).keys() - vendor == _secrets(without).keys()


def test_execution_role_reads_exactly_the_injected_secrets(
    stack: Stack, stack_with_keys: Stack
) -> None:
    for rendered in (stack, stack_with_keys):
        role = rendered.resource("AgentExecutionRole")
        assert role is not None
        readable = {r for _, r in _grants(role, "secretsmanager:")}
        assert readable == set(_secrets(rendered.container("realtime-agent")).values())
    role = stack_with_keys.resource("AgentExecutionRole")
    assert role is not None
    assert ("kms:Decrypt", DATA_KEY) in _grants(role, "kms:"), "vendor secrets use DataKey"
    role = stack.resource("AgentExecutionRole")
    assert role is not None
    assert ("kms:Decrypt", DATA_KEY) not in _grants(role, "kms:")


def test_optional_secret_parameters_are_only_used_behind_their_condition(
    template: dict[str, Any],
) -> None:
    guards = {
        name: {"Fn::Not": [{"Fn::Equals": [{"Ref": param}, ""]}]}
        for name, param in (
            ("HasNgcRegistrySecret", "NgcRegistrySecretArn"),
            ("HasElevenLabsKeySecret", "ElevenLabsApiKeySecretArn"),
            ("HasAzureSpeechKeySecret", "AzureSpeechKeySecretArn"),
        )
    }
    for name, guard in guards.items():
        assert template["Conditions"][name] == guard

    def unguarded(node: Any, guarded_by: frozenset[str]) -> list[str]:
        if isinstance(node, list):
            return [u for item in node for u in unguarded(item, guarded_by)]
        if not isinstance(node, dict):
            return []
        if "Fn::If" in node:
            cond, if_true, if_false = node["Fn::If"]
            return unguarded(if_true, guarded_by | {cond}) + unguarded(if_false, guarded_by)
        ref = node.get("Ref")
        if ref in OPTIONAL_SECRET_PARAMETERS:
            needed = {
                c for c, g in guards.items() if g["Fn::Not"][0]["Fn::Equals"][0]["Ref"] == ref
            }
            return [] if needed & guarded_by else [ref]
        return [u for value in node.values() for u in unguarded(value, guarded_by)]

    assert unguarded(template["Resources"], frozenset()) == []


def test_agent_settings_read_the_rendered_environment(stack_with_keys: Stack) -> None:
    settings = _settings_of(stack_with_keys, {ELEVENLABS_SECRET: "el-key", AZURE_SECRET: "az-key"})
    assert settings.tts_engines == ["elevenlabs", "azure", "espeak"]
    assert settings.tts_format == "pcm_16000"
    assert settings.tts_cache_bucket == "hv-tts-cache"
    assert settings.tts_cache_table == "hv-TtsCacheTable-1AB2"
    assert settings.tts_cache_days == 30
    assert settings.agent_stt == "proxy-stream"
    assert settings.azure_speech_region == "westeurope"
    assert settings.elevenlabs_api_key == "el-key"
    assert settings.azure_speech_key == "az-key"
    assert settings.asr_url == "https://asr.voice.example-hotels.eu"


def test_unset_vendor_secrets_leave_only_espeak_in_the_chain(template: dict[str, Any]) -> None:
    rendered = Stack(
        template,
        ElevenLabsApiKeySecretArn=ELEVENLABS_SECRET,
        AzureSpeechKeySecretArn=AZURE_SECRET,
        TtsEngines="azure,espeak",
        TtsFormat="pcm_8000",
    )
    # template.yaml creates both vendor secrets holding "unset".
    settings = _settings_of(rendered, {ELEVENLABS_SECRET: "unset", AZURE_SECRET: "unset"})
    assert settings.tts_engines == ["azure", "espeak"]
    router = TtsRouter.from_settings(settings)
    assert [engine.name for engine in router.engines] == ["espeak"]
    assert router.fmt is AudioFormat.PCM_8000
    assert router.cache is not None
    shared = router.cache.tiers[-1]
    assert isinstance(shared, SharedTier)
    assert (shared.bucket, shared.table) == ("hv-tts-cache", "hv-TtsCacheTable-1AB2")


def test_speech_parameters_admit_only_what_the_code_and_the_eu_allow(
    template: dict[str, Any],
) -> None:
    params = template["Parameters"]
    assert set(params["TtsFormat"]["AllowedValues"]) == {f.value for f in AudioFormat}
    assert set(params["TtsEngines"]["AllowedValues"]) == {*VENDOR_ENGINES, "espeak"}
    assert set(params["AgentStt"]["AllowedValues"]) == {"proxy-stream", "proxy"}
    assert params["AgentStt"]["Default"] == "proxy-stream"
    turns = params["AgentTurnDetection"]
    assert set(turns["AllowedValues"]) == set(
        get_args(Settings.model_fields["agent_turn_detection"].annotation)
    )
    assert turns["Default"] == Settings.model_fields["agent_turn_detection"].default
    azure = set(params["AzureSpeechRegion"]["AllowedValues"])
    assert azure <= AZURE_EU_REGIONS, f"not EU Azure regions: {azure - AZURE_EU_REGIONS}"
    assert params["AzureSpeechRegion"]["Default"] in azure
    assert Settings.model_fields["azure_speech_region"].default in azure
    for url in params["ElevenLabsBaseUrl"]["AllowedValues"]:
        assert ".eu." in url, f"{url} is not ElevenLabs' EU data-residency host"
    assert re.fullmatch(params["DataKeyArn"]["AllowedPattern"], DATA_KEY)
    assert not re.fullmatch(
        params["DataKeyArn"]["AllowedPattern"], DATA_KEY.replace("eu-central-1", "us-east-1")
    )


def test_alb_keeps_idle_streams_open_longer_than_the_proxy(stack: Stack) -> None:
    alb = stack.resource("AsrLoadBalancer")
    assert alb is not None
    attributes = {a["Key"]: a["Value"] for a in alb["LoadBalancerAttributes"]}
    idle_s = int(attributes["idle_timeout.timeout_seconds"])
    proxy_env = _environment(stack.container("asr-proxy"))
    proxy_idle_s = float(
        proxy_env.get(
            "HOTELVOICE_ASR_STREAM_IDLE_S", Settings.model_fields["asr_stream_idle_s"].default
        )
    )
    assert idle_s >= 60
    assert idle_s >= 2 * proxy_idle_s, "the proxy, not the ALB, must close an idle stream"
    group = stack.resource("AsrTargetGroup")
    assert group is not None
    assert group["HealthCheckPath"] == "/health"
    assert group["Port"] == 8080


def test_asr_max_streams_is_one_parameter_for_proxy_and_scaling(
    template: dict[str, Any],
) -> None:
    proxy = _container(template, "asr-proxy")
    env = {e["Name"]: e["Value"] for e in proxy["Environment"]}
    assert env["HOTELVOICE_ASR_MAX_STREAMS"] == {"Ref": "AsrMaxStreams"}
    params = template["Parameters"]
    assert params["AsrMaxStreams"]["Default"] == Settings.model_fields["asr_max_streams"].default
    assert (
        int(
            _environment(Stack(template, AsrMaxStreams="42").container("asr-proxy"))[
                "HOTELVOICE_ASR_MAX_STREAMS"
            ]
        )
        == 42
    )
    assert params["AsrTargetStreamUtilisationPercent"]["MaxValue"] < 100
    # With 40 streams allowed, a task at the target serves 70 % of them: 28 streams, each
    # holding two ALB connections (agent to ALB, ALB to task).
    policy = Stack(template, AsrMaxStreams="40").resource("AsrStreamScaling")
    assert policy is not None
    config = policy["TargetTrackingScalingPolicyConfiguration"]
    assert config["TargetValue"] == "70"
    assert _utilisation(config, connections=2 * 28 * 3, tasks=3) == pytest.approx(70.0)
    assert _utilisation(config, connections=2 * 40, tasks=1) == pytest.approx(100.0)


def _utilisation(config: dict[str, Any], *, connections: float, tasks: float) -> float:
    """The scaling policy's metric-math expression evaluated on given ALB metrics."""
    queries = config["CustomizedMetricSpecification"]["Metrics"]
    (returned,) = [q for q in queries if q["ReturnData"]]
    metrics = {
        q["Id"]: q["MetricStat"]["Metric"]["MetricName"] for q in queries if "MetricStat" in q
    }
    assert metrics == {"connections": "ActiveConnectionCount", "tasks": "HealthyHostCount"}
    text = returned["Expression"].replace("FILL(connections, 0)", str(connections))
    text = text.replace("tasks", str(tasks))
    assert re.fullmatch(r"[0-9 .*/()+-]+", text), f"unexpected expression {text}"
    return float(eval(text))  # arithmetic only, checked above


def test_metrics_are_never_served_through_the_alb(template: dict[str, Any], stack: Stack) -> None:
    resources = template["Resources"]
    listeners = [n for n, r in resources.items() if r["Type"].endswith("::Listener")]
    assert listeners == ["AsrListener"]
    rules = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule"
    ]
    hiding = [
        rule
        for rule in rules
        if rule["ListenerArn"] == {"Ref": "AsrListener"}
        and any("/metrics" in c["PathPatternConfig"]["Values"] for c in rule["Conditions"])
    ]
    assert hiding, "the ASR listener must refuse /metrics"
    for rule in hiding:
        assert [a["Type"] for a in rule["Actions"]] == ["fixed-response"]
        assert rule["Actions"][0]["FixedResponseConfig"]["StatusCode"] == "404"
    # Direct scraping only from the named security group, and only when one is given.
    assert stack.resource("AsrTaskFromScraperIngress") is None
    scraper = Stack(template, MetricsScraperSecurityGroupId="sg-0123456789abcdef0")
    ingress = scraper.resource("AsrTaskFromScraperIngress")
    assert ingress is not None
    assert ingress["SourceSecurityGroupId"] == "sg-0123456789abcdef0"
    assert (ingress["FromPort"], ingress["ToPort"]) == (8080, 8080)
    for name, res in resources.items():
        if res["Type"] == "AWS::EC2::SecurityGroupIngress":
            assert "CidrIp" not in res["Properties"], f"{name} opens a port to an address range"


def test_caller_audio_reaches_the_asr_proxy_only_over_tls(
    template: dict[str, Any], stack: Stack
) -> None:
    listener = stack.resource("AsrListener")
    assert listener is not None
    assert (listener["Protocol"], listener["Port"]) == ("HTTPS", 443)
    assert listener["SslPolicy"].startswith("ELBSecurityPolicy-TLS13-1-2")  # TLS 1.2 and 1.3 only
    assert listener["Certificates"] == [{"CertificateArn": REQUIRED["AsrCertificateArn"]}]
    into_alb = stack.resource("AsrAlbFromAgentIngress") or {}
    assert (into_alb.get("FromPort"), into_alb.get("ToPort")) == (443, 443)
    agent_egress = [
        rule
        for rule in stack.resource("AgentSecurityGroup")["SecurityGroupEgress"]
        if rule.get("DestinationSecurityGroupId") == "<AsrAlbSecurityGroup>"
    ]
    assert [(r["FromPort"], r["ToPort"]) for r in agent_egress] == [(443, 443)]
    # The name the certificate covers resolves to the load balancer inside the VPC only.
    zone = stack.resource("AsrPrivateZone")
    assert zone is not None
    assert zone["Name"] == REQUIRED["AsrDomainName"]
    assert zone["VPCs"] == [{"VPCId": REQUIRED["VpcId"], "VPCRegion": "eu-central-1"}]
    record = stack.resource("AsrDnsRecord")
    assert record is not None
    assert record["Name"] == REQUIRED["AsrDomainName"]
    assert record["AliasTarget"]["DNSName"] == "<AsrLoadBalancer.DNSName>"
    assert "AsrDnsRecord" in template["Resources"]["AgentService"]["DependsOn"]
    pattern = template["Parameters"]["AsrCertificateArn"]["AllowedPattern"]
    assert re.fullmatch(pattern, REQUIRED["AsrCertificateArn"])
    assert not re.fullmatch(
        pattern, REQUIRED["AsrCertificateArn"].replace("eu-central-1", "us-east-1")
    )


SPEECH_ALARMS = {
    "AgentCallsFailingAlarm": "AgentCallsFailed",
    "RivaLostAlarm": "RivaLost",
    "AgentTasksMissingAlarm": "RunningTaskCount",
    "AsrTasksMissingAlarm": "RunningTaskCount",
}
"""Each alarm the speech plane needs, by a metric it must watch."""


def _alarm_metrics(alarm: dict[str, Any]) -> set[str]:
    if "MetricName" in alarm:
        return {alarm["MetricName"]}
    return {
        query["MetricStat"]["Metric"]["MetricName"]
        for query in alarm.get("Metrics", [])
        if "MetricStat" in query
    }


def test_the_speech_plane_pages_someone_and_has_a_dashboard(stack: Stack) -> None:
    topic = REQUIRED["AlarmTopicArn"]
    for name, metric in SPEECH_ALARMS.items():
        alarm = stack.resource(name)
        assert alarm is not None, name
        assert metric in _alarm_metrics(alarm), name
        assert alarm["AlarmActions"] == [topic], name
        assert alarm["OKActions"] == [topic], name
    board = stack.resource("SpeechDashboard")
    assert board is not None
    widgets = json.loads(board["DashboardBody"])["widgets"]
    shown = json.dumps(widgets)
    for metric in (
        "AgentCallsFailed",
        "ActiveCalls",
        "RivaLost",
        "ActiveConnectionCount",
        "HealthyHostCount",
    ):
        assert metric in shown, metric
    assert all(w["properties"]["region"] == "eu-central-1" for w in widgets)


def test_the_log_metrics_count_lines_the_code_writes(stack: Stack) -> None:
    """A filter that matches nothing would leave its alarm silent forever."""
    sources = {
        "AgentCallsFailedMetric": REPO / "realtime_agent" / "call_failure.py",
        "RivaLostMetric": REPO / "gpu_asr" / "riva_stream.py",
    }
    for name, source in sources.items():
        pattern = stack.resource(name)["FilterPattern"]
        phrases = [p.rstrip("*") for p in re.findall(r'"([^"]+)"', pattern) if p != "$.message"]
        code = source.read_text() + (REPO / "gpu_asr" / "riva_backend.py").read_text()
        for phrase in phrases:
            assert phrase in code, (name, phrase)


# --------------------------------------------------------------------------- Dockerfiles

DOCKERFILES = {
    "realtime_agent": (
        REPO / "realtime_agent" / "Dockerfile",
        ["python", "-m", "realtime_agent", "start"],
        "agent",
    ),
    "gpu_asr": (
        REPO / "gpu_asr" / "Dockerfile",
        ["uvicorn", "gpu_asr.app:app", "--host", "0.0.0.0", "--port", "8080"],
        "asr",
    ),
}


def _instructions(path: Path) -> list[tuple[str, str]]:
    """Parse a Dockerfile into (INSTRUCTION, arguments), joining continuation lines."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if full:
            keyword, _, args = full.partition(" ")
            result.append((keyword.upper(), args.strip()))
    assert not pending, f"{path}: dangling line continuation"
    return result


def _final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (kw, _) in enumerate(instructions) if kw == "FROM")
    return instructions[last_from:]


@pytest.fixture(params=sorted(DOCKERFILES), ids=sorted(DOCKERFILES))
def dockerfile(request: pytest.FixtureRequest) -> tuple[str, list[tuple[str, str]], Path]:
    path = DOCKERFILES[request.param][0]
    assert path.is_file(), f"missing {path}"
    return request.param, _instructions(path), path


def test_base_images_are_pinned_by_digest(
    dockerfile: tuple[str, list[tuple[str, str]], Path],
) -> None:
    _, instructions, _ = dockerfile
    stages: set[str] = set()
    froms = [args for kw, args in instructions if kw == "FROM"]
    assert len(froms) >= 2, "use a multi-stage build"
    for args in froms:
        parts = [p for p in args.split() if not p.startswith("--")]
        image = parts[0]
        if image.lower() in stages:
            continue
        assert "$" not in image, f"FROM {image}: write the pinned image literally"
        assert re.fullmatch(r"[^@\s]+@sha256:[a-f0-9]{64}", image), f"FROM {image}: no digest"
        assert image.startswith("python:3.11-slim-bookworm@"), image
        if len(parts) >= 3 and parts[1].upper() == "AS":
            stages.add(parts[2].lower())


def test_multi_stage_venv_is_copied(dockerfile: tuple[str, list[tuple[str, str]], Path]) -> None:
    name, instructions, _ = dockerfile
    extra = DOCKERFILES[name][2]
    runs = " ".join(args for kw, args in instructions if kw == "RUN")
    # the deployable's lock, every file hash-checked, then the project without resolving more
    assert f"pip install --require-hashes -r locks/{extra}.txt" in runs
    assert "pip install --no-deps ." in runs
    copies = [args for kw, args in _final_stage(instructions) if kw == "COPY"]
    assert any(c.startswith("--from=") and "/opt/venv" in c for c in copies)


def test_runs_as_non_root_user(dockerfile: tuple[str, list[tuple[str, str]], Path]) -> None:
    _, instructions, _ = dockerfile
    users = [args for kw, args in _final_stage(instructions) if kw == "USER"]
    assert users, "final stage needs a USER instruction"
    user = users[-1].split(":", 1)[0].strip()
    assert user not in {"root", "0", ""}


def test_python_env_flags(dockerfile: tuple[str, list[tuple[str, str]], Path]) -> None:
    _, instructions, _ = dockerfile
    env = " ".join(args for kw, args in _final_stage(instructions) if kw == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    assert "PYTHONUNBUFFERED=1" in env


def test_cmd_is_exec_form(dockerfile: tuple[str, list[tuple[str, str]], Path]) -> None:
    name, instructions, _ = dockerfile
    cmds = [args for kw, args in instructions if kw == "CMD"]
    assert cmds, "missing CMD"
    assert json.loads(cmds[-1]) == DOCKERFILES[name][1]


def test_no_remote_add_and_no_secrets(dockerfile: tuple[str, list[tuple[str, str]], Path]) -> None:
    _, instructions, path = dockerfile
    for kw, args in instructions:
        if kw == "ADD":
            assert not re.search(r"(?i)\b(https?|ftp)://", args), f"ADD from URL: {args}"
        if kw in {"ENV", "ARG", "LABEL"}:
            for key in re.findall(r"([A-Za-z_][A-Za-z0-9_.-]*)\s*=", args) or [args.split()[0]]:
                assert not SECRET_NAME.search(key), f"{kw} {key} looks like a secret"
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"AKIA[0-9A-Z]{16}", text), "AWS access key id in Dockerfile"
    assert "-----BEGIN" not in text, "private key material in Dockerfile"
    assert not re.search(r"(?i)(nvapi-|sk-[A-Za-z0-9]{20,})", text), "API key in Dockerfile"


HEALTH_URLS = {
    "gpu_asr": "http://127.0.0.1:8080/health",
    "realtime_agent": "http://127.0.0.1:8081/",
}
"""What each image's HEALTHCHECK probes: the proxy's /health, LiveKit's worker health server."""


@pytest.mark.parametrize("image", list(DOCKERFILES))
def test_each_image_checks_its_health_with_python(image: str) -> None:
    instructions = _instructions(DOCKERFILES[image][0])
    checks = [args for kw, args in instructions if kw == "HEALTHCHECK"]
    assert checks, f"the {image} image needs a HEALTHCHECK"
    assert HEALTH_URLS[image] in checks[-1]
    assert "urllib" in checks[-1]
    assert "curl" not in checks[-1]


def test_dockerignore_excludes_local_state() -> None:
    path = REPO / ".dockerignore"
    assert path.is_file()
    patterns = {
        line.strip().strip("/")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".venv", ".tools", "tests", ".git", "out"):
        assert required in patterns, f".dockerignore should exclude {required}"
    assert any("__pycache__" in p for p in patterns)


def test_the_tts_function_calls_the_vendors_where_the_agent_does(
    template: dict[str, Any],
) -> None:
    # Both places that speak through ElevenLabs and Azure (the agent here, POST /v1/tts in
    # template.yaml) admit the same EU-only hosts and regions, from their own parameters.
    sam = load_template().body
    env = sam["Resources"]["TtsFunction"]["Properties"]["Environment"]["Variables"]
    assert env["HOTELVOICE_ELEVENLABS_BASE_URL"] == {"Ref": "ElevenLabsBaseUrl"}
    assert env["HOTELVOICE_AZURE_SPEECH_REGION"] == {"Ref": "AzureSpeechRegion"}
    assert env["HOTELVOICE_ELEVENLABS_ZERO_RETENTION"] == {"Ref": "ElevenLabsZeroRetention"}
    for name in ("ElevenLabsBaseUrl", "AzureSpeechRegion", "ElevenLabsZeroRetention"):
        ours, theirs = sam["Parameters"][name], template["Parameters"][name]
        assert ours["AllowedValues"] == theirs["AllowedValues"], name
        assert ours["Default"] == theirs["Default"], name


def test_the_gpu_hosts_publish_gpu_metrics_the_dashboard_shows(stack: Stack) -> None:
    script = stack.resource("GpuLaunchTemplate")["LaunchTemplateData"]["UserData"]  # rendered
    checked = subprocess.run(
        ["bash", "-n"], input=script, text=True, capture_output=True, check=False
    )
    assert checked.returncode == 0, checked.stderr  # the boot script parses
    config = json.loads(script.split("hotelvoice-gpu.json <<'EOF'\n", 1)[1].split("\nEOF", 1)[0])
    measured = config["metrics"]["metrics_collected"]["nvidia_gpu"]["measurement"]
    assert {"utilization_gpu", "memory_used", "memory_total"} <= set(measured)
    namespace = config["metrics"]["namespace"]
    # The instance may publish there and nowhere else.
    role = stack.resource("GpuInstanceRole")
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    puts = [s for s in statements if s["Action"] == "cloudwatch:PutMetricData"]
    assert [s["Condition"]["StringEquals"]["cloudwatch:namespace"] for s in puts] == [namespace]
    # The agent names its metrics nvidia_smi_<measurement>; the dashboard reads those.
    shown = stack.resource("SpeechDashboard")["DashboardBody"]
    for measurement in ("utilization_gpu", "memory_used", "memory_total"):
        assert f'["{namespace}", "nvidia_smi_{measurement}"' in shown, measurement


def test_every_container_runs_an_image_pinned_by_digest(stack: Stack) -> None:
    images = [
        container["Image"]
        for resource in stack.template["Resources"]
        if stack.template["Resources"][resource]["Type"] == "AWS::ECS::TaskDefinition"
        for container in stack.resource(resource)["ContainerDefinitions"]
    ]
    assert len(images) >= 4  # agent, ASR proxy, Riva, the model sync
    for image in images:
        assert re.fullmatch(r"[^\s@:]+(:[0-9]+)?/[^\s@]+@sha256:[a-f0-9]{64}", image), image


def test_image_parameters_refuse_a_tag(template: dict[str, Any]) -> None:
    for name in ("AgentImageDigest", "AsrProxyImageDigest", "RivaImage", "ModelSyncImage"):
        pattern = template["Parameters"][name]["AllowedPattern"]
        assert "Default" not in template["Parameters"][name], name
        for tagged in ("0123abcd", "nvcr.io/nvidia/riva/riva-speech:2.19.0", "x/y:latest"):
            assert not re.fullmatch(pattern, tagged), (name, tagged)
        pinned = REQUIRED[name]
        assert re.fullmatch(pattern, pinned), (name, pinned)


def test_both_images_build_on_the_same_base() -> None:
    """One base digest: the agent and the ASR proxy get the same Python and Debian fixes."""
    bases = {
        args.split()[0]
        for path, _, _ in DOCKERFILES.values()
        for kw, args in _instructions(path)
        if kw == "FROM" and "@sha256:" in args
    }
    assert len(bases) == 1, bases
