"""The Mews connector against golden answers shaped after Mews' documented examples.

``FakeMews`` answers from ``fixtures/mews/*.json`` (each cites the Mews page it follows) and
filters the way the Connector API does (``Numbers``, ``ChannelNumbers``, ``CustomerIds`` …),
so a connector that forgot a filter, cut a UTC date or added a deposit to a total fails here.
The hotel is in Berlin (summer time: local midnight is 22:00 UTC).
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from hotelvoice.contracts.hotels import PmsBinding
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
    SoldOut,
    Unavailable,
)
from hotelvoice.pms import vendor_http
from hotelvoice.pms.credentials import TtlCache
from hotelvoice.pms.mews import MewsConnector, build
from hotelvoice.pms.mews import connector as mews_connector
from hotelvoice.pms.mews.bookings import booking_tag
from hotelvoice.pms.mews.credentials import MewsCredentials, MewsRate, parse_rates
from hotelvoice.pms.mews.hotel_time import local_date, parse_duration
from hotelvoice.pms.mews.money import to_minor
from hotelvoice.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "mews"
SERVICE = "bd26d8db-86da-4f96-9efc-e5a4654a4a94"
DOUBLE = "773d5e42-de1e-43a0-9ce6-f940faf2303f"
FAMILY = "34c29e73-c8db-4e93-b51b-981e42655e03"
ADULT = "ab58c939-be30-4a60-8f75-ae1600c60c9f"
CHILD = "1f67644f-052d-4863-acdf-ae1600c60ca0"
FLEX = "ed4b660b-19d0-434b-9360-a4de2ea42eda"
BREAKFAST = "c2f0e5a1-7b3d-4e8f-9a6b-5d4c3b2a1f0e"
R52 = "0f515589-99b4-423d-b83a-b237009f0509"
SECRET = {
    "client_token": "client-token",
    "access_token": "access-token",
    "client": "hotelvoice 1.0",
    "rates": f"{FLEX}=Flexible rate; {BREAKFAST}=Bed and breakfast",
    "breakfast_rate_ids": BREAKFAST,
}
JUNE = AvailabilityQuery(arrival=date(2026, 6, 10), departure=date(2026, 6, 13), adults=2)
SMITH_52 = ReservationLookup(confirmation_code="52", last_name="smith")


def fixture(name: str) -> dict[str, Any]:
    data = json.loads((FIXTURES / f"{name}.json").read_text())
    data.pop("_source")
    return data


class MewsRefusal(Exception):
    """What Mews answers with 400 and its ``Message``."""


class FakeMews:
    """The Connector API over the fixtures: filters like Mews, remembers writes, records all."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.reservations = fixture("reservations_getAll")["Reservations"]
        self.customers = fixture("customers_getAll")["Customers"]
        self.items = fixture("orderItems_getAll")["OrderItems"]
        self.faults: list[tuple[str, httpx.Response | Exception]] = []
        self.fee_on_cancel = Decimal("20")

    def fail(self, operation: str, *answers: httpx.Response | Exception) -> None:
        self.faults.extend((operation, a) for a in answers)

    def sent(self, operation: str) -> list[dict[str, Any]]:
        return [body for op, body in self.requests if op.startswith(operation)]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "POST"
        operation = request.url.path.removeprefix("/api/connector/v1/")
        body = json.loads(request.content)
        self.requests.append((operation, body))
        assert (body["ClientToken"], body["AccessToken"]) == ("client-token", "access-token")
        for n, (wanted, answer) in enumerate(self.faults):
            if operation.startswith(wanted):
                del self.faults[n]
                if isinstance(answer, Exception):
                    raise answer
                return answer
        handler = getattr(self, "_" + operation.split("/")[0] + "_" + operation.split("/")[1])
        try:
            return httpx.Response(200, json=handler(body))
        except MewsRefusal as refusal:
            return httpx.Response(400, json={"Message": str(refusal)})

    # -- read operations ------------------------------------------------------------------

    def _configuration_get(self, _: dict) -> dict:
        return fixture("configuration_get")

    def _services_getAll(self, _: dict) -> dict:
        return fixture("services_getAll")

    def _resourceCategories_getAll(self, body: dict) -> dict:
        assert body["ServiceIds"] == [SERVICE]
        return fixture("resourceCategories_getAll")

    def _ageCategories_getAll(self, _: dict) -> dict:
        return fixture("ageCategories_getAll")

    def _services_getAvailability(self, _: dict) -> dict:
        return fixture("services_getAvailability")

    def _reservations_price(self, _: dict) -> dict:
        return fixture("reservations_price")

    def _reservations_getAll(self, body: dict) -> dict:
        assert body["Limitation"]["Count"] <= 1000
        found = [
            r
            for r in self.reservations
            if ("Numbers" not in body or r["Number"] in body["Numbers"])
            and ("ChannelNumbers" not in body or r["ChannelNumber"] in body["ChannelNumbers"])
            and ("ReservationIds" not in body or r["Id"] in body["ReservationIds"])
            and ("ServiceIds" not in body or r["ServiceId"] in body["ServiceIds"])
        ]
        return {"Reservations": found, "Cursor": found[-1]["Id"] if found else None}

    def _customers_getAll(self, body: dict) -> dict:
        found = [
            c
            for c in self.customers
            if ("CustomerIds" not in body or c["Id"] in body["CustomerIds"])
            and ("Emails" not in body or c["Email"] in body["Emails"])
        ]
        return {"Customers": found, "Cursor": None}

    def _orderItems_getAll(self, body: dict) -> dict:
        found = [i for i in self.items if i["ServiceOrderId"] in body["ServiceOrderIds"]]
        return {"OrderItems": found, "Cursor": None}

    def _cancellationPolicies_getByReservations(self, body: dict) -> dict:
        groups = fixture("cancellationPolicies_getByReservations")["CancellationPolicies"]
        return {
            "CancellationPolicies": [
                g for g in groups if g["ReservationId"] in body["ReservationIds"]
            ]
        }

    # -- writes -----------------------------------------------------------------------------

    def _customers_add(self, body: dict) -> dict:
        assert body["OverwriteExisting"] is False
        email = (body.get("Email") or "").casefold()
        if email and any((c.get("Email") or "").casefold() == email for c in self.customers):
            # "If OverwriteExisting is set to false, an error response is returned."
            raise MewsRefusal("A customer with the same email already exists.")
        added = fixture("customers_add")
        added.update(
            FirstName=body.get("FirstName"), LastName=body["LastName"], Email=body.get("Email")
        )
        self.customers.append(added)
        return added

    def _reservations_add(self, body: dict) -> dict:
        answer = fixture("reservations_add")
        (asked,) = body["Reservations"]
        made = answer["Reservations"][0]["Reservation"]
        made.update(
            Id=str(uuid.uuid4()),
            Number=str(62 + len(self.sent("reservations/add")) - 1),
            ChannelNumber=asked["ChannelNumber"],
            StartUtc=asked["StartUtc"],
            EndUtc=asked["EndUtc"],
            RequestedCategoryId=asked["RequestedCategoryId"],
            RateId=asked["RateId"],
            CustomerId=asked["CustomerId"],
            PersonCounts=asked["PersonCounts"],
        )
        stored = copy.deepcopy(self.reservations[0])
        stored.update(
            Id=made["Id"], Number=made["Number"], ChannelNumber=made["ChannelNumber"],
            AccountId=made["CustomerId"], ScheduledStartUtc=made["StartUtc"],
            ScheduledEndUtc=made["EndUtc"], RequestedResourceCategoryId=made["RequestedCategoryId"],
            PersonCounts=made["PersonCounts"],
        )  # fmt: skip
        self.reservations.append(stored)
        night = copy.deepcopy(self.items[0])  # Mews posts the nights at booking
        night.update(ServiceOrderId=made["Id"], UnitCount=3)
        night["Amount"]["GrossValue"] = 388.5
        self.items.append(night)
        return answer

    def _reservations_update(self, body: dict) -> dict:
        (change,) = body["ReservationUpdates"]
        assert body["ReservationId"] == change["ReservationId"]
        answer = fixture("reservations_update")
        updated = answer["Reservations"][0]
        for field in ("StartUtc", "EndUtc", "PersonCounts", "RequestedCategoryId", "RateId"):
            if field in change:
                updated[field] = change[field]["Value"]
        return answer

    def _reservations_cancel(self, body: dict) -> dict:
        assert body["Notes"]
        for reservation in self.reservations:
            if reservation["Id"] in body["ReservationIds"]:
                reservation.update(State="Canceled", CancellationReason="RequestedByGuest")
                if body.get("PostCancellationFee"):
                    fee = copy.deepcopy(self.items[-1])
                    fee.update(ServiceOrderId=reservation["Id"], Type="CancellationFee")
                    fee["Amount"]["GrossValue"] = float(self.fee_on_cancel)
                    self.items.append(fee)
        return fixture("reservations_cancel")


