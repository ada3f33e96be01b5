"""The PMS API's writes: one booking per Idempotency-Key, quoted cancellations, amendments."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.privacy.keys import reservation_resource
from tests.functions.stored_items import scan_table

BASE = f"/v1/hotels/{DEMO_HOTEL_ID}"


def headers(plane, key: str | None = None, role: Role = Role.SERVICE, subject: str = "agent"):
    token = plane.token(role, [DEMO_HOTEL_ID], subject=subject)
    found = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    if key is not None:
        found["idempotency-key"] = key
    return found


def post(plane, path: str, body: dict, hdrs: dict):
    return plane.api.request("POST", f"{BASE}{path}", hdrs, json.dumps(body))


def an_offer(plane, start_days: int) -> tuple[dict, dict]:
    """A stay with an offer from the availability route, and that offer."""
    for offset in range(start_days, start_days + 40):
        arrival = date.today() + timedelta(days=offset)
        stay = {
            "arrival": arrival.isoformat(),
            "departure": (arrival + timedelta(days=2)).isoformat(),
            "adults": 2,
        }
        query = "&".join(f"{k}={v}" for k, v in stay.items())
        found = plane.api.request("GET", f"{BASE}/availability?{query}", headers(plane)).json()
        if found["offers"]:
            return stay, found["offers"][0]
    raise AssertionError("no room in the demo hotel")


def booking(stay: dict, offer: dict) -> dict:
    return {
        "stay": stay,
        "offer_id": offer["offer_id"],
        "guest": {"first_name": "Lena", "last_name": "Vogel", "phone": "+4915112345678"},
        "notes": "arriving late",
    }


def test_one_key_books_once_and_a_retry_gets_the_first_booking(plane):
    stay, offer = an_offer(plane, 50)
    key = str(uuid.uuid4())
    first = post(plane, "/bookings", booking(stay, offer), headers(plane, key))
    again = post(plane, "/bookings", booking(stay, offer), headers(plane, key))
    assert first.status == 201, first.body
    assert again.status == 200, again.body
    assert again.json()["reservation"] == first.json()["reservation"]
    assert first.json()["reservation"]["total"] == offer["total"]
    # Another client's identical key is another booking: keys are scoped to the principal.
    other = post(plane, "/bookings", booking(stay, offer), headers(plane, key, subject="other"))
    assert other.status == 201
    assert (
        other.json()["reservation"]["confirmation_code"]
        != (first.json()["reservation"]["confirmation_code"])
    )
    code = first.json()["reservation"]["confirmation_code"]
    audited = [
        i
        for i in scan_table(plane.resources.refs["AuditTable"])
        if i.get("resource") == reservation_resource(code)
    ]
    assert {i["action"] for i in audited} == {"reservation.created"}
    assert code not in json.dumps(audited, default=str)


def test_a_write_without_an_idempotency_key_is_a_400_and_books_nothing(plane):
    stay, offer = an_offer(plane, 55)
    missing = post(plane, "/bookings", booking(stay, offer), headers(plane))
    assert missing.status == 400
    assert "Idempotency-Key" in missing.json()["error"]["message"]
    short = post(plane, "/bookings", booking(stay, offer), headers(plane, "abc"))
    assert short.status == 400


def test_a_cancellation_is_quoted_then_done_once(plane):
    stay, offer = an_offer(plane, 60)
    made = post(plane, "/bookings", booking(stay, offer), headers(plane, str(uuid.uuid4())))
    lookup = {"confirmation_code": made.json()["reservation"]["confirmation_code"]}
    lookup["last_name"] = "Vogel"
    quote = post(plane, "/reservations/cancellation-quote", lookup, headers(plane))
    assert quote.status == 200
    assert quote.json()["cancellable"] is True
    assert quote.json()["fee"]["amount_minor"] == 0
    key = str(uuid.uuid4())
    done = post(plane, "/reservations/cancel", lookup, headers(plane, key))
    assert done.status == 200, done.body
    assert done.json()["status"] == "cancelled"
    assert post(plane, "/reservations/cancel", lookup, headers(plane, key)).json() == done.json()
    again = post(plane, "/reservations/cancel", lookup, headers(plane, str(uuid.uuid4())))
    assert again.status == 422
    assert again.json()["error"]["code"] == "refused_by_pms"


def test_a_wrong_name_cancels_nothing_and_says_nothing(plane):
    stay, offer = an_offer(plane, 65)
    made = post(plane, "/bookings", booking(stay, offer), headers(plane, str(uuid.uuid4())))
    code = made.json()["reservation"]["confirmation_code"]
    wrong = {"confirmation_code": code, "last_name": "Falke"}
    for path in ("/reservations/cancellation-quote", "/reservations/cancel"):
        answer = post(plane, path, wrong, headers(plane, str(uuid.uuid4())))
        assert answer.status == 404
        assert "Vogel" not in answer.body.decode()
    lookup = {"confirmation_code": code, "last_name": "Vogel"}
    still = post(plane, "/reservations/lookup", lookup, headers(plane)).json()
    assert still["status"] == "confirmed"


def test_an_amendment_is_repriced_and_a_sold_out_offer_is_a_409(plane):
    stay, offer = an_offer(plane, 70)
    made = post(plane, "/bookings", booking(stay, offer), headers(plane, str(uuid.uuid4())))
    lookup = {"confirmation_code": made.json()["reservation"]["confirmation_code"]}
    lookup["last_name"] = "Vogel"
    shorter = {**stay, "departure": (date.fromisoformat(stay["arrival"]) + timedelta(days=1))}
    shorter["departure"] = shorter["departure"].isoformat()
    amended = post(
        plane,
        "/reservations/amend",
        {"lookup": lookup, "change": {"stay": shorter}},
        headers(plane, str(uuid.uuid4())),
    )
    assert amended.status == 200, amended.body
    assert amended.json()["departure"] == shorter["departure"]
    assert amended.json()["total"]["amount_minor"] < offer["total"]["amount_minor"]
    gone = post(
        plane,
        "/bookings",
        booking(stay, offer) | {"offer_id": "NO-SUCH-ROOM"},
        headers(plane, str(uuid.uuid4())),
    )
    assert gone.status == 409
    assert gone.json()["error"]["code"] == "sold_out"


def test_childrens_ages_travel_with_the_availability_question(plane):
    arrival = date.today() + timedelta(days=75)
    query = (
        f"arrival={arrival}&departure={arrival + timedelta(days=1)}"
        "&adults=1&children=2&children_ages=4&children_ages=11"
    )
    answer = plane.api.request("GET", f"{BASE}/availability?{query}", headers(plane))
    assert answer.status == 200, answer.body
    assert answer.json()["query"]["children_ages"] == [4, 11]
    too_many = query + "&children_ages=7"
    refused = plane.api.request("GET", f"{BASE}/availability?{too_many}", headers(plane))
    assert refused.status == 400


def test_stays_in_year_1_or_years_ahead_are_400s_before_the_pms_is_asked(plane):
    today = date.today()
    for arrival in (date(1, 1, 1), date(1999, 12, 31), today + timedelta(days=4000)):
        stay = {
            "arrival": arrival.isoformat(),
            "departure": (arrival + timedelta(days=1)).isoformat(),
            "adults": 1,
        }
        query = "&".join(f"{k}={v}" for k, v in stay.items())
        asked = plane.api.request("GET", f"{BASE}/availability?{query}", headers(plane))
        assert asked.status == 400, (arrival, asked.body)
        assert set(asked.json()["error"]) == {"code", "message", "request_id"}
        booked = post(
            plane,
            "/bookings",
            booking(stay, {"offer_id": "DBL-FLEX"}),
            headers(plane, str(uuid.uuid4())),
        )
        assert booked.status == 400, (arrival, booked.body)
    # a hotel west of UTC may still be in UTC's yesterday: the PMS judges the recent past
    yesterday = today - timedelta(days=1)
    query = f"arrival={yesterday}&departure={today}&adults=1"
    assert plane.api.request("GET", f"{BASE}/availability?{query}", headers(plane)).status == 200


def test_a_key_reused_for_another_guest_or_another_write_is_a_409_and_books_nothing_more(plane):
    stay, offer = an_offer(plane, 55)
    key = str(uuid.uuid4())
    first = post(plane, "/bookings", booking(stay, offer), headers(plane, key))
    assert first.status == 201, first.body
    code = first.json()["reservation"]["confirmation_code"]
    friend = booking(stay, offer) | {
        "guest": {"first_name": "Jonas", "last_name": "Quillfeather", "phone": "+4915199887766"}
    }
    reused = post(plane, "/bookings", friend, headers(plane, key))
    assert reused.status == 409, reused.body
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    # the same key for a cancel is another request, not the booking replayed (once a 500)
    cancel = {"confirmation_code": code, "last_name": "Vogel"}
    cancelled = post(plane, "/reservations/cancel", cancel, headers(plane, key))
    assert cancelled.status == 200, cancelled.body
    assert cancelled.json()["confirmation_code"] == code
    retried = post(plane, "/bookings", booking(stay, offer), headers(plane, key))
    assert retried.status == 200  # the first booking's own retry still gets its answer
    assert retried.json()["reservation"]["confirmation_code"] == code
    stored = scan_table(plane.resources.refs["PmsTable"])
    assert not any("Quillfeather" in json.dumps(i, default=str) for i in stored)
