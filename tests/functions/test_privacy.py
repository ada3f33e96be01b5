"""GDPR: a guest's calls exported and erased everywhere, nothing left, nobody else touched.

The guest calls three times (once through the real agent, twice as the agent's and LiveKit's
events), leaves a message, is recorded, and has their call read by the front desk; another
guest calls too. After the erasure every table, bucket and queue of the control plane and the
captured logs are searched for the guest's number in every format, e-mail, names and hash.
The demo PMS table is not searched: it stands for the hotel's own PMS, where the hotel erases
the guest itself (docs/privacy.md).
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.calls.store import caller_hash
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent.scripted_call import run_scripted_call
from realtime_agent.service_auth import LocalServiceToken
from tests.functions.call_event_wire import call_event, post_json
from tests.functions.stored_items import a_hotel, everything_stored, queued_bodies, scan_table
from tests.functions.test_call_events_path import signed_webhook, webhook

GUEST_PHONE = "+4917612345678"
PHONE_FORMS = (
    GUEST_PHONE,
    "4917612345678",
    "004917612345678",
    "017612345678",
    "0176 1234 5678",
    "+49 176 12345678",
    "+49 (176) 1234-5678",
)
GUEST = {"first": "Clara", "last": "Weber", "code": "HV4026", "email": "clara.weber@example.com"}
OTHER_PHONE = "+4915199990000"
OTHER = {"first": "Julia", "last": "Schmidt", "code": "HV4772"}
T0 = datetime.now(UTC) - timedelta(hours=2)


def bearer(plane, role: Role, hotels: list[str] | None = None) -> dict[str, str]:
    token = plane.token(role, hotels or [DEMO_HOTEL_ID], subject=f"privacy-{role.value}")
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


post = post_json


def event(call_id: str, kind: str, n: int, **fields) -> dict:
    return call_event(call_id, kind, n, start=T0, **fields)


def guest_events(call_id: str, phone: str, first: str, last: str, code: str) -> list[dict]:
    """A call as the agent reports it: the guest names themselves and leaves a message."""
    return [
        event(
            call_id, "call.started", 0, hotel_id=DEMO_HOTEL_ID, language="en", caller_number=phone
        ),
        event(
            call_id,
            "call.turn",
            1,
            index=0,
            role="caller",
            text=f"hello, this is {first} {last}, my booking is {code}",
        ),
        event(
            call_id,
            "call.tool",
            2,
            index=0,
            name="find_reservation",
            arguments={"confirmation_code": code, "last_name": last},
            result=json.dumps(
                {"found": True, "confirmation_code": code, "guest_name": f"{first} {last}"}
            ),
            ok=True,
            duration_ms=12.5,
        ),
        event(
            call_id,
            "call.turn",
            3,
            index=1,
            role="agent",
            text=f"Thank you, {first} {last}. Your booking {code} is confirmed.",
        ),
        event(
            call_id,
            "call.message",
            4,
            message=f"{first} {last} asks for a late check in",
            callback_number=re.sub(r"[^0-9+]", "", phone),
            language="en",
        ),
        event(call_id, "call.ended", 5, outcome="completed"),
    ]


def traces_of_guest(text: str) -> list[str]:
    lowered = text.casefold()
    wanted = [
        *PHONE_FORMS,
        GUEST["email"],
        f"{GUEST['first']} {GUEST['last']}",
        GUEST["last"],
        GUEST["code"],
        caller_hash(GUEST_PHONE),
    ]
    return [w for w in wanted if w.casefold() in lowered]


@pytest.fixture
def guest_calls(plane, service_headers, staff_headers):
    """Three calls of the guest, one of another guest; their ids."""
    suffix = uuid.uuid4().hex[:8]
    ids = {
        name: f"call-privacy-{name}-{suffix}" for name in ("agent", "events", "webhook", "other")
    }
    get_settings.cache_clear()
    transcript = asyncio.run(
        run_scripted_call(
            [
                "I want to check my booking",
                f"my confirmation code is {GUEST['code']}",
                f"my last name is {GUEST['last']}",
                "that is all, goodbye",
            ],
            settings=get_settings(),
            credentials=LocalServiceToken(),
            today=plane.today,
            hotel_id=DEMO_HOTEL_ID,
            call_id=ids["agent"],
            caller_number=GUEST_PHONE,
        )
    )
    assert transcript.verified_reservation == GUEST["code"]
    for call_id, who, phone in (
        (ids["events"], GUEST, "0049 176 1234 5678"),
        (ids["webhook"], GUEST, GUEST_PHONE),
        (ids["other"], OTHER, OTHER_PHONE),
    ):
        for e in guest_events(call_id, phone, who["first"], who["last"], who["code"]):
            assert post(plane, service_headers, f"/v1/calls/{call_id}/events", e).status == 202
    # The recording of one call, written by egress and announced by LiveKit's webhook.
    bucket = plane.resources.refs["RecordingsBucket"]
    key = f"recordings/{DEMO_HOTEL_ID}/{ids['webhook']}.ogg"
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=b"OggS recording of the guest")
    aws.client("s3").put_object(
        Bucket=bucket, Key=f"recordings/{DEMO_HOTEL_ID}/{ids['other']}.ogg", Body=b"OggS other"
    )
    body = json.dumps(
        {
            "event": "egress_ended",
            "id": f"EV_egress_{suffix}",
            "createdAt": str(int(T0.timestamp()) + 60),
            "egressInfo": {
                "roomId": ids["webhook"],
                "fileResults": [{"location": f"s3://{bucket}/{key}", "duration": "42000000000"}],
            },
        }
    )
    assert webhook(plane, body, signed_webhook(body)).status == 200
    plane.drain()
    # The front desk reads the guest's calls: those reads are the guest's business too.
    for call_id in ids.values():
        assert plane.api.request("GET", f"/v1/calls/{call_id}", staff_headers).status == 200
    return ids


def test_a_guest_is_exported_then_erased_everywhere_and_nobody_else(plane, guest_calls, capfd):
    admin = bearer(plane, Role.ADMIN)
    subject = {
        "phone": "+49 176 1234 5678",
        "email": GUEST["email"],
        "name": {"first": GUEST["first"], "last": GUEST["last"]},
        "confirmation_code": GUEST["code"],
    }

    exported = post(
        plane,
        admin,
        "/v1/privacy/export",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"phone": GUEST_PHONE}},
    )
    assert exported.status == 200, exported.body
    bundle = exported.json()["export"]
    mine = {guest_calls[k] for k in ("agent", "events", "webhook")}
    assert {c["call_id"] for c in bundle["calls"]} == mine
    assert {c["caller_number"] for c in bundle["calls"]} == {GUEST_PHONE, "0049 176 1234 5678"}
    turns = " ".join(t["text"] for c in bundle["calls"] for t in c["turns"])
    assert GUEST["first"] in turns
    (recording,) = bundle["recordings"]
    assert recording["call_id"] == guest_calls["webhook"]
    assert recording["url"].startswith("http")
    reads = [e for e in bundle["audit_entries"] if e["action"] == "calls.read"]
    assert {e["resource"] for e in reads} == {f"call/{c}" for c in mine}
    by_code = post(
        plane,
        admin,
        "/v1/privacy/export",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"confirmation_code": "hv 4026"}},
    ).json()["export"]
    assert {c["call_id"] for c in by_code["calls"]} == mine
    # The agent's verified lookup of the booking was audited, and is the guest's business.
    assert "reservation.read" in {e["action"] for e in by_code["audit_entries"]}
    # The agent never sends a verified guest's name (it redacts it); where a name was
    # revealed to the record, a request by name finds the call, in any case.
    by_name = post(
        plane,
        admin,
        "/v1/privacy/export",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"name": {"first": "clara", "last": "WEBER"}}},
    ).json()["export"]
    assert {c["call_id"] for c in by_name["calls"]} == mine - {guest_calls["agent"]}

    # An event of the guest was dead-lettered before the erasure; more wait in the queue.
    dlq = plane.resources.refs["CallEventsDeadLetterQueue"]
    late = guest_events(
        guest_calls["events"], GUEST_PHONE, GUEST["first"], GUEST["last"], GUEST["code"]
    )
    aws.client("sqs").send_message(QueueUrl=dlq, MessageBody=json.dumps(late[1]))
    never_seen = f"call-privacy-queued-{uuid.uuid4().hex[:8]}"
    queued = late + guest_events(
        never_seen, GUEST_PHONE, GUEST["first"], GUEST["last"], GUEST["code"]
    )

    erased = post(
        plane, admin, "/v1/privacy/erase", {"hotel_id": DEMO_HOTEL_ID, "subject": subject}
    )
    assert erased.status == 200, erased.body
    report = erased.json()
    assert set(report["calls"]) == mine
    assert report["stores"]["recordings"]["erased"] == 1
    assert report["stores"]["call_events_dead_letter_queue"]["erased"] == 1
    assert report["stores"]["calls"]["erased"] > 0
    assert report["stores"]["tts_cache"]["erased"] == 0
    # Both requests are in the audit log, under a keyed hash of the guest and nothing else.
    audited = {
        (item["action"], item["resource"])
        for item in scan_table(plane.resources.refs["AuditTable"])
        if item["action"].startswith("privacy.")
    }
    assert ("privacy.erase", f"subject/{report['subject_hash']}") in audited
    assert ("privacy.export", f"subject/{bundle['subject_hash']}") in audited
    assert GUEST["last"] not in erased.body.decode()
    assert GUEST_PHONE not in erased.body.decode()

    # Redelivered after the erasure, the guest's queued events bring nothing back.
    queue = plane.resources.refs["CallEventsQueue"]
    for e in queued:
        aws.client("sqs").send_message(QueueUrl=queue, MessageBody=json.dumps(e))
    plane.drain()

    again = post(
        plane, admin, "/v1/privacy/erase", {"hotel_id": DEMO_HOTEL_ID, "subject": subject}
    ).json()
    assert again["calls"] == sorted(mine) or set(again["calls"]) <= mine
    assert all(s["erased"] == 0 for s in again["stores"].values()), again["stores"]

    stored = everything_stored(plane)
    logs = "".join(capfd.readouterr())
    left = {
        store: [
            (w, text[max(0, text.casefold().find(w.casefold()) - 300) :][:600])
            for w in traces_of_guest(text)
        ]
        for store, text in {**stored, "logs": logs}.items()
    }
    assert {store: found for store, found in left.items() if found} == {}

    staff = bearer(plane, Role.STAFF)
    record = plane.api.request("GET", f"/v1/calls/{guest_calls['agent']}", staff).json()
    assert record["erased_at"]
    assert record["outcome"] == "completed"
    assert record["turns"] == []
    assert record["caller_hash"] is None
    assert plane.api.request("GET", f"/v1/calls/{never_seen}", staff).status in (200, 404)
    other = plane.api.request("GET", f"/v1/calls/{guest_calls['other']}", staff).json()
    assert other["caller_hash"] == caller_hash(OTHER_PHONE)
    # (Their verified last name is redacted in their own turns, erasure or not.)
    assert len(other["turns"]) == 2
    assert OTHER["code"] in " ".join(t["text"] for t in other["turns"])
    assert len(other["tool_calls"]) == 1
    assert other["messages"][0]["callback_number"] == OTHER_PHONE
    bucket = plane.resources.refs["RecordingsBucket"]
    kept = aws.client("s3").list_objects_v2(Bucket=bucket)["Contents"]
    assert f"recordings/{DEMO_HOTEL_ID}/{guest_calls['other']}.ogg" in {o["Key"] for o in kept}


@pytest.mark.parametrize("role", [Role.STAFF, Role.SERVICE])
@pytest.mark.parametrize("action", ["export", "erase"])
def test_only_the_hotels_own_admin_may_export_or_erase(plane, role, action):
    body = {"hotel_id": DEMO_HOTEL_ID, "subject": {"phone": GUEST_PHONE}}
    assert post(plane, bearer(plane, role), f"/v1/privacy/{action}", body).status == 403
    other_admin = bearer(plane, Role.ADMIN, ["another-hotel"])
    refused = post(plane, other_admin, f"/v1/privacy/{action}", body)
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "forbidden"


def test_a_request_that_names_nobody_is_a_400(plane):
    admin = bearer(plane, Role.ADMIN)
    for subject in ({}, {"phone": "call me"}, {"name": {"first": "Clara"}}, {"ssn": "1"}):
        answer = post(
            plane, admin, "/v1/privacy/export", {"hotel_id": DEMO_HOTEL_ID, "subject": subject}
        )
        assert answer.status == 400, subject
        assert "call me" not in answer.body.decode()


def test_an_erasure_finds_and_removes_a_guests_sentence_that_leaked_into_the_tts_cache(
    plane, service_headers
):
    """The TTS cache never stores a sentence that names a guest; the erasure checks anyway,
    and a sentence that got there (an older release, a bug) is found and removed."""
    from hotelvoice.tts.cache import CacheKey
    from hotelvoice.tts.engine import AudioFormat
    from hotelvoice.tts.voices import voice_chain

    call_id = f"call-privacy-tts-{uuid.uuid4().hex[:8]}"
    for e in guest_events(call_id, "+4917155500011", "Ada", "Lovelace", "HV7777"):
        assert post(plane, service_headers, f"/v1/calls/{call_id}/events", e).status == 202
    plane.drain()
    voice = voice_chain({}, "en", ["espeak"])[0]
    key = CacheKey.of(voice, AudioFormat.PCM_16000, "Thank you, Ada Lovelace.")
    bucket, table = plane.resources.refs["TtsCacheBucket"], plane.resources.refs["TtsCacheTable"]
    aws.client("s3").put_object(Bucket=bucket, Key=f"tts/{key.digest}.pcm", Body=b"\0\0")
    aws.client("dynamodb").put_item(
        TableName=table,
        Item={
            "pk": {"S": key.digest},
            "object_key": {"S": f"tts/{key.digest}.pcm"},
            "expires_at": {"N": str(int(datetime.now(UTC).timestamp()) + 3600)},
        },
    )
    report = post(
        plane,
        bearer(plane, Role.ADMIN),
        "/v1/privacy/erase",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"phone": "+4917155500011"}},
    ).json()
    assert report["stores"]["tts_cache"]["erased"] == 1
    assert "Item" not in aws.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": key.digest}}
    )
    listed = aws.client("s3").list_objects_v2(Bucket=bucket, Prefix=f"tts/{key.digest}")
    assert listed.get("KeyCount", 0) == 0


def test_a_large_export_is_a_short_lived_link_to_an_object_that_names_nobody(plane):
    import httpx

    from hotelvoice.contracts.privacy import PrivacyExport
    from hotelvoice.privacy.export import answer_for

    bundle = PrivacyExport(
        export_id=uuid.uuid4().hex,
        hotel_id=DEMO_HOTEL_ID,
        generated_at=datetime.now(UTC),
        subject_hash="0" * 32,
        calls=[{"call_id": f"call-{n}", "turns": [{"text": "x" * 500}]} for n in range(10)],
    )
    settings = get_settings().model_copy(
        update={
            "privacy_inline_bytes": 1024,
            "privacy_exports_bucket": plane.resources.refs["PrivacyExportsBucket"],
        }
    )
    answer = answer_for(bundle, settings)
    assert answer.export is None
    assert answer.calls == 10
    assert answer.link_expires_at is not None
    assert f"exports/{DEMO_HOTEL_ID}/{bundle.export_id}.json" in answer.url
    fetched = httpx.get(answer.url, timeout=10)
    assert fetched.status_code == 200
    assert PrivacyExport.model_validate_json(fetched.content) == bundle
    small = answer_for(bundle.model_copy(update={"calls": []}), settings)
    assert small.export is not None
    assert small.url is None


def test_one_hotels_erasure_leaves_the_same_guests_calls_to_another_hotel_alone(
    plane, service_headers
):
    import random

    other_hotel = a_hotel(plane, "privacy-other")
    phone = f"+49176{random.randint(10**7, 10**8 - 1)}"
    here, there, queued = (f"call-privacy-{n}-{uuid.uuid4().hex[:6]}" for n in range(3))
    for call_id, hotel in ((here, DEMO_HOTEL_ID), (there, other_hotel)):
        for e in guest_events(call_id, phone, "Ada", "Byron", "HV5555"):
            sent = {**e, "hotel_id": hotel} if e["type"] == "call.started" else e
            answer = post(plane, service_headers, f"/v1/calls/{call_id}/events", sent)
            assert answer.status == 202
    plane.drain()
    # The other hotel's events of the guest: one dead-lettered, one call still queued.
    dead = guest_events(there, phone, "Ada", "Byron", "HV5555")[1]
    waiting = {**guest_events(queued, phone, "Ada", "Byron", "HV5555")[0], "hotel_id": other_hotel}
    dlq = plane.resources.refs["CallEventsDeadLetterQueue"]
    aws.client("sqs").send_message(QueueUrl=dlq, MessageBody=json.dumps(dead))

    report = post(
        plane,
        bearer(plane, Role.ADMIN),
        "/v1/privacy/erase",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"phone": phone}},
    ).json()
    assert report["calls"] == [here]
    assert report["stores"]["call_events_dead_letter_queue"]["erased"] == 0
    queue = plane.resources.refs["CallEventsQueue"]
    aws.client("sqs").send_message(QueueUrl=queue, MessageBody=json.dumps(waiting))
    plane.drain()

    staff = bearer(plane, Role.STAFF, [other_hotel])
    kept = plane.api.request("GET", f"/v1/calls/{there}", staff).json()
    assert kept["caller_hash"] == caller_hash(phone)
    assert len(kept["turns"]) == 2
    arrived = plane.api.request("GET", f"/v1/calls/{queued}", staff).json()
    assert arrived["caller_hash"] == caller_hash(phone)
    assert arrived["erased_at"] is None
    assert any(f'"call_id": "{there}"' in body for body in queued_bodies(dlq))
    exported = post(
        plane,
        bearer(plane, Role.ADMIN, [other_hotel]),
        "/v1/privacy/export",
        {"hotel_id": other_hotel, "subject": {"phone": phone}},
    ).json()["export"]
    assert {c["call_id"] for c in exported["calls"]} == {there, queued}


@pytest.mark.parametrize(("found", "asked"), [("XPGMSXGF-1", "xpgmsxgf-1"), ("52", "52")])
def test_a_call_is_found_by_the_code_in_the_pms_own_shape(plane, service_headers, found, asked):
    # Apaleo's codes carry a reservation suffix and Mews' are short numbers: the guest's
    # request names the code as the booking says it, and must find the call its lookup named.
    call_id = f"call-privacy-code-{uuid.uuid4().hex[:6]}"
    phone = f"+49176{uuid.uuid4().int % 10**8:08d}"
    for e in guest_events(call_id, phone, "Ada", "Lovelace", found):
        answer = post(plane, service_headers, f"/v1/calls/{call_id}/events", e)
        assert answer.status == 202, answer.body
    plane.drain()

    exported = post(
        plane,
        bearer(plane, Role.ADMIN),
        "/v1/privacy/export",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"confirmation_code": asked}},
    )
    assert exported.status == 200, exported.body
    assert [c["call_id"] for c in exported.json()["export"]["calls"]] == [call_id]