@pytest.fixture
def fake() -> FakeMews:
    return FakeMews()


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(vendor_http, "BACKOFF_BASE_S", 0.001)


def connector(
    fake: FakeMews, hotel: str | None = None, now: datetime | None = None
) -> MewsConnector:
    return MewsConnector(
        hotel or f"mews-{uuid.uuid4().hex[:8]}",
        SERVICE,
        lambda: SECRET,
        base_url="https://api.mews-demo.com",
        transport=httpx.MockTransport(fake),
        clock=lambda: now or datetime(2026, 6, 1, tzinfo=UTC),
    )


# -- hotel facts ---------------------------------------------------------------------------


async def test_hotel_info_comes_from_the_enterprise_and_the_stay_service(fake):
    info = await connector(fake).hotel_info("aurora")
    assert info.hotel_id == "aurora"
    assert info.name == "Hotel Aurora Mews"
    assert info.address == "Auroraweg 1, 10115 Berlin, DE"
    assert info.front_desk_phone == "+49 30 5550 1000"
    assert info.timezone == "Europe/Berlin"
    assert info.currency == "EUR"  # the default, though GBP is listed first
    assert (info.check_in_from, info.check_out_until) == ("15:00", "11:00")
    assert info.languages == ["de"]


async def test_static_facts_are_read_once_per_hotel(fake):
    mews = connector(fake)
    await mews.availability("aurora", JUNE)
    await mews.availability("aurora", JUNE)
    assert len(fake.sent("configuration/get")) == 1
    assert len(fake.sent("services/getAvailability")) == 2


