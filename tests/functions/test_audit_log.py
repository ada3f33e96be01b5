"""Reads of personal data leave an append-only audit entry: who, role, what, hotel, when, id."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from boto3.dynamodb.conditions import Key

from hotelvoice.audit import audit
from hotelvoice.auth import Principal, Role
from hotelvoice.errors import Unavailable
from hotelvoice.pms.demo_hotel import reservations
from hotelvoice.privacy.keys import reservation_resource


def test_reading_a_call_record_is_audited(plane, service_headers):
    event = {
        "type": "call.started",
        "event_id": "audit-1:started",
        "call_id": "audit-1",
        "hotel_id": "aurora-berlin",
        "occurred_at": "2026-11-25T10:00:00Z",
        "language": "en",
    }
    plane.api.request(
        "POST",
        "/v1/calls/audit-1/events",
        {**service_headers, "content-type": "application/json"},
        json.dumps(event),
    )
    plane.drain()
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, ['aurora-berlin'], 'maria.desk')}"}
    response = plane.api.request("GET", "/v1/calls/audit-1", staff)
    assert response.status == 200
    (entry,) = [e for e in entries_for_all(plane) if e["resource"] == "call/audit-1"]
    assert (entry["actor"], entry["role"], entry["action"], entry["hotel_id"]) == (
        "maria.desk",
        "staff",
        "calls.read",
        "aurora-berlin",
    )
    assert entry["request_id"]
    assert entry["at"].endswith("Z")


def entries_for_all(plane) -> list[dict]:
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    return plane.table("AuditTable").query(KeyConditionExpression=Key("pk").eq(f"AUDIT#{today}"))[
        "Items"
    ]


def test_a_disclosed_reservation_is_audited_a_refused_one_is_not(plane, service_headers):
    booking = reservations(plane.today)[5]["reservation"]
    headers = {**service_headers, "content-type": "application/json"}
    before = len(entries_for_all(plane))
    refused = plane.api.request(
        "POST",
        "/v1/hotels/aurora-berlin/reservations/lookup",
        headers,
        json.dumps({"confirmation_code": booking["confirmation_code"], "last_name": "Wrong"}),
    )
    assert refused.status == 404
    assert len(entries_for_all(plane)) == before
    found = plane.api.request(
        "POST",
        "/v1/hotels/aurora-berlin/reservations/lookup",
        headers,
        json.dumps(
            {
                "confirmation_code": booking["confirmation_code"],
                "last_name": booking["guest_last_name"],
            }
        ),
    )
    assert found.status == 200
    entry = max(entries_for_all(plane), key=lambda e: e["sk"])
    assert entry["action"] == "reservation.read"
    assert entry["resource"] == reservation_resource(booking["confirmation_code"])
    assert booking["confirmation_code"] not in json.dumps(entry, default=str)
    assert booking["guest_last_name"] not in json.dumps(entry, default=str)
    # Kept as long as the hotel keeps its audit trail, no longer.
    days = (int(entry["expires_at"]) - time.time()) / 86400
    assert 364 < days <= 365


def test_entries_are_append_only(plane):
    principal = Principal(subject="x", role=Role.ADMIN, hotels=["*"])
    at = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    audit(principal, "calls.read", hotel_id="h", resource="call/1", request_id="same", at=at)
    with pytest.raises(Unavailable):
        audit(principal, "calls.read", hotel_id="h", resource="call/2", request_id="same", at=at)
