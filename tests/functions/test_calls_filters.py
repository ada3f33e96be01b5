"""The calls list narrowed to a language, to calls put through, or to calls that left a
message, a request or a booking: flags the consumer sets on the summary as it writes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotelvoice.auth import Role
from tests.functions.call_event_wire import call_event, post_json

T0 = datetime.now(UTC) - timedelta(hours=2)
SHAPES = {
    "plain-en": ("en", []),
    "message-de": ("de", [("call.message", {"message": "Rückruf", "language": "de"})]),
    "request-de": (
        "de",
        [
            (
                "call.request",
                {"category": "taxi", "details": "Taxi", "reference": "REQ-4242", "language": "de"},
            )
        ],
    ),
    "booking-fr": (
        "fr",
        [
            (
                "call.booking",
                {
                    "action": "created",
                    "confirmation_code": "HV4242",
                    "total_minor": 100,
                    "currency": "EUR",
                },
            )
        ],
    ),
    "through-en": (
        "en",
        [("call.transferred", {"target": "tel:+4930123", "reason": "menu", "succeeded": True})],
    ),
    "not-through-en": (
        "en",
        [("call.transferred", {"target": "tel:+4930123", "reason": "menu", "succeeded": False})],
    ),
}


@pytest.fixture(scope="module")
def hotel(plane) -> dict[str, str]:
    """A hotel of this module's own with one call of each shape; shape → call id."""
    hotel_id = f"filters-{uuid.uuid4().hex[:8]}"
    agent = {"authorization": f"Bearer {plane.token(Role.SERVICE, [hotel_id])}"}
    ids = {}
    for n, (shape, (language, extra)) in enumerate(SHAPES.items()):
        call_id = f"{hotel_id}-{shape}"
        kinds = [("call.started", {"hotel_id": hotel_id, "language": language}), *extra]
        for k, (kind, fields) in enumerate(kinds):
            event = call_event(call_id, kind, k, start=T0 + timedelta(minutes=n), **fields)
            assert post_json(plane, agent, f"/v1/calls/{call_id}/events", event).status == 202
        ids[shape] = call_id
    plane.drain()
    return {"hotel_id": hotel_id, **ids}


def listed(plane, hotel: dict[str, str], query: str) -> set[str]:
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, [hotel['hotel_id']])}"}
    answer = plane.api.request("GET", f"/v1/calls?hotel_id={hotel['hotel_id']}{query}", staff)
    assert answer.status == 200, answer.body
    shapes = {v: k for k, v in hotel.items()}
    return {shapes[c["call_id"]] for c in answer.json()["calls"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", set(SHAPES)),
        ("&language=de", {"message-de", "request-de"}),
        ("&transferred=true", {"through-en"}),
        ("&transferred=false&language=en", {"plain-en", "not-through-en"}),
        ("&with_message=true", {"message-de"}),
        ("&with_request=true", {"request-de"}),
        ("&with_booking=true", {"booking-fr"}),
        ("&with_booking=true&language=de", set()),
    ],
)
def test_each_filter_keeps_exactly_its_calls(plane, hotel, query, expected):
    assert listed(plane, hotel, query) == expected


def test_the_list_says_what_each_call_holds(plane, hotel):
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, [hotel['hotel_id']])}"}
    answer = plane.api.request("GET", f"/v1/calls?hotel_id={hotel['hotel_id']}", staff)
    calls = {c["call_id"]: c for c in answer.json()["calls"]}
    booked = calls[hotel["booking-fr"]]
    assert booked["language"] == "fr"
    assert booked["has_booking"] is True
    assert booked["has_message"] is False
    assert calls[hotel["through-en"]]["transferred"] is True
    assert calls[hotel["not-through-en"]]["transferred"] is False


@pytest.mark.parametrize("query", ["&language=DE", "&language=deu", "&transferred=maybe"])
def test_bad_filters_are_400s(plane, hotel, query):
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, [hotel['hotel_id']])}"}
    answer = plane.api.request("GET", f"/v1/calls?hotel_id={hotel['hotel_id']}{query}", staff)
    assert answer.status == 400
