"""The template-driven local API invokes the real handlers with real API Gateway v2 events."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

import pytest

from hotelvoice.auth import Role, mint_token
from hotelvoice.pms.demo_hotel import (
    DEMO_HOTEL_ID,
    ROOM_TYPES,
    is_sold_out_night,
    night_rate_minor,
    reservations,
)
from hotelvoice.settings import get_settings
from local_mode.control_plane import LocalControlPlane

HOTEL = f"/v1/hotels/{DEMO_HOTEL_ID}"


def free_stay(plane: LocalControlPlane, nights: int = 3, start: int = 10) -> tuple:
    offset = start
    while any(is_sold_out_night(offset + n) for n in range(nights)):
        offset += 1
    arrival = plane.today + timedelta(days=offset)
    return arrival, arrival + timedelta(days=nights)


def test_availability_prices_match_the_seeded_pms(plane, service_headers):
    arrival, departure = free_stay(plane)
    response = plane.api.request(
        "GET",
        f"{HOTEL}/availability?arrival={arrival}&departure={departure}&adults=2",
        service_headers,
    )
    assert response.status == 200, response.body
    offers = response.json()["offers"]
    assert {o["room_type_code"] for o in offers} <= {
        r.code for r in ROOM_TYPES if r.max_occupancy >= 2
    }
    assert len(offers) >= 2
    for offer in offers:
        room = next(r for r in ROOM_TYPES if r.code == offer["room_type_code"])
        expected = sum(night_rate_minor(room, arrival + timedelta(days=n)) for n in range(3))
        assert offer["total"] == {"amount_minor": expected, "currency": "EUR"}


def test_a_sold_out_night_leaves_no_offers(plane, service_headers):
    offset = next(o for o in range(1, 60) if is_sold_out_night(o))
    arrival = plane.today + timedelta(days=offset)
    response = plane.api.request(
        "GET",
        f"{HOTEL}/availability?arrival={arrival}&departure={arrival + timedelta(days=1)}&adults=1",
        service_headers,
    )
    assert response.status == 200
    assert response.json()["offers"] == []


def test_occupancy_limits_filter_room_types(plane, service_headers):
    arrival, departure = free_stay(plane)
    response = plane.api.request(
        "GET",
        f"{HOTEL}/availability?arrival={arrival}&departure={departure}&adults=2&children=2",
        service_headers,
    )
    assert {o["room_type_code"] for o in response.json()["offers"]} <= {"FAM"}


def test_reservation_needs_code_and_matching_name(plane, service_headers):
    booking = reservations(plane.today)[3]["reservation"]
    code, last = booking["confirmation_code"], booking["guest_last_name"]
    found = plane.api.request(
        "POST",
        f"{HOTEL}/reservations/lookup",
        {**service_headers, "content-type": "application/json"},
        json.dumps({"confirmation_code": code.lower(), "last_name": last.upper()}),
    )
    assert found.status == 200, found.body
    assert found.json()["arrival"] == booking["arrival"]
    wrong = plane.api.request(
        "POST",
        f"{HOTEL}/reservations/lookup",
        {**service_headers, "content-type": "application/json"},
        json.dumps({"confirmation_code": code, "last_name": "Nobody"}),
    )
    unknown = plane.api.request(
        "POST",
        f"{HOTEL}/reservations/lookup",
        {**service_headers, "content-type": "application/json"},
        json.dumps({"confirmation_code": "HV0000", "last_name": last}),
    )
    assert wrong.status == unknown.status == 404
    assert wrong.json()["error"]["code"] == unknown.json()["error"]["code"] == "no_match"
    assert last not in wrong.body.decode()


BAD_REQUESTS = [
    ("GET", f"{HOTEL}/availability?arrival=2026-13-01&departure=2026-12-03&adults=2", None, 400),
    ("GET", f"{HOTEL}/availability?arrival=2026-12-05&departure=2026-12-03&adults=2", None, 400),
    ("GET", f"{HOTEL}/availability?arrival=2026-12-01&departure=2026-12-03", None, 400),
    ("GET", f"{HOTEL}/availability?arrival=2026-12-01&departure=2026-12-03&adults=0", None, 400),
    ("GET", f"{HOTEL}/availability?arrival=2027-01-01&departure=2027-03-01&adults=2", None, 400),
    ("POST", f"{HOTEL}/reservations/lookup", "{not json", 400),
    ("POST", f"{HOTEL}/reservations/lookup", '{"confirmation_code": "HV1042"}', 400),
    ("POST", f"{HOTEL}/reservations/lookup", '{"confirmation_code": "!!", "last_name": "X"}', 400),
    ("GET", "/v1/hotels/NOT_A_HOTEL/info", None, 400),
    ("GET", "/v1/hotels/no-such-hotel/info", None, 404),
    ("POST", "/v1/calls/call-1/events", '{"type": "call.turn"}', 400),
    ("POST", "/v1/calls/call-1/events", "[]", 400),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), BAD_REQUESTS)
def test_bad_input_gets_a_4xx_with_the_one_error_body(
    plane, service_headers, method, path, body, status
):
    headers = {**service_headers, "content-type": "application/json"}
    response = plane.api.request(method, path, headers, body)
    assert response.status == status, response.body
    error = response.json()["error"]
    assert set(error) == {"code", "message", "request_id"}
    assert "Traceback" not in error["message"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/calls", 400),
        ("/v1/calls?hotel_id=Aurora%20Berlin", 400),
        ("/v1/calls?hotel_id=aurora-berlin&limit=0", 400),
        ("/v1/calls/call%20with%20spaces", 400),
        ("/v1/calls/call-never-made", 404),
    ],
)
def test_calls_api_bad_input(plane, staff_headers, path, status):
    response = plane.api.request("GET", path, staff_headers)
    assert response.status == status, response.body
    assert set(response.json()["error"]) == {"code", "message", "request_id"}


def test_oversized_body_is_refused(plane, service_headers):
    body = json.dumps({"confirmation_code": "HV1042", "last_name": "x" * 100_000})
    response = plane.api.request(
        "POST",
        f"{HOTEL}/reservations/lookup",
        {**service_headers, "content-type": "application/json", "content-length": str(len(body))},
        body,
    )
    assert response.status == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{HOTEL}/info"),
        ("GET", "/v1/calls?hotel_id=aurora-berlin"),
        ("POST", "/v1/calls/call-1/events"),
        ("GET", "/v1/calls/call-1"),
    ],
)
def test_routes_need_a_token(plane, method, path):
    response = plane.api.request(method, path, {"content-type": "application/json"}, "{}")
    assert response.status == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_wrong_role_and_other_hotel_are_forbidden(plane, staff_headers):
    lookup = plane.api.request(
        "POST",
        f"{HOTEL}/reservations/lookup",
        {**staff_headers, "content-type": "application/json"},
        '{"confirmation_code": "HV1042", "last_name": "Smith"}',
    )
    assert lookup.status == 403
    other = {"authorization": f"Bearer {mint_token('x', Role.STAFF, ['other-hotel'])}"}
    assert plane.api.request("GET", f"{HOTEL}/info", other).status == 403
    expired = {"authorization": f"Bearer {mint_token('x', Role.SERVICE, ['*'], ttl_s=-10)}"}
    response = plane.api.request("GET", f"{HOTEL}/info", expired)
    assert response.status == 401
    assert response.json()["error"]["message"] == "token expired"


def test_routes_outside_the_template_do_not_exist(plane, service_headers):
    # FastAPI serves /openapi.json, but the template routes only what it declares.
    assert plane.api.request("GET", "/openapi.json", service_headers).status == 404
    assert plane.api.request("DELETE", f"{HOTEL}/info", service_headers).status == 404
    assert plane.api.request("GET", "/v1/nothing", service_headers).json()["error"]["code"] == (
        "route_not_found"
    )


def test_the_socket_server_speaks_http(plane, api_url, service_headers):
    request = urllib.request.Request(f"{api_url}{HOTEL}/info", headers=service_headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert json.load(response)["name"] == "Hotel Aurora Berlin"


def test_health_reports_each_dependency(plane):
    response = plane.api.request("GET", "/health")
    assert response.status == 200
    assert response.json() == {
        "status": "ok",
        "dependencies": {
            "calls_table": "ok",
            "pms_table": "ok",
            "idempotency_table": "ok",
            "audit_table": "ok",
            "rate_limit_table": "ok",
            "hotels_table": "ok",
            "call_events_queue": "ok",
        },
    }


def test_health_says_which_dependency_is_missing(plane, monkeypatch):
    monkeypatch.setenv("HOTELVOICE_AUDIT_TABLE", "no-such-table")
    get_settings.cache_clear()
    try:
        response = plane.api.request("GET", "/health")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert response.status == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["dependencies"]["audit_table"] == "unavailable"
    assert body["dependencies"]["calls_table"] == "ok"
