"""Finding a guest's Mews reservation and telling it in our words.

A reservation from ``reservations/getAll`` (ver 2023-06-06) has no guest name and no total:
the owner's name comes from ``customers/getAll``, the total from the reservation's order
items (``orderItems/getAll``: nights, products, city tax … gross, in the hotel's currency).
The code *and* the second factor must match, and every mismatch (unknown number, another
service's reservation, a company's booking, a wrong name or phone) is the same ``NotFound``.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hotelvoice.contracts.pms import Money, Reservation, ReservationLookup, ReservationStatus
from hotelvoice.errors import NotFound, Unavailable
from hotelvoice.pms.mews.api import MewsApi
from hotelvoice.pms.mews.hotel_time import local_date
from hotelvoice.pms.mews.models import MewsCustomer, MewsOrderItem, MewsReservation
from hotelvoice.pms.mews.money import total
from hotelvoice.pms.mews.property_facts import PropertyFacts
from hotelvoice.pms.mews.stays import party

GET_ALL = "reservations/getAll/2023-06-06"
STATUSES: dict[str, ReservationStatus] = {
    "Confirmed": ReservationStatus.CONFIRMED,
    "Started": ReservationStatus.CHECKED_IN,
    "Processed": ReservationStatus.CHECKED_OUT,
    "Canceled": ReservationStatus.CANCELLED,
    "Optional": ReservationStatus.OPTIONAL,
    "Inquired": ReservationStatus.OPTIONAL,
    "Enquired": ReservationStatus.OPTIONAL,  # the 2017 shape's spelling
    "Requested": ReservationStatus.OPTIONAL,
}
"""Mews ``State`` → ours. Mews has no no-show state: a no-show is ``Canceled`` with the
reason ``NoShow`` (:func:`status_of`)."""
NOT_CHARGED = frozenset(
    {"Deposit", "ExchangeRateDifference", "TaxCorrection", "InvoiceFee", "MulticurrencyFee",
     "AllowanceBreakage", "AllowanceContraBreakage"}
)  # fmt: skip
"""Order item types that are bookkeeping, not what the stay costs the guest."""
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class VerifiedReservation:
    """A reservation whose code and second factor matched, with its owner."""

    reservation: MewsReservation
    customer: MewsCustomer


def status_of(reservation: MewsReservation) -> ReservationStatus:
    """Our status of a Mews reservation (an unknown state reads as optional: not confirmed)."""
    if reservation.state == "Canceled" and reservation.cancellation_reason == "NoShow":
        return ReservationStatus.NO_SHOW
    return STATUSES.get(reservation.state, ReservationStatus.OPTIONAL)


def no_match() -> NotFound:
    """The one answer for every mismatch: nothing says which part was wrong."""
    return NotFound("no reservation matches that confirmation code and name", code="no_match")


async def find_verified(
    api: MewsApi, facts: PropertyFacts, lookup: ReservationLookup
) -> VerifiedReservation:
    """The reservation numbered ``lookup.confirmation_code`` whose owner matches the lookup."""
    code = lookup.confirmation_code
    if not code.isdigit():  # Mews numbers are digits: nothing to ask
        raise no_match()
    answer = await api.call(
        GET_ALL,
        {"ServiceIds": [facts.service_id], "Numbers": [code], "Limitation": {"Count": 10}},
        idempotent=True,
    )
    found = [
        r
        for r in parse_all(MewsReservation, answer.get("Reservations"))
        if r.number == code and r.service_id == facts.service_id
    ]
    if not found or found[0].account_type not in (None, "Customer") or not found[0].owner:
        raise no_match()
    reservation = found[0]
    customer = await customer_by_id(api, str(reservation.owner))
    if customer is None or not second_factor_matches(lookup, customer):
        raise no_match()
    return VerifiedReservation(reservation, customer)


async def reservation_by_id(
    api: MewsApi, facts: PropertyFacts, reservation_id: str
) -> MewsReservation | None:
    """A reservation of the stay service read again by its id (after a change)."""
    answer = await api.call(
        GET_ALL,
        {
            "ServiceIds": [facts.service_id],
            "ReservationIds": [reservation_id],
            "Limitation": {"Count": 1},
        },
        idempotent=True,
    )
    reservations = parse_all(MewsReservation, answer.get("Reservations"))
    return next((r for r in reservations if r.id == reservation_id), None)


async def customer_by_id(api: MewsApi, customer_id: str) -> MewsCustomer | None:
    """One customer profile (``customers/getAll`` by id)."""
    answer = await api.call(
        "customers/getAll",
        {
            "CustomerIds": [customer_id],
            "Extent": {"Customers": True},
            "Limitation": {"Count": 1},
        },
        idempotent=True,
    )
    customers = parse_all(MewsCustomer, answer.get("Customers"))
    return next((c for c in customers if c.id == customer_id), None)


async def order_items(
    api: MewsApi, facts: PropertyFacts, reservation_id: str
) -> list[MewsOrderItem]:
    """The reservation's charges, converted by Mews to the hotel's currency."""
    items = await api.get_all(
        "orderItems/getAll",
        {"ServiceOrderIds": [reservation_id], "Currency": facts.currency},
        "OrderItems",
    )
    return [i for i in parse_all(MewsOrderItem, items) if i.service_order_id == reservation_id]


def stay_total(items: list[MewsOrderItem], currency: str) -> Money:
    """Gross total of what the stay costs (canceled items and bookkeeping left out)."""
    return total(
        (
            i.amount.gross_value
            for i in items
            if i.accounting_state != "Canceled"
            and i.type not in NOT_CHARGED
            and i.amount.currency.upper() == currency
        ),
        currency,
    )


async def describe(
    api: MewsApi,
    facts: PropertyFacts,
    reservation: MewsReservation,
    customer: MewsCustomer,
    items: list[MewsOrderItem] | None = None,
) -> Reservation:
    """The reservation as a verified guest may hear it (reads its order items if not given)."""
    if items is None:
        items = await order_items(api, facts, reservation.id)
    return as_reservation(facts, reservation, customer, stay_total(items, facts.currency))


def as_reservation(
    facts: PropertyFacts, reservation: MewsReservation, customer: MewsCustomer, price: Money
) -> Reservation:
    """Map a Mews reservation and its owner onto our contract."""
    if not reservation.start or not reservation.end:
        raise Unavailable("the hotel's system sent a reservation without dates")
    category = facts.categories.get(reservation.category_id or "")
    adults, children = party(facts, reservation.person_counts)
    return Reservation(
        confirmation_code=reservation.number,
        guest_first_name=customer.first_name or "",
        guest_last_name=customer.last_name,
        arrival=local_date(reservation.start, facts.zone),
        departure=local_date(reservation.end, facts.zone),
        room_type_name=facts.text(category.names, "room") if category else "room",
        adults=adults,
        children=children,
        status=status_of(reservation),
        total=price,
    )


async def describe_with_owner(
    api: MewsApi, facts: PropertyFacts, reservation: MewsReservation
) -> Reservation:
    """Describe a reservation found without a lookup (by our idempotency tag)."""
    customer, items = await asyncio.gather(
        customer_by_id(api, str(reservation.owner)), order_items(api, facts, reservation.id)
    )
    if customer is None:
        raise Unavailable("the hotel's system lost the reservation's guest profile")
    return as_reservation(facts, reservation, customer, stay_total(items, facts.currency))


def second_factor_matches(lookup: ReservationLookup, customer: MewsCustomer) -> bool:
    """The last name (accents, case, spaces and hyphens aside) or the phone's last 9 digits."""
    if lookup.last_name:
        given = _fold(lookup.last_name)
        full = f"{customer.last_name} {customer.second_last_name or ''}"
        if given and given in {_fold(customer.last_name), _fold(full)}:
            return True
    if lookup.caller_phone and customer.phone:
        theirs, ours = _digits(customer.phone), _digits(lookup.caller_phone)
        return len(ours) >= 5 and theirs == ours
    return False


def same_name(one: str, other: str) -> bool:
    """Whether two spellings name the same person (accents, case, spaces aside)."""
    return _fold(one) == _fold(other)


def parse_all(model: type[M], items: Any) -> list[M]:
    """Validate a list of Mews objects; a malformed answer is ``Unavailable``."""
    try:
        return [model.model_validate(i) for i in items or []]
    except ValidationError as exc:
        raise Unavailable("the hotel's system answered in an unexpected shape") from exc


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s'’.-]", "", text)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)[-9:]
