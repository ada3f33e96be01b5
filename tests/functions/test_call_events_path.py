"""Call events end to end under moto: API → SQS → consumer → DynamoDB → calls API."""

from __future__ import annotations

import base64
import hashlib
import json
import random
from datetime import UTC, datetime, timedelta

from livekit.api import AccessToken

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.secrets import LOCAL_LIVEKIT_API_SECRET

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def agent_events(call_id: str, turns: int = 4) -> list[dict]:
    at = lambda s: (T0 + timedelta(seconds=s)).isoformat()  # noqa: E731
    events = [
        {
            "type": "call.started",
            "event_id": f"{call_id}:started",
            "call_id": call_id,
            "occurred_at": at(0),
            "hotel_id": "aurora-berlin",
            "language": "en",
            "caller_number": "+49 151 5550 0101",
        }
    ]
    for i in range(turns):
        role = "caller" if i % 2 == 0 else "agent"
        events.append(
            {
                "type": "call.turn",
                "event_id": f"{call_id}:turn:{i}",
                "call_id": call_id,
                "occurred_at": at(i + 1),
                "index": i,
                "role": role,
                "text": f"turn {i}, mail me at anna.smith@example.com",
            }
        )
    events.append(
        {
            "type": "call.tool",
            "event_id": f"{call_id}:tool:0",
            "call_id": call_id,
            "occurred_at": at(2),
            "index": 0,
            "name": "find_reservation",
            "arguments": {"confirmation_code": "HV1042", "last_name": "Smith"},
            "result": '{"found": false}',
            "ok": True,
            "duration_ms": 12.5,
        }
    )
    events.append(
        {
            "type": "call.ended",
            "event_id": f"{call_id}:ended",
            "call_id": call_id,
            "occurred_at": at(30),
            "outcome": "completed",
        }
    )
    return events


def post_event(plane, headers, event):
    return plane.api.request(
        "POST",
        f"/v1/calls/{event['call_id']}/events",
        {**headers, "content-type": "application/json"},
        json.dumps(event),
    )


def get_call(plane, headers, call_id):
    return plane.api.request("GET", f"/v1/calls/{call_id}", headers)


def queue_depth(plane, logical_id):
    url = plane.resources.refs[logical_id]
    attrs = aws.client("sqs").get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(v) for v in attrs.values())


def test_agent_events_become_one_redacted_call_record(plane, service_headers, staff_headers):
    events = agent_events("call-e2e-1")
    for event in events:
        response = post_event(plane, service_headers, event)
        assert response.status == 202, response.body
        assert response.json() == {"accepted": True, "event_id": event["event_id"]}
    plane.drain()
    record = get_call(plane, staff_headers, "call-e2e-1").json()
    assert record["hotel_id"] == "aurora-berlin"
    assert record["outcome"] == "completed"
    assert record["duration_s"] == 30.0
    assert [t["index"] for t in record["turns"]] == [0, 1, 2, 3]
    assert all("anna.smith@example.com" not in t["text"] for t in record["turns"])
    assert record["tool_calls"][0]["arguments"]["last_name"] == "[name]"
    assert "0101" not in json.dumps(record)


def test_duplicates_and_shuffled_order_converge_to_the_same_record(
    plane, service_headers, staff_headers
):
    events = agent_events("call-e2e-2", turns=10)
    delivered = events + random.Random(7).sample(events, 6)
    random.Random(3).shuffle(delivered)
    for event in delivered:
        assert post_event(plane, service_headers, event).status == 202
    plane.drain()
    record = get_call(plane, staff_headers, "call-e2e-2").json()
    assert [t["index"] for t in record["turns"]] == list(range(10))
    assert len(record["tool_calls"]) == 1
    assert record["started_at"].startswith("2026-11-25T10:00:00")
    assert record["outcome"] == "completed"