# -- availability --------------------------------------------------------------------------


async def test_offers_join_room_counts_with_mews_prices_in_minor_units(fake):
    answer = await connector(fake).availability("aurora", JUNE)
    offers = [
        (o.room_type_name, o.rate_plan, o.total.amount_minor, o.available_units)
        for o in answer.offers
    ]
    assert offers == [
        ("Doppelzimmer", "Flexible rate", 38950, 1),  # rooms left: 10-7, 10-9, 10-8
        ("Doppelzimmer", "Bed and breakfast", 44950, 1),
        ("Familiensuite", "Flexible rate", 60000, 1),
        ("Familiensuite", "Bed and breakfast", 69010, 1),
    ]
    assert {o.total.currency for o in answer.offers} == {"EUR"}
    assert answer.nights == 3
    breakfast = answer.offers[1]
    assert breakfast.breakfast_included
    assert breakfast.included == ["breakfast"]
    assert not answer.offers[0].breakfast_included
    assert answer.offers[0].offer_id == f"{DOUBLE}:{FLEX}"
    assert answer.offers[0].room_type_code == "DZ"
    assert answer.offers[0].max_occupancy == 2


async def test_availability_asks_for_the_hotels_local_nights(fake):
    await connector(fake).availability("aurora", JUNE)
    (counts,) = fake.sent("services/getAvailability/2024-01-22")
    assert counts["ServiceId"] == SERVICE
    assert counts["FirstTimeUnitStartUtc"] == "2026-06-09T22:00:00Z"  # 10 June, 00:00 CEST
    assert counts["LastTimeUnitStartUtc"] == "2026-06-11T22:00:00Z"  # the last night: 12 June
    (priced,) = fake.sent("reservations/price")
    first = priced["Reservations"][0]
    assert (first["StartUtc"], first["EndUtc"]) == ("2026-06-10T13:00:00Z", "2026-06-13T09:00:00Z")
    assert first["PersonCounts"] == [{"AgeCategoryId": ADULT, "Count": 2}]


