"""The Apaleo connector against a fake Apaleo answering golden fixtures (no network, no specs).

The fixtures (``fixtures/apaleo/*.json``) follow Apaleo's own examples; each names its source
in ``_source``. The fake keeps reservations as state, so a cancel or an amend is visible in
what Apaleo would answer next, and it honours ``Idempotency-Key`` the way Apaleo documents
it (the same key answers the first booking again).
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from hotelvoice.contracts.hotels import PmsBinding
from hotelvoice.contracts.pms import (
    AvailabilityQuery,
    BookingRequest,
    GuestDetails,
    Money,
    ReservationLookup,
    ReservationStatus,
    StayChange,
)
from hotelvoice.errors import (
    InvalidRequest,
    NotFound,
    RateLimited,
    RefusedByPms,
    SoldOut,
    Unavailable,
)
from hotelvoice.pms import vendor_http
from hotelvoice.pms.apaleo import ApaleoConnector, auth, build
from hotelvoice.pms.apaleo import connector as apaleo_connector
from hotelvoice.pms.apaleo.codes import CodeCandidates, candidates
from hotelvoice.pms.money import to_money
from hotelvoice.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "apaleo"
API = "https://api.apaleo.test"
IDENTITY = "https://identity.apaleo.test"
SECRET = {"client_id": "HVTEST-AC-HOTELVOICE", "client_secret": "s3cret-from-apaleo"}
NOW = datetime(2026, 6, 20, 8, 0, tzinfo=UTC)
"""Before the flexible rate's fee is due (arrival day, 17:00 Berlin)."""
STAY = AvailabilityQuery(arrival="2026-07-01", departure="2026-07-03", adults=2)


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class FakeApaleo:
    """Apaleo's identity server and Booking/Inventory APIs, from the fixtures, with state."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.tokens_issued = 0
        self.valid_tokens = {fixture("token")["access_token"]}
        self.reservations: dict[str, dict[str, Any]] = {"XPGMSXGF-1": fixture("reservation")}
        self.offers = fixture("offers")
        listed = fixture("reservations-by-booking")["reservations"]
        self.reservations["XPGMSXGF-2"] = listed[1]
        self.bookings_by_key: dict[str, dict[str, Any]] = {}
        self.sold_out = False
        self.faults: list[httpx.Response | Exception] = []

    # -- what tests look at ------------------------------------------------------------

    def sent(self, method: str, path_part: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and path_part in r.url.path]

    def fail_next(self, answer: httpx.Response | Exception, times: int = 1) -> None:
        self.faults.extend([answer] * times)

    # -- the fake itself ---------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host == "identity.apaleo.test":
            return self._token(request)
        if self.faults:
            fault = self.faults.pop(0)
            if isinstance(fault, Exception):
                raise fault
            return fault
        auth = request.headers.get("authorization", "")
        if auth.removeprefix("Bearer ") not in self.valid_tokens:
            return httpx.Response(401)
        return self._api(request)

    def _token(self, request: httpx.Request) -> httpx.Response:
        basic = base64.b64encode(f"{SECRET['client_id']}:{SECRET['client_secret']}".encode())
        form = parse_qs(request.content.decode())
        if request.headers.get("authorization") != f"Basic {basic.decode()}":
            return httpx.Response(400, json={"error": "invalid_client"})
        if form.get("grant_type") != ["client_credentials"]:
            return httpx.Response(400, json={"error": "unsupported_grant_type"})
        self.tokens_issued += 1
        return httpx.Response(200, json=fixture("token"))

    def _api(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        query = request.url.params
        if method == "GET" and path == "/inventory/v1/properties/MUC":
            return httpx.Response(200, json=fixture("property"))
        if method == "GET" and path.startswith("/inventory/v1/properties/"):
            return httpx.Response(404)
        if method == "GET" and path == "/inventory/v1/unit-groups":
            return httpx.Response(200, json=fixture("unit-groups"))
        if method == "GET" and path == "/booking/v1/offers":
            return httpx.Response(204) if self.sold_out else httpx.Response(200, json=self.offers)
        if method == "GET" and path == "/booking/v1/reservations":
            found = [
                r for r in self.reservations.values() if r["bookingId"] == query.get("bookingId")
            ]
            if not found:
                return httpx.Response(204)
            return httpx.Response(200, json={"reservations": found, "count": len(found)})
        if method == "GET" and path.startswith("/booking/v1/reservations/"):
            found = self.reservations.get(path.rsplit("/", 1)[1])
            return httpx.Response(200, json=found) if found else httpx.Response(404)
        if method == "POST" and path == "/booking/v1/bookings":
            return self._book(request)
        if method == "PUT" and path.endswith("/cancel"):
            return self._cancel(path.split("/")[-2])
        if method == "PUT" and path.endswith("/amend"):
            return self._amend(path.split("/")[-2], json.loads(request.content))
        return httpx.Response(404)

    def _book(self, request: httpx.Request) -> httpx.Response:
        key = request.headers.get("idempotency-key")
        if key and key in self.bookings_by_key:
            return httpx.Response(201, json=self.bookings_by_key[key])
        body = json.loads(request.content)
        wanted = body["reservations"][0]
        booking_id = f"BK{len(self.bookings_by_key) + 1:06d}".replace("0", "Q")
        reservation = copy.deepcopy(fixture("reservation"))
        reservation.update(
            id=f"{booking_id}-1",
            bookingId=booking_id,
            arrival=f"{wanted['arrival']}T17:00:00+02:00",
            departure=f"{wanted['departure']}T11:00:00+02:00",
            adults=wanted["adults"],
            childrenAges=wanted.get("childrenAges", []),
            primaryGuest=wanted["primaryGuest"],
            booker=body["booker"],
            created=NOW.isoformat(),
        )
        reservation["ratePlan"]["id"] = wanted["timeSlices"][0]["ratePlanId"]
        self.reservations[reservation["id"]] = reservation
        created = {"id": booking_id, "reservationIds": [{"id": reservation["id"]}]}
        if key:
            self.bookings_by_key[key] = created
        return httpx.Response(201, json=created)

    def _cancel(self, reservation_id: str) -> httpx.Response:
        reservation = self.reservations.get(reservation_id)
        if reservation is None:
            return httpx.Response(404)
        if reservation["status"] != "Confirmed":
            return httpx.Response(422, json=fixture("error-422"))
        reservation["status"] = "Canceled"
        reservation["cancellationTime"] = NOW.isoformat()
        return httpx.Response(204)

    def _amend(self, reservation_id: str, body: dict[str, Any]) -> httpx.Response:
        reservation = self.reservations[reservation_id]
        reservation.update(
            arrival=f"{body['arrival']}T17:00:00+02:00",
            departure=f"{body['departure']}T11:00:00+02:00",
            adults=body["adults"],
            childrenAges=body.get("childrenAges", []),
            totalGrossAmount={"amount": 584.70, "currency": "EUR"},
        )
        reservation["ratePlan"]["id"] = body["timeSlices"][0]["ratePlanId"]
        return httpx.Response(204)


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No token, property or booked key carries over; backoff is instant."""
    monkeypatch.setattr(vendor_http, "BACKOFF_BASE_S", 0.001)
    apaleo_connector.clear_caches()
    yield
    apaleo_connector.clear_caches()