def test_the_same_event_twice_in_one_batch_writes_once(plane, staff_headers):
    event = agent_events("call-e2e-3")[0]
    sqs = aws.client("sqs")
    url = plane.resources.refs["CallEventsQueue"]
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(event))
    plane.drain()
    record = get_call(plane, staff_headers, "call-e2e-3").json()
    assert record["started_at"] is not None
    items = plane.table("CallsTable").query(
        KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": "CALL#call-e2e-3"}
    )["Items"]
    assert len(items) == 1


def test_a_poison_message_goes_to_the_dlq_and_its_batch_is_kept(plane, staff_headers):
    sqs = aws.client("sqs")
    url = plane.resources.refs["CallEventsQueue"]
    good = agent_events("call-e2e-4", turns=2)
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": str(i), "MessageBody": json.dumps(e)} for i, e in enumerate(good)]
        + [{"Id": "poison", "MessageBody": '{"type": "call.turn", "call_id": "x"}'}],
    )
    dlq_before = queue_depth(plane, "CallEventsDeadLetterQueue")
    plane.drain()
    assert queue_depth(plane, "CallEventsDeadLetterQueue") == dlq_before + 1
    record = get_call(plane, staff_headers, "call-e2e-4").json()
    assert len(record["turns"]) == 2
    assert record["outcome"] == "completed"


def signed_webhook(body: str, secret: str = LOCAL_LIVEKIT_API_SECRET, key: str = "devkey") -> str:
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return AccessToken(key, secret).with_sha256(digest).to_jwt()


def webhook(plane, body: str, authorization: str | None):
    headers = {"content-type": "application/webhook+json"}
    if authorization is not None:
        headers["authorization"] = authorization
    return plane.api.request("POST", "/v1/livekit/webhook", headers, body)


def test_signed_livekit_webhook_ends_the_call(plane, service_headers, staff_headers):
    for event in agent_events("call-e2e-5")[:2]:
        post_event(plane, service_headers, event)
    body = json.dumps(
        {
            "event": "room_finished",
            "id": "EV_room_finished_5",
            "createdAt": str(int(T0.timestamp()) + 45),
            "room": {"name": "call-_+4917612345678_e2e5", "sid": "call-e2e-5"},
        }
    )
    response = webhook(plane, body, signed_webhook(body))
    assert response.status == 200, response.body
    assert response.json() == {"accepted": True, "queued": 1}
    plane.drain()
    record = get_call(plane, staff_headers, "call-e2e-5").json()
    assert record["ended_at"].startswith("2026-11-25T10:00:45")


def test_unsigned_or_tampered_webhooks_are_refused_and_not_queued(plane):
    plane.drain()
    body = json.dumps(
        {"event": "room_finished", "id": "EV_bad", "createdAt": "1", "room": {"sid": "call-e2e-6"}}
    )
    signature = signed_webhook(body)
    cases = [
        None,
        "",
        signature.replace(signature[-5:], "AAAAA"),
        signed_webhook(body, "wrong" * 8),
    ]
    for authorization in cases:
        assert webhook(plane, body, authorization).status == 401
    tampered = body.replace("call-e2e-6", "call-e2e-7")
    assert webhook(plane, tampered, signature).status == 401
    assert queue_depth(plane, "CallEventsQueue") == 0


def test_staff_of_another_hotel_cannot_read_the_call(plane, service_headers):
    for event in agent_events("call-e2e-8")[:1]:
        post_event(plane, service_headers, event)
    plane.drain()
    other = {"authorization": f"Bearer {plane.token(Role.STAFF, ['other-hotel'])}"}
    assert get_call(plane, other, "call-e2e-8").status == 404
    listed = plane.api.request("GET", "/v1/calls?hotel_id=other-hotel", other).json()
    assert listed == {"calls": [], "next_cursor": None}
    mine = {"authorization": f"Bearer {plane.token(Role.STAFF, ['aurora-berlin'])}"}
    calls = plane.api.request("GET", "/v1/calls?hotel_id=aurora-berlin", mine).json()["calls"]
    assert "call-e2e-8" in {c["call_id"] for c in calls}


