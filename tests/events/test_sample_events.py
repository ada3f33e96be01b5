"""The sample events drive the real handlers (as ``sam local invoke -e`` would)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from hotelvoice.auth import Role

EVENTS = Path(__file__).parent
CASES = [
    ("pms_hotel_info_event.json", "PmsFunction", 200),
    ("pms_availability_event.json", "PmsFunction", 200),
    ("pms_reservation_lookup_event.json", "PmsFunction", 200),
    ("agent_turn_event.json", "AgentEventsFunction", 202),
    ("calls_health_event.json", "CallsFunction", 200),
]


@pytest.mark.parametrize(("name", "function", "status"), CASES)
def test_http_sample_event(plane, name, function, status):
    event = json.loads((EVENTS / name).read_text())
    if "authorization" in event["headers"]:
        event["headers"]["authorization"] = f"Bearer {plane.token(Role.SERVICE)}"
    if "arrival" in (event.get("queryStringParameters") or {}):
        event = _stay_from_today(event)  # the API asks no PMS about a stay in the past
    response = plane.functions[function].invoke(event)
    assert response["statusCode"] == status, response["body"]
    assert response["headers"]["content-type"] == "application/json"


def _stay_from_today(event: dict) -> dict:
    """The sample's stay moved to 40 days from today, its length kept."""
    query = event["queryStringParameters"]
    arrival, departure = (
        date.fromisoformat(query["arrival"]),
        date.fromisoformat(query["departure"]),
    )
    moved = date.today() + timedelta(days=40)
    query = query | {
        "arrival": moved.isoformat(),
        "departure": (moved + (departure - arrival)).isoformat(),
    }
    return event | {"queryStringParameters": query, "rawQueryString": urlencode(query)}


def test_http_sample_event_with_its_placeholder_token_is_refused(plane):
    event = json.loads((EVENTS / "pms_hotel_info_event.json").read_text())
    response = plane.functions["PmsFunction"].invoke(event)
    assert response["statusCode"] == 401


def test_sqs_sample_event_builds_the_call_record(plane, staff_headers):
    event = json.loads((EVENTS / "call_events_sqs_event.json").read_text())
    response = plane.functions["CallEventsConsumerFunction"].invoke(event)
    assert response == {"batchItemFailures": []}
    record = plane.api.request("GET", "/v1/calls/call-sample", staff_headers).json()
    assert record["hotel_id"] == "aurora-berlin"
    assert [t["text"] for t in record["turns"]] == ["is breakfast included"]
