"""A function's cold start imports what a refused request needs, and SnapStart the rest.

Each check runs in a fresh interpreter with the function's environment, as Lambda starts
one: importing a handler must not load boto3, PyJWT, cryptography, httpx, numpy or
``livekit.api`` (each costs tens to a hundred milliseconds, and a request refused at the
door needs none of them), and the before-snapshot hook must load what the function's first
real request will.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.cold_start import _environment, targets

HEAVY = ("boto3", "botocore.config", "jwt", "cryptography", "httpx", "numpy", "livekit.api")
FUNCTIONS = {name: spec for name, spec in targets().items() if name != "naive"}

_PROBE = """
import importlib, json, sys, types
spec = json.loads(sys.argv[1])
handler = getattr(importlib.import_module(spec["module"]), spec["attr"])
heavy = spec["heavy"]
at_import = [m for m in heavy if m in sys.modules]
openapi = sys.modules.get("fastapi.openapi.models")
web = {"fastapi": "fastapi" in sys.modules,
       "openapi_built": bool(openapi and openapi.OpenAPI.__pydantic_complete__)}
context = types.SimpleNamespace(
    function_name="probe", memory_limit_in_mb=512, aws_request_id="probe-1",
    invoked_function_arn="arn:aws:lambda:eu-central-1:123456789012:function:probe",
    get_remaining_time_in_millis=lambda: 10_000,
)
answer = handler(spec["event"], context) if spec["refuse"] else None
after_refusal = [m for m in heavy if m in sys.modules]
snapshot = sys.modules["functions.snapshot"]
snapshot.before_snapshot()
print(json.dumps({"at_import": at_import, "after_refusal": after_refusal, "web": web,
                  "status": answer and answer["statusCode"],
                  "warmed": [m for m in snapshot.WARM_ON_PUBLISH if m in sys.modules],
                  "wanted": snapshot.WARM_ON_PUBLISH}))
"""


def _probe(spec: dict, *, refuse: bool) -> dict:
    payload = {
        "module": spec["module"],
        "attr": spec["attr"],
        "event": spec["event"],
        "heavy": HEAVY,
        "refuse": refuse,
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(payload)],
        env=_environment(spec["env"], traced=False),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_importing_a_function_loads_no_sdk_its_first_refusal_does_not_need(name):
    spec = FUNCTIONS[name]
    http = spec["event"] is not None and "requestContext" in spec["event"]
    seen = _probe(spec, refuse=http)
    assert seen["at_import"] == []
    # FastAPI only where there are routes, and its OpenAPI models unbuilt until /openapi.json
    assert seen["web"] == {"fastapi": http, "openapi_built": False}
    if http:  # a request without a token: 401 before any AWS call or token check
        assert seen["status"] == 401
        assert seen["after_refusal"] == []
    assert seen["warmed"] == seen["wanted"]  # SnapStart's snapshot holds the rest


def test_each_function_names_what_its_snapshot_should_hold():
    wanted = {
        "PmsFunction": {"httpx", "hotelvoice.pms.apaleo", "hotelvoice.pms.opera"},
        "TtsFunction": {"numpy"},
        "LiveKitWebhookFunction": {"livekit.api.access_token"},
        "CallEventsConsumerFunction": {"aws_lambda_powertools.utilities.idempotency"},
    }
    for name, modules in wanted.items():
        warmed = set(_probe(FUNCTIONS[name], refuse=False)["wanted"])
        assert modules <= warmed
        assert {"boto3", "jwt"} <= warmed
