"""The OPERA Cloud connector against a fake OHIP gateway answering golden fixtures.

The fixtures (``fixtures/opera/*.json``, each citing the Oracle operation and schema it
follows) are served by an ``httpx.MockTransport`` that keeps a little state (reservation
statuses, external references, stays), so idempotency shows in the requests sent.
No API description is needed: these run everywhere.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

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
from hotelvoice.pms import registry, vendor_http
from hotelvoice.pms.money import to_money
from hotelvoice.pms.opera import build
from hotelvoice.pms.opera import connector as opera_connector
from hotelvoice.pms.opera.auth import TokenCache
from hotelvoice.pms.opera.connector import OperaConnector
from hotelvoice.pms.opera.dates import local_date
from hotelvoice.pms.opera.gateway import GatewayRefused, eu_gateway
from hotelvoice.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "opera"
GATEWAY = "https://hvtest.hospitality-api.eu-frankfurt-1.ocs.oraclecloud.com"
HOTEL_CODE = "HVDEMO"
APP_KEY = "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
SECRET = {
    "client_id": "hv-client",
    "client_secret": "s3cret-value",
    "app_key": APP_KEY,
    "enterprise_id": "HVENT",
    "guarantee_code": "6PM",
}
STAY = AvailabilityQuery(arrival=date(2026, 7, 1), departure=date(2026, 7, 3), adults=2)
BEFORE_DEADLINE = datetime(2026, 6, 20, 10, 0, tzinfo=UTC)
AFTER_DEADLINE = datetime(2026, 6, 30, 17, 0, tzinfo=UTC)  # 19:00 in Munich


def fixture(name: str) -> dict[str, Any]:
    data = json.loads((FIXTURES / name).read_text())
    data.pop("_source")
    return data


class FakeOpera:
    """An OHIP gateway for one hotel: the fixtures, a little state, every request recorded."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.faults: list[tuple[str, str, Callable[[httpx.Request], httpx.Response]]] = []
        self.status = "Reserved"
        self.stay = ("2026-07-01", "2026-07-03")
        self.external_refs: list[str] = []
        self.detail_patch: Callable[[dict[str, Any]], None] = lambda _: None
        self.availability = fixture("availability.200.json")

    def fail(
        self, method: str, path_part: str, answer: httpx.Response | Exception, times: int = 1
    ) -> None:
        """The next ``times`` matching requests get ``answer`` (a response or a raised error)."""

        def respond(_: httpx.Request) -> httpx.Response:
            if isinstance(answer, Exception):
                raise answer
            return answer

        self.faults.extend([(method, path_part, respond)] * times)

    def sent(self, method: str, path_part: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and path_part in r.url.path]

    def searches(self) -> list[dict[str, list[str]]]:
        """The query of every reservation search, oldest first."""
        return [
            parse_qs(r.url.query.decode())
            for r in self.requests
            if r.method == "GET" and r.url.path == f"/rsv/v1/hotels/{HOTEL_CODE}/reservations"
        ]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for fault in self.faults:
            if fault[0] == request.method and fault[1] in request.url.path:
                self.faults.remove(fault)
                return fault[2](request)
        path = request.url.path
        query = parse_qs(request.url.query.decode())
        if path == "/oauth/v1/tokens":
            return httpx.Response(200, json=fixture("token.200.json"))
        if path == f"/ent/config/v1/hotels/{HOTEL_CODE}":
            return httpx.Response(200, json=fixture("hotel.200.json"))
        if path == f"/par/v1/hotels/{HOTEL_CODE}/availability":
            return httpx.Response(200, json=self.availability)
        base = f"/rsv/v1/hotels/{HOTEL_CODE}/reservations"
        if path == base and request.method == "GET":
            return self._search(query)
        if path == base and request.method == "POST":
            sent = json.loads(request.content)
            refs = sent["reservations"]["reservation"][0].get("externalReferences", [])
            self.external_refs += [r["id"] for r in refs]
            created = fixture("reservation-created.201.json")
            return httpx.Response(201, json=created, headers={"Location": f"{base}/571063"})
        if path.endswith("/cancellations") and request.method == "POST":
            self.status = "Cancelled"
            return httpx.Response(201, json=fixture("cancellation.201.json"))
        if path.startswith(base + "/") and request.method == "PUT":
            stay = json.loads(request.content)["reservations"][0]["roomStay"]
            self.stay = (stay["arrivalDate"], stay["departureDate"])
            return httpx.Response(200, json={"reservations": {"reservation": []}})
        if path.startswith(base + "/") and request.method == "GET":
            detail = fixture("reservation.200.json")
            item = detail["reservations"]["reservation"][0]
            item["reservationStatus"] = self.status
            item["roomStay"]["arrivalDate"], item["roomStay"]["departureDate"] = self.stay
            self.detail_patch(item)
            return httpx.Response(200, json=detail)
        return httpx.Response(404, json={"type": "about:blank", "title": "Not Found"})

    def _search(self, query: dict[str, list[str]]) -> httpx.Response:
        found = fixture("reservations-search.200.json")
        info = found["reservations"]["reservationInfo"][0]
        info["reservationStatus"] = self.status
        info["roomStay"]["arrivalDate"], info["roomStay"]["departureDate"] = self.stay
        info["externalReferences"] = [
            {"id": ref, "idContext": "HOTELVOICE"} for ref in self.external_refs
        ]
        if "confirmationNumberList" in query:
            hit = query["confirmationNumberList"] == ["813595"]
        else:
            hit = bool(set(query.get("externalReferenceIds", [])) & set(self.external_refs))
        if not hit:
            return httpx.Response(200, json={"reservations": {"totalResults": 0, "count": 0}})
        return httpx.Response(200, json=found)


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vendor_http, "BACKOFF_BASE_S", 0.001)


