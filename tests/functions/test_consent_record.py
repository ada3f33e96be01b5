"""What the call record does with the caller's word on recording and transcripts."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotelvoice import aws
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from tests.functions.call_event_wire import call_event, post_json
from tests.functions.test_call_events_path import signed_webhook, webhook

T0 = datetime.now(UTC) - timedelta(minutes=30)


def event(call_id: str, kind: str, n: int, **fields) -> dict:
    return call_event(call_id, kind, n, start=T0, **fields)


def post(plane, headers, e):
    answer = post_json(plane, headers, f"/v1/calls/{e['call_id']}/events", e)
    assert answer.status == 202, answer.body


def recording_ready(plane, call_id: str, key: str) -> None:
    bucket = plane.resources.refs["RecordingsBucket"]
    body = json.dumps(
        {
            "event": "egress_ended",
            "id": f"EV_{uuid.uuid4().hex[:8]}",
            "createdAt": str(int(T0.timestamp()) + 20),
            "egressInfo": {
                "roomId": call_id,
                "fileResults": [{"location": f"s3://{bucket}/{key}", "duration": "9000000000"}],
            },
        }
    )
    assert webhook(plane, body, signed_webhook(body)).status == 200


def a_recorded_call(plane, headers, language: str, said: str) -> tuple[str, str, str]:
    """A call of a hotel that records, egress's file already written: (call id, bucket, key)."""
    call_id = f"call-consent-{uuid.uuid4().hex[:8]}"
    bucket = plane.resources.refs["RecordingsBucket"]
    key = f"recordings/{DEMO_HOTEL_ID}/{call_id}.ogg"
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=b"OggS the first seconds")
    for e in (
        event(call_id, "call.started", 0, hotel_id=DEMO_HOTEL_ID, language=language),
        event(
            call_id,
            "call.consent",
            1,
            recording="recorded",
            via="hotel_config",
            transcript_kept=True,
        ),
        event(call_id, "call.turn", 2, index=0, role="caller", text=said),
    ):
        post(plane, headers, e)
    return call_id, bucket, key


@pytest.mark.parametrize("declined_first", [False, True])
def test_a_declined_recording_is_deleted_whenever_its_file_arrives(
    plane, service_headers, staff_headers, declined_first
):
    call_id, bucket, key = a_recorded_call(plane, service_headers, "de", "bitte nicht aufnehmen")
    declined = event(
        call_id, "call.consent", 3, recording="declined", via="speech", transcript_kept=False
    )
    if declined_first:
        post(plane, service_headers, declined)
        plane.drain()
        recording_ready(plane, call_id, key)
    else:
        recording_ready(plane, call_id, key)
        plane.drain()
        post(plane, service_headers, declined)
    said = "Verstanden, dieses Gespräch wird nicht aufgezeichnet."
    post(plane, service_headers, event(call_id, "call.turn", 4, index=1, role="agent", text=said))
    plane.drain()

    record = plane.api.request("GET", f"/v1/calls/{call_id}", staff_headers).json()
    assert record["consent"]["recording"] == "declined"
    assert record["consent"]["via"] == "speech"
    assert record["recording"]["discarded"] == "declined"
    assert "location" not in record["recording"]
    assert record["turns"] == []
    listed = aws.client("s3").list_objects_v2(Bucket=bucket, Prefix=key)
    assert listed.get("KeyCount", 0) == 0


def test_a_recording_the_caller_agreed_to_is_kept(plane, service_headers, staff_headers):
    call_id, bucket, key = a_recorded_call(plane, service_headers, "en", "is there parking")
    recording_ready(plane, call_id, key)
    plane.drain()
    record = plane.api.request("GET", f"/v1/calls/{call_id}", staff_headers).json()
    assert record["consent"]["recording"] == "recorded"
    assert record["recording"]["location"] == f"s3://{bucket}/{key}"
    assert len(record["turns"]) == 1
    assert aws.client("s3").list_objects_v2(Bucket=bucket, Prefix=key)["KeyCount"] == 1
