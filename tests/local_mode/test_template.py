"""template.yaml is the source of truth: it lints, and code and template agree route by route."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest
from cfnlint.api import ManualArgs, lint_file
from packaging.specifiers import SpecifierSet

from hotelvoice.regions import EU_REGIONS
from local_mode.resources import LocalResources
from local_mode.template import TEMPLATE_PATH, load_template

TEMPLATE = load_template()
HTTP_FUNCTIONS = [f for f in TEMPLATE.functions() if f.routes]


def test_cfn_lint_is_clean():
    findings = lint_file(TEMPLATE_PATH, ManualArgs(regions=sorted(EU_REGIONS)))
    assert [str(f) for f in findings] == []


@pytest.mark.parametrize("function", HTTP_FUNCTIONS, ids=lambda f: f.logical_id)
def test_template_routes_and_app_routes_are_the_same(plane, function):
    plane.functions[function.logical_id].load()  # the cold start, with its template environment
    app = sys.modules[function.module_and_attr[0]].app
    served = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    declared = {(r.method, r.path) for r in function.routes}
    assert served == declared


def test_every_handler_loads_and_is_callable(plane):
    for function in TEMPLATE.functions():
        assert callable(plane.functions[function.logical_id].load())


# Lambda's Python runtimes on Amazon Linux 2023 (glibc 2.34). python3.11 and older run on
# Amazon Linux 2 (glibc 2.26), too old for the TTS function's Azure Speech and espeak-ng
# libraries (glibc 2.29).
AMAZON_LINUX_2023_PYTHONS = {"python3.12", "python3.13", "python3.14"}


def test_the_functions_run_on_amazon_linux_2023_with_a_python_the_project_supports():
    runtime = TEMPLATE.body["Globals"]["Function"]["Runtime"]
    assert runtime in AMAZON_LINUX_2023_PYTHONS
    functions = {
        k: r["Properties"]
        for k, r in TEMPLATE.resources.items()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert [k for k, p in functions.items() if "Runtime" in p] == [], "one artifact, one runtime"
    pyproject = tomllib.loads((TEMPLATE_PATH.parent / "pyproject.toml").read_text())
    supported = SpecifierSet(pyproject["project"]["requires-python"])
    assert runtime.removeprefix("python") in supported


def test_only_eu_regions_are_admitted():
    region = TEMPLATE.parameters["DataResidencyRegion"]
    assert set(region["AllowedValues"]) == EU_REGIONS
    assertion = TEMPLATE.body["Rules"]["EuRegionsOnly"]["Assertions"][0]["Assert"]
    assert assertion == {"Fn::Equals": [{"Ref": "DataResidencyRegion"}, {"Ref": "AWS::Region"}]}


def test_tables_are_kms_encrypted_and_expire_where_they_should():
    tables = {
        k: r["Properties"]
        for k, r in TEMPLATE.resources.items()
        if r["Type"] == "AWS::DynamoDB::Table"
    }
    assert set(tables) == {
        "PmsTable",
        "CallsTable",
        "IdempotencyTable",
        "RateLimitTable",
        "AuditTable",
        "HotelsTable",
        "TtsCacheTable",
    }
    for props in tables.values():
        assert props["SSESpecification"]["SSEType"] == "KMS"
    assert tables["IdempotencyTable"]["TimeToLiveSpecification"]["AttributeName"] == "expiration"
    assert tables["CallsTable"]["TimeToLiveSpecification"]["Enabled"] is True
    assert tables["TtsCacheTable"]["TimeToLiveSpecification"]["AttributeName"] == "expires_at"


def test_call_events_queue_has_a_dead_letter_queue_with_an_alarm():
    queue = TEMPLATE.resources["CallEventsQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["CallEventsDeadLetterQueue", "Arn"]
    }
    alarm = TEMPLATE.resources["CallEventsDeadLetterAlarm"]["Properties"]
    assert alarm["Dimensions"][0]["Value"] == {
        "Fn::GetAtt": ["CallEventsDeadLetterQueue", "QueueName"]
    }
    consumer = next(f for f in TEMPLATE.functions() if f.sqs_sources)
    assert consumer.sqs_sources[0].report_batch_item_failures


def test_the_tts_cache_bucket_is_private_encrypted_and_expires_with_the_index():
    bucket = TEMPLATE.resources["TtsCacheBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    sse = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == {"Ref": "TtsCacheDays"}
    tts_env = TEMPLATE.resources["TtsFunction"]["Properties"]["Environment"]["Variables"]
    assert tts_env["HOTELVOICE_TTS_CACHE_DAYS"] == {"Fn::Sub": "${TtsCacheDays}"}


@pytest.mark.parametrize(("mode", "disabled"), [("Active", "false"), ("PassThrough", "true")])
def test_tracing_follows_the_tracing_mode_as_cloudformation_would_resolve_it(mode, disabled):
    resources = LocalResources(
        region="eu-central-1",
        stack_name="hv",
        parameters={"TracingMode": mode},
        conditions=TEMPLATE.body["Conditions"],
    )
    (function, *_) = TEMPLATE.functions()
    assert resources.resolve(function.environment["POWERTOOLS_TRACE_DISABLED"]) == disabled
    assert resources.resolve(TEMPLATE.body["Globals"]["Function"]["Tracing"]) == mode


def test_outside_lambda_or_with_tracing_off_the_xray_sdk_is_not_loaded():
    """Powertools loads the X-Ray SDK even for a disabled tracer; ours does not."""
    code = (
        "import sys, functions.runtime as r;"
        "print(type(r.tracer).__name__, 'aws_xray_sdk' in sys.modules)"
    )
    for env, expected in (
        ({}, "Untraced False"),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true"}, "Untraced False"),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "false"}, "Tracer True"),
    ):
        clean = {
            k: v
            for k, v in os.environ.items()
            if k not in ("LAMBDA_TASK_ROOT", "POWERTOOLS_TRACE_DISABLED")
        }
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, **env},
            capture_output=True,
            cwd=TEMPLATE_PATH.parent,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == expected, env
