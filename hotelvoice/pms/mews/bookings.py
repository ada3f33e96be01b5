"""Booking and amending in Mews: ``customers/add`` + ``reservations/add``, ``reservations/update``.

Mews takes no idempotency key, so the key travels inside the reservation: its
``ChannelNumber`` (the number a booking channel gives its reservation; we are the phone
channel) is ``HV-`` plus a hash of the key. Before booking, ``reservations/getAll`` is asked
for that ``ChannelNumbers`` value: a retry after a lost answer finds the first reservation
instead of making a second. ``reservations/add`` itself is never retried blindly.
"""

from __future__ import annotations

import hashlib
from typing import Any

from hotelvoice.contracts.pms import (
    Booking,
    BookingRequest,
    GuestDetails,
    Money,
    Reservation,
    ReservationStatus,
    StayChange,
)
from hotelvoice.errors import InvalidRequest, RefusedByPms, SoldOut, Unavailable
from hotelvoice.pms.mews.api import MewsApi
from hotelvoice.pms.mews.availability import parse_offer_id
from hotelvoice.pms.mews.credentials import MewsRate
from hotelvoice.pms.mews.models import (
    MewsCustomer,
    MewsReservation,
    MewsReservationPrice,
    MewsResourceCategory,
)
from hotelvoice.pms.mews.money import money
from hotelvoice.pms.mews.property_facts import PropertyFacts
from hotelvoice.pms.mews.reservations import (
    GET_ALL,
    VerifiedReservation,
    as_reservation,
    describe,
    describe_with_owner,
    order_items,
    parse_all,
    reservation_by_id,
    same_name,
    status_of,
    stay_total,
)
from hotelvoice.pms.mews.stays import person_counts, stay_bounds

CHANGEABLE = frozenset({ReservationStatus.CONFIRMED, ReservationStatus.OPTIONAL})
BOOKED_BY_PHONE = "Booked by phone (hotelvoice)."


def booking_tag(idempotency_key: str) -> str:
    """The ``ChannelNumber`` that marks the booking made for this key (no key in clear)."""
    return "HV-" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:20].upper()


async def create_booking(
    api: MewsApi, facts: PropertyFacts, request: BookingRequest, idempotency_key: str
) -> Booking:
    """Book the offer for the guest once per key (``created=False`` when found from before)."""
    category, rate = await _offer(api, facts, request.offer_id)
    stay = request.stay
    if category.capacity < stay.adults + stay.children:
        raise SoldOut("that room is too small for the party")
    tag = booking_tag(idempotency_key)
    earlier = await booked_for(api, facts, tag)
    if earlier is not None:
        return Booking(reservation=await describe_with_owner(api, facts, earlier), created=False)
    customer = await guest_profile(api, request.guest)
    parameters = {
        "Identifier": "1",
        "ChannelNumber": tag,
        "State": "Confirmed",
        **stay_bounds(facts, stay.arrival, stay.departure),
        "PersonCounts": person_counts(facts, stay.adults, stay.children),
        "CustomerId": customer.id,
        "RequestedCategoryId": category.id,
        "RateId": rate.id,
        "Notes": " ".join(filter(None, [request.notes, BOOKED_BY_PHONE])),
    }
    answer = await api.call(
        "reservations/add",
        {"ServiceId": facts.service_id, "Reservations": [parameters]},
        idempotent=False,
    )
    added = [a.get("Reservation") for a in answer.get("Reservations") or [] if isinstance(a, dict)]
    booked = next(iter(parse_all(MewsReservation, added)), None)
    if booked is None:
        raise Unavailable("the hotel's system did not say which reservation it made")
    items = await order_items(api, facts, booked.id)
    price = stay_total(items, facts.currency) if items else await _price(api, facts, parameters)
    reservation = as_reservation(facts, booked, customer, price)
    if not booked.person_counts:  # the 2017 shape may leave them out: we know what we asked
        reservation = reservation.model_copy(
            update={"adults": stay.adults, "children": stay.children}
        )
    return Booking(reservation=reservation, created=True)


async def booked_for(api: MewsApi, facts: PropertyFacts, tag: str) -> MewsReservation | None:
    """The reservation an earlier request with the same key made, if any."""
    answer = await api.call(
        GET_ALL,
        {"ServiceIds": [facts.service_id], "ChannelNumbers": [tag], "Limitation": {"Count": 10}},
        idempotent=True,
    )
    found = parse_all(MewsReservation, answer.get("Reservations"))
    return next((r for r in found if r.channel_number == tag), None)