@pytest.fixture(autouse=True)
def fresh_instance_memory() -> Iterator[None]:
    opera_connector._done.clear()
    yield
    opera_connector._done.clear()


@pytest.fixture
def fake() -> FakeOpera:
    return FakeOpera()


@pytest.fixture
def hotel_id() -> str:
    return f"opera-{uuid.uuid4().hex[:8]}"  # own breaker and caches per test


@pytest.fixture
def connect(fake: FakeOpera, hotel_id: str) -> Callable[..., OperaConnector]:
    tokens = TokenCache()

    def make(
        now: datetime = BEFORE_DEADLINE, secret: dict[str, str] | None = None
    ) -> OperaConnector:
        return OperaConnector(
            hotel_id,
            HOTEL_CODE,
            GATEWAY,
            lambda: secret or SECRET,
            timeout_s=1.0,
            budget_s=2.0,
            transport=httpx.MockTransport(fake),
            now=lambda: now,
            token_cache=tokens,
        )

    return make


def lookup(code: str = "813 595", last_name: str | None = "Clarke", phone: str | None = None):
    return ReservationLookup(confirmation_code=code, last_name=last_name, caller_phone=phone)


def booking_request(offer: str = "DLXK|BARBB") -> BookingRequest:
    return BookingRequest(
        stay=STAY,
        offer_id=offer,
        guest=GuestDetails(
            first_name="Jennifer", last_name="Clarke", email="j@example.com", phone="+491715550123"
        ),
        notes="Late arrival around 23:00",
    )


# -- availability -------------------------------------------------------------------------


def _rates(payload: Any) -> list[dict[str, Any]]:
    """Every roomRate of an availability payload, wherever it sits."""
    if isinstance(payload, dict):
        return [payload] * ("ratePlanCode" in payload and "total" in payload) + [
            r for v in payload.values() for r in _rates(v)
        ]
    if isinstance(payload, list):
        return [r for v in payload for r in _rates(v)]
    return []


async def test_a_meal_plan_outside_the_rate_is_not_said_to_be_included(fake, connect, hotel_id):
    # par.json: "included: Represents if the meal plan code is included in rate code or not";
    # breakfastIncluded only says the plan serves breakfast (bookable at extra cost here).
    for rate in _rates(fake.availability):
        if rate["ratePlanCode"] == "BAR":
            rate["mealPlans"] = [{"code": "BB", "included": False, "breakfastIncluded": True}]

    result = await connect().availability(hotel_id, STAY)

    bar = next(o for o in result.offers if o.offer_id == "STDQ|BAR")
    assert not bar.breakfast_included
    assert "breakfast" not in bar.included