async def test_children_are_priced_in_the_child_age_category(fake):
    party = AvailabilityQuery(
        arrival=date(2026, 6, 10), departure=date(2026, 6, 13), adults=2, children=1
    )
    answer = await connector(fake).availability("aurora", party)
    (priced,) = fake.sent("reservations/price")
    assert {r["RequestedCategoryId"] for r in priced["Reservations"]} == {FAMILY}
    assert priced["Reservations"][0]["PersonCounts"] == [
        {"AgeCategoryId": ADULT, "Count": 2},
        {"AgeCategoryId": CHILD, "Count": 1},
    ]
    assert {o.room_type_name for o in answer.offers} == {"Familiensuite"}


async def test_no_room_for_the_party_means_no_offers_and_no_price_request(fake):
    crowd = AvailabilityQuery(arrival=date(2026, 6, 10), departure=date(2026, 6, 13), adults=5)
    answer = await connector(fake).availability("aurora", crowd)
    assert answer.offers == []
    assert fake.sent("reservations/price") == []


async def test_a_night_mews_did_not_count_is_not_sold(fake):
    longer = AvailabilityQuery(arrival=date(2026, 6, 10), departure=date(2026, 6, 14), adults=2)
    answer = await connector(fake).availability("aurora", longer)
    assert answer.offers == []


# -- finding a reservation -----------------------------------------------------------------


async def test_a_reservation_is_found_by_number_and_last_name(fake):
    found = await connector(fake).find_reservation("aurora", SMITH_52)
    assert found.confirmation_code == "52"
    assert (found.guest_first_name, found.guest_last_name) == ("John", "Smith")
    # 2026-06-09T22:00:00Z is 10 June in Berlin: a truncated UTC string would say the 9th.
    assert (found.arrival, found.departure) == (date(2026, 6, 10), date(2026, 6, 13))
    assert (found.adults, found.children) == (2, 1)
    assert found.room_type_name == "Doppelzimmer"
    assert found.status is ReservationStatus.CONFIRMED
    # Three nights, city tax and breakfast; not the deposit, not the canceled night.
    assert found.total.amount_minor == 11950 + 13950 + 12950 + 2136 + 1800
    assert found.total.currency == "EUR"
    (asked,) = fake.sent("reservations/getAll")
    assert asked["Numbers"] == ["52"]
    assert asked["ServiceIds"] == [SERVICE]


async def test_the_callers_phone_is_a_second_factor(fake):
    lookup = ReservationLookup(confirmation_code="52", caller_phone="+491701234567")
    assert (await connector(fake).find_reservation("aurora", lookup)).guest_last_name == "Smith"


@pytest.mark.parametrize("said", ["García", "garcia", "Garcia López", "GARCIA-LOPEZ"])
async def test_accents_and_a_second_last_name_are_forgiven(fake, said):
    lookup = ReservationLookup(confirmation_code="53", last_name=said)
    assert (await connector(fake).find_reservation("aurora", lookup)).guest_first_name == "María"


@pytest.mark.parametrize(
    ("code", "last_name"),
    [
        ("52", "Jones"),  # wrong name
        ("99", "Smith"),  # no such number
        ("60", "Smith"),  # a company's booking: no guest name to check
        ("61", "Smith"),  # another service's reservation
        ("AB12", "Smith"),  # not a Mews number at all
    ],
)
async def test_every_mismatch_is_the_same_not_found(fake, code, last_name):
    with pytest.raises(NotFound) as refused:
        await connector(fake).find_reservation(
            "aurora", ReservationLookup(confirmation_code=code, last_name=last_name)
        )
    assert refused.value.code == "no_match"
    assert refused.value.message == "no reservation matches that confirmation code and name"


