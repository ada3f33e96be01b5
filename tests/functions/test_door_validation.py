"""Nothing a client sends gives a 500 or reaches the dead-letter queue (issue 10's cases).

Each input below once gave a 500, or a 202 that the consumer then failed on five times. Each is
now refused at the door with the one error body, and the queues stay as they were.
"""

from __future__ import annotations

import base64
import json
import uuid

import jwt
import pytest
from boto3.dynamodb.conditions import Key
from cryptography.hazmat.primitives.asymmetric import ec

from hotelvoice.cursor import _mac
from tests.functions.test_call_events_path import (
    post_event,
    queue_depth,
    signed_webhook,
    webhook,
)


def an_event(**fields):
    call_id = f"door-{uuid.uuid4().hex[:8]}"
    return {
        "type": "call.tool",
        "event_id": f"{call_id}:tool:0",
        "call_id": call_id,
        "occurred_at": "2026-12-01T10:00:00Z",
        "index": 0,
        "name": "check_availability",
        "arguments": {"adults": 2},
        "result": "{}",
        "ok": True,
        "duration_ms": 1.5,
        **fields,
    }


def refused(answer) -> None:
    assert answer.status == 400, answer.body
    assert set(answer.json()["error"]) == {"code", "message", "request_id"}


@pytest.mark.parametrize("created_at", ["9223372036854775807", "-9223372036854775808", "1"])
def test_a_signed_webhook_from_outside_time_is_a_400(plane, created_at):
    body = json.dumps(
        {
            "event": "room_finished",
            "id": f"EV_{uuid.uuid4().hex[:6]}",
            "createdAt": created_at,
            "room": {"sid": "RM_door"},
        }
    )
    before = queue_depth(plane, "CallEventsQueue")
    refused(webhook(plane, body, signed_webhook(body)))
    assert queue_depth(plane, "CallEventsQueue") == before


@pytest.mark.parametrize(
    "query", ["since=0001-01-01T00:00:00%2B14:00", "until=9999-12-31T23:59:59-01:00"]
)
def test_a_time_filter_outside_utc_is_a_400(plane, staff_headers, query):
    refused(plane.api.request("GET", f"/v1/calls?hotel_id=aurora-berlin&{query}", staff_headers))


def test_a_signed_cursor_with_ill_typed_fields_is_a_400(plane, staff_headers):
    # Local mode's signing key is public, so a cursor can be signed by anyone who has it.
    for key in (
        {"hotel_id": "aurora-berlin", "started_at": 5, "pk": "CALL#x", "sk": "S"},
        {"hotel_id": "aurora-berlin", "other": "x"},
        {},
    ):
        payload = json.dumps(key, sort_keys=True, separators=(",", ":")).encode()
        cursor = base64.urlsafe_b64encode(_mac(payload) + payload).decode().rstrip("=")
        answer = plane.api.request(
            "GET", f"/v1/calls?hotel_id=aurora-berlin&cursor={cursor}", staff_headers
        )
        refused(answer)
        assert answer.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "fields",
    [
        {"arguments": {"": 1}},
        {"arguments": {"adults": 10**40}},
        {"arguments": {"nested": {"a": 1}}},
        {"arguments": {f"k{n}": n for n in range(40)}},
        {"occurred_at": "0001-01-01T00:00:00Z"},
        {"occurred_at": "9999-12-31T23:59:59Z"},
        {"occurred_at": "0001-01-01T00:00:00+14:00"},
        {"duration_ms": float("inf")},  # json.dumps writes Infinity, which json.loads takes
        {"duration_ms": float("nan")},
        {"duration_ms": 1e300},
    ],
    ids=[
        "empty-key",
        "huge-int",
        "nested",
        "too-many",
        "year-1",
        "year-9999",
        "before-year-1",
        "infinite-duration",
        "nan-duration",
        "endless-duration",
    ],
)
def test_an_event_the_consumer_could_not_store_is_a_400(plane, service_headers, fields):
    before = queue_depth(plane, "CallEventsQueue")
    refused(post_event(plane, service_headers, an_event(**fields)))
    assert queue_depth(plane, "CallEventsQueue") == before


def test_a_fractional_argument_is_stored_not_dead_lettered(plane, service_headers, staff_headers):
    event = an_event(arguments={"adults": 2, "budget": 2.5, "dates": ["2026-12-24", 3]})
    dead_before = queue_depth(plane, "CallEventsDeadLetterQueue")
    assert post_event(plane, service_headers, event).status == 202
    plane.drain()
    assert queue_depth(plane, "CallEventsDeadLetterQueue") == dead_before
    items = plane.table("CallsTable").query(
        KeyConditionExpression=Key("pk").eq(f"CALL#{event['call_id']}")
        & Key("sk").begins_with("TOOL#")
    )["Items"]
    stored = items[0]["arguments"]
    assert float(stored["budget"]) == 2.5
    assert stored["dates"][0] == "2026-12-24"


def test_an_es256_token_naming_an_rsa_key_is_a_401_not_a_500(monkeypatch):
    """With an OpenID provider, a token whose alg does not fit its kid's key is refused."""
    from hotelvoice.auth import verify_bearer
    from hotelvoice.errors import Unauthorized
    from tests.peers.oidc_provider_peer import OidcProviderPeer

    with OidcProviderPeer() as provider:
        monkeypatch.setenv("HOTELVOICE_AUTH_ISSUER", provider.issuer)
        from hotelvoice.settings import get_settings

        get_settings.cache_clear()
        ec_key = ec.generate_private_key(ec.SECP256R1())
        token = jwt.encode(
            {
                "sub": "x",
                "iss": provider.issuer,
                "aud": "hotelvoice-api",
                "exp": 4102444800,
                "role": "admin",
                "hotels": ["*"],
            },
            ec_key,
            algorithm="ES256",
            headers={"kid": provider.kid},
        )
        with pytest.raises(Unauthorized):
            verify_bearer(f"Bearer {token}")


@pytest.mark.parametrize(
    "body",
    [
        {"confirmation_code": "HV4026", "last_name": "Weber", "Anna.Smith@example.com": 1},
        {"confirmation_code": "HV4026", "Jane Doe-Smith": "x"},
    ],
)
def test_a_400_never_says_back_a_field_name_the_client_made_up(plane, service_headers, body):
    answer = plane.api.request(
        "POST",
        "/v1/hotels/aurora-berlin/reservations/lookup",
        {**service_headers, "content-type": "application/json"},
        json.dumps(body),
    )
    refused(answer)
    message = answer.json()["error"]["message"]
    assert "<key>" in message
    assert "Anna" not in message
    assert "Jane" not in message
