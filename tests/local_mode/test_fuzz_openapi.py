"""Schemathesis fuzzes the committed ``docs/openapi.json`` against the local API.

Every operation gets schema-valid and schema-invalid requests with a valid credential, so the
fuzzing reaches the handlers: no answer may be a 5xx, every answer must match the spec (status,
content type, body schema, auth enforced), and every 4xx must be the one error body. The
webhook's fuzzed bodies are signed as LiveKit signs them, so they get past the signature check.

Bugs the fuzzing found are pinned below, each with its smallest input (open ones as strict xfails).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from livekit.api import AccessToken

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.secrets import LOCAL_LIVEKIT_API_KEY, LOCAL_LIVEKIT_API_SECRET
from local_mode.openapi import PUBLIC_ROUTES, SPEC_PATH, WEBHOOK

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # API Gateway answers an unrouted method with 404, never 405.
            "unsupported_method": {"enabled": False},
            # Schema-valid is not always acceptable: departure before arrival, a lookup
            # without a second factor, a body call_id that differs from the path are 400s.
            "positive_data_acceptance": {"enabled": False},
            # A body over the size limit is refused with 413 before it is parsed.
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "413",
                    "415",
                    "422",
                    "428",
                    "429",
                    "5xx",
                ]
            },
        },
        # What the local socket server (like API Gateway) routes; it has no TRACE or OPTIONS.
        "phases": {"coverage": {"unexpected-methods": ["get", "put", "post", "patch", "delete"]}},
        # Half the cases name the seeded hotel and real LiveKit events, so the fuzzing gets
        # past "no such hotel" and "event not recorded" into pricing, lookups and queueing.
        "dictionaries": {
            "hotels": {"values": [DEMO_HOTEL_ID]},
            "webhook_events": {"values": ["room_finished", "egress_ended", "participant_joined"]},
        },
        "parameters": {
            "path.hotel_id": {"dictionary": "hotels", "probability": 0.5},
            "query.hotel_id": {"dictionary": "hotels", "probability": 0.5},
            "body.event": {"dictionary": "webhook_events", "probability": 0.5},
        },
    }
)
SCHEMA = schemathesis.openapi.from_dict(json.loads(SPEC_PATH.read_text()), config=CONFIG)


def livekit_signature(body: bytes) -> str:
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    token = AccessToken(LOCAL_LIVEKIT_API_KEY, LOCAL_LIVEKIT_API_SECRET).with_sha256(digest)
    return token.to_jwt()


class LiveKitSignature(requests.auth.AuthBase):
    """Sign the body as sent, whatever schemathesis serialised."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        request.headers["Authorization"] = livekit_signature(
            body.encode() if isinstance(body, str) else body
        )
        return request


def is_error_body(body: object) -> bool:
    if not isinstance(body, dict) or set(body) != {"error"} or not isinstance(body["error"], dict):
        return False
    error = body["error"]
    return set(error) == {"code", "message", "request_id"} and all(
        isinstance(v, str) and v for v in error.values()
    )


@pytest.fixture(scope="module", autouse=True)
def _deliver_fuzzed_events(plane):
    yield
    plane.drain()  # what the fuzzing queued is processed here, not in a later test


@SCHEMA.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_one_error_body(case, plane, api_url):
    route = (case.method.upper(), case.operation.path)
    headers, auth = {}, None
    if route == WEBHOOK:
        auth = LiveKitSignature()
    elif route not in PUBLIC_ROUTES:
        # Admin passes every role check; a fresh subject per case, as the per-principal rate
        # limit would otherwise turn the fuzzing into 429s (and starve later tests).
        token = plane.token(Role.ADMIN, subject=f"fuzz-{uuid.uuid4().hex}")
        headers["Authorization"] = f"Bearer {token}"
    transport = {"base_url": api_url, "headers": headers}
    response = case.call(**transport, auth=auth)
    case.validate_response(response, headers=headers, transport_kwargs=transport)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert is_error_body(response.json()), response.text


def test_the_error_body_check_can_fail():
    assert is_error_body({"error": {"code": "x", "message": "m", "request_id": "r"}})
    assert not is_error_body({"detail": [{"loc": ["body"], "msg": "field required"}]})
    assert not is_error_body({"error": {"code": "x", "message": "m"}})


@pytest.mark.parametrize(
    "event",
    [
        {"event": "room_finished", "id": "EV_1"},
        {"event": "room_finished", "id": "EV 1", "room": {"sid": "RM_1"}},
        {"event": "room_finished", "id": "EV_2", "createdAt": "99999999999999"},
        {
            "event": "egress_ended",
            "id": "EV_3",
            "egressInfo": {"roomId": "RM_1", "fileResults": [{"duration": "-5"}]},
        },
    ],
)
def test_a_signed_webhook_that_maps_to_no_valid_event_is_a_400(plane, event):
    body = json.dumps(event).encode()
    headers = {"content-type": "application/webhook+json", "authorization": livekit_signature(body)}
    response = plane.api.request("POST", "/v1/livekit/webhook", headers, body)
    assert response.status == 400, response.body
    assert is_error_body(response.json())


TOOL_EVENT = {
    "type": "call.tool",
    "event_id": "fuzz-contract-1",
    "call_id": "fuzz-contract",
    "occurred_at": "2026-01-01T00:00:00Z",
    "index": 0,
    "name": "get_hotel_info",
    "arguments": {},
    "result": "",
    "ok": True,
    "duration_ms": 1.0,
}


@pytest.mark.parametrize(
    ("method", "target", "body"),
    [
        ("POST", "/v1/calls/fuzz-contract/events", TOOL_EVENT | {"occurred_at": 0}),
        ("POST", "/v1/calls/fuzz-contract/events", TOOL_EVENT | {"ok": 0}),
        ("POST", "/v1/calls/fuzz-contract/events", TOOL_EVENT | {"index": "3"}),
        ("GET", f"/v1/calls?hotel_id={DEMO_HOTEL_ID}&until=-8212", None),
        ("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/availability?arrival=0&departure=1&adults=1", None),
    ],
    ids=[
        "body-occurred_at-0",
        "body-ok-0",
        "body-index-text",
        "query-until-number",
        "query-arrival-number",
    ],
)
def test_lax_inputs_the_spec_forbids_are_refused(plane, method, target, body):
    token = plane.token(Role.ADMIN, subject=f"fuzz-{uuid.uuid4().hex}")
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    response = plane.api.request(method, target, headers, body and json.dumps(body))
    assert response.status == 400, response.body


def test_a_non_utf8_json_body_gets_an_answer(plane, service_headers):
    headers = {**service_headers, "content-type": "application/json"}
    response = plane.api.request("POST", "/v1/calls/call-1/events", headers, b"\xa5")
    assert response.status == 400, response.body
    assert is_error_body(response.json())