async def test_a_code_that_cannot_be_a_mews_number_is_not_sent(fake):
    with pytest.raises(NotFound):
        await connector(fake).find_reservation(
            "aurora", ReservationLookup(confirmation_code="AB12", last_name="Smith")
        )
    assert fake.sent("reservations/getAll") == []


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("52", ReservationStatus.CONFIRMED),
        ("54", ReservationStatus.CHECKED_OUT),
        ("55", ReservationStatus.CANCELLED),
        ("56", ReservationStatus.NO_SHOW),
        ("57", ReservationStatus.OPTIONAL),
        ("58", ReservationStatus.OPTIONAL),
        ("59", ReservationStatus.OPTIONAL),
    ],
)
async def test_every_mews_state_maps_to_ours(fake, code, status):
    lookup = ReservationLookup(confirmation_code=code, last_name="Smith")
    assert (await connector(fake).find_reservation("aurora", lookup)).status is status


async def test_started_is_checked_in(fake):
    lookup = ReservationLookup(confirmation_code="53", last_name="García")
    found = await connector(fake).find_reservation("aurora", lookup)
    assert found.status is ReservationStatus.CHECKED_IN


# -- booking -------------------------------------------------------------------------------


def booking(guest: GuestDetails | None = None, offer: str = f"{DOUBLE}:{FLEX}") -> BookingRequest:
    return BookingRequest(
        stay=JUNE,
        offer_id=offer,
        guest=guest
        or GuestDetails(first_name="Thea", last_name="Carbone", email="thea@example.com"),
        notes="Late arrival",
    )


async def test_a_booking_is_a_customer_then_a_reservation(fake):
    made = await connector(fake).create_booking("aurora", booking(), idempotency_key="k-1")
    assert made.created
    assert made.reservation.confirmation_code == "62"
    assert (made.reservation.arrival, made.reservation.departure) == (
        date(2026, 6, 10),
        date(2026, 6, 13),
    )
    assert made.reservation.guest_last_name == "Carbone"
    assert made.reservation.total.amount_minor == 38850
    (profile,) = fake.sent("customers/add")
    assert (profile["FirstName"], profile["LastName"], profile["Email"]) == (
        "Thea",
        "Carbone",
        "thea@example.com",
    )
    (added,) = fake.sent("reservations/add")
    (asked,) = added["Reservations"]
    assert added["ServiceId"] == SERVICE
    assert asked["CustomerId"] == "99b4f0af-9558-463b-8452-07a9bc414708"
    assert (asked["RequestedCategoryId"], asked["RateId"]) == (DOUBLE, FLEX)
    assert asked["ChannelNumber"] == booking_tag("k-1")
    assert asked["State"] == "Confirmed"
    assert "Late arrival" in asked["Notes"]


async def test_the_same_key_books_once_in_this_process_and_in_another(fake, monkeypatch):
    first = await connector(fake, hotel="aurora-k").create_booking(
        "aurora", booking(), idempotency_key="k-2"
    )
    again = await connector(fake, hotel="aurora-k").create_booking(
        "aurora", booking(), idempotency_key="k-2"
    )
    monkeypatch.setattr(mews_connector, "_writes", TtlCache(60))  # another Lambda instance
    elsewhere = await connector(fake, hotel="aurora-k").create_booking(
        "aurora", booking(), idempotency_key="k-2"
    )
    assert first.created
    assert not again.created
    assert not elsewhere.created
    assert again.reservation == first.reservation
    assert elsewhere.reservation.confirmation_code == first.reservation.confirmation_code
    assert elsewhere.reservation.total == first.reservation.total
    assert len(fake.sent("reservations/add")) == 1
    assert len(fake.sent("customers/add")) == 1
    tags = [b["ChannelNumbers"] for b in fake.sent("reservations/getAll")]
    assert tags == [[booking_tag("k-2")], [booking_tag("k-2")]]


async def test_another_key_is_another_booking(fake):
    mews = connector(fake)
    one = await mews.create_booking("aurora", booking(), idempotency_key="k-3")
    two = await mews.create_booking("aurora", booking(), idempotency_key="k-4")
    assert one.reservation.confirmation_code != two.reservation.confirmation_code
    assert len(fake.sent("reservations/add")) == 2


async def test_a_returning_guest_keeps_their_profile(fake):
    guest = GuestDetails(first_name="John", last_name="Smith", email="j.smith@example.com")
    await connector(fake).create_booking("aurora", booking(guest), idempotency_key="k-5")
    assert fake.sent("customers/add") == []
    (added,) = fake.sent("reservations/add")
    assert added["Reservations"][0]["CustomerId"] == "fadd5bb6-b428-45d5-94f8-fd0d89fece6d"


