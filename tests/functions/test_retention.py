"""Storage limitation: every item the control plane writes expires inside the hotel's
retention, and recordings are deleted when the hotel's retention has passed."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.contracts.hotels import RetentionSettings
from hotelvoice.privacy.expiry import expire_recordings
from tests.functions.call_event_wire import call_event
from tests.functions.stored_items import a_hotel, scan_table

DAY = 86400
TTL_ATTRIBUTE = {
    "CallsTable": "expires_at",
    "AuditTable": "expires_at",
    "IdempotencyTable": "expiration",
    "RateLimitTable": "expires_at",
    "TtsCacheTable": "expires_at",
}
"""Every table of guests' data; HotelsTable (configuration) and PmsTable (the hotel's own PMS)
hold none."""


def post(plane, role, hotels, method, path, body=None):
    headers = {
        "authorization": f"Bearer {plane.token(role, hotels, subject=f'retention-{role.value}')}",
        "content-type": "application/json",
    }
    return plane.api.request(method, path, headers, json.dumps(body) if body else None)


def test_every_item_carries_a_ttl_inside_the_hotels_retention(plane):
    hotel = a_hotel(
        plane, "retention", retention=RetentionSettings(transcripts_days=10, audit_days=120)
    )
    call_id = f"call-retention-{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)

    def event(kind: str, n: int, **fields) -> dict:
        return call_event(call_id, kind, n, start=now, **fields)

    events = [
        # A turn before call.started: written with the default retention, then re-stamped.
        event("call.turn", 1, index=0, role="caller", text="hello"),
        event("call.started", 0, hotel_id=hotel, language="en", caller_number="+4917100000001"),
        event(
            "call.tool",
            2,
            index=0,
            name="find_reservation",
            arguments={"confirmation_code": "HV9999", "last_name": "Doe"},
            result=json.dumps(
                {"found": True, "confirmation_code": "HV9999", "guest_name": "Jane Doe"}
            ),
            ok=True,
            duration_ms=3,
        ),
        event(
            "call.message",
            3,
            message="call me back",
            callback_number="+4917100000001",
            language="en",
        ),
        event("call.ended", 4, outcome="completed"),
    ]
    for e in events:
        answer = post(plane, Role.SERVICE, ["*"], "POST", f"/v1/calls/{call_id}/events", e)
        assert answer.status == 202, answer.body
        plane.drain()  # in this order: the turn is stored before the call's hotel is known
    assert post(plane, Role.STAFF, [hotel], "GET", f"/v1/calls/{call_id}").status == 200

    stamped = [
        item
        for item in scan_table(plane.resources.refs["CallsTable"])
        if call_id in (item["pk"], item["sk"])
        or item["pk"] == f"CALL#{call_id}"
        or item["sk"] == f"CALL#{call_id}"
    ]
    kinds = {
        item["sk"].split("#")[0] if item["pk"].startswith("CALL#") else "SUBJECT"
        for item in stamped
    }
    assert kinds == {"OWNER", "SUMMARY", "TURN", "TOOL", "MESSAGE", "SUBJECT"}
    for item in stamped:
        assert 9 * DAY < int(item["expires_at"]) - time.time() <= 10 * DAY, item["sk"]
    audited = [i for i in scan_table(plane.resources.refs["AuditTable"]) if i["hotel_id"] == hotel]
    assert audited
    for item in audited:
        assert 119 * DAY < int(item["expires_at"]) - time.time() <= 120 * DAY

    # Every item of every table of guests' data expires. Other tests write some of them with
    # clocks of their own (rate-limit windows, cache entries), so the bound is checked on the
    # items this test's requests wrote: its principals' counters and its events' records.
    for logical, attribute in TTL_ATTRIBUTE.items():
        for item in scan_table(plane.resources.refs[logical]):
            assert attribute in item, (logical, item.get("pk") or item.get("id"))
    counters = [
        item
        for item in scan_table(plane.resources.refs["RateLimitTable"])
        if "#retention-" in item["pk"]
    ]
    assert counters
    for item in counters:
        assert int(item["expires_at"]) - time.time() <= 180
    for item in scan_table(plane.resources.refs["IdempotencyTable"]):
        assert int(item["expiration"]) - time.time() <= DAY + 60


def test_recordings_are_deleted_once_the_hotels_retention_has_passed(plane):
    short = a_hotel(plane, "retention", retention=RetentionSettings(recordings_days=2))
    long = a_hotel(plane, "retention", retention=RetentionSettings(recordings_days=60))
    bucket = plane.resources.refs["RecordingsBucket"]
    s3 = aws.client("s3")
    for hotel in (short, long):
        s3.put_object(Bucket=bucket, Key=f"recordings/{hotel}/call-1.ogg", Body=b"OggS")

    def kept() -> set[str]:
        listed = s3.list_objects_v2(Bucket=bucket, Prefix="recordings/retention-")
        return {o["Key"].split("/")[1] for o in listed.get("Contents", [])}

    assert expire_recordings(datetime.now(UTC) + timedelta(days=1))[short] == 0
    assert {short, long} <= kept()
    deleted = expire_recordings(datetime.now(UTC) + timedelta(days=3))
    assert deleted[short] == 1
    assert deleted[long] == 0
    assert long in kept()
    assert short not in kept()
