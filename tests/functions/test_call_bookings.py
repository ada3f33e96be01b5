"""Bookings and front-desk requests in the call record: posted by the agent's reporter,
shown by ``GET /v1/calls/{id}``, found by a privacy export and removed by an erasure."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from datetime import date, timedelta

import pytest

from hotelvoice.auth import Role
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import CALL_EVENT
from hotelvoice.contracts.pms import Money
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from realtime_agent.call_events import CallEventReporter
from realtime_agent.service_auth import LocalServiceToken
from tests.functions.call_event_wire import post_json
from tests.functions.stored_items import scan_table


def admin(plane) -> dict[str, str]:
    token = plane.token(Role.ADMIN, [DEMO_HOTEL_ID], subject="privacy-bookings")
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


def a_phone() -> str:
    return "+4917" + "".join(random.choices("0123456789", k=9))


async def report_call(api_url: str, call_id: str, code: str, callback: str) -> str:
    """A call in which the agent books, then takes a taxi request; the request's reference."""
    reporter = CallEventReporter(api_url, LocalServiceToken(), call_id)
    reporter.known_names.add("Marlene Kurz")
    reporter.started(DEMO_HOTEL_ID, "de", a_phone())
    arrival = date.today() + timedelta(days=30)
    reporter.booking(
        "created",
        code,
        total=Money(amount_minor=38900, currency="EUR"),
        arrival=arrival,
        departure=arrival + timedelta(days=2),
        room_type="Double Room",
        pms_ids={"reservation_id": f"res-{code}"},
        confirmation_sent=False,
    )
    reference = reporter.front_desk_request(
        "taxi",
        "Marlene Kurz needs a taxi to the airport at 6, card 4111 1111 1111 1111",
        callback_number=callback,
        language="de",
        confirmation_code=code,
    )
    await reporter.aclose()
    assert reporter.failed == 0
    return reference


@pytest.fixture
def booked_call(plane, api_url):
    call_id = f"call-booking-{uuid.uuid4().hex[:8]}"
    code = f"HV{random.randint(100_000, 999_999)}"
    callback = a_phone()
    reference = asyncio.run(report_call(api_url, call_id, code, callback))
    plane.drain()
    return call_id, code, callback, reference


def test_the_record_shows_the_booking_and_the_request(plane, booked_call, staff_headers):
    call_id, code, callback, reference = booked_call
    record = plane.api.request("GET", f"/v1/calls/{call_id}", staff_headers).json()
    (booking,) = record["bookings"]
    assert booking["action"] == "created"
    assert booking["confirmation_code"] == code
    assert (booking["total_minor"], booking["currency"]) == (38900, "EUR")
    assert booking["pms_ids"] == {"reservation_id": f"res-{code}"}
    assert booking["confirmation_sent"] is False
    (request,) = record["requests"]
    assert request["category"] == "taxi"
    assert request["reference"] == reference
    assert len(reference) == 6
    assert request["callback_number"] == callback
    assert "Marlene" not in request["details"]
    assert "4111" not in request["details"]
    assert "airport" in request["details"]
    stored = json.dumps(scan_table(plane.resources.refs["CallsTable"]), default=str)
    assert callback not in stored  # sealed at rest, opened for the front desk
    items = [
        i for i in scan_table(plane.resources.refs["CallsTable"]) if i["pk"] == f"CALL#{call_id}"
    ]
    assert all("expires_at" in i for i in items)


def test_a_privacy_request_by_code_or_callback_finds_and_erases_them(plane, booked_call):
    call_id, code, callback, _ = booked_call
    for subject in ({"confirmation_code": code.lower()}, {"phone": callback}):
        exported = post_json(
            plane,
            admin(plane),
            "/v1/privacy/export",
            {"hotel_id": DEMO_HOTEL_ID, "subject": subject},
        )
        assert exported.status == 200, exported.body
        (call,) = exported.json()["export"]["calls"]
        assert call["call_id"] == call_id
        assert call["bookings"][0]["confirmation_code"] == code
        assert call["requests"][0]["callback_number"] == callback
    erased = post_json(
        plane,
        admin(plane),
        "/v1/privacy/erase",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"confirmation_code": code}},
    )
    assert erased.status == 200, erased.body
    assert erased.json()["calls"] == [call_id]
    left = [
        i
        for i in scan_table(plane.resources.refs["CallsTable"])
        if call_id in str(i.get("sk")) or i["pk"] == f"CALL#{call_id}"
    ]
    assert {i["sk"] for i in left} == {"SUMMARY", "OWNER"}  # the anonymous summary, the owner
    assert code not in json.dumps(left, default=str)
    # The same booking event, redelivered after the erasure, brings nothing back.
    event = CALL_EVENT.validate_python(
        {
            "type": "call.booking",
            "event_id": f"{call_id}:booking:late",
            "call_id": call_id,
            "occurred_at": "2026-01-01T10:00:00Z",
            "action": "cancelled",
            "confirmation_code": code,
        }
    )
    assert CallRecordStore(plane.resources.refs["CallsTable"]).apply(event) is False
    again = post_json(
        plane,
        admin(plane),
        "/v1/privacy/export",
        {"hotel_id": DEMO_HOTEL_ID, "subject": {"confirmation_code": code}},
    )
    assert again.json()["export"]["calls"] == []


def test_events_out_of_bounds_are_refused_at_the_door():
    base = {"event_id": "e1", "call_id": "c1", "occurred_at": "2026-01-01T10:00:00Z"}
    with pytest.raises(ValueError, match="action"):
        CALL_EVENT.validate_python(
            base | {"type": "call.booking", "action": "made", "confirmation_code": "HV1"}
        )
    with pytest.raises(ValueError, match="category"):
        CALL_EVENT.validate_python(
            base
            | {
                "type": "call.request",
                "category": "pizza",
                "details": "x",
                "reference": "123456",
                "language": "en",
            }
        )