async def test_availability_quotes_opera_gross_totals_in_minor_units(fake, connect, hotel_id):
    result = await connect().availability(hotel_id, STAY)

    offers = {o.offer_id: o for o in result.offers}
    assert set(offers) == {"DLXK|BARBB", "STDQ|BAR", "STDQ|NRF"}  # the restricted rate is not
    deluxe = offers["DLXK|BARBB"]
    assert deluxe.total == Money(amount_minor=36000, currency="EUR")  # amountAfterTax
    assert deluxe.room_type_name == "Deluxe King"
    assert deluxe.description == "Deluxe room with king bed and city view"
    assert deluxe.max_occupancy == 3
    assert deluxe.rate_plan == "Best available rate with breakfast"
    assert deluxe.breakfast_included
    assert deluxe.included == ["breakfast"]
    assert deluxe.cancellation_terms.startswith("Free cancellation until 1 day")
    assert deluxe.cancellation_fee is None
    assert offers["STDQ|BAR"].total.amount_minor == 28000
    saver = offers["STDQ|NRF"]
    assert saver.total.amount_minor == 25010  # tax-inclusive rate, before-tax total is gross
    assert saver.cancellation_fee == saver.total
    assert [o.total.amount_minor for o in result.offers] == [25010, 28000, 36000]
    assert result.nights == 2

    (call,) = fake.sent("GET", "/availability")
    params = parse_qs(call.url.query.decode())
    assert params["roomStayStartDate"] == ["2026-07-01"]
    assert params["roomStayEndDate"] == ["2026-07-03"]
    assert params["adults"] == ["2"]
    assert params["children"] == ["0"]
    assert params["roomTypeInfo"] == ["true"]
    assert params["ratePlanInfo"] == ["true"]
    assert call.headers["authorization"] == "Bearer eyJhbGciOiJSUzI1NiJ9.mock.mock"
    assert call.headers["x-app-key"] == APP_KEY
    assert call.headers["x-hotelid"] == HOTEL_CODE


async def test_the_token_is_fetched_once_with_basic_auth_app_key_and_enterprise(
    fake, connect, hotel_id
):
    opera = connect()
    await opera.availability(hotel_id, STAY)
    await opera.availability(hotel_id, STAY)
    await connect().availability(hotel_id, STAY)  # a new connector, the same credentials

    (token_call,) = fake.sent("POST", "/oauth/v1/tokens")
    assert token_call.headers["authorization"].startswith("Basic ")
    assert token_call.headers["x-app-key"] == APP_KEY
    assert token_call.headers["enterpriseId"] == "HVENT"
    form = parse_qs(token_call.content.decode())
    assert form == {"grant_type": ["client_credentials"], "scope": ["urn:opc:hgbu:ws:__myscopes__"]}
    assert len(fake.sent("GET", "/availability")) == 3


async def test_amounts_are_decimal_exact_and_follow_the_currency_minor_unit():
    assert to_money(Decimal("0.1") + Decimal("0.2"), "EUR").amount_minor == 30
    assert to_money(Decimal("12500"), "JPY").amount_minor == 12500
    assert to_money(Decimal("12.345"), "KWD").amount_minor == 12345
    assert to_money(Decimal("99.5"), "XYZ", 0).amount_minor == 100  # OPERA's decimalPlaces


async def test_no_availability_is_an_empty_list_of_offers(fake, connect, hotel_id):
    fake.fail("GET", "/availability", httpx.Response(204))
    assert (await connect().availability(hotel_id, STAY)).offers == []


async def test_a_tax_exclusive_rate_without_a_gross_total_is_not_quoted(fake, connect, hotel_id):
    rate = fake.availability["hotelAvailability"][0]["roomStays"][0]["roomRates"][1]
    rate["total"] = {"amountBeforeTax": 261.68, "currencyCode": "EUR"}
    rate["taxIncluded"] = False
    offers = (await connect().availability(hotel_id, STAY)).offers
    assert "STDQ|BAR" not in {o.offer_id for o in offers}