@pytest.fixture
def apaleo() -> FakeApaleo:
    return FakeApaleo()


def settings(**overrides: Any) -> Settings:
    return Settings(pms_base_urls={"apaleo": API, "apaleo_identity": IDENTITY}, **overrides)


@pytest.fixture
def connect(apaleo: FakeApaleo) -> Callable[..., ApaleoConnector]:
    """A connector for a hotel of its own (its own circuit breaker) talking to the fake."""

    def make(**kw: Any) -> ApaleoConnector:
        hotel = f"apaleo-{uuid.uuid4().hex[:8]}"
        return ApaleoConnector(
            hotel,
            PmsBinding(connector="apaleo", property_id="MUC", secret_name="hotelvoice/pms/x"),
            kw.pop("settings", None) or settings(),
            credentials=kw.pop("credentials", SECRET),
            transport=httpx.MockTransport(apaleo),
            clock=kw.pop("clock", lambda: NOW),
        )

    return make


def doe(code: str = "XPGMSXGF-1", **kw: Any) -> ReservationLookup:
    return ReservationLookup(confirmation_code=code, **({"last_name": "Doe"} | kw))


# -- availability ----------------------------------------------------------------------


async def test_fees_apaleo_adds_at_booking_are_in_the_quoted_total(connect, apaleo):
    # booking-v1.json OfferModel.fees: "The details of the fees that will be added on top of
    # the ... TotalGrossAmount when creating the booking".
    city_tax = {"grossAmount": 7.0, "netAmount": 7.0, "vatType": "Without", "vatPercent": 0.0}
    for offer in apaleo.offers["offers"]:
        offer["fees"] = [
            {
                "id": "MUC-CT",
                "code": "CT",
                "name": "City tax",
                "totalAmount": city_tax | {"currency": "EUR"},
            },
            {
                "id": "MUC-X",
                "code": "X",
                "name": "Other",
                "totalAmount": city_tax | {"currency": "CHF"},
            },  # not addable to a euro total: left out
        ]
    pms = connect()
    answer = await pms.availability(pms.hotel_id, STAY)

    assert [(o.offer_id, o.total.amount_minor) for o in answer.offers] == [
        ("MUC-NONREF-DBL", 34930 + 700),
        ("MUC-FLEX-DBL", 38980 + 700),
    ]


