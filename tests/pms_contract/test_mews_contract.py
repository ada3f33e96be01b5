"""The Mews connector against Mews' own API description, served by Prism behind the fault proxy.

Every request the connector sends must validate against the description (the ``mews_mock``
guard fails a test for any violation), the description's example answers must read into our
contracts, and injected faults must come out as the port's error family. The examples are
one consistent hotel (``fixtures/mews/scenario.patches.json`` in the specs folder): the
"Connector API Hotel" in Europe/Budapest, stay service ``bd26d8db-…``, reservation ``52`` of
John Smith, a double room at EUR 100 a night.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from hotelvoice.contracts.pms import (
    AvailabilityQuery,
    BookingRequest,
    GuestDetails,
    ReservationLookup,
    ReservationStatus,
    StayChange,
)
from hotelvoice.errors import (
    InvalidRequest,
    NotFound,
    RateLimited,
    RefusedByPms,
    Unavailable,
)
from hotelvoice.pms.mews import MewsConnector
from pms_contract import fault_proxy as faults
from pms_contract.pms_mock import PmsMock

SERVICE = "bd26d8db-86da-4f96-9efc-e5a4654a4a94"
DOUBLE = "773d5e42-de1e-43a0-9ce6-f940faf2303f"
RATE = "ed4b660b-19d0-434b-9360-a4de2ea42eda"
SECRET = {
    "client_token": "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D",
    "access_token": "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D",
    "client": "hotelvoice 1.0",
    "rates": f"{RATE}=Best available rate",
}
SMITH_52 = ReservationLookup(confirmation_code="52", last_name="Smith")
STAY = AvailabilityQuery(arrival=date(2024, 2, 1), departure=date(2024, 2, 3), adults=2)


@pytest.fixture
async def mews(mews_mock: PmsMock):
    connector = MewsConnector(
        f"contract-{uuid.uuid4().hex[:8]}",  # own breaker and caches per test
        SERVICE,
        lambda: SECRET,
        base_url=mews_mock.url,
        timeout_s=2.0,
        budget_s=4.0,
        clock=lambda: datetime(2024, 1, 15, tzinfo=UTC),
    )
    async with connector:
        yield connector


def operations(mock: PmsMock) -> list[str]:
    return [r.path.removeprefix("/api/connector/v1/") for r in mock.requests]


async def test_every_request_carries_the_tokens_in_its_body(mews, mews_mock):
    await mews.hotel_info("h")
    bodies = [r.json() for r in mews_mock.requests]
    assert len(bodies) == 4
    for body in bodies:
        assert body["ClientToken"] == SECRET["client_token"]
        assert body["AccessToken"] == SECRET["access_token"]
        assert body["Client"] == "hotelvoice 1.0"


async def test_hotel_info_reads_the_enterprise_and_the_stay_service(mews, mews_mock):
    info = await mews.hotel_info("h")
    assert info.name == "Connector API Hotel"
    assert info.timezone == "Europe/Budapest"
    assert info.currency == "EUR"
    assert (info.check_in_from, info.check_out_until) == ("15:00", "12:00")
    assert "Prague" in info.address
    assert sorted(operations(mews_mock)) == [
        "ageCategories/getAll",
        "configuration/get",
        "resourceCategories/getAll",
        "services/getAll",
    ]


async def test_availability_prices_the_double_room_from_the_examples(mews, mews_mock):
    answer = await mews.availability("h", STAY)
    # The single room (capacity 1) cannot take two adults; the double has 8 - 7 rooms left on
    # 1 February (the example's first time unit, 2024-01-31T23:00Z = local midnight).
    assert len(answer.offers) == 1
    offer = answer.offers[0]
    assert offer.room_type_name == "Double Room"
    assert offer.room_type_code == "DBL"
    assert offer.available_units == 1
    assert offer.total.amount_minor == 20000
    assert offer.total.currency == "EUR"
    assert offer.offer_id == f"{DOUBLE}:{RATE}"
    sent = {r.path.rsplit("/v1/", 1)[1]: r.json() for r in mews_mock.requests}
    counts = sent["services/getAvailability/2024-01-22"]
    assert counts["FirstTimeUnitStartUtc"] == "2024-01-31T23:00:00Z"
    assert counts["LastTimeUnitStartUtc"] == "2024-02-01T23:00:00Z"
    priced = sent["reservations/price"]["Reservations"]
    assert [(p["RequestedCategoryId"], p["RateId"]) for p in priced] == [(DOUBLE, RATE)]
    assert priced[0]["StartUtc"] == "2024-02-01T14:00:00Z"  # 15:00 in Budapest


async def test_the_example_reservation_is_found_by_number_and_last_name(mews, mews_mock):
    found = await mews.find_reservation("h", SMITH_52)
    assert found.confirmation_code == "52"
    assert (found.guest_first_name, found.guest_last_name) == ("John", "Smith")
    assert found.arrival == date(2023, 4, 23)
    assert found.departure == date(2023, 4, 25)
    assert found.room_type_name == "Double Room"
    assert (found.adults, found.children) == (2, 2)
    assert found.status is ReservationStatus.CONFIRMED
    assert found.total.amount_minor == 20000
    lookup = next(r for r in mews_mock.requests if "reservations/getAll" in r.path).json()
    assert lookup["Numbers"] == ["52"]
    assert lookup["Limitation"]["Count"] <= 1000


async def test_a_wrong_last_name_discloses_nothing(mews):
    with pytest.raises(NotFound) as wrong_name:
        await mews.find_reservation("h", ReservationLookup(confirmation_code="52", last_name="X"))
    with pytest.raises(NotFound) as wrong_code:
        await mews.find_reservation(
            "h", ReservationLookup(confirmation_code="53", last_name="Smith")
        )
    assert wrong_name.value.code == wrong_code.value.code == "no_match"
    assert wrong_name.value.message == wrong_code.value.message


async def test_a_booking_validates_and_the_same_key_books_once(mews, mews_mock):
    request = BookingRequest(
        stay=STAY,
        offer_id=f"{DOUBLE}:{RATE}",
        guest=GuestDetails(first_name="Thea", last_name="Carbone", email="thea@example.com"),
    )
    first = await mews.create_booking("h", request, idempotency_key="key-1")
    again = await mews.create_booking("h", request, idempotency_key="key-1")
    assert first.created
    assert not again.created
    assert again.reservation == first.reservation
    assert first.reservation.confirmation_code == "52"
    assert operations(mews_mock).count("reservations/add") == 1
    added = next(r for r in mews_mock.requests if r.path.endswith("reservations/add")).json()
    assert added["Reservations"][0]["ChannelNumber"].startswith("HV-")
    assert added["Reservations"][0]["CustomerId"] == "99b4f0af-9558-463b-8452-07a9bc414708"


async def test_the_cancellation_quote_and_the_cancellation_validate(mews, mews_mock):
    quote = await mews.cancellation_quote("h", SMITH_52)
    assert quote.cancellable
    assert quote.fee.currency == "EUR"
    cancelled = await mews.cancel("h", SMITH_52, idempotency_key="cancel-1")
    assert cancelled.status is ReservationStatus.CANCELLED
    body = next(r for r in mews_mock.requests if r.path.endswith("reservations/cancel")).json()
    assert body["ReservationIds"] == ["0f515589-99b4-423d-b83a-b237009f0509"]
    assert body["Notes"]


async def test_an_amendment_validates_and_reads_back(mews, mews_mock):
    change = StayChange(
        stay=AvailabilityQuery(arrival=date(2023, 4, 24), departure=date(2023, 4, 26), adults=2)
    )
    changed = await mews.amend("h", SMITH_52, change, idempotency_key="amend-1")
    assert changed.confirmation_code == "50"  # the example's update answer
    body = next(r for r in mews_mock.requests if r.path.endswith("reservations/update")).json()
    update = body["ReservationUpdates"][0]
    assert update["StartUtc"] == {"Value": "2023-04-24T13:00:00Z"}  # 15:00 CEST
    assert update["PersonCounts"] == {
        "Value": [{"AgeCategoryId": "ab58c939-be30-4a60-8f75-ae1600c60c9f", "Count": 2}]
    }


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (faults.status(401), Unavailable),
        (faults.status(404), Unavailable),
        (faults.status(400), InvalidRequest),
        (faults.status(422), InvalidRequest),
        (faults.status(500), Unavailable),
    ],
)
async def test_error_statuses_map_onto_the_error_family(mews, mews_mock, fault, error):
    mews_mock.inject(fault, times=3, path_contains="configuration/get")
    with pytest.raises(error):
        await mews.hotel_info("h")


async def test_a_business_rule_refusal_relays_mews_message(mews, mews_mock):
    await mews.find_reservation("h", SMITH_52)  # facts cached: the cancel is the next write
    refusal = {"Message": "The reservation cannot be canceled.", "RequestId": None}
    mews_mock.inject(faults.status(403, json_body=refusal), path_contains="reservations/cancel")
    with pytest.raises(RefusedByPms) as refused:
        await mews.cancel("h", SMITH_52, idempotency_key="refused-1")
    assert refused.value.message == "The reservation cannot be canceled."


async def test_429_longer_than_the_budget_is_rate_limited_with_its_retry_after(mews, mews_mock):
    mews_mock.inject(faults.rate_limited(retry_after=30), path_contains="configuration/get")
    with pytest.raises(RateLimited) as limited:
        await mews.hotel_info("h")
    assert limited.value.retry_after_s == 30


async def test_a_short_429_is_waited_out(mews, mews_mock):
    mews_mock.inject(faults.rate_limited(retry_after=1), path_contains="configuration/get")
    info = await mews.hotel_info("h")
    assert info.name == "Connector API Hotel"
    assert operations(mews_mock).count("configuration/get") == 2


async def test_a_slow_mews_is_unavailable_within_the_budget(mews, mews_mock):
    mews_mock.inject(faults.delay(2.5), times=3, path_contains="configuration/get")
    started = datetime.now(UTC)
    with pytest.raises(Unavailable):
        await mews.hotel_info("h")
    assert (datetime.now(UTC) - started).total_seconds() < 6
