"""The Apaleo connector against Apaleo's own API description, served by Prism.

Every request the connector sends goes through the harness's guarded proxy: one the
description refuses (a missing parameter, a body of the wrong shape, a token request without
HTTP Basic) fails the test that sent it. Prism answers with the description's examples, so
they must parse into our contracts; faults the description cannot produce (429, 5xx, a slow
answer) come from the proxy. Without ``../shared/pms-specs`` or the pinned Prism the tests skip
with the reason (the harness's fixtures).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

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
    HotelVoiceError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RefusedByPms,
    Unavailable,
)
from hotelvoice.pms import vendor_http
from hotelvoice.pms.apaleo import ApaleoConnector
from hotelvoice.pms.apaleo import connector as apaleo_connector
from hotelvoice.settings import Settings
from pms_contract import fault_proxy as faults
from pms_contract.pms_mock import PmsMock

SECRET = {"client_id": "HVTEST-AC-HOTELVOICE", "client_secret": "s3cret-from-apaleo"}
EXAMPLE_ID = "XPGMSXGF-1"
"""The reservation of the description's examples (``booking_ReservationModel``): Jon Doe."""
STAY = AvailabilityQuery(arrival="2026-07-01", departure="2026-07-03", adults=1)
NOW = datetime(2026, 6, 20, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(vendor_http, "BACKOFF_BASE_S", 0.01)
    apaleo_connector.clear_caches()
    yield
    apaleo_connector.clear_caches()


@pytest.fixture
def connect(apaleo_mock: PmsMock) -> Callable[..., ApaleoConnector]:
    """A connector (a hotel of its own: its own breaker) whose API and identity are the mock."""

    def make(*, timeout_s: float = 5.0, budget_s: float = 15.0) -> ApaleoConnector:
        settings = Settings(
            pms_base_urls={"apaleo": apaleo_mock.url, "apaleo_identity": apaleo_mock.url},
            pms_timeout_s=timeout_s,
            pms_budget_s=budget_s,
        )
        return ApaleoConnector(
            f"apaleo-contract-{uuid.uuid4().hex[:8]}",
            PmsBinding(connector="apaleo", property_id="MUC", secret_name="hotelvoice/pms/muc"),
            settings,
            credentials=SECRET,
            clock=lambda: NOW,
        )

    return make


def doe(code: str = EXAMPLE_ID) -> ReservationLookup:
    return ReservationLookup(confirmation_code=code, last_name="Doe")


def paths(mock: PmsMock) -> list[str]:
    return [f"{r.method} {r.path}" for r in mock.requests]


# -- the description accepts every request; its examples parse ---------------------------


async def test_availability_requests_validate_and_the_example_offers_parse(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect()
    family = AvailabilityQuery(arrival="2026-07-01", departure="2026-07-03", adults=1, children=2)

    answer = await pms.availability(pms.hotel_id, family.model_copy(update={"children": 0}))
    await pms.availability(pms.hotel_id, family)  # childrenAges as the description wants

    assert [(o.offer_id, o.total) for o in answer.offers] == [
        ("MUC-NONREF_DBL", Money(amount_minor=21400, currency="EUR")),
        ("MUC-FLEX-DBL", Money(amount_minor=32100, currency="EUR")),
    ]
    assert answer.offers[0].room_type_name == "Standard"
    assert answer.offers[0].cancellation_fee == Money(amount_minor=21400, currency="EUR")
    assert answer.offers[0].included == ["WLAN", "CLEANING"]
    assert paths(apaleo_mock) == [
        "POST /connect/token",
        "GET /booking/v1/offers",
        "GET /inventory/v1/properties/MUC",
        "GET /booking/v1/offers",
    ]
    token = apaleo_mock.requests[0]
    assert token.headers["authorization"].startswith("Basic ")
    assert apaleo_mock.requests[1].headers["authorization"].startswith("Bearer ")
    assert "childrenAges=8,8" in apaleo_mock.requests[3].query


async def test_apaleos_204_for_offers_is_sold_out(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    apaleo_mock.inject(faults.Respond(204, (), b""), path_contains="/booking/v1/offers")
    pms = connect()

    answer = await pms.availability(pms.hotel_id, STAY)

    assert answer.offers == []
    assert apaleo_mock.proxy.pending_faults == 0


async def test_the_example_property_parses_into_hotel_info(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect()

    info = await pms.hotel_info(pms.hotel_id)

    assert (info.name, info.timezone, info.currency) == (
        "Demo Hotel Munich",
        "Europe/Berlin",
        "EUR",
    )
    assert info.address == "Marienplatz 1, 80331 München, DE"
    assert paths(apaleo_mock)[-1] == "GET /inventory/v1/properties/MUC"


async def test_the_example_reservation_is_found_by_id_and_last_name(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect()

    found = await pms.find_reservation(pms.hotel_id, doe("xpgmsxgf 1"))

    assert found.confirmation_code == EXAMPLE_ID
    assert (found.guest_first_name, found.guest_last_name) == ("Jon", "Doe")
    assert (found.arrival, found.departure) == (date(2021, 6, 30), date(2021, 7, 2))
    assert found.status is ReservationStatus.CONFIRMED
    assert found.total == Money(amount_minor=22200, currency="EUR")
    assert (found.adults, found.children) == (1, 1)
    assert f"GET /booking/v1/reservations/{EXAMPLE_ID}" in paths(apaleo_mock)


async def test_a_booking_id_alone_searches_the_property_and_the_example_list_parses(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect()

    found = await pms.find_reservation(pms.hotel_id, doe("XPGMSXGF"))

    assert found.confirmation_code == EXAMPLE_ID
    (search,) = [r for r in apaleo_mock.requests if r.path == "/booking/v1/reservations"]
    assert "bookingId=XPGMSXGF" in search.query
    assert "propertyIds=MUC" in search.query


async def test_a_wrong_name_is_not_found(connect: Callable[..., ApaleoConnector]) -> None:
    pms = connect()
    with pytest.raises(NotFound):
        await pms.find_reservation(
            pms.hotel_id, ReservationLookup(confirmation_code=EXAMPLE_ID, last_name="Smith")
        )


async def test_the_example_unit_groups_name_room_types(
    connect: Callable[..., ApaleoConnector],
) -> None:
    pms = connect()
    assert await pms._room_name("MUC-DBL") == "Double Room"


async def test_a_booking_request_validates_and_its_answer_parses(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect()
    request = BookingRequest(
        stay=AvailabilityQuery(arrival="2026-07-01", departure="2026-07-03", adults=2, children=1),
        offer_id="MUC-FLEX-DBL",
        guest=GuestDetails(
            first_name="Anna", last_name="Schmidt", email="anna@example.com", phone="+491705550199"
        ),
        notes="Arriving late.",
    )

    booking = await pms.create_booking(pms.hotel_id, request, idempotency_key="hv-book-1")

    assert booking.reservation.confirmation_code == EXAMPLE_ID
    (post,) = [r for r in apaleo_mock.requests if r.path == "/booking/v1/bookings"]
    assert post.headers["idempotency-key"] == "hv-book-1"
    assert post.json()["reservations"][0]["timeSlices"] == [{"ratePlanId": "MUC-FLEX-DBL"}] * 2


async def test_a_cancellation_quote_and_cancel_validate(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect()

    quote = await pms.cancellation_quote(pms.hotel_id, doe())
    cancelled = await pms.cancel(pms.hotel_id, doe(), idempotency_key="hv-cancel-1")

    assert quote.cancellable is True
    assert quote.fee == Money(amount_minor=20200, currency="EUR")  # due 2021-06-30: past
    assert quote.terms is not None
    assert quote.terms.startswith("Flexible: Free cancellation.")
    assert cancelled.status is ReservationStatus.CANCELLED
    assert cancelled.fee == quote.fee
    assert f"PUT /booking/v1/reservation-actions/{EXAMPLE_ID}/cancel" in paths(apaleo_mock)


async def test_an_amend_request_validates(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect()
    change = StayChange(
        stay=AvailabilityQuery(arrival="2021-06-30", departure="2021-07-03", adults=2, children=1),
        offer_id="MUC-FLEX-DBL",
    )

    amended = await pms.amend(pms.hotel_id, doe(), change, idempotency_key="hv-amend-1")

    (put,) = [r for r in apaleo_mock.requests if r.path.endswith("/amend")]
    assert put.json() == {
        "arrival": "2021-06-30",
        "departure": "2021-07-03",
        "adults": 2,
        "childrenAges": [6],  # the age Apaleo knows is kept
        "timeSlices": [{"ratePlanId": "MUC-FLEX-DBL"}] * 3,
    }
    assert amended.confirmation_code == EXAMPLE_ID  # read back (Prism's example is static)


# -- faults onto the error family --------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (faults.status(404), NotFound),
        (
            faults.status(422, json_body={"messages": ["Arrival must be in the future."]}),
            InvalidRequest,
        ),
        (faults.rate_limited(retry_after=60), RateLimited),
        (faults.status(500), Unavailable),
        (faults.status(403), Unavailable),
    ],
    ids=["404", "422", "429", "500", "403"],
)
async def test_vendor_errors_map_onto_the_error_family(
    apaleo_mock: PmsMock,
    connect: Callable[..., ApaleoConnector],
    fault: faults.Respond,
    error: type[HotelVoiceError],
) -> None:
    apaleo_mock.inject(fault, path_contains="/booking/v1/offers")
    pms = connect()

    with pytest.raises(error) as raised:
        await pms.availability(pms.hotel_id, STAY)

    if isinstance(raised.value, RateLimited):
        assert raised.value.retry_after_s == 60
    if isinstance(raised.value, InvalidRequest):
        assert raised.value.message == "Arrival must be in the future."


async def test_a_401_gets_a_new_token_once_then_unavailable(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    apaleo_mock.inject(faults.status(401), times=2, path_contains="/booking/v1/offers")
    pms = connect()

    with pytest.raises(Unavailable):
        await pms.availability(pms.hotel_id, STAY)

    assert paths(apaleo_mock) == [
        "POST /connect/token",
        "GET /booking/v1/offers",
        "POST /connect/token",
        "GET /booking/v1/offers",
    ]


async def test_refused_client_credentials_are_unavailable(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    apaleo_mock.inject(
        faults.status(400, json_body={"error": "invalid_client"}), path_contains="/connect/token"
    )
    pms = connect()

    with pytest.raises(Unavailable, match="credentials"):
        await pms.availability(pms.hotel_id, STAY)

    assert paths(apaleo_mock) == ["POST /connect/token"]


async def test_a_refused_cancel_is_relayed_in_apaleos_words(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    reason = "Cancel is not allowed for a reservation that is not in status Confirmed."
    apaleo_mock.inject(
        faults.status(422, json_body={"messages": [reason]}), path_contains="/cancel"
    )
    pms = connect()

    with pytest.raises(RefusedByPms) as refused:
        await pms.cancel(pms.hotel_id, doe(), idempotency_key="hv-cancel-2")

    assert refused.value.message == reason


async def test_a_passing_503_is_retried_and_a_lasting_one_is_unavailable(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    apaleo_mock.inject(faults.status(503), path_contains="/booking/v1/offers")
    pms = connect()
    assert len((await pms.availability(pms.hotel_id, STAY)).offers) == 2

    apaleo_mock.inject(faults.status(503), times=3, path_contains="/booking/v1/offers")
    with pytest.raises(Unavailable):
        await pms.availability(pms.hotel_id, STAY)


async def test_a_slow_apaleo_is_unavailable_within_the_budget(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    pms = connect(timeout_s=0.3, budget_s=2.0)
    await pms.hotel_info(pms.hotel_id)  # token and property first, at full speed
    apaleo_mock.inject(faults.delay(1.5), times=3, path_contains="/booking/v1/offers")

    started = datetime.now(UTC)
    with pytest.raises(Unavailable, match="in time"):
        await pms.availability(pms.hotel_id, STAY)

    assert (datetime.now(UTC) - started).total_seconds() < 2.5


async def test_a_dropped_connection_is_retried_for_a_read(
    apaleo_mock: PmsMock, connect: Callable[..., ApaleoConnector]
) -> None:
    apaleo_mock.inject(faults.reset(), path_contains="/booking/v1/offers")
    pms = connect()

    answer = await pms.availability(pms.hotel_id, STAY)

    assert len(answer.offers) == 2
    assert paths(apaleo_mock).count("GET /booking/v1/offers") == 2