async def test_offers_carry_apaleos_gross_totals_in_cents_cheapest_first(connect, apaleo):
    pms = connect()
    answer = await pms.availability(pms.hotel_id, STAY)

    assert answer.nights == 2
    assert [(o.offer_id, o.total) for o in answer.offers] == [
        ("MUC-NONREF-DBL", Money(amount_minor=34930, currency="EUR")),
        ("MUC-FLEX-DBL", Money(amount_minor=38980, currency="EUR")),
    ]
    flexible = answer.offers[1]
    assert (flexible.room_type_code, flexible.room_type_name, flexible.max_occupancy) == (
        "DBL",
        "Double Room",
        2,
    )
    assert flexible.rate_plan == "Flexible"
    assert flexible.available_units == 3
    assert flexible.breakfast_included is True
    assert flexible.included == ["breakfast", "High-Speed WLAN"]
    assert flexible.cancellation_fee == Money(amount_minor=19490, currency="EUR")
    assert flexible.cancellation_terms == (
        "Flexible: Free cancellation until the day of arrival. "
        "The fee applies from 2026-07-01 17:00."
    )
    assert answer.offers[0].breakfast_included is False
    (sent,) = apaleo.sent("GET", "/booking/v1/offers")
    assert dict(sent.url.params) == {
        "propertyId": "MUC",
        "arrival": "2026-07-01",
        "departure": "2026-07-03",
        "adults": "2",
        "channelCode": "Direct",
    }
    assert sent.headers["authorization"] == f"Bearer {fixture('token')['access_token']}"


async def test_children_are_asked_for_with_an_age_apaleo_can_price(connect, apaleo):
    pms = connect()
    family = AvailabilityQuery(arrival="2026-07-01", departure="2026-07-03", adults=1, children=1)
    await pms.availability(pms.hotel_id, family)
    (sent,) = apaleo.sent("GET", "/booking/v1/offers")
    assert sent.url.params["childrenAges"] == str(apaleo_connector.ASSUMED_CHILD_AGE)


async def test_the_childrens_ages_the_caller_gave_are_what_apaleo_prices(connect, apaleo):
    pms = connect()
    family = AvailabilityQuery(
        arrival="2026-07-01", departure="2026-07-03", adults=2, children=2, children_ages=[3]
    )
    await pms.availability(pms.hotel_id, family)
    (sent,) = apaleo.sent("GET", "/booking/v1/offers")
    assert sent.url.params["childrenAges"] == f"3,{apaleo_connector.ASSUMED_CHILD_AGE}"


async def test_apaleos_204_means_sold_out_not_an_error(connect, apaleo):
    apaleo.sold_out = True
    pms = connect()
    answer = await pms.availability(pms.hotel_id, STAY)
    assert answer.offers == []


async def test_one_token_serves_many_calls_and_connectors_of_the_same_app(connect, apaleo):
    pms = connect()
    await pms.availability(pms.hotel_id, STAY)
    await pms.availability(pms.hotel_id, STAY)
    other = connect()  # the registry builds a connector per request
    await other.availability(other.hotel_id, STAY)
    assert apaleo.tokens_issued == 1
    (token_request,) = apaleo.sent("POST", "/connect/token")
    assert token_request.url == f"{IDENTITY}/connect/token"
    assert parse_qs(token_request.content.decode()) == {"grant_type": ["client_credentials"]}


