"""Offline checks for the GPU speech plane IaC and the two service Dockerfiles."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from hotelvoice.regions import EU_REGIONS
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


def test_agent_secrets_come_from_secrets_manager_parameters(template: dict[str, Any]) -> None:
    agent = _container(template, "realtime-agent")
    secrets = {s["Name"]: s["ValueFrom"] for s in agent["Secrets"]}
    assert {"LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"} <= set(secrets)
    assert "HOTELVOICE_AUTH_CLIENT_SECRET" in secrets, "the agent's OAuth client secret is missing"
    assert any(name.endswith("API_KEY") and "LIVEKIT" not in name for name in secrets)
    params = template["Parameters"]
    for name, value_from in secrets.items():
        assert isinstance(value_from, dict), f"{name} must reference a parameter, not a literal"
        assert value_from["Ref"] in params
        assert "secretsmanager" in params[value_from["Ref"]]["AllowedPattern"]


def test_secret_parameters_have_no_defaults(template: dict[str, Any]) -> None:
    for name, param in template["Parameters"].items():
        if name.endswith("SecretArn") and "Ngc" not in name:
            assert "Default" not in param, f"{name} must be supplied at deploy time"


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
        r["Properties"]["TargetTrackingScalingPolicyConfiguration"][
            "PredefinedMetricSpecification"
        ]["PredefinedMetricType"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::ApplicationAutoScaling::ScalingPolicy"
    ]
    assert "ECSServiceAverageCPUUtilization" in policies
    assert "ALBRequestCountPerTarget" in policies


def test_required_parameters_and_outputs(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    for name in (
        "ImageTag",
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


def test_base_images_are_pinned(dockerfile: tuple[str, list[tuple[str, str]], Path]) -> None:
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
        name_and_tag = image.split("@", 1)[0].rsplit("/", 1)[-1]
        assert "@sha256:" in image or ":" in name_and_tag, f"FROM {image} has no tag"
        assert not name_and_tag.endswith(":latest"), f"FROM {image} uses :latest"
        assert image.startswith("python:3.11-slim-bookworm"), image
        if len(parts) >= 3 and parts[1].upper() == "AS":
            stages.add(parts[2].lower())


def test_multi_stage_venv_is_copied(dockerfile: tuple[str, list[tuple[str, str]], Path]) -> None:
    name, instructions, _ = dockerfile
    extra = DOCKERFILES[name][2]
    runs = " ".join(args for kw, args in instructions if kw == "RUN")
    assert f'".[{extra}]"' in runs or f"'.[{extra}]'" in runs or f".[{extra}]" in runs
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


def test_gpu_asr_healthcheck_uses_python() -> None:
    instructions = _instructions(DOCKERFILES["gpu_asr"][0])
    checks = [args for kw, args in instructions if kw == "HEALTHCHECK"]
    assert checks, "gpu_asr image needs a HEALTHCHECK"
    assert "/health" in checks[-1]
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