async def test_an_email_another_guest_has_books_a_new_profile_with_it_in_the_notes(fake):
    # A family's or a company's shared address: the profile with it is John Smith's.
    guest = GuestDetails(first_name="Mary", last_name="Jones", email="J.Smith@example.com")
    made = await connector(fake).create_booking(
        "aurora", booking(guest), idempotency_key="k-shared"
    )
    assert made.created
    (profile,) = fake.sent("customers/add")
    assert (profile["FirstName"], profile["LastName"]) == ("Mary", "Jones")
    assert "Email" not in profile  # Mews would refuse it, and John's profile stays his
    assert "J.Smith@example.com" in profile["Notes"]
    (added,) = fake.sent("reservations/add")
    assert added["Reservations"][0]["CustomerId"] != "fadd5bb6-b428-45d5-94f8-fd0d89fece6d"


async def test_a_booking_that_failed_is_not_sent_twice(fake):
    fake.fail("reservations/add", httpx.Response(503, json={"Message": "Down"}))
    with pytest.raises(Unavailable):
        await connector(fake).create_booking("aurora", booking(), idempotency_key="k-6")
    assert len(fake.sent("reservations/add")) == 1


@pytest.mark.parametrize(
    ("offer", "error"),
    [
        ("not-an-offer", InvalidRequest),
        (f"{DOUBLE}:unknown-rate", SoldOut),
        (f"unknown-room:{FLEX}", SoldOut),
    ],
)
async def test_an_offer_that_is_not_for_sale_is_refused_before_booking(fake, offer, error):
    with pytest.raises(error):
        await connector(fake).create_booking("aurora", booking(offer=offer), idempotency_key="k-7")
    assert fake.sent("reservations/add") == []


async def test_a_room_too_small_for_the_party_is_sold_out(fake):
    crowd = booking().model_copy(update={"stay": JUNE.model_copy(update={"adults": 3})})
    with pytest.raises(SoldOut):
        await connector(fake).create_booking("aurora", crowd, idempotency_key="k-8")


# -- cancelling ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "fee_minor"),
    [
        (datetime(2026, 6, 1, tzinfo=UTC), 0),  # more than 7 days before arrival
        (datetime(2026, 6, 5, tzinfo=UTC), 2000),  # the EUR 20 tier
        (datetime(2026, 6, 9, 12, tzinfo=UTC), 11950),  # the first night (119.50)
    ],
)
async def test_the_quote_states_the_fee_of_mews_policy_now(fake, now, fee_minor):
    quote = await connector(fake, now=now).cancellation_quote("aurora", SMITH_52)
    assert quote.cancellable
    assert quote.fee.amount_minor == fee_minor
    assert quote.fee.currency == "EUR"
    assert quote.terms == (
        "Free cancellation until 03 June 2026, 00:00 hotel time; from then the fee is "
        "20.00 EUR; from 09 June 2026, 00:00 hotel time the fee is 119.50 EUR."
    )


async def test_a_reservation_with_an_empty_policy_is_free_to_cancel(fake):
    quote = await connector(fake).cancellation_quote(
        "aurora", ReservationLookup(confirmation_code="57", last_name="Smith")
    )
    assert (quote.cancellable, quote.fee.amount_minor) == (True, 0)
    assert quote.terms == "Cancelling this reservation is free of charge."


async def test_without_a_policy_the_quote_refers_to_the_front_desk(fake):
    quote = await connector(fake).cancellation_quote(
        "aurora", ReservationLookup(confirmation_code="58", last_name="Smith")
    )
    assert quote.cancellable
    assert quote.fee.amount_minor == 0
    assert "front desk" in (quote.terms or "")


async def test_a_guest_in_house_cannot_cancel(fake):
    quote = await connector(fake).cancellation_quote(
        "aurora", ReservationLookup(confirmation_code="53", last_name="García")
    )
    assert not quote.cancellable
    assert quote.terms == "The reservation is checked in."
    assert fake.sent("cancellationPolicies") == []


