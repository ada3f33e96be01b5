"""The demo PMS books, quotes, cancels and amends like a real PMS: once per key, never oversold."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import pytest

from hotelvoice.contracts.pms import (
    AvailabilityQuery,
    BookingRequest,
    GuestDetails,
    ReservationLookup,
    StayChange,
)
from hotelvoice.errors import NotFound, RefusedByPms, SoldOut
from hotelvoice.pms.demo_bookings import DemoPmsConnector
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, reservations
from hotelvoice.pms.demo_keys import night_sk, nights_pk

GUEST = GuestDetails(
    first_name="Lena", last_name="Vogel", email="lena@example.com", phone="+4915112345678"
)


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def pms(plane) -> DemoPmsConnector:
    return DemoPmsConnector(plane.resources.refs["PmsTable"])


def units(plane, room_type: str, nights: list[date]) -> list[int]:
    table = plane.table("PmsTable")
    return [
        int(
            table.get_item(
                Key={"pk": nights_pk(DEMO_HOTEL_ID, n), "sk": night_sk(n, room_type)},
                ConsistentRead=True,
            )["Item"]["available"]
        )
        for n in nights
    ]


def bookable_stay(pms: DemoPmsConnector, start_days: int, nights: int = 2, within: int = 40):
    """A stay from ``start_days`` on (up to ``within`` days later) with an offer, and it."""
    for offset in range(start_days, start_days + within):
        arrival = date.today() + timedelta(days=offset)
        stay = AvailabilityQuery(
            arrival=arrival, departure=arrival + timedelta(days=nights), adults=2
        )
        offers = run(pms.availability(DEMO_HOTEL_ID, stay)).offers
        if offers:
            return stay, offers[0]
    raise AssertionError("the demo hotel has no room for any stay")


def stay_nights(stay: AvailabilityQuery) -> list[date]:
    return [stay.arrival + timedelta(days=n) for n in range(stay.nights)]


def test_a_booking_takes_a_unit_each_night_and_one_key_books_once(plane, pms):
    stay, offer = bookable_stay(pms, 20)
    before = units(plane, offer.offer_id, stay_nights(stay))
    request = BookingRequest(stay=stay, offer_id=offer.offer_id, guest=GUEST, notes="late")
    key = uuid.uuid4().hex
    first = run(pms.create_booking(DEMO_HOTEL_ID, request, idempotency_key=key))
    again = run(pms.create_booking(DEMO_HOTEL_ID, request, idempotency_key=key))
    assert first.created
    assert not again.created
    assert again.reservation == first.reservation
    assert first.reservation.total == offer.total
    assert units(plane, offer.offer_id, stay_nights(stay)) == [u - 1 for u in before]
    lookup = ReservationLookup(
        confirmation_code=first.reservation.confirmation_code, last_name="vogel"
    )
    assert run(pms.find_reservation(DEMO_HOTEL_ID, lookup)) == first.reservation
    wrong = ReservationLookup(
        confirmation_code=first.reservation.confirmation_code, last_name="Falke"
    )
    with pytest.raises(NotFound):
        run(pms.find_reservation(DEMO_HOTEL_ID, wrong))


def test_the_last_room_is_sold_once(plane, pms):
    stay, offer = bookable_stay(pms, 45, nights=1)
    left = units(plane, offer.offer_id, stay_nights(stay))[0]
    request = BookingRequest(stay=stay, offer_id=offer.offer_id, guest=GUEST)
    for _ in range(left):
        run(pms.create_booking(DEMO_HOTEL_ID, request, idempotency_key=uuid.uuid4().hex))
    with pytest.raises(SoldOut):
        run(pms.create_booking(DEMO_HOTEL_ID, request, idempotency_key=uuid.uuid4().hex))
    assert units(plane, offer.offer_id, stay_nights(stay)) == [0]


def test_a_cancellation_is_quoted_then_done_once_and_gives_the_nights_back(plane, pms):
    stay, offer = bookable_stay(pms, 25)
    request = BookingRequest(stay=stay, offer_id=offer.offer_id, guest=GUEST)
    booked = run(pms.create_booking(DEMO_HOTEL_ID, request, idempotency_key=uuid.uuid4().hex))
    before = units(plane, offer.offer_id, stay_nights(stay))
    lookup = ReservationLookup(
        confirmation_code=booked.reservation.confirmation_code, caller_phone="+49 151 12345678"
    )
    quote = run(pms.cancellation_quote(DEMO_HOTEL_ID, lookup))
    assert quote.cancellable
    assert quote.fee.amount_minor == 0
    assert quote.terms
    key = uuid.uuid4().hex
    done = run(pms.cancel(DEMO_HOTEL_ID, lookup, idempotency_key=key))
    assert run(pms.cancel(DEMO_HOTEL_ID, lookup, idempotency_key=key)) == done
    assert done.status == "cancelled"
    assert done.fee == quote.fee
    assert units(plane, offer.offer_id, stay_nights(stay)) == [u + 1 for u in before]
    with pytest.raises(RefusedByPms):
        run(pms.cancel(DEMO_HOTEL_ID, lookup, idempotency_key=uuid.uuid4().hex))


def test_a_late_cancellation_costs_the_first_night_and_a_stay_in_house_cannot_be_cancelled(
    plane, pms
):
    seeded = reservations(date.today())
    in_house = next(r for r in seeded if r["reservation"]["status"] == "checked_in")
    lookup = ReservationLookup(
        confirmation_code=in_house["reservation"]["confirmation_code"],
        last_name=in_house["reservation"]["guest_last_name"],
    )
    quote = run(pms.cancellation_quote(DEMO_HOTEL_ID, lookup))
    assert not quote.cancellable
    assert "checked in" in (quote.terms or "")
    try:
        stay, offer = bookable_stay(pms, 0, nights=2, within=2)  # arriving today or tomorrow
    except AssertionError:
        pytest.skip("the demo hotel is full today and tomorrow")
    request = BookingRequest(stay=stay, offer_id=offer.offer_id, guest=GUEST)
    booked = run(pms.create_booking(DEMO_HOTEL_ID, request, idempotency_key=uuid.uuid4().hex))
    code = booked.reservation.confirmation_code
    late = run(
        pms.cancellation_quote(
            DEMO_HOTEL_ID, ReservationLookup(confirmation_code=code, last_name="Vogel")
        )
    )
    assert late.cancellable
    assert 0 < late.fee.amount_minor < offer.total.amount_minor


def test_an_amendment_moves_the_nights_and_is_repriced(plane, pms):
    stay, offer = bookable_stay(pms, 30, nights=2)
    request = BookingRequest(stay=stay, offer_id=offer.offer_id, guest=GUEST)
    booked = run(pms.create_booking(DEMO_HOTEL_ID, request, idempotency_key=uuid.uuid4().hex))
    lookup = ReservationLookup(
        confirmation_code=booked.reservation.confirmation_code, last_name="Vogel"
    )
    longer = AvailabilityQuery(
        arrival=stay.arrival, departure=stay.departure + timedelta(days=1), adults=2
    )
    quoted = {o.offer_id: o for o in run(pms.availability(DEMO_HOTEL_ID, longer)).offers}
    if offer.offer_id not in quoted:
        pytest.skip("the demo inventory has no third night for this room")
    old_nights = stay_nights(stay)
    before = units(plane, offer.offer_id, [*old_nights, stay.departure])
    key = uuid.uuid4().hex
    change = StayChange(stay=longer)
    amended = run(pms.amend(DEMO_HOTEL_ID, lookup, change, idempotency_key=key))
    assert run(pms.amend(DEMO_HOTEL_ID, lookup, change, idempotency_key=key)) == amended
    assert amended.departure == longer.departure
    assert amended.total == quoted[offer.offer_id].total
    # The two nights already held stay held; only the new third night is taken.
    assert units(plane, offer.offer_id, [*old_nights, stay.departure]) == [
        before[0],
        before[1],
        before[2] - 1,
    ]