def test_agent_events_for_a_different_path_call_are_refused(plane, service_headers):
    event = agent_events("call-e2e-9")[0]
    response = plane.api.request(
        "POST",
        "/v1/calls/call-other/events",
        {**service_headers, "content-type": "application/json"},
        json.dumps(event),
    )
    assert response.status == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_a_signed_but_malformed_webhook_is_a_400(plane):
    for body in ("{not json", json.dumps({"event": "room_finished", "room": {"name": "c"}})):
        response = webhook(plane, body, signed_webhook(body))
        assert response.status == 400, body
        assert response.json()["error"]["code"] == "invalid_request"


def test_webhooks_we_do_not_record_are_acknowledged_not_queued(plane):
    plane.drain()
    body = json.dumps(
        {
            "event": "participant_joined",
            "id": "EV_pj",
            "createdAt": "1",
            "room": {"name": "call-e2e-10", "sid": "RM_e2e10"},
            "participant": {"identity": "viewer", "kind": "STANDARD"},
        }
    )
    response = webhook(plane, body, signed_webhook(body))
    assert response.json() == {"accepted": True, "queued": 0}
    assert queue_depth(plane, "CallEventsQueue") == 0


def sip_events(call_id: str) -> list[dict]:
    """A German caller whose transfer fails, who then leaves a callback message."""
    at = lambda s: (T0 + timedelta(seconds=s)).isoformat()  # noqa: E731
    base = {"call_id": call_id}
    return [
        base | {"type": "call.started", "event_id": f"{call_id}:started", "occurred_at": at(0),
                "hotel_id": "aurora-berlin", "language": "en"},
        base | {"type": "call.language", "event_id": f"{call_id}:language:1",
                "occurred_at": at(3), "language": "de"},
        base | {"type": "call.transferred", "event_id": f"{call_id}:transfer:1",
                "occurred_at": at(9), "target": "tel:+493055501000", "reason": "caller_request",
                "succeeded": False, "detail": "SIP 486 Busy Here"},
        base | {"type": "call.message", "event_id": f"{call_id}:message:1", "occurred_at": at(20),
                "message": "Bitte rufen Sie mich wegen der Parkplätze zurück, "
                           "card 4111 1111 1111 1111",
                "callback_number": "+4915155500101", "language": "de"},
        base | {"type": "call.ended", "event_id": f"{call_id}:ended", "occurred_at": at(25),
                "outcome": "completed"},
    ]  # fmt: skip


def test_transfers_messages_and_language_switches_reach_the_record_in_any_order(
    plane, service_headers, staff_headers
):
    events = sip_events("call-sip-1")
    delivered = events + events[1:4]
    random.Random(11).shuffle(delivered)
    for event in delivered:
        assert post_event(plane, service_headers, event).status == 202, event["type"]
    plane.drain()
    record = get_call(plane, staff_headers, "call-sip-1").json()
    assert record["language"] == "de"
    assert [(t["succeeded"], t["detail"]) for t in record["transfers"]] == [
        (False, "SIP 486 Busy Here")
    ]
    (message,) = record["messages"]
    assert message["callback_number"] == "+4915155500101"
    assert message["language"] == "de"
    assert "Parkplätze" in message["message"]
    assert "4111" not in message["message"]


def test_a_transfer_with_an_unknown_reason_is_refused(plane, service_headers):
    event = sip_events("call-sip-2")[2] | {"reason": "because"}
    response = post_event(plane, service_headers, event)
    assert response.status == 400
    assert "reason" in response.json()["error"]["message"]