# -- finding a reservation ----------------------------------------------------------------


async def test_a_reservation_is_found_by_confirmation_number_and_surname(fake, connect, hotel_id):
    reservation = await connect().find_reservation(hotel_id, lookup("813 595", "clarke"))

    assert reservation.confirmation_code == "813595"
    assert (reservation.guest_first_name, reservation.guest_last_name) == ("Jennifer", "Clarke")
    assert (reservation.arrival, reservation.departure) == (date(2026, 7, 1), date(2026, 7, 3))
    assert reservation.room_type_name == "Deluxe King"
    assert (reservation.adults, reservation.children) == (2, 0)
    assert reservation.status is ReservationStatus.CONFIRMED
    assert reservation.total == Money(amount_minor=36000, currency="EUR")
    (search,) = fake.searches()
    assert search["confirmationNumberList"] == ["813595"]
    (detail,) = fake.sent("GET", "/reservations/571062")  # the internal id, not the number
    assert "ReservationPolicies" in parse_qs(detail.url.query.decode())["fetchInstructions"]


async def test_the_caller_phone_is_a_second_factor(connect, hotel_id):
    found = await connect().find_reservation(hotel_id, lookup(last_name=None, phone="0171 5550123"))
    assert found.confirmation_code == "813595"


async def test_a_wrong_surname_discloses_nothing_and_equals_a_wrong_code(fake, connect, hotel_id):
    opera = connect()
    with pytest.raises(NotFound) as wrong_name:
        await opera.find_reservation(hotel_id, lookup("813595", "Smith"))
    with pytest.raises(NotFound) as wrong_code:
        await opera.find_reservation(hotel_id, lookup("999999", "Clarke"))
    with pytest.raises(NotFound) as wrong_phone:
        await opera.find_reservation(hotel_id, lookup("813595", None, "+44 20 7946 0000"))

    answers = {(e.value.code, e.value.message) for e in (wrong_name, wrong_code, wrong_phone)}
    assert len(answers) == 1
    assert answers.pop()[0] == "no_match"
    assert "Clarke" not in str(wrong_name.value)
    assert "Jennifer" not in str(wrong_name.value)
    assert fake.sent("GET", "/reservations/571062") == []  # no detail read for a mismatch


@pytest.mark.parametrize(
    ("opera_status", "ours"),
    [
        ("Reserved", ReservationStatus.CONFIRMED),
        ("DueIn", ReservationStatus.CONFIRMED),
        ("Requested", ReservationStatus.OPTIONAL),
        ("Waitlisted", ReservationStatus.WAITLISTED),
        ("InHouse", ReservationStatus.CHECKED_IN),
        ("CheckedIn", ReservationStatus.CHECKED_IN),
        ("DueOut", ReservationStatus.CHECKED_IN),
        ("Walkin", ReservationStatus.CHECKED_IN),
        ("PendingCheckout", ReservationStatus.CHECKED_IN),
        ("CheckedOut", ReservationStatus.CHECKED_OUT),
        ("Cancelled", ReservationStatus.CANCELLED),
        ("NoShow", ReservationStatus.NO_SHOW),
    ],
)
async def test_every_opera_state_maps_onto_ours(fake, connect, hotel_id, opera_status, ours):
    fake.status = opera_status
    assert (await connect().find_reservation(hotel_id, lookup())).status is ours


async def test_an_unknown_state_is_not_guessed(fake, connect, hotel_id):
    fake.status = "Teleported"
    with pytest.raises(Unavailable):
        await connect().find_reservation(hotel_id, lookup())


def test_date_times_become_the_hotels_local_date():
    berlin = ZoneInfo("Europe/Berlin")
    assert local_date("2026-07-01", berlin) == date(2026, 7, 1)
    assert local_date("2026-06-30T22:30:00Z", berlin) == date(2026, 7, 1)  # not cut at the T
    assert local_date("2026-07-01T00:30:00+02:00", berlin) == date(2026, 7, 1)
    assert local_date("2026-07-01T23:30:00", berlin) == date(2026, 7, 1)  # property-local