async def test_cancel_posts_the_fee_and_reports_what_mews_charged(fake):
    done = await connector(fake).cancel("aurora", SMITH_52, idempotency_key="c-1")
    assert done.status is ReservationStatus.CANCELLED
    assert done.fee.amount_minor == 2000
    (sent,) = fake.sent("reservations/cancel")
    assert sent["ReservationIds"] == [R52]
    assert sent["PostCancellationFee"] is True
    assert sent["Notes"].startswith("Cancelled by the guest by phone")


async def test_the_same_cancel_key_cancels_once(fake, monkeypatch):
    first = await connector(fake, hotel="aurora-c").cancel(
        "aurora", SMITH_52, idempotency_key="c-2"
    )
    again = await connector(fake, hotel="aurora-c").cancel(
        "aurora", SMITH_52, idempotency_key="c-2"
    )
    monkeypatch.setattr(mews_connector, "_writes", TtlCache(60))
    elsewhere = await connector(fake, hotel="aurora-c").cancel(
        "aurora", SMITH_52, idempotency_key="c-2"
    )
    assert first == again == elsewhere
    assert len(fake.sent("reservations/cancel")) == 1


@pytest.mark.parametrize(("code", "name"), [("53", "García"), ("54", "Smith"), ("56", "Smith")])
async def test_checked_in_out_or_no_show_cannot_be_cancelled(fake, code, name):
    with pytest.raises(RefusedByPms):
        await connector(fake).cancel(
            "aurora",
            ReservationLookup(confirmation_code=code, last_name=name),
            idempotency_key="c-3",
        )
    assert fake.sent("reservations/cancel") == []


async def test_a_business_rule_refusal_relays_mews_message(fake):
    fake.fail("reservations/cancel", httpx.Response(403, json=fixture("error_403")))
    with pytest.raises(RefusedByPms) as refused:
        await connector(fake).cancel("aurora", SMITH_52, idempotency_key="c-4")
    assert refused.value.message == "The reservation cannot be canceled."


# -- amending ------------------------------------------------------------------------------


async def test_amend_moves_dates_party_and_room_and_mews_reprices(fake):
    later = AvailabilityQuery(arrival=date(2026, 6, 11), departure=date(2026, 6, 14), adults=3)
    change = StayChange(stay=later, offer_id=f"{FAMILY}:{FLEX}")
    moved = await connector(fake).amend("aurora", SMITH_52, change, idempotency_key="a-1")
    (sent,) = fake.sent("reservations/update")
    (update,) = sent["ReservationUpdates"]
    assert sent["ReservationId"] == update["ReservationId"] == R52
    assert sent["Reprice"] is True
    assert sent["Reason"]
    assert update["StartUtc"] == {"Value": "2026-06-11T13:00:00Z"}
    assert update["EndUtc"] == {"Value": "2026-06-14T09:00:00Z"}
    assert update["PersonCounts"] == {"Value": [{"AgeCategoryId": ADULT, "Count": 3}]}
    assert update["RequestedCategoryId"] == {"Value": FAMILY}
    assert "RateId" not in update  # the rate stays
    assert (moved.arrival, moved.departure) == (date(2026, 6, 11), date(2026, 6, 14))
    assert moved.room_type_name == "Familiensuite"
    assert moved.adults == 3


async def test_the_same_amend_key_changes_once(fake):
    change = StayChange(stay=JUNE)
    mews = connector(fake)
    first = await mews.amend("aurora", SMITH_52, change, idempotency_key="a-2")
    again = await mews.amend("aurora", SMITH_52, change, idempotency_key="a-2")
    assert first == again
    assert len(fake.sent("reservations/update")) == 1


async def test_a_stay_that_has_begun_cannot_be_amended(fake):
    lookup = ReservationLookup(confirmation_code="53", last_name="García")
    with pytest.raises(RefusedByPms):
        await connector(fake).amend("aurora", lookup, StayChange(stay=JUNE), idempotency_key="a-3")
    assert fake.sent("reservations/update") == []


