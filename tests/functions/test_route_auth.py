"""Every route of template.yaml, every credential: who gets in and who does not."""

from __future__ import annotations

import json

import pytest

from hotelvoice.auth import Role, mint_token
from local_mode.template import load_template

OPEN = {("GET", "/health"), ("POST", "/v1/livekit/webhook")}
EVENT = json.dumps(
    {
        "type": "call.turn",
        "event_id": "auth-test:turn:0",
        "call_id": "auth-test",
        "occurred_at": "2026-11-25T10:00:00Z",
        "index": 0,
        "role": "caller",
        "text": "hello",
    }
)
# route → (roles allowed besides admin, is the route scoped to one hotel, concrete request)
ROUTES = {
    ("GET", "/v1/hotels/{hotel_id}/info"): (
        {Role.SERVICE, Role.STAFF},
        True,
        "/v1/hotels/aurora-berlin/info",
        None,
    ),
    ("GET", "/v1/hotels/{hotel_id}/availability"): (
        {Role.SERVICE, Role.STAFF},
        True,
        "/v1/hotels/aurora-berlin/availability?arrival=2026-12-01&departure=2026-12-02&adults=1",
        None,
    ),
    ("POST", "/v1/hotels/{hotel_id}/reservations/lookup"): (
        {Role.SERVICE},
        True,
        "/v1/hotels/aurora-berlin/reservations/lookup",
        json.dumps({"confirmation_code": "HV1042", "last_name": "Smith"}),
    ),
    # Writes that change nothing: an offer no PMS has, a reservation nobody holds.
    ("POST", "/v1/hotels/{hotel_id}/bookings"): (
        {Role.SERVICE},
        True,
        "/v1/hotels/aurora-berlin/bookings",
        json.dumps(
            {
                "stay": {"arrival": "2026-12-20", "departure": "2026-12-21", "adults": 1},
                "offer_id": "NO-SUCH-ROOM",
                "guest": {"first_name": "Route", "last_name": "Check"},
            }
        ),
    ),
    ("POST", "/v1/hotels/{hotel_id}/reservations/cancellation-quote"): (
        {Role.SERVICE},
        True,
        "/v1/hotels/aurora-berlin/reservations/cancellation-quote",
        json.dumps({"confirmation_code": "HV0000", "last_name": "Nobody"}),
    ),
    ("POST", "/v1/hotels/{hotel_id}/reservations/cancel"): (
        {Role.SERVICE},
        True,
        "/v1/hotels/aurora-berlin/reservations/cancel",
        json.dumps({"confirmation_code": "HV0000", "last_name": "Nobody"}),
    ),
    ("POST", "/v1/hotels/{hotel_id}/reservations/amend"): (
        {Role.SERVICE},
        True,
        "/v1/hotels/aurora-berlin/reservations/amend",
        json.dumps(
            {
                "lookup": {"confirmation_code": "HV0000", "last_name": "Nobody"},
                "change": {
                    "stay": {"arrival": "2026-12-20", "departure": "2026-12-22", "adults": 1}
                },
            }
        ),
    ),
    ("POST", "/v1/calls/{call_id}/events"): (
        {Role.SERVICE},
        False,
        "/v1/calls/auth-test/events",
        EVENT,
    ),
    ("POST", "/v1/calls/{call_id}/events/batch"): (
        {Role.SERVICE},
        False,
        "/v1/calls/auth-test/events/batch",
        json.dumps({"events": [json.loads(EVENT)]}),
    ),
    ("GET", "/v1/calls"): ({Role.STAFF}, True, "/v1/calls?hotel_id=aurora-berlin", None),
    ("GET", "/v1/hotels/{hotel_id}/config"): (
        {Role.STAFF, Role.SERVICE},
        True,
        "/v1/hotels/aurora-berlin/config",
        None,
    ),
    # Admin only. Version 0 of an existing hotel: the admin gets 409, and nothing is changed.
    ("PUT", "/v1/hotels/{hotel_id}/config"): (
        set(),
        True,
        "/v1/hotels/aurora-berlin/config",
        json.dumps(
            {"version": 0, "dialled_numbers": ["+493055500000"], "front_desk": "+493055501000"}
        ),
    ),
    ("GET", "/v1/hotels/{hotel_id}/knowledge"): (
        {Role.STAFF, Role.SERVICE},
        True,
        "/v1/hotels/aurora-berlin/knowledge",
        None,
    ),
    # Admin only. An entry with no answer (400) and one nobody wrote (404): nothing changes.
    ("PUT", "/v1/hotels/{hotel_id}/knowledge/{entry_id}"): (
        set(),
        True,
        "/v1/hotels/aurora-berlin/knowledge/route-check",
        json.dumps({"questions": {"en": ["route check"]}, "answers": {}}),
    ),
    ("DELETE", "/v1/hotels/{hotel_id}/knowledge/{entry_id}"): (
        set(),
        True,
        "/v1/hotels/aurora-berlin/knowledge/no-such-entry",
        None,
    ),
    ("GET", "/v1/dialled-numbers/{number}"): (
        {Role.SERVICE},
        True,
        "/v1/dialled-numbers/+493055500000",
        None,
    ),
    ("GET", "/v1/calls/{call_id}"): ({Role.STAFF}, True, "/v1/calls/auth-test", None),
    ("GET", "/v1/hotels/{hotel_id}/inbox"): (
        {Role.STAFF},
        True,
        "/v1/hotels/aurora-berlin/inbox",
        None,
    ),
    ("GET", "/v1/hotels/{hotel_id}/stats"): (
        {Role.STAFF},
        True,
        "/v1/hotels/aurora-berlin/stats?since=2026-12-01&until=2026-12-07",
        None,
    ),
    # An item nobody has: whoever gets in gets a 404, and nothing changes.
    ("POST", "/v1/hotels/{hotel_id}/inbox/{item_id}/status"): (
        {Role.STAFF},
        True,
        "/v1/hotels/aurora-berlin/inbox/auth-test~message~none/status",
        json.dumps({"status": "done"}),
    ),
    ("POST", "/v1/tts"): (
        {Role.SERVICE},
        True,
        "/v1/tts",
        json.dumps({"text": "One moment, please.", "locale": "en", "hotel_id": "aurora-berlin"}),
    ),
    ("GET", "/v1/voices"): ({Role.SERVICE, Role.STAFF}, False, "/v1/voices", None),
    # Admin only, scoped by the body's hotel: a guest nobody called as, so nothing changes.
    ("POST", "/v1/privacy/export"): (
        set(),
        True,
        "/v1/privacy/export",
        json.dumps({"hotel_id": "aurora-berlin", "subject": {"phone": "+491700000001"}}),
    ),
    ("POST", "/v1/privacy/erase"): (
        set(),
        True,
        "/v1/privacy/erase",
        json.dumps({"hotel_id": "aurora-berlin", "subject": {"phone": "+491700000001"}}),
    ),
}
TEMPLATE_ROUTES = {(r.method, r.path) for r in load_template().routes()}


