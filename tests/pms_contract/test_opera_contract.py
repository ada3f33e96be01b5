"""The OPERA Cloud connector against Oracle's own API description, served by Prism.

Every request the connector sends goes through the harness's guarded proxy to Prism, which
validates it against ``opera/opera.mock.json`` (Oracle's par, rsv, entcfg and oauth
descriptions): a request OPERA would refuse fails the test that sent it. The description's
example answers are what the connector parses into our contracts, and the proxy's injected
faults (401, 404, 422, 429, 5xx, slow answers, resets) must land in the port's error family.

Prism cannot make up an answer for ``postReservation`` and ``putReservation`` (their 201/200
schemas have no example and are "too complex to generate": ``SCHEMA_TOO_COMPLEX``). Prism
validates the request before it gives up, so those tests answer the write through the proxy
and accept that one remark, and only that one: a request Prism refuses still fails them.
Without the descriptions or Prism these tests skip (the harness says why).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest

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
    HotelVoiceError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RefusedByPms,
    Unavailable,
)
from hotelvoice.pms import vendor_http
from hotelvoice.pms.opera import connector as opera_connector
from hotelvoice.pms.opera.auth import TokenCache
from hotelvoice.pms.opera.connector import OperaConnector
from hotelvoice.pms.opera.gateway import eu_gateway
from pms_contract import fault_proxy as faults
from pms_contract.pms_mock import PmsMock
from pms_contract.violations import Violation

HOTEL_CODE = "HVDEMO"  # the hotel of the description's injected examples
SECRET = {
    "client_id": "hotelvoice-contract",
    "client_secret": "not-a-real-secret",
    "app_key": "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
    "enterprise_id": "HVENT",
    "guarantee_code": "6PM",
    "cancellation_reason_code": "GUEST",
    "market_code": "LEIS",
    "source_code": "PHONE",
}
STAY = AvailabilityQuery(arrival=date(2026, 7, 1), departure=date(2026, 7, 3), adults=2)
CLARKE = ReservationLookup(confirmation_code="813595", last_name="Clarke")
RESERVATIONS = f"/rsv/v1/hotels/{HOTEL_CODE}/reservations"
UNGENERATABLE = "SCHEMA_TOO_COMPLEX"
SETTLE_WITHIN_S = 60.0
"""How long the proxy may take to finish a slow request the connector gave up on (a loaded
machine is slow; the test waits for the event, not for a fixed time)."""


async def settled(mock: PmsMock, path: str, count: int, method: str = "GET") -> None:
    """Until the proxy has answered ``count`` ``method`` requests to ``path`` (Prism saw each)."""
    deadline = time.monotonic() + SETTLE_WITHIN_S
    while sum(1 for r in mock.requests if r.method == method and r.path.endswith(path)) < count:
        assert time.monotonic() < deadline, f"the proxy never finished the requests to {path}"
        await asyncio.sleep(0.05)


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vendor_http, "BACKOFF_BASE_S", 0.01)


@pytest.fixture(autouse=True)
def fresh_instance_memory() -> Iterator[None]:
    opera_connector._done.clear()
    yield
    opera_connector._done.clear()


@pytest.fixture
def connect(opera_mock: PmsMock) -> Callable[..., tuple[OperaConnector, str]]:
    """Connectors on the guarded mock: one hotel id per test (its own breaker and caches)."""
    hotel_id = f"opera-contract-{uuid.uuid4().hex[:8]}"
    tokens = TokenCache()

    def make(timeout_s: float = 20.0, budget_s: float = 60.0) -> tuple[OperaConnector, str]:
        connector = OperaConnector(
            hotel_id,
            HOTEL_CODE,
            eu_gateway(opera_mock.url),
            lambda: SECRET,
            timeout_s=timeout_s,
            budget_s=budget_s,
            now=lambda: datetime(2026, 6, 1, tzinfo=UTC),
            token_cache=tokens,
        )
        return connector, hotel_id

    return make


def only_ungeneratable(caught: list[Violation], method: str) -> None:
    """Prism accepted the requests and only could not invent the write's answer.

    Remarks about the description's own example answers (spec defects) are not requests'.
    """
    refused = [v for v in caught if v.from_request]
    assert refused, "Prism was expected to say it cannot generate this answer"
    assert {(v.method, v.code) for v in refused} == {(method, UNGENERATABLE)}, refused


def sent_with_opera_headers(mock: PmsMock) -> None:
    """Every API request carried the bearer token, the app key and the hotel code."""
    api = [r for r in mock.requests if not r.path.startswith("/oauth/")]
    assert api
    for request in api:
        assert request.headers["authorization"].startswith("Bearer ")
        assert request.headers["x-app-key"] == SECRET["app_key"]
        assert request.headers["x-hotelid"] == HOTEL_CODE


# -- reads: valid requests, the description's examples parsed --------------------------------


async def test_availability_parses_the_described_answer(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()

    result = await opera.availability(hotel_id, STAY)

    totals = {o.offer_id: o.total for o in result.offers}
    assert totals == {
        "DLXK|BARBB": Money(amount_minor=36000, currency="EUR"),
        "STDQ|BAR": Money(amount_minor=28000, currency="EUR"),
    }
    deluxe = next(o for o in result.offers if o.room_type_code == "DLXK")
    assert deluxe.room_type_name == "Deluxe King"
    assert deluxe.max_occupancy == 3
    assert deluxe.breakfast_included
    paths = [r.path for r in opera_mock.requests]
    assert paths == ["/oauth/v1/tokens", f"/par/v1/hotels/{HOTEL_CODE}/availability"]
    token = opera_mock.requests[0]
    assert token.headers["authorization"].startswith("Basic ")
    assert token.headers["enterpriseid"] == "HVENT"
    sent_with_opera_headers(opera_mock)


async def test_hotel_facts_parse_the_described_answer(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()

    info = await opera.hotel_info(hotel_id)

    assert info.name == "Hotelvoice Demo Hotel"
    assert info.front_desk_phone == "+49 89 1234560"
    assert (info.check_in_from, info.check_out_until) == ("15:00", "11:00")
    assert info.timezone == "Europe/Berlin"  # from the address: the example names no zone
    sent_with_opera_headers(opera_mock)


async def test_a_reservation_is_found_and_parsed(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()

    found = await opera.find_reservation(hotel_id, CLARKE)

    assert found.confirmation_code == "813595"
    assert (found.guest_first_name, found.guest_last_name) == ("Jennifer", "Clarke")
    assert (found.arrival, found.departure) == (date(2026, 7, 1), date(2026, 7, 3))
    assert found.status is ReservationStatus.CONFIRMED
    assert found.total == Money(amount_minor=36000, currency="EUR")
    assert any(r.path == f"{RESERVATIONS}/571062" for r in opera_mock.requests)
    sent_with_opera_headers(opera_mock)


async def test_a_wrong_surname_is_not_found(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()
    wrong = ReservationLookup(confirmation_code="813595", last_name="Smith")
    with pytest.raises(NotFound) as refused:
        await opera.find_reservation(hotel_id, wrong)
    assert refused.value.code == "no_match"


async def test_a_cancellation_quote_reads_the_described_reservation(
    opera_mock: PmsMock, connect
) -> None:
    opera, hotel_id = connect()

    quote = await opera.cancellation_quote(hotel_id, CLARKE)

    assert quote.confirmation_code == "813595"
    assert quote.cancellable  # the example carries no penalty
    assert quote.fee == Money(amount_minor=0, currency="EUR")
    detail = next(r for r in opera_mock.requests if r.path == f"{RESERVATIONS}/571062")
    assert "fetchInstructions=ReservationPolicies" in detail.query


# -- writes ------------------------------------------------------------------------------


async def test_a_cancellation_request_is_valid(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()

    done = await opera.cancel(hotel_id, CLARKE, idempotency_key="contract-cancel")

    assert done.status is ReservationStatus.CANCELLED
    (post,) = [r for r in opera_mock.requests if r.method == "POST" and "cancellations" in r.path]
    assert post.path == f"{RESERVATIONS}/571062/cancellations"
    assert post.status == 201


async def test_a_booking_request_is_valid(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()
    request = BookingRequest(
        stay=STAY,
        offer_id="DLXK|BARBB",
        guest=GuestDetails(
            first_name="Jennifer",
            last_name="Clarke",
            email="jennifer@example.com",
            phone="+491715550123",
        ),
        notes="Arrives late, around 23:00.",
    )
    nothing_booked = {"reservations": {"reservationInfo": [], "totalResults": 0}}
    created = {
        "reservations": {
            "reservation": [
                {
                    "reservationIdList": [
                        {"id": "571062", "type": "Reservation"},
                        {"id": "813595", "type": "Confirmation"},
                    ]
                }
            ]
        }
    }
    opera_mock.inject(faults.status(200, json_body=nothing_booked), path_contains=RESERVATIONS)
    opera_mock.inject(
        faults.status(201, json_body=created, headers={"Location": f"{RESERVATIONS}/571062"}),
        path_contains=RESERVATIONS,
    )

    with opera_mock.expect_violations() as caught:
        booking = await opera.create_booking(hotel_id, request, idempotency_key="contract-book")

    only_ungeneratable(caught, "POST")
    assert booking.created
    assert booking.reservation.confirmation_code == "813595"
    assert booking.reservation.total == Money(amount_minor=36000, currency="EUR")
    posts = [r for r in opera_mock.requests if r.method == "POST" and r.path == RESERVATIONS]
    assert len(posts) == 1
    sent = posts[0].json()["reservations"]["reservation"][0]
    assert sent["roomStay"]["guestCounts"] == {"adults": 2, "children": 0}
    assert sent["externalReferences"][0]["idContext"] == "HOTELVOICE"
    sent_with_opera_headers(opera_mock)


async def test_an_amendment_request_is_valid(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()
    change = StayChange(
        stay=AvailabilityQuery(arrival=date(2026, 7, 2), departure=date(2026, 7, 5), adults=2),
        offer_id="STDQ|BAR",
    )
    one_reservation = f"{RESERVATIONS}/571062"
    opera_mock.inject(faults.forward(), path_contains=one_reservation)  # the first read
    opera_mock.inject(
        faults.status(200, json_body={"reservations": {"reservation": []}}),
        path_contains=one_reservation,
    )

    with opera_mock.expect_violations() as caught:
        amended = await opera.amend(hotel_id, CLARKE, change, idempotency_key="contract-amend")

    only_ungeneratable(caught, "PUT")
    assert amended.confirmation_code == "813595"
    (put,) = [r for r in opera_mock.requests if r.method == "PUT"]
    stay = put.json()["reservations"][0]["roomStay"]
    assert (stay["arrivalDate"], stay["departureDate"]) == ("2026-07-02", "2026-07-05")
    assert stay["roomRates"][0]["roomType"] == "STDQ"


# -- faults ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "times", "error"),
    [
        (faults.status(404), 1, NotFound),
        (faults.status(422), 1, InvalidRequest),
        (faults.status(400), 1, RefusedByPms),  # OPERA's words in its error body, relayed
        (faults.rate_limited(retry_after=30), 1, RateLimited),
        (faults.status(500), 1, Unavailable),  # not retried: 500 is not a passing state
        (faults.status(502), 3, Unavailable),
        (faults.status(503, retry_after=1), 3, Unavailable),
        (faults.reset(), 3, Unavailable),
        (faults.status(403), 1, Unavailable),
    ],
    ids=["404", "422", "400", "429", "500", "502", "503", "reset", "403"],
)
async def test_faults_map_onto_the_error_family(
    opera_mock: PmsMock, connect, fault: faults.Fault, times: int, error: type[HotelVoiceError]
) -> None:
    opera, hotel_id = connect(budget_s=10.0)
    opera_mock.inject(fault, times=times, path_contains="/availability")

    with pytest.raises(error) as raised:
        await opera.availability(hotel_id, STAY)

    if error is RateLimited:
        assert raised.value.retry_after_s == 30
    assert opera_mock.proxy.pending_faults == 0


async def test_a_401_renews_the_token_once_then_is_unavailable(
    opera_mock: PmsMock, connect
) -> None:
    opera, hotel_id = connect()
    opera_mock.inject(faults.status(401), times=2, path_contains="/availability")

    with pytest.raises(Unavailable, match="credentials"):
        await opera.availability(hotel_id, STAY)

    assert [r.path for r in opera_mock.requests].count("/oauth/v1/tokens") == 2


async def test_a_refused_token_is_unavailable(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()
    opera_mock.inject(faults.status(401), path_contains="/oauth/v1/tokens")

    with pytest.raises(Unavailable):
        await opera.availability(hotel_id, STAY)


async def test_a_slow_opera_is_unavailable_within_the_budget(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()
    await opera.hotel_info(hotel_id)  # token and facts first, at normal speed
    slow, _ = connect(timeout_s=0.3, budget_s=1.0)
    opera_mock.inject(faults.delay(1.0), times=3, path_contains="/availability")

    with pytest.raises(Unavailable):
        await slow.availability(hotel_id, STAY)
    # The proxy still forwards the slow requests to Prism: let each finish (and be checked).
    await settled(opera_mock, "/availability", 3 - opera_mock.proxy.pending_faults)


async def test_a_slow_booking_is_not_resent(opera_mock: PmsMock, connect) -> None:
    opera, hotel_id = connect()
    await opera.hotel_info(hotel_id)
    slow, _ = connect(timeout_s=0.3, budget_s=1.0)
    request = BookingRequest(
        stay=STAY,
        offer_id="STDQ|BAR",
        guest=GuestDetails(first_name="Ann", last_name="Lee"),
    )
    nothing_booked = {"reservations": {"reservationInfo": [], "totalResults": 0}}
    opera_mock.inject(faults.status(200, json_body=nothing_booked), path_contains=RESERVATIONS)
    opera_mock.inject(faults.delay(1.0), path_contains=RESERVATIONS)  # the POST

    with opera_mock.expect_violations() as caught:
        with pytest.raises(Unavailable):
            await slow.create_booking(hotel_id, request, idempotency_key="contract-slow")
        await settled(opera_mock, RESERVATIONS, 1, method="POST")  # the slow POST, checked

    only_ungeneratable(caught, "POST")
    posts = [r for r in opera_mock.requests if r.method == "POST" and r.path == RESERVATIONS]
    assert len(posts) == 1
