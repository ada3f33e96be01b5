"""One hotel never writes into another hotel's calls (issue 10, tenant isolation).

Every agent event type, posted into hotel B's call by each kind of principal: B's own agent
and the fleet's wildcard agent get in; hotel A's agent, A's admin and any staff get a 403, and
B's record is exactly what it was.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from tests.functions.call_event_wire import call_event, post_json

B = DEMO_HOTEL_ID
A = "another-hotel"
T0 = datetime.now(UTC) - timedelta(minutes=10)
TYPES = {
    "call.started": {"hotel_id": A, "language": "en", "caller_number": "+4915100000000"},
    "call.turn": {"index": 7, "role": "caller", "text": "this is not my call"},
    "call.tool": {
        "index": 7,
        "name": "take_message",
        "arguments": {},
        "result": "{}",
        "ok": True,
        "duration_ms": 1.0,
    },
    "call.transferred": {"target": "tel:+4930000000", "reason": "menu", "succeeded": True},
    "call.message": {"message": "call me", "callback_number": "+4915100000000", "language": "en"},
    "call.language": {"language": "fr"},
    "call.consent": {"recording": "declined", "via": "key", "transcript_kept": False},
    "call.ended": {"outcome": "failed"},
}


def headers(plane, role: Role, hotels: list[str]) -> dict[str, str]:
    return {"authorization": f"Bearer {plane.token(role, hotels, subject=f'tenancy-{role}')}"}


@pytest.fixture
def b_call(plane):
    """A call of hotel B, started by B's own agent, with one turn."""
    call_id = f"tenancy-{uuid.uuid4().hex[:8]}"
    b_agent = headers(plane, Role.SERVICE, [B])
    for n, (kind, fields) in enumerate(
        [
            ("call.started", {"hotel_id": B, "language": "de", "caller_number": "+4917600000001"}),
            ("call.turn", {"index": 0, "role": "caller", "text": "Guten Tag"}),
        ]
    ):
        event = call_event(call_id, kind, n, start=T0, **fields)
        assert post_json(plane, b_agent, f"/v1/calls/{call_id}/events", event).status == 202
    plane.drain()
    return call_id


def record(plane, call_id: str, hotels: list[str]):
    return plane.api.request("GET", f"/v1/calls/{call_id}", headers(plane, Role.STAFF, hotels))


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_no_other_hotels_principal_writes_into_the_call(plane, b_call, kind):
    before = record(plane, b_call, [B]).json()
    outsiders = {
        "hotel A's agent": headers(plane, Role.SERVICE, [A]),
        "hotel A's admin": headers(plane, Role.ADMIN, [A]),
        "agent of A and another": headers(plane, Role.SERVICE, [A, "third-hotel"]),
        "B's front desk": headers(plane, Role.STAFF, [B]),
    }
    for n, (who, credential) in enumerate(outsiders.items()):
        event = call_event(b_call, kind, 100 + n, start=T0, **TYPES[kind])
        answer = post_json(plane, credential, f"/v1/calls/{b_call}/events", event)
        assert answer.status == 403, (who, answer.body)
        assert answer.json()["error"]["code"] == "forbidden"
    plane.drain()
    assert record(plane, b_call, [B]).json() == before
    assert record(plane, b_call, [A]).status == 404


@pytest.mark.parametrize("kind", sorted(set(TYPES) - {"call.started"}))
def test_the_hotels_own_agent_and_the_fleets_agent_get_in(plane, b_call, kind):
    for n, credential in enumerate(
        [
            headers(plane, Role.SERVICE, [B]),
            headers(plane, Role.SERVICE, ["*"]),
            headers(plane, Role.ADMIN, ["*"]),
        ]
    ):
        fields = dict(TYPES[kind])
        if "index" in fields:
            fields["index"] = 10 + n
        event = call_event(b_call, kind, 200 + n, start=T0, **fields)
        answer = post_json(plane, credential, f"/v1/calls/{b_call}/events", event)
        assert answer.status == 202, answer.body


def test_taking_over_a_started_call_is_refused_and_changes_nothing(plane, b_call):
    before = record(plane, b_call, [B]).json()
    takeover = call_event(
        b_call, "call.started", 0, start=T0 - timedelta(minutes=1), **TYPES["call.started"]
    )
    answer = post_json(
        plane, headers(plane, Role.SERVICE, [A]), f"/v1/calls/{b_call}/events", takeover
    )
    assert answer.status == 403
    plane.drain()
    after = record(plane, b_call, [B]).json()
    assert after == before
    assert after["hotel_id"] == B
    assert json.dumps(after).count("this is not my call") == 0