async def test_dates_in_a_reservation_are_read_in_the_hotels_zone(fake, connect, hotel_id):
    fake.stay = ("2026-06-30T22:00:00Z", "2026-07-02T22:00:00Z")  # midnight in Munich
    found = await connect().find_reservation(hotel_id, lookup())
    assert (found.arrival, found.departure) == (date(2026, 7, 1), date(2026, 7, 3))


# -- booking ------------------------------------------------------------------------------


async def test_a_booking_is_made_once_per_idempotency_key(fake, connect, hotel_id):
    opera = connect()
    first = await opera.create_booking(hotel_id, booking_request(), idempotency_key="k-1")
    again = await opera.create_booking(hotel_id, booking_request(), idempotency_key="k-1")
    opera_connector._done.clear()  # another Lambda instance: only OPERA remembers
    elsewhere = await connect().create_booking(hotel_id, booking_request(), idempotency_key="k-1")

    assert len(fake.sent("POST", f"/hotels/{HOTEL_CODE}/reservations")) == 1
    assert first.created
    assert not again.created
    assert not elsewhere.created
    assert first.reservation == again.reservation == elsewhere.reservation
    assert first.reservation.confirmation_code == "813595"
    by_reference = [s for s in fake.searches() if "externalReferenceIds" in s]
    assert len(by_reference) == 3  # before the first POST, after it, and in the new instance
    assert by_reference[0]["externalSystemCodes"] == ["HOTELVOICE"]


async def test_the_booking_request_follows_operas_schema(fake, connect, hotel_id):
    await connect().create_booking(hotel_id, booking_request(), idempotency_key="k-2")

    (post,) = fake.sent("POST", f"/hotels/{HOTEL_CODE}/reservations")
    reservation = json.loads(post.content)["reservations"]["reservation"][0]
    stay = reservation["roomStay"]
    assert stay["guestCounts"] == {"adults": 2, "children": 0}  # integers, not "2"
    (rate,) = stay["roomRates"]
    assert (rate["roomType"], rate["ratePlanCode"], rate["numberOfUnits"]) == ("DLXK", "BARBB", 1)
    assert "total" not in rate
    assert "rates" not in rate
    assert stay["guarantee"] == {"guaranteeCode": "6PM"}
    guests = reservation["reservationGuests"]
    assert isinstance(guests, list)
    assert guests[0]["primary"] is True
    profile = guests[0]["profileInfo"]["profile"]
    assert profile["customer"]["personName"][0]["surname"] == "Clarke"
    assert profile["telephones"]["telephoneInfo"][0]["telephone"]["phoneNumber"] == "+491715550123"
    (reference,) = reservation["externalReferences"]
    assert reference["idContext"] == "HOTELVOICE"
    assert len(reference["id"]) <= 50
    assert "k-2" not in reference["id"]


async def test_a_booking_whose_answer_was_lost_is_found_not_repeated(fake, connect, hotel_id):
    def lands_then_times_out(request: httpx.Request) -> httpx.Response:
        fake.external_refs += [
            r["id"]
            for r in json.loads(request.content)["reservations"]["reservation"][0][
                "externalReferences"
            ]
        ]
        raise httpx.ReadTimeout("the answer was lost", request=request)

    fake.faults.append(("POST", f"/hotels/{HOTEL_CODE}/reservations", lands_then_times_out))
    booking = await connect().create_booking(hotel_id, booking_request(), idempotency_key="k-3")

    assert booking.created
    assert booking.reservation.confirmation_code == "813595"
    assert len(fake.sent("POST", f"/hotels/{HOTEL_CODE}/reservations")) == 1


async def test_a_booking_that_did_not_land_is_unavailable_and_not_resent(fake, connect, hotel_id):
    fake.fail("POST", f"/hotels/{HOTEL_CODE}/reservations", httpx.ReadTimeout("slow"))
    with pytest.raises(Unavailable):
        await connect().create_booking(hotel_id, booking_request(), idempotency_key="k-4")
    assert len(fake.sent("POST", f"/hotels/{HOTEL_CODE}/reservations")) == 1