async def test_a_token_is_renewed_shortly_before_it_expires(connect, apaleo, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(auth, "tokens", auth.TokenCache(clock=lambda: clock[0]))
    pms = connect()
    await pms.availability(pms.hotel_id, STAY)
    clock[0] += 3600 - 61  # just over a minute left of the hour: still used
    await pms.availability(pms.hotel_id, STAY)
    assert apaleo.tokens_issued == 1
    clock[0] += 2  # under a minute left: a new one
    await pms.availability(pms.hotel_id, STAY)
    assert apaleo.tokens_issued == 2


async def test_a_token_apaleo_no_longer_accepts_is_renewed_once(connect, apaleo):
    pms = connect()
    await pms.availability(pms.hotel_id, STAY)
    apaleo.valid_tokens = set()  # revoked: every API call is 401 now
    with pytest.raises(Unavailable):
        await pms.availability(pms.hotel_id, STAY)
    assert apaleo.tokens_issued == 2  # one renewal, not a loop
    assert len(apaleo.sent("GET", "/booking/v1/offers")) == 3


async def test_wrong_client_credentials_are_unavailable_not_a_guest_error(connect, apaleo):
    pms = connect(credentials={"client_id": SECRET["client_id"], "client_secret": "wrong"})
    with pytest.raises(Unavailable, match="credentials"):
        await pms.availability(pms.hotel_id, STAY)
    assert apaleo.sent("GET", "/booking/v1/offers") == []


async def test_a_secret_without_client_secret_is_refused_before_any_request(connect, apaleo):
    pms = connect(credentials={"client_id": "only-an-id"})
    with pytest.raises(Unavailable, match="client_secret"):
        await pms.availability(pms.hotel_id, STAY)
    assert apaleo.requests == []


# -- hotel info ------------------------------------------------------------------------


async def test_hotel_info_is_the_property_and_is_cached(connect, apaleo):
    pms = connect()
    info = await pms.hotel_info(pms.hotel_id)
    again = await pms.hotel_info(pms.hotel_id)
    assert again == info
    assert (info.name, info.timezone, info.currency) == (
        "Demo Hotel Munich",
        "Europe/Berlin",
        "EUR",
    )
    assert info.address == "Marienplatz 1, 80331 München, DE"
    assert info.languages == ["de", "en"]
    assert len(apaleo.sent("GET", "/inventory/v1/properties/MUC")) == 1


async def test_an_unknown_property_is_not_found(connect, apaleo):
    pms = ApaleoConnector(
        "apaleo-nowhere",
        PmsBinding(connector="apaleo", property_id="XXX", secret_name="hotelvoice/pms/x"),
        settings(),
        credentials=SECRET,
        transport=httpx.MockTransport(apaleo),
    )
    with pytest.raises(NotFound):
        await pms.hotel_info("apaleo-nowhere")


# -- finding a reservation -------------------------------------------------------------


async def test_a_reservation_is_found_by_its_apaleo_id_and_last_name(connect, apaleo):
    pms = connect()
    found = await pms.find_reservation(pms.hotel_id, doe())
    assert found.confirmation_code == "XPGMSXGF-1"
    assert (found.guest_first_name, found.guest_last_name) == ("Jon", "Doe")
    assert (str(found.arrival), str(found.departure)) == ("2026-07-01", "2026-07-03")
    assert found.room_type_name == "Double Room"
    assert (found.adults, found.children) == (2, 0)
    assert found.status is ReservationStatus.CONFIRMED
    assert found.total == Money(amount_minor=38980, currency="EUR")
    (sent,) = apaleo.sent("GET", "/booking/v1/reservations/")
    assert sent.url.path == "/booking/v1/reservations/XPGMSXGF-1"
    assert sent.url.params["expand"] == "booker"


@pytest.mark.parametrize(
    "spoken", ["xpgmsxgf-1", "X P G M S X G F 1", "XPGMSXGF1", "x.p.g.m.s.x.g.f - 1"]
)
async def test_the_hyphen_a_guest_left_out_is_put_back(connect, apaleo, spoken):
    pms = connect()
    found = await pms.find_reservation(pms.hotel_id, doe(spoken))
    assert found.confirmation_code == "XPGMSXGF-1"
    assert [r.url.path for r in apaleo.sent("GET", "/booking/v1/reservations")] == [
        "/booking/v1/reservations/XPGMSXGF-1"
    ]


def test_code_candidates_prefer_an_eight_character_booking_id():
    assert candidates("XPGMSXGF-12") == CodeCandidates(("XPGMSXGF-12",), None)
    assert candidates("AB12CDEF12") == CodeCandidates(("AB12CDEF-12", "AB12CDEF1-2"), None)
    assert candidates("XPGMSXGF") == CodeCandidates((), "XPGMSXGF")


async def test_the_booking_id_alone_finds_the_callers_reservation_in_it(connect, apaleo):
    pms = connect()
    found = await pms.find_reservation(pms.hotel_id, doe("XPGMSXGF", last_name="Roe"))
    assert found.confirmation_code == "XPGMSXGF-2"
    assert found.room_type_name == "Standard Room"  # from the unit groups: not embedded
    assert found.children == 1
    (search,) = apaleo.sent("GET", "/booking/v1/reservations")
    assert search.url.params["bookingId"] == "XPGMSXGF"
    assert search.url.params["propertyIds"] == "MUC"


@pytest.mark.parametrize("name", ["Müller", "muller", "MÜLLER"])
async def test_the_bookers_name_counts_and_accents_and_case_do_not(connect, name):
    pms = connect()
    found = await pms.find_reservation(pms.hotel_id, doe(last_name=name))
    assert found.confirmation_code == "XPGMSXGF-1"
    assert found.guest_last_name == "Doe"  # the guest staying, though the booker called


async def test_a_name_spelt_otherwise_is_not_a_match(connect):
    pms = connect()
    with pytest.raises(NotFound):
        await pms.find_reservation(pms.hotel_id, doe(last_name="Mueller"))


async def test_the_callers_phone_is_a_second_factor(connect):
    pms = connect()
    lookup = ReservationLookup(confirmation_code="XPGMSXGF-1", caller_phone="+49 89 123343")
    found = await pms.find_reservation(pms.hotel_id, lookup)
    assert found.confirmation_code == "XPGMSXGF-1"


async def test_wrong_name_and_wrong_code_are_the_same_not_found(connect):
    pms = connect()
    with pytest.raises(NotFound) as wrong_name:
        await pms.find_reservation(pms.hotel_id, doe(last_name="Smith"))
    with pytest.raises(NotFound) as wrong_code:
        await pms.find_reservation(pms.hotel_id, doe("ZZZZZZZZ-9"))
    assert (wrong_name.value.code, wrong_name.value.message) == (
        wrong_code.value.code,
        wrong_code.value.message,
    )
    assert "Doe" not in wrong_name.value.message
    assert "XPGMSXGF" not in wrong_name.value.message


async def test_another_propertys_reservation_is_not_disclosed(connect, apaleo):
    apaleo.reservations["XPGMSXGF-1"]["property"] = {"id": "BER"}
    pms = connect()
    with pytest.raises(NotFound):
        await pms.find_reservation(pms.hotel_id, doe())


@pytest.mark.parametrize(
    ("apaleo_status", "ours"),
    [
        ("Confirmed", ReservationStatus.CONFIRMED),
        ("InHouse", ReservationStatus.CHECKED_IN),
        ("CheckedOut", ReservationStatus.CHECKED_OUT),
        ("Canceled", ReservationStatus.CANCELLED),
        ("NoShow", ReservationStatus.NO_SHOW),
    ],
)
async def test_every_apaleo_status_is_mapped(connect, apaleo, apaleo_status, ours):
    apaleo.reservations["XPGMSXGF-1"]["status"] = apaleo_status
    pms = connect()
    assert (await pms.find_reservation(pms.hotel_id, doe())).status is ours


async def test_an_unknown_status_is_never_guessed(connect, apaleo):
    apaleo.reservations["XPGMSXGF-1"]["status"] = "Tentative"
    pms = connect()
    with pytest.raises(Unavailable):
        await pms.find_reservation(pms.hotel_id, doe())


async def test_a_utc_arrival_is_the_hotels_local_date(connect, apaleo):
    reservation = apaleo.reservations["XPGMSXGF-1"]
    reservation["arrival"] = "2026-06-30T22:30:00Z"  # 00:30 on 1 July in Munich
    reservation["departure"] = "2026-07-02T23:00:00Z"  # 01:00 on 3 July
    pms = connect()
    found = await pms.find_reservation(pms.hotel_id, doe())
    assert (str(found.arrival), str(found.departure)) == ("2026-07-01", "2026-07-03")


# -- booking ---------------------------------------------------------------------------


def booking_request() -> BookingRequest:
    return BookingRequest(
        stay=STAY,
        offer_id="MUC-FLEX-DBL",
        guest=GuestDetails(
            first_name="Anna", last_name="Schmidt", email="anna@example.com", phone="+491705550199"
        ),
        notes="Arriving late, around 23:00.",
    )


async def test_a_booking_sends_the_rate_plan_per_night_and_the_idempotency_key(connect, apaleo):
    pms = connect()
    booking = await pms.create_booking(pms.hotel_id, booking_request(), idempotency_key="k-1")

    assert booking.created is True
    assert booking.reservation.guest_last_name == "Schmidt"
    assert booking.reservation.confirmation_code == "BKQQQQQ1-1"
    assert booking.reservation.status is ReservationStatus.CONFIRMED
    (post,) = apaleo.sent("POST", "/booking/v1/bookings")
    assert post.headers["idempotency-key"] == "k-1"
    body = json.loads(post.content)
    (reservation,) = body["reservations"]
    assert reservation["timeSlices"] == [{"ratePlanId": "MUC-FLEX-DBL"}] * 2
    assert (reservation["arrival"], reservation["departure"]) == ("2026-07-01", "2026-07-03")
    assert reservation["channelCode"] == "Direct"
    assert reservation["adults"] == 2
    assert reservation["guestComment"] == "Arriving late, around 23:00."
    assert (
        reservation["primaryGuest"]
        == body["booker"]
        == {
            "firstName": "Anna",
            "lastName": "Schmidt",
            "email": "anna@example.com",
            "phone": "+491705550199",
        }
    )


async def test_the_same_key_twice_books_once(connect, apaleo):
    pms = connect()
    first = await pms.create_booking(pms.hotel_id, booking_request(), idempotency_key="k-2")
    again = await pms.create_booking(pms.hotel_id, booking_request(), idempotency_key="k-2")
    assert again.reservation == first.reservation
    assert again.created is False
    assert len(apaleo.sent("POST", "/booking/v1/bookings")) == 1
    assert len(apaleo.reservations) == 3  # the two fixtures and one booking


async def test_another_lambda_instance_retrying_the_key_gets_apaleos_first_booking(connect, apaleo):
    pms = connect()
    first = await pms.create_booking(pms.hotel_id, booking_request(), idempotency_key="k-3")
    apaleo_connector.clear_caches()  # a fresh Lambda instance remembers nothing
    an_hour_later = NOW.replace(hour=9)
    other = connect(clock=lambda: an_hour_later)
    retry = await other.create_booking(other.hotel_id, booking_request(), idempotency_key="k-3")

    posts = apaleo.sent("POST", "/booking/v1/bookings")
    assert [p.headers["idempotency-key"] for p in posts] == ["k-3", "k-3"]
    assert retry.reservation == first.reservation
    assert retry.created is False  # Apaleo made it an hour before this request was sent
    assert len(apaleo.reservations) == 3


async def test_a_sold_out_rate_at_booking_is_sold_out(connect, apaleo):
    apaleo.fail_next(
        httpx.Response(422, json={"messages": ["The unit group MUC-DBL is fully booked."]})
    )
    pms = connect()
    with pytest.raises(SoldOut, match="fully booked"):
        await pms.create_booking(pms.hotel_id, booking_request(), idempotency_key="k-4")


# -- cancellation ----------------------------------------------------------------------


async def test_the_quote_before_the_due_time_is_free_and_names_the_policy(connect):
    pms = connect()
    quote = await pms.cancellation_quote(pms.hotel_id, doe())
    assert quote.cancellable is True
    assert quote.fee == Money(amount_minor=0, currency="EUR")
    assert quote.terms is not None
    assert quote.terms.startswith("Flexible: Free cancellation until the day of arrival.")
    assert "2026-07-01 17:00" in quote.terms


async def test_the_quote_after_the_due_time_states_apaleos_fee(connect):
    pms = connect(clock=lambda: datetime(2026, 7, 1, 15, 30, tzinfo=UTC))  # 17:30 in Munich
    quote = await pms.cancellation_quote(pms.hotel_id, doe())
    assert quote.cancellable is True
    assert quote.fee == Money(amount_minor=19490, currency="EUR")


async def test_apaleos_reason_not_to_cancel_is_relayed(connect, apaleo):
    apaleo.reservations["XPGMSXGF-1"]["actions"][1] = {
        "action": "Cancel",
        "isAllowed": False,
        "reasons": [
            {
                "code": "CancelNotAllowedForReservationNotInStatusConfirmed",
                "message": "Only confirmed reservations can be canceled.",
            }
        ],
    }
    pms = connect()
    quote = await pms.cancellation_quote(pms.hotel_id, doe())
    assert (quote.cancellable, quote.terms) == (
        False,
        "Only confirmed reservations can be canceled.",
    )
    with pytest.raises(RefusedByPms, match="Only confirmed reservations"):
        await pms.cancel(pms.hotel_id, doe(), idempotency_key="c-0")
    assert apaleo.sent("PUT", "/cancel") == []


async def test_cancel_once_per_key_at_the_quoted_fee(connect, apaleo):
    pms = connect()
    first = await pms.cancel(pms.hotel_id, doe(), idempotency_key="c-1")
    again = await pms.cancel(pms.hotel_id, doe(), idempotency_key="c-1")
    assert first == again
    assert first.status is ReservationStatus.CANCELLED
    assert first.fee == Money(amount_minor=0, currency="EUR")
    (put,) = apaleo.sent("PUT", "/cancel")
    assert put.url.path == "/booking/v1/reservation-actions/XPGMSXGF-1/cancel"
    assert apaleo.reservations["XPGMSXGF-1"]["status"] == "Canceled"


async def test_a_cancel_whose_answer_was_lost_is_not_an_error(connect, apaleo):
    real = apaleo._cancel
    answers: list[httpx.Response] = []

    def cancel_but_lose_the_first_answer(reservation_id: str) -> httpx.Response:
        answer = real(reservation_id)  # 204, then 422: already cancelled
        answers.append(answer)
        return httpx.Response(504) if len(answers) == 1 else answer

    apaleo._cancel = cancel_but_lose_the_first_answer  # type: ignore[method-assign]
    pms = connect()
    cancelled = await pms.cancel(pms.hotel_id, doe(), idempotency_key="c-2")
    assert cancelled.status is ReservationStatus.CANCELLED
    assert [a.status_code for a in answers] == [204, 422]  # the retry met "not Confirmed"
    assert apaleo.reservations["XPGMSXGF-1"]["status"] == "Canceled"


async def test_an_apaleo_refusal_to_cancel_is_relayed_in_its_words(connect, apaleo):
    apaleo.reservations["XPGMSXGF-1"]["actions"] = []  # nothing to tell in advance
    apaleo._cancel = lambda _id: httpx.Response(422, json=fixture("error-422"))  # type: ignore[method-assign]
    pms = connect()
    with pytest.raises(RefusedByPms) as refused:
        await pms.cancel(pms.hotel_id, doe(), idempotency_key="c-3")
    assert refused.value.message == fixture("error-422")["messages"][0]


# -- amend -----------------------------------------------------------------------------


async def test_amend_moves_the_stay_with_the_rate_plan_per_night(connect, apaleo):
    pms = connect()
    longer = StayChange(
        stay=AvailabilityQuery(arrival="2026-07-01", departure="2026-07-04", adults=2, children=1)
    )
    amended = await pms.amend(pms.hotel_id, doe(), longer, idempotency_key="a-1")

    (put,) = apaleo.sent("PUT", "/amend")
    assert put.url.path == "/booking/v1/reservation-actions/XPGMSXGF-1/amend"
    assert json.loads(put.content) == {
        "arrival": "2026-07-01",
        "departure": "2026-07-04",
        "adults": 2,
        "childrenAges": [apaleo_connector.ASSUMED_CHILD_AGE],
        "timeSlices": [{"ratePlanId": "MUC-FLEX-DBL"}] * 3,
    }
    assert str(amended.departure) == "2026-07-04"
    assert amended.children == 1
    assert amended.total == Money(amount_minor=58470, currency="EUR")  # Apaleo's new total

    again = await pms.amend(pms.hotel_id, doe(), longer, idempotency_key="a-1")
    assert again == amended
    assert len(apaleo.sent("PUT", "/amend")) == 1  # the stay is already as asked


async def test_amend_to_a_requoted_rate_plan(connect, apaleo):
    pms = connect()
    change = StayChange(stay=STAY, offer_id="MUC-NONREF-DBL")
    await pms.amend(pms.hotel_id, doe(), change, idempotency_key="a-2")
    (put,) = apaleo.sent("PUT", "/amend")
    assert json.loads(put.content)["timeSlices"] == [{"ratePlanId": "MUC-NONREF-DBL"}] * 2


async def test_a_checked_out_stay_cannot_be_amended(connect, apaleo):
    apaleo.reservations["XPGMSXGF-1"]["status"] = "CheckedOut"
    pms = connect()
    with pytest.raises(RefusedByPms, match="checked out"):
        await pms.amend(pms.hotel_id, doe(), StayChange(stay=STAY), idempotency_key="a-3")
    assert apaleo.sent("PUT", "/amend") == []


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(404), NotFound),
        (
            httpx.Response(422, json={"messages": ["Arrival must not be in the past."]}),
            InvalidRequest,
        ),
        (httpx.Response(400), InvalidRequest),
        (httpx.Response(403), Unavailable),
        (httpx.Response(429, headers={"Retry-After": "30"}), RateLimited),
        (httpx.Response(500), Unavailable),
    ],
)
async def test_error_statuses_map_onto_the_error_family(connect, apaleo, answer, error):
    pms = connect()
    await pms.hotel_info(pms.hotel_id)  # token and property cached: the fault hits offers
    apaleo.fail_next(answer)
    with pytest.raises(error) as raised:
        await pms.availability(pms.hotel_id, STAY)
    if error is RateLimited:
        assert raised.value.retry_after_s == 30
    if error is InvalidRequest and answer.status_code == 422:
        assert raised.value.message == "Arrival must not be in the past."


