"""A SIP call as LiveKit reports it makes its record, with or without the agent's events.

LiveKit's webhooks are replayed as its SIP service sends them for the three dispatch rules
(individual: the room is named after the caller's number; callee: after the dialled number;
direct: one fixed room for every caller), duplicated and shuffled together with the agent's
events where it posted any. Each call must come out as exactly one record of the dialled
number's hotel, with the outcome that says what happened, and the caller's number (and the
room's name, which may hold it) must be nowhere: not in a key, a stored item, a log line, an
audit entry or an API response.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hotelvoice.auth import Role
from hotelvoice.calls.store import CallRecordStore, caller_hash
from hotelvoice.hotels.store import HotelDirectory
from tests.functions.call_event_wire import call_event, post_json
from tests.functions.stored_items import a_hotel, everything_stored
from tests.functions.test_call_events_path import signed_webhook, webhook

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
AGENT = ("silent", "joined_only", "answered")
"""The agent never came; came and died without a word; answered and reported the call."""


def bearer(plane: Any, role: Role, hotels: list[str]) -> dict[str, str]:
    return {"authorization": f"Bearer {plane.token(role, hotels, subject=f'wh-{role.value}')}"}


def livekit(kind: str, at: datetime, **fields: Any) -> dict[str, Any]:
    """One webhook body as LiveKit serialises it (proto3 JSON: int64 as text)."""
    return {
        "event": kind,
        "id": f"EV_{uuid.uuid4().hex[:12]}",
        "createdAt": str(int(at.timestamp())),
        **fields,
    }


def sip_call(
    room_name: str, dialled: str, caller: str, start: datetime, agent: str, hotel_id: str = ""
) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """(call id, deliveries) of one call: LiveKit's webhooks, and the agent's own events."""
    sid = f"RM_{uuid.uuid4().hex[:12]}"
    room = {"sid": sid, "name": room_name, "emptyTimeout": 300, "creationTime": "1"}
    sip = {
        "sid": f"PA_{uuid.uuid4().hex[:12]}",
        "identity": f"sip_{caller}",
        "name": f"Phone {caller}",
        "kind": "SIP",
        "attributes": {
            "sip.phoneNumber": caller,
            "sip.trunkPhoneNumber": dialled,
            "sip.callID": f"SCL_{uuid.uuid4().hex[:10]}",
            "sip.callStatus": "active",
            "sip.ruleID": "SDR_rule",
            "sip.trunkID": "ST_trunk",
        },
    }
    agent_participant = {"sid": "PA_agent", "identity": "agent-AJ_x", "kind": "AGENT"}
    at = lambda s: start + timedelta(seconds=s)  # noqa: E731
    hooks = [
        livekit("room_started", at(0), room=room),
        livekit("participant_joined", at(1), room=room, participant=sip),
        livekit("participant_left", at(40), room=room, participant=sip),
        livekit("room_finished", at(70), room=room),
    ]
    if agent != "silent":
        hooks += [
            livekit("participant_joined", at(2), room=room, participant=agent_participant),
            livekit("participant_left", at(41), room=room, participant=agent_participant),
        ]
    deliveries = [("webhook", hook) for hook in hooks]
    if agent == "answered":
        events = [
            call_event(sid, "call.started", 2, start=start, hotel_id=hotel_id, language="de"),
            *(
                call_event(sid, "call.turn", 3 + i, start=start, index=i, role=role, text=text)
                for i, (role, text) in enumerate(
                    [
                        ("agent", "Guten Tag, Hotel Aurora, was kann ich für Sie tun?"),
                        ("caller", "Haben Sie am Wochenende ein Zimmer frei?"),
                        ("agent", "Ja, ein Doppelzimmer für 129 Euro pro Nacht."),
                    ]
                )
            ),
            call_event(sid, "call.ended", 39, start=start, outcome="completed"),
        ]
        deliveries += [("agent", event) for event in events]
    return sid, deliveries


def deliver(plane: Any, service: dict[str, str], kind: str, body: dict[str, Any]) -> Any:
    if kind == "agent":
        return post_json(plane, service, f"/v1/calls/{body['call_id']}/events", body)
    raw = json.dumps(body)
    return webhook(plane, raw, signed_webhook(raw))


def all_calls(plane: Any, headers: dict[str, str], hotel_id: str) -> tuple[list[str], list[str]]:
    """Every listed call id of the hotel (all pages), and the raw responses."""
    ids, texts, cursor = [], [], None
    while True:
        path = f"/v1/calls?hotel_id={hotel_id}&limit=5"
        response = plane.api.request("GET", path + (f"&cursor={cursor}" if cursor else ""), headers)
        assert response.status == 200, response.body
        texts.append(response.body.decode() if isinstance(response.body, bytes) else response.body)
        page = response.json()
        ids += [call["call_id"] for call in page["calls"]]
        if not (cursor := page["next_cursor"]):
            return ids, texts


def test_livekit_alone_makes_one_record_per_sip_call_and_keeps_no_number(
    plane, service_headers, capfd
):
    hotel_id = a_hotel(plane, "sip")
    dialled = HotelDirectory(plane.resources.refs["HotelsTable"]).get(hotel_id).dialled_numbers[0]
    caller = f"+49176{random.randint(10**7, 10**8 - 1)}"
    rules = {
        "individual": lambda: f"call-_{caller}_{uuid.uuid4().hex[:4]}",
        "callee": lambda: f"call-_{dialled}_{uuid.uuid4().hex[:4]}",
        "direct": lambda: "reception",
    }
    expected: dict[str, str] = {}
    deliveries: list[tuple[str, dict[str, Any]]] = []
    room_names: set[str] = set()
    room_names_by_rule = [name() for name in rules.values() for _ in AGENT]
    for n, room_name in enumerate(room_names_by_rule):
        agent = AGENT[n % len(AGENT)]
        start = T0 + timedelta(minutes=n)
        sid, call = sip_call(room_name, dialled, caller, start, agent, hotel_id)
        room_names.add(room_name)
        expected[sid] = {"silent": "unanswered", "joined_only": "agent_failed"}.get(
            agent, "completed"
        )
        deliveries += call + random.sample(call, len(call) // 2)  # LiveKit retries some
    random.shuffle(deliveries)

    responses = [deliver(plane, service_headers, kind, body) for kind, body in deliveries]
    assert [r.status for r in responses] == [r.status for r in responses if r.status < 300]
    plane.drain()

    staff = bearer(plane, Role.STAFF, [hotel_id])
    listed, list_texts = all_calls(plane, staff, hotel_id)
    assert sorted(listed) == sorted(expected), "one record per call, none missing, none twice"
    records = {}
    for sid, outcome in expected.items():
        response = plane.api.request("GET", f"/v1/calls/{sid}", staff)
        assert response.status == 200, response.body
        record = records[sid] = response.json()
        assert record["hotel_id"] == hotel_id
        assert record["outcome"] == outcome, (sid, record)
        assert record["caller_hash"] == caller_hash(caller)
        assert record["sip_call_id"].startswith("SCL_")
        started = datetime.fromisoformat(record["started_at"])
        ended = datetime.fromisoformat(record["ended_at"])
        # The phone rang when the room opened; the call ended when the caller left (or
        # when the agent said goodbye, which it reports itself).
        assert (ended - started).total_seconds() == (39 if outcome == "completed" else 40)
        assert len(record["turns"]) == (3 if outcome == "completed" else 0)

    other = bearer(plane, Role.STAFF, ["another-hotel"])
    assert plane.api.request("GET", f"/v1/calls/{next(iter(expected))}", other).status == 404

    logs = "".join(capfd.readouterr())
    texts = {
        **everything_stored(plane),
        "logs": logs,
        "responses": "\n".join(
            [*list_texts, *(json.dumps(r) for r in records.values())]
            + [r.body.decode() if isinstance(r.body, bytes) else r.body for r in responses]
        ),
    }
    digits = caller.removeprefix("+49")
    secret = [caller, digits, f"0{digits}", *sorted(room_names - {"reception"})]
    leaks = {store: [s for s in secret if s in text] for store, text in texts.items()}
    assert not {store: found for store, found in leaks.items() if found}


def test_another_hotels_token_cannot_write_into_a_call_livekit_opened(plane, service_headers):
    hotel_id = a_hotel(plane, "sip-owned")
    dialled = HotelDirectory(plane.resources.refs["HotelsTable"]).get(hotel_id).dialled_numbers[0]
    caller = f"+4915199{random.randint(10**5, 10**6 - 1)}"
    sid, call = sip_call(f"call-_{caller}_q", dialled, caller, T0, "silent")
    for kind, body in call[:2]:  # room_started, the caller joined
        assert deliver(plane, service_headers, kind, body).status == 200
    intruder = bearer(plane, Role.SERVICE, ["another-hotel"])
    for event in (
        call_event(sid, "call.started", 3, start=T0, hotel_id="another-hotel", language="en"),
        call_event(sid, "call.ended", 4, start=T0, outcome="failed"),
    ):
        response = post_json(plane, intruder, f"/v1/calls/{sid}/events", event)
        assert response.status == 403, response.body
    plane.drain()
    record = plane.api.request("GET", f"/v1/calls/{sid}", bearer(plane, Role.STAFF, [hotel_id]))
    assert record.status == 200
    assert record.json()["hotel_id"] == hotel_id
    assert record.json()["outcome"] is None


def test_a_call_to_a_number_no_hotel_answers_is_kept_for_nobody(plane, service_headers):
    caller = f"+4916099{random.randint(10**5, 10**6 - 1)}"
    sid, call = sip_call(f"call-_{caller}_z", "+4930999000111", caller, T0, "silent")
    for kind, body in call:
        assert deliver(plane, service_headers, kind, body).status == 200
    plane.drain()
    record = CallRecordStore(plane.resources.refs["CallsTable"]).get(sid)
    assert (record.hotel_id, record.outcome, record.caller_hash) == (
        None,
        "unanswered",
        caller_hash(caller),
    )
    admin = bearer(plane, Role.ADMIN, ["*"])
    assert plane.api.request("GET", f"/v1/calls/{sid}", admin).status == 404