async def test_a_sold_out_rate_is_sold_out(fake, connect, hotel_id):
    refusal = {"title": "Bad Request", "detail": "Room type DLXK is not available for the stay."}
    fake.fail("POST", f"/hotels/{HOTEL_CODE}/reservations", httpx.Response(400, json=refusal))
    with pytest.raises(SoldOut):
        await connect().create_booking(hotel_id, booking_request(), idempotency_key="k-5")


async def test_an_offer_that_is_not_ours_is_refused_before_opera_is_asked(fake, connect, hotel_id):
    with pytest.raises(InvalidRequest):
        await connect().create_booking(hotel_id, booking_request("DLXK"), idempotency_key="k-6")
    assert fake.sent("POST", "/reservations") == []


# -- cancelling ---------------------------------------------------------------------------


async def test_the_quote_states_operas_penalty_once_the_deadline_has_passed(connect, hotel_id):
    quote = await connect(now=AFTER_DEADLINE).cancellation_quote(hotel_id, lookup())
    assert quote.cancellable
    assert quote.fee == Money(amount_minor=18000, currency="EUR")  # one night, gross
    assert quote.terms == "Free cancellation until 18:00 the day before arrival, then 1 night."


async def test_the_quote_is_free_before_the_deadline(connect, hotel_id):
    quote = await connect(now=BEFORE_DEADLINE).cancellation_quote(hotel_id, lookup())
    assert quote.cancellable
    assert quote.fee.amount_minor == 0
    assert quote.terms.startswith("Free cancellation")


@pytest.mark.parametrize(
    ("policy", "fee"),
    [
        ({"effective": True, "amountPercent": {"basisType": "Percentage", "percent": 50}}, 18000),
        (
            {
                "effective": True,
                "amountPercent": {"basisType": "FlatAmount", "amount": 75.5, "currencyCode": "EUR"},
            },
            7550,
        ),
        ({"effective": True, "amountPercent": {"basisType": "FullAmount"}}, 36000),
        ({"nonRefundable": True}, 36000),
        ({"effective": False, "amountPercent": {"basisType": "FullAmount"}}, 0),
        (
            {
                "deadline": {"absoluteDeadline": "2026-06-10T12:00:00"},
                "amountPercent": {"basisType": "Nights", "nights": 2},
            },
            36000,
        ),
    ],
)
async def test_each_kind_of_opera_penalty_is_its_fee(fake, connect, hotel_id, policy, fee):
    def patch(item: dict[str, Any]) -> None:
        item["reservationPolicies"]["cancellationPolicies"] = [{"policy": copy.deepcopy(policy)}]

    fake.detail_patch = patch
    quote = await connect(now=BEFORE_DEADLINE).cancellation_quote(hotel_id, lookup())
    assert quote.cancellable
    assert quote.fee == Money(amount_minor=fee, currency="EUR")


async def test_a_penalty_opera_gives_no_figures_for_is_left_to_the_front_desk(
    fake, connect, hotel_id
):
    def patch(item: dict[str, Any]) -> None:
        item["reservationPolicies"]["cancellationPolicies"] = [
            {"policy": {"effective": True, "formattedRule": "Ask us.", "amountPercent": {}}}
        ]

    fake.detail_patch = patch
    quote = await connect().cancellation_quote(hotel_id, lookup())
    assert not quote.cancellable
    assert "front desk" in quote.terms


async def test_a_cancellation_is_sent_once_per_key(fake, connect, hotel_id):
    opera = connect(now=AFTER_DEADLINE)
    first = await opera.cancel(hotel_id, lookup(), idempotency_key="c-1")
    again = await opera.cancel(hotel_id, lookup(), idempotency_key="c-1")
    opera_connector._done.clear()
    elsewhere = await connect(now=AFTER_DEADLINE).cancel(hotel_id, lookup(), idempotency_key="c-1")

    (post,) = fake.sent("POST", "/cancellations")
    assert "/reservations/571062/cancellations" in post.url.path
    sent = json.loads(post.content)
    assert sent["reservations"][0]["reservationIdList"] == [{"id": "571062", "type": "Reservation"}]
    assert sent["reason"]["description"]
    assert first == again == elsewhere
    assert first.status is ReservationStatus.CANCELLED
    assert first.fee == Money(amount_minor=18000, currency="EUR")