def test_every_template_route_is_in_this_matrix():
    assert set(ROUTES) | OPEN == TEMPLATE_ROUTES


def test_only_health_and_the_webhook_bypass_the_api_gateway_authorizer():
    template = load_template()
    assert {(r.method, r.path) for r in template.routes() if r.open} == OPEN
    auth = template.resources["HotelVoiceApi"]["Properties"]["Auth"]
    jwt_config = auth["Authorizers"][auth["DefaultAuthorizer"]]["JwtConfiguration"]
    assert jwt_config == {"issuer": {"Ref": "JwtIssuer"}, "audience": [{"Ref": "JwtAudience"}]}
    env = template.body["Globals"]["Function"]["Environment"]["Variables"]
    assert env["HOTELVOICE_AUTH_ISSUER"] == {"Ref": "JwtIssuer"}
    assert env["HOTELVOICE_AUTH_AUDIENCE"] == {"Ref": "JwtAudience"}


def call(plane, route, token):
    _, _, path, body = ROUTES[route]
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return plane.api.request(route[0], path, headers, body)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_no_or_expired_or_forged_token_is_401(plane, route):
    assert call(plane, route, None).status == 401
    assert call(plane, route, mint_token("x", Role.ADMIN, ["*"], ttl_s=-5)).status == 401
    forged = mint_token("x", Role.ADMIN, ["*"], key="not-our-key-" * 4)
    assert call(plane, route, forged).status == 401


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_roles(plane, route):
    allowed, _, _, _ = ROUTES[route]
    for role in Role:
        status = call(plane, route, plane.token(role, ["aurora-berlin"])).status
        if role in allowed or role is Role.ADMIN:
            assert status not in (401, 403), (role, status)
        else:
            assert status == 403, (role, status)


@pytest.mark.parametrize("route", sorted(r for r in ROUTES if ROUTES[r][1]))
def test_a_token_for_another_hotel_sees_nothing(plane, route):
    allowed, _, _, _ = ROUTES[route]
    role = next(iter(allowed), Role.ADMIN)
    if route == ("GET", "/v1/calls/{call_id}"):
        # make the call exist, so a 404 means "not yours", not "not there"
        plane.api.request(
            "POST",
            "/v1/calls/auth-test/events",
            {
                "authorization": f"Bearer {plane.token(Role.SERVICE)}",
                "content-type": "application/json",
            },
            json.dumps(
                {
                    "type": "call.started",
                    "event_id": "auth-test:started",
                    "call_id": "auth-test",
                    "hotel_id": "aurora-berlin",
                    "occurred_at": "2026-11-25T10:00:00Z",
                    "language": "en",
                }
            ),
        )
        plane.drain()
        assert call(plane, route, plane.token(role, ["aurora-berlin"])).status == 200
    assert call(plane, route, plane.token(role, ["other-hotel"])).status in (403, 404)


# The hotel's own routes that read a query or a body.
READING = sorted(
    r for r in ROUTES if "{hotel_id}" in r[1] and ("?" in ROUTES[r][2] or ROUTES[r][3])
)


@pytest.mark.parametrize("route", READING)
def test_another_hotels_token_is_refused_before_the_request_is_read(plane, route):
    # Without the hotel, a malformed query or body is a 403 too, not a 400 saying what the
    # route would accept.
    allowed, _, path, body = ROUTES[route]
    role = min(allowed, default=Role.ADMIN)
    if body is None:
        path, body = path.split("?")[0] + "?arrival=someday", None
    else:
        body = '{"x": 1}'

    def send(hotels: list[str]):
        headers = {"content-type": "application/json"}
        headers["authorization"] = f"Bearer {plane.token(role, hotels)}"
        return plane.api.request(route[0], path, headers, body)

    assert send(["aurora-berlin"]).status == 400, "malformed for the hotel's own principal"
    refused = send(["other-hotel"])
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("route", sorted(OPEN))
def test_open_routes_need_no_token_but_the_webhook_needs_a_signature(plane, route):
    response = plane.api.request(route[0], route[1], {"content-type": "application/json"}, "{}")
    assert response.status == (200 if route[1] == "/health" else 401)