async def guest_profile(api: MewsApi, guest: GuestDetails) -> MewsCustomer:
    """The guest's profile: an existing one with the same e-mail and last name, else a new one.

    Mews refuses a second profile with the same e-mail (``OverwriteExisting`` false), and
    overwriting would let a caller rename someone else's profile. An address another guest's
    profile holds (a family's, a company's) goes into the new profile's notes instead, where
    the front desk sees it.
    """
    shared_email = False
    if guest.email:
        answer = await api.call(
            "customers/getAll",
            {
                # as given and in lower case: a profile's address may be either
                "Emails": list(dict.fromkeys([guest.email, guest.email.lower()])),
                "Extent": {"Customers": True},
                "Limitation": {"Count": 10},
            },
            idempotent=True,
        )
        for known in parse_all(MewsCustomer, answer.get("Customers")):
            same_email = (known.email or "").casefold() == guest.email.casefold()
            if same_email and same_name(known.last_name, guest.last_name):
                return known
            shared_email = shared_email or same_email
    profile: dict[str, Any] = {
        "FirstName": guest.first_name,
        "LastName": guest.last_name,
        "OverwriteExisting": False,
    }
    if guest.email and shared_email:
        profile["Notes"] = f"E-mail given on the phone: {guest.email} (another profile has it)"
    elif guest.email:
        profile["Email"] = guest.email
    if guest.phone:
        profile["Phone"] = guest.phone
    answer = await api.call("customers/add", profile, idempotent=False)
    created = parse_all(MewsCustomer, [answer])
    return created[0]


async def amend(
    api: MewsApi, facts: PropertyFacts, verified: VerifiedReservation, change: StayChange
) -> Reservation:
    """Move the reservation to the new dates, party and (optionally) offer; Mews reprices."""
    current = verified.reservation
    status = status_of(current)
    if status not in CHANGEABLE:
        raise RefusedByPms(
            f"a reservation that is {status.value.replace('_', ' ')} cannot be changed by phone"
        )
    if change.offer_id:
        category, rate = await _offer(api, facts, change.offer_id)
        category_id, rate_id = category.id, rate.id
    else:
        category_id, rate_id = current.category_id or "", current.rate_id
    room = facts.categories.get(category_id)
    if room is None or room.capacity < change.stay.adults + change.stay.children:
        raise SoldOut("that room is not available for the new party")
    bounds = stay_bounds(facts, change.stay.arrival, change.stay.departure)
    update: dict[str, Any] = {
        "ReservationId": current.id,
        "StartUtc": {"Value": bounds["StartUtc"]},
        "EndUtc": {"Value": bounds["EndUtc"]},
        "PersonCounts": {"Value": person_counts(facts, change.stay.adults, change.stay.children)},
    }
    if category_id != current.category_id:
        update["RequestedCategoryId"] = {"Value": category_id}
    if rate_id != current.rate_id:
        update["RateId"] = {"Value": rate_id}
    answer = await api.call(
        "reservations/update",
        {
            "ReservationId": current.id,
            "ReservationUpdates": [update],
            "Reprice": True,
            "Reason": "The guest changed the stay by phone.",
        },
        idempotent=True,  # absolute values: sending them twice changes nothing more
    )
    updated = next(
        (r for r in parse_all(MewsReservation, answer.get("Reservations")) if r.id == current.id),
        None,
    ) or await reservation_by_id(api, facts, current.id)
    if updated is None:
        raise Unavailable("the hotel's system did not return the changed reservation")
    return await describe(api, facts, updated, verified.customer)


async def _offer(
    api: MewsApi, facts: PropertyFacts, value: str
) -> tuple[MewsResourceCategory, MewsRate]:
    parsed = parse_offer_id(value)
    if parsed is None:
        raise InvalidRequest("that is not an offer of this hotel")
    category = facts.categories.get(parsed[0])
    rate = next((r for r in await api.rates() if r.id == parsed[1]), None)
    if category is None or rate is None:
        raise SoldOut("that offer is not available any more")
    return category, rate


async def _price(api: MewsApi, facts: PropertyFacts, parameters: dict[str, Any]) -> Money:
    """What Mews prices the booked stay at, where it has not posted its charges yet."""
    answer = await api.call(
        "reservations/price",
        {"ServiceId": facts.service_id, "Reservations": [parameters]},
        idempotent=True,
    )
    prices = parse_all(MewsReservationPrice, answer.get("ReservationPrices"))
    amount = prices[0].total_amount if prices else None
    if amount is None:
        return Money(amount_minor=0, currency=facts.currency)
    return money(amount.gross_value, amount.currency)