async def test_opera_refusing_a_cancellation_relays_its_reason(fake, connect, hotel_id):
    fake.fail("POST", "/cancellations", httpx.Response(400, json=fixture("error.400.json")))
    with pytest.raises(RefusedByPms) as refused:
        await connect().cancel(hotel_id, lookup(), idempotency_key="c-2")
    assert refused.value.message == (
        "Reservation cannot be cancelled after the cancellation deadline."
    )


async def test_a_reservation_opera_will_not_let_us_cancel_is_not_sent(fake, connect, hotel_id):
    fake.detail_patch = lambda item: item.update(allowedActions=[])
    quote = await connect().cancellation_quote(hotel_id, lookup())
    assert not quote.cancellable
    with pytest.raises(RefusedByPms):
        await connect().cancel(hotel_id, lookup(), idempotency_key="c-3")
    assert fake.sent("POST", "/cancellations") == []


async def test_a_cancellation_whose_answer_was_lost_is_confirmed_by_reading_it(
    fake, connect, hotel_id
):
    def cancels_then_fails(request: httpx.Request) -> httpx.Response:
        fake.status = "Cancelled"
        return httpx.Response(502)

    fake.faults.append(("POST", "/cancellations", cancels_then_fails))
    done = await connect().cancel(hotel_id, lookup(), idempotency_key="c-4")
    assert done.status is ReservationStatus.CANCELLED
    assert len(fake.sent("POST", "/cancellations")) == 1


# -- amending -----------------------------------------------------------------------------


async def test_an_amendment_moves_the_stay_once_per_key(fake, connect, hotel_id):
    change = StayChange(
        stay=AvailabilityQuery(arrival=date(2026, 7, 2), departure=date(2026, 7, 5), adults=2)
    )
    opera = connect()
    moved = await opera.amend(hotel_id, lookup(), change, idempotency_key="a-1")
    again = await opera.amend(hotel_id, lookup(), change, idempotency_key="a-1")
    opera_connector._done.clear()
    elsewhere = await connect().amend(hotel_id, lookup(), change, idempotency_key="a-1")

    (put,) = fake.sent("PUT", "/reservations/571062")
    sent = json.loads(put.content)["reservations"][0]
    assert sent["reservationIdList"] == [{"id": "571062", "type": "Reservation"}]
    assert sent["roomStay"]["arrivalDate"] == "2026-07-02"
    assert sent["roomStay"]["guestCounts"] == {"adults": 2, "children": 0}
    (rate,) = sent["roomStay"]["roomRates"]
    assert (rate["roomType"], rate["ratePlanCode"]) == ("DLXK", "BARBB")  # kept
    assert (moved.arrival, moved.departure) == (date(2026, 7, 2), date(2026, 7, 5))
    assert moved == again == elsewhere


async def test_a_checked_in_reservation_cannot_be_amended(fake, connect, hotel_id):
    fake.status = "InHouse"
    change = StayChange(stay=STAY)
    with pytest.raises(RefusedByPms):
        await connect().amend(hotel_id, lookup(), change, idempotency_key="a-2")
    assert fake.sent("PUT", "/reservations") == []


# -- OPERA misbehaving --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(404, json={"title": "Not Found", "status": 404}), NotFound),
        (httpx.Response(400, json={"title": "Bad Request"}), InvalidRequest),
        (httpx.Response(400, json={"detail": "Rate code BARBB is closed."}), SoldOut),
        (httpx.Response(400, json={"detail": "Hotel is in night audit."}), RefusedByPms),
        (httpx.Response(422, json={"title": "Unprocessable"}), InvalidRequest),
        (httpx.Response(403, json={"title": "Forbidden"}), Unavailable),
        (httpx.Response(429, headers={"Retry-After": "30"}), RateLimited),
        (httpx.Response(500, json={"title": "Internal"}), Unavailable),
        (httpx.Response(503), Unavailable),
        (httpx.ConnectTimeout("slow"), Unavailable),
        (httpx.ReadTimeout("slow"), Unavailable),
    ],
)
async def test_opera_errors_map_onto_the_error_family(fake, connect, hotel_id, answer, error):
    fake.fail("GET", "/availability", answer, times=3)
    with pytest.raises(error) as raised:
        await connect().availability(hotel_id, STAY)
    if error is RateLimited:
        assert raised.value.retry_after_s == 30
    if isinstance(answer, httpx.Response) and answer.status_code == 400 and error is RefusedByPms:
        assert raised.value.message == "Hotel is in night audit."