async def test_a_401_on_every_try_is_unavailable(connect, apaleo):
    pms = connect()
    apaleo.fail_next(httpx.Response(401), times=2)
    with pytest.raises(Unavailable):
        await pms.availability(pms.hotel_id, STAY)


async def test_a_passing_503_is_retried_for_a_read(connect, apaleo):
    pms = connect()
    apaleo.fail_next(httpx.Response(503))
    answer = await pms.availability(pms.hotel_id, STAY)
    assert len(answer.offers) == 2
    assert len(apaleo.sent("GET", "/booking/v1/offers")) == 2


async def test_a_pms_that_times_out_is_unavailable(connect, apaleo):
    pms = connect()
    await pms.hotel_info(pms.hotel_id)
    apaleo.fail_next(httpx.ReadTimeout("too slow"), times=3)
    with pytest.raises(Unavailable, match="in time"):
        await pms.availability(pms.hotel_id, STAY)


def test_money_is_converted_once_with_the_currencys_minor_unit():
    assert to_money(Decimal("0.1") + Decimal("0.2"), "EUR").amount_minor == 30
    assert to_money(Decimal("389.80"), "EUR").amount_minor == 38980
    assert to_money(Decimal("12500"), "JPY").amount_minor == 12500
    assert to_money(Decimal("12.345"), "KWD").amount_minor == 12345
    with pytest.raises(ValueError, match="negative"):
        to_money(Decimal("-1"), "EUR")


def test_the_registry_builds_the_apaleo_connector():
    from hotelvoice.pms.registry import CONNECTORS

    binding = PmsBinding(connector="apaleo", property_id="MUC", secret_name="hotelvoice/pms/x")
    assert CONNECTORS["apaleo"] is build
    assert isinstance(build("h", binding, settings()), ApaleoConnector)
