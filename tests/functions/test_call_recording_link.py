"""A call's page plays its recording through a short-lived link the calls API signs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import CALL_EVENT
from tests.functions.call_event_wire import call_event, post_json

T0 = datetime.now(UTC) - timedelta(minutes=20)


def recorded_call(plane, location: str | None, *, declined: bool = False) -> tuple[str, str]:
    """A call of a fresh hotel whose recording egress reported at ``location``."""
    hotel = f"rec-{uuid.uuid4().hex[:8]}"
    call_id = f"{hotel}-call"
    agent = {"authorization": f"Bearer {plane.token(Role.SERVICE, [hotel])}"}
    kinds = [("call.started", {"hotel_id": hotel, "language": "en"})]
    if declined:
        kinds.append(("call.consent", {"recording": "declined", "via": "key"}))
    for n, (kind, fields) in enumerate(kinds):
        event = call_event(call_id, kind, n, start=T0, **fields)
        assert post_json(plane, agent, f"/v1/calls/{call_id}/events", event).status == 202
    plane.drain()
    if location:
        ready = call_event(
            call_id, "livekit.recording_ready", 9, start=T0, location=location, duration_s=42.0
        )
        CallRecordStore(plane.resources.refs["CallsTable"]).apply(CALL_EVENT.validate_python(ready))
    return hotel, call_id


def read(plane, hotel: str, call_id: str) -> dict:
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, [hotel])}"}
    answer = plane.api.request("GET", f"/v1/calls/{call_id}", staff)
    assert answer.status == 200, answer.body
    return answer.json()


def test_a_recording_in_our_bucket_comes_with_a_link_that_plays_it(plane):
    bucket = plane.resources.refs["RecordingsBucket"]
    hotel, call_id = recorded_call(plane, None)
    key = f"recordings/{hotel}/{call_id}.ogg"
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=b"OggS the call")
    CallRecordStore(plane.resources.refs["CallsTable"]).apply(
        CALL_EVENT.validate_python(
            call_event(
                call_id,
                "livekit.recording_ready",
                9,
                start=T0,
                location=f"s3://{bucket}/{key}",
                duration_s=42.0,
            )
        )
    )
    recording = read(plane, hotel, call_id)["recording"]
    assert httpx.get(recording["url"], timeout=10).content == b"OggS the call"
    until = datetime.fromisoformat(recording["link_expires_at"])
    assert timedelta(minutes=1) < until - datetime.now(UTC) <= timedelta(minutes=5)
    assert "X-Amz-Signature" in recording["url"]


def test_no_link_for_a_recording_elsewhere_or_one_the_caller_declined(plane):
    hotel, call_id = recorded_call(plane, "s3://the-hotels-own-bucket/calls/x.ogg")
    elsewhere = read(plane, hotel, call_id)["recording"]
    assert elsewhere["location"] == "s3://the-hotels-own-bucket/calls/x.ogg"
    assert "url" not in elsewhere

    bucket = plane.resources.refs["RecordingsBucket"]
    hotel, call_id = recorded_call(
        plane, f"s3://{bucket}/recordings/somewhere/declined.ogg", declined=True
    )
    declined = read(plane, hotel, call_id)["recording"]
    assert declined["discarded"] == "declined"
    assert "url" not in declined