async def test_a_refused_token_is_renewed_once_then_unavailable(fake, connect, hotel_id):
    fake.fail("GET", "/availability", httpx.Response(401))
    assert (await connect().availability(hotel_id, STAY)).offers  # new token, then it works
    assert len(fake.sent("POST", "/oauth/v1/tokens")) == 2

    fake.fail("GET", "/availability", httpx.Response(401), times=2)
    with pytest.raises(Unavailable, match="credentials"):
        await connect().availability(hotel_id, STAY)


async def test_refused_credentials_are_unavailable(fake, connect, hotel_id):
    fake.fail("POST", "/oauth/v1/tokens", httpx.Response(401))
    with pytest.raises(Unavailable):
        await connect().availability(hotel_id, STAY)
    fake.fail("POST", "/oauth/v1/tokens", httpx.Response(400, json={"detail": "bad scope"}))
    with pytest.raises(Unavailable):
        await connect().availability(hotel_id, STAY)


async def test_a_secret_without_its_keys_is_named_not_shown(connect, hotel_id):
    with pytest.raises(Unavailable) as missing:
        await connect(
            secret={"client_id": "x", "client_secret": "hush", "app_key": "nope"}
        ).availability(hotel_id, STAY)
    assert "app_key" in missing.value.message
    assert "hush" not in missing.value.message


# -- building -----------------------------------------------------------------------------


def test_the_registry_builds_opera_with_this_package():
    assert registry.CONNECTORS["opera"] is build


@pytest.mark.parametrize(
    "base",
    [
        "",
        "https://hv.hospitality-api.us-ashburn-1.ocs.oraclecloud.com",
        "https://hv.hospitality-api.uk-london-1.ocs.oraclecloud.com",
        "http://hv.hospitality-api.eu-frankfurt-1.ocs.oraclecloud.com",
        "https://opera.example.com",
    ],
)
def test_a_gateway_outside_the_eu_is_refused_when_built(base):
    settings = Settings(pms_base_urls={"opera": base})
    binding = PmsBinding(connector="opera", property_id="HVDEMO", secret_name="hotelvoice/pms/x")
    with pytest.raises(GatewayRefused):
        build("h1", binding, settings)


def test_an_eu_gateway_and_a_local_mock_are_accepted():
    settings = Settings(pms_base_urls={"opera": GATEWAY + "/"})
    binding = PmsBinding(connector="opera", property_id="HVDEMO", secret_name="hotelvoice/pms/x")
    assert isinstance(build("h1", binding, settings), OperaConnector)
    assert eu_gateway("https://x.hospitality-api.eu-milan-1.ocs.oc-test.com")
    assert eu_gateway("http://127.0.0.1:4010") == "http://127.0.0.1:4010"


async def test_hotel_facts_come_from_operas_hotel_configuration(fake, connect, hotel_id):
    info = await connect().hotel_info(hotel_id)
    (asked,) = fake.sent("GET", "/ent/config/v1/hotels/")
    # entcfg.json: "Specific areas of configuration can be returned based on the
    # fetchInstructions query parameter such as General, ... Raterange": times and currency
    assert parse_qs(asked.url.query.decode())["fetchInstructions"] == ["General", "Raterange"]
    assert info.name == "Hotelvoice Demo Hotel"
    assert info.address == "Leopoldstrasse 1, 80802 Munich, DE"
    assert info.front_desk_phone == "+49 89 1234560"
    assert (info.timezone, info.currency) == ("Europe/Berlin", "EUR")
    assert (info.check_in_from, info.check_out_until) == ("15:00", "11:00")
    assert info.languages == ["en"]