# -- when Mews misbehaves ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(401, json={"Message": "Invalid AccessToken."}), Unavailable),
        (httpx.Response(404, json={"Message": "Not found."}), Unavailable),
        (httpx.Response(400, json={"Message": "Invalid ServiceId."}), InvalidRequest),
        (httpx.Response(422, json={"Message": "Unprocessable."}), InvalidRequest),
        (httpx.Response(409, json={"Message": "Conflict."}), Unavailable),
        (httpx.Response(500, json={"Message": "Oops."}), Unavailable),
        (httpx.ReadTimeout("slow"), Unavailable),
    ],
)
async def test_error_statuses_map_onto_the_error_family(fake, answer, error):
    fake.fail("configuration/get", answer, answer, answer)
    with pytest.raises(error):
        await connector(fake).hotel_info("aurora")


async def test_429_beyond_the_budget_is_rate_limited_with_mews_retry_after(fake):
    fake.fail("services/getAvailability", httpx.Response(429, headers={"Retry-After": "25"}))
    mews = connector(fake)
    await mews.hotel_info("aurora")
    with pytest.raises(RateLimited) as limited:
        await mews.availability("aurora", JUNE)
    assert limited.value.retry_after_s == 25


async def test_a_read_is_retried_through_a_short_429_and_a_503(fake):
    fake.fail(
        "services/getAvailability",
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.Response(503, json={"Message": "Busy."}),
    )
    answer = await connector(fake).availability("aurora", JUNE)
    assert len(answer.offers) == 4
    assert len(fake.sent("services/getAvailability")) == 3


# -- configuration, money and time ---------------------------------------------------------


def test_the_secret_needs_both_tokens():
    with pytest.raises(Unavailable):
        MewsCredentials.from_secret({"client_token": "x"})


async def test_a_hotel_without_rates_for_the_phone_is_not_sold_out_but_unavailable(fake):
    mews = MewsConnector(
        "no-rates",
        SERVICE,
        lambda: {**SECRET, "rates": ""},
        transport=httpx.MockTransport(fake),
    )
    with pytest.raises(Unavailable, match="no rates"):
        await mews.availability("aurora", JUNE)


def test_rates_are_read_in_the_hotels_order_with_names():
    assert parse_rates(" a=Flexible ; b ;c=Bed and breakfast", {"c"}) == (
        MewsRate("a", "Flexible"),
        MewsRate("b", "rate 2"),
        MewsRate("c", "Bed and breakfast", breakfast=True),
    )


def test_build_reads_the_binding_and_the_settings():
    settings = Settings(pms_base_urls={"mews": "https://api.mews-demo.com/"}, pms_timeout_s=2.5)
    binding = PmsBinding(connector="mews", property_id=SERVICE, secret_name="hotelvoice/pms/x")
    built = build("aurora", binding, settings)
    assert (built.hotel_id, built.service_id) == ("aurora", SERVICE)
    assert str(built.api._http.client.base_url) == "https://api.mews-demo.com"
    with pytest.raises(Unavailable):
        build("aurora", PmsBinding(connector="mews", secret_name="hotelvoice/pms/x"), settings)


@pytest.mark.parametrize(
    ("value", "currency", "minor"),
    [
        (Decimal("389.5"), "EUR", 38950),
        (Decimal("0.1") + Decimal("0.2"), "EUR", 30),
        (Decimal("12000"), "JPY", 12000),
        (Decimal("12.345"), "KWD", 12345),
        (Decimal("10.005"), "EUR", 1001),
    ],
)
def test_amounts_become_minor_units_by_the_currencys_exponent(value, currency, minor):
    assert to_minor(value, currency) == minor


def test_utc_instants_become_the_hotels_local_dates():
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    assert local_date("2026-06-09T22:00:00Z", berlin) == date(2026, 6, 10)  # summer
    assert local_date("2026-01-09T23:00:00.000Z", berlin) == date(2026, 1, 10)  # winter
    assert local_date("2026-01-09T22:59:59Z", berlin) == date(2026, 1, 9)


def test_mews_durations_are_read():
    assert parse_duration("P0M0DT15H0M0S").total_seconds() == 15 * 3600
    assert parse_duration("P10DT20H30M").total_seconds() == 10 * 86400 + 20 * 3600 + 30 * 60
    assert parse_duration("-PT2H").total_seconds() == -7200
    with pytest.raises(ValueError, match="months"):
        parse_duration("P1M")