def test_a_callers_own_name_and_their_verified_name_are_not_kept(
    plane, service_headers, staff_headers
):
    """Names have no shape: the ones callers introduce themselves with, in each language,
    and the one a lookup verified (in the turns stored before it), are taken out."""
    call_id = f"call-names-{random.randint(0, 10**9)}"
    said = [
        "my name is Jane Doe-Smith and I have a booking",
        "ich heiße Thomas Fischer und möchte buchen",
        "je m'appelle Marie Dubois et je voudrais une chambre",
        "me llamo Ana García y quiero una habitación",
        "mi chiamo Mario Rossi e vorrei una camera",
        "the booking is HV7026, Weber",
    ]
    start = datetime.now(UTC) - timedelta(minutes=5)
    events = [
        {
            "type": "call.started",
            "event_id": f"{call_id}:started",
            "call_id": call_id,
            "occurred_at": start.isoformat(),
            "hotel_id": "aurora-berlin",
            "language": "en",
        },
        *[
            {
                "type": "call.turn",
                "event_id": f"{call_id}:turn:{n}",
                "call_id": call_id,
                "occurred_at": (start + timedelta(seconds=n)).isoformat(),
                "index": n,
                "role": "caller",
                "text": text,
            }
            for n, text in enumerate(said)
        ],
    ]
    for event in events:
        assert post_event(plane, service_headers, event).status == 202
    plane.drain()
    lookup = {
        "type": "call.tool",
        "event_id": f"{call_id}:tool:0",
        "call_id": call_id,
        "occurred_at": (start + timedelta(seconds=30)).isoformat(),
        "index": 0,
        "name": "find_reservation",
        "arguments": {"confirmation_code": "HV7026", "last_name": "Weber"},
        "result": json.dumps(
            {"found": True, "confirmation_code": "HV7026", "guest_name": "[name] [name]"}
        ),
        "ok": True,
        "duration_ms": 3.0,
    }
    assert post_event(plane, service_headers, lookup).status == 202
    plane.drain()
    turns = [t["text"] for t in get_call(plane, staff_headers, call_id).json()["turns"]]
    kept = " ".join(turns)
    for name in (
        "Jane",
        "Doe-Smith",
        "Thomas",
        "Fischer",
        "Marie",
        "Dubois",
        "Ana",
        "García",
        "Mario",
        "Rossi",
        "Weber",
    ):
        assert name not in kept, name
    assert turns[0] == "my name is [name] and I have a booking"
    assert turns[5] == "the booking is HV7026, [name]"
    assert "quiero una habitación" in turns[3]


def test_a_booked_guests_name_and_spoken_email_leave_the_turns_stored_before(
    plane, service_headers, staff_headers
):
    """The caller gave name and e-mail before ``book_room`` knew them: once a booking's
    details arrive, the guest's names, also inside an e-mail spelled word by word, go."""
    call_id = f"call-booked-names-{random.randint(0, 10**9)}"
    said = ["Peter Collins", "peter dot collins at example dot com", "a late arrival"]
    start = datetime.now(UTC) - timedelta(minutes=5)
    events = [
        {
            "type": "call.started",
            "event_id": f"{call_id}:started",
            "call_id": call_id,
            "occurred_at": start.isoformat(),
            "hotel_id": "aurora-berlin",
            "language": "en",
        },
        *[
            {
                "type": "call.turn",
                "event_id": f"{call_id}:turn:{n}",
                "call_id": call_id,
                "occurred_at": (start + timedelta(seconds=n)).isoformat(),
                "index": n,
                "role": "caller",
                "text": text,
            }
            for n, text in enumerate(said)
        ],
    ]
    for event in events:
        assert post_event(plane, service_headers, event).status == 202
    plane.drain()
    read_back = {
        "type": "call.tool",
        "event_id": f"{call_id}:tool:0",
        "call_id": call_id,
        "occurred_at": (start + timedelta(seconds=30)).isoformat(),
        "index": 0,
        "name": "book_room",
        "arguments": {
            "room": "Standard Double",
            "first_name": "Peter",
            "last_name": "Collins",
            "email": "peter.collins@example.com",
            "phone": "",
            "notes": "a late arrival",
        },
        "result": json.dumps({"booked": False, "needs_confirmation": True}),
        "ok": True,
        "duration_ms": 3.0,
    }
    assert post_event(plane, service_headers, read_back).status == 202
    plane.drain()
    record = get_call(plane, staff_headers, call_id).json()
    turns = [t["text"] for t in record["turns"]]
    assert turns == ["[name] [name]", "[email]", "a late arrival"]
    assert "collins" not in json.dumps(record).lower()
