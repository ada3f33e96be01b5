"""OPERA reservations as ours: the search summary, the full reservation, states, the check.

OPERA has two views of a reservation. The search (``GET /rsv/v1/hotels/{h}/reservations``,
``reservationInfo``) finds it by confirmation number or external reference and carries the
guest's name and phone, the stay and the party. The reservation itself (``GET …/reservations/
{reservationId}``, by OPERA's internal id, never the confirmation number) adds what the
search lacks: the gross cost of the stay, nightly rates, cancellation policies and the
actions OPERA would allow.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hotelvoice.contracts.pms import Money, Reservation, ReservationLookup, ReservationStatus
from hotelvoice.errors import Unavailable
from hotelvoice.pms.money import to_money
from hotelvoice.pms.opera.dates import local_date
from hotelvoice.pms.opera.money import decimal_of
from hotelvoice.pms.opera.wire import dig, id_of, integer, objects, text

STATUSES: dict[str, ReservationStatus] = {
    "Reserved": ReservationStatus.CONFIRMED,
    "DueIn": ReservationStatus.CONFIRMED,
    "Requested": ReservationStatus.OPTIONAL,
    "Waitlisted": ReservationStatus.WAITLISTED,
    "WaitList": ReservationStatus.WAITLISTED,
    "InHouse": ReservationStatus.CHECKED_IN,
    "CheckedIn": ReservationStatus.CHECKED_IN,
    "DueOut": ReservationStatus.CHECKED_IN,
    "Walkin": ReservationStatus.CHECKED_IN,
    "PendingCheckout": ReservationStatus.CHECKED_IN,
    "CheckedOut": ReservationStatus.CHECKED_OUT,
    "Cancelled": ReservationStatus.CANCELLED,
    "NoShow": ReservationStatus.NO_SHOW,
}
"""OPERA's ``pMS_ResStatusType`` (and the search filter's ``CheckedIn``/``WaitList``) → ours.
``DueIn`` is a reserved guest arriving today; ``DueOut``, ``Walkin`` and ``PendingCheckout``
are guests in the house."""


def status_of(actual: object, computed: object = None) -> ReservationStatus:
    """``reservationStatus`` (what happened), else ``computedReservationStatus``."""
    for value in (actual, computed):
        name = text(value)
        if name in STATUSES:
            return STATUSES[name]
    raise Unavailable(f"the hotel's system reports a reservation state we do not know: {actual}")


@dataclass(frozen=True)
class Summary:
    """One ``reservationInfo`` of a search: enough to verify the caller and describe the stay."""

    reservation_id: str
    confirmation: str
    given_name: str
    surname: str
    phone: str | None
    arrival: date
    departure: date
    room_type: str | None
    rate_plan: str | None
    adults: int
    children: int
    status: ReservationStatus
    total: Money | None
    external_ids: frozenset[str] = frozenset()
    """The reservation's external reference ids (``resvExternalReferencesToFetch``)."""


def summaries(payload: dict[str, Any], tz: ZoneInfo) -> list[Summary]:
    """Every complete ``reservationInfo`` of a search answer (an empty answer: none)."""
    found = []
    for info in objects(dig(payload, "reservations", "reservationInfo")):
        ids = info.get("reservationIdList")
        reservation_id, confirmation = id_of(ids, "Reservation"), id_of(ids, "Confirmation")
        stay = info.get("roomStay") or {}
        arrival = local_date(stay.get("arrivalDate"), tz)
        departure = local_date(stay.get("departureDate"), tz)
        guest = info.get("reservationGuest") or {}
        surname = text(guest.get("surname"))
        if not (reservation_id and confirmation and arrival and departure and surname):
            continue
        found.append(
            Summary(
                reservation_id=reservation_id,
                confirmation=confirmation,
                given_name=text(guest.get("givenName")) or "",
                surname=surname,
                phone=text(guest.get("phoneNumber")),
                arrival=arrival,
                departure=departure,
                room_type=text(stay.get("roomType")),
                rate_plan=text(stay.get("ratePlanCode")),
                adults=integer(stay.get("adultCount")) or 1,
                children=integer(stay.get("childCount")) or 0,
                status=status_of(
                    info.get("reservationStatus"), info.get("computedReservationStatus")
                ),
                total=_amount(stay.get("totalAmount"), "amount"),
                external_ids=_reference_ids(info.get("externalReferences")),
            )
        )
    return found


def room_type_names(payload: dict[str, Any]) -> dict[str, str]:
    """Room type names from a search's ``masterInfoList`` (``fetchInstructions=MasterInfo``)."""
    names: dict[str, str] = {}
    for master in objects(payload.get("masterInfoList")):
        if master.get("codeType") != "RoomType":
            continue
        for entry in objects(master.get("codeInfo")):
            code, name = text(entry.get("code")), text(entry.get("description"))
            if code and name:
                names.setdefault(code, name)
    return names


@dataclass(frozen=True)
class Detail:
    """The reservation as ``getReservation`` gives it (policies, totals, allowed actions)."""

    reservation_id: str | None
    confirmation: str | None
    given_name: str | None
    surname: str | None
    arrival: date | None
    departure: date | None
    room_type: str | None
    rate_plan: str | None
    adults: int | None
    children: int | None
    status: ReservationStatus | None
    gross_total: Money | None
    nightly_gross: list[Decimal] = field(default_factory=list)
    """Each night's gross rate in stay order, where OPERA lists them (fees by nights)."""
    cancellation_policies: list[dict[str, Any]] = field(default_factory=list)
    allowed_actions: frozenset[str] | None = None
    """What OPERA would allow now (``allowedActions`` asked for ``Cancel``); None: not said."""
    access_restriction: str | None = None


def detail_from(payload: dict[str, Any], tz: ZoneInfo) -> Detail:
    """Map ``reservations.reservation[0]`` of a ``getReservation`` answer."""
    item = dig(payload, "reservations", "reservation", 0) or {}
    ids = item.get("reservationIdList")
    stay = item.get("roomStay") or {}
    rates = objects(stay.get("roomRates"))
    counts = stay.get("guestCounts") or dig(rates, 0, "guestCounts") or {}
    name = _primary_name(item)
    status_text = item.get("reservationStatus") or item.get("computedReservationStatus")
    actions = item.get("allowedActions")
    return Detail(
        reservation_id=id_of(ids, "Reservation"),
        confirmation=id_of(ids, "Confirmation"),
        given_name=text(name.get("givenName")),
        surname=text(name.get("surname")),
        arrival=local_date(stay.get("arrivalDate"), tz),
        departure=local_date(stay.get("departureDate"), tz),
        room_type=text(dig(rates, 0, "roomType")),
        rate_plan=text(dig(rates, 0, "ratePlanCode")),
        adults=integer(counts.get("adults")),
        children=integer(counts.get("children")),
        status=status_of(status_text) if text(status_text) else None,
        gross_total=_amount(stay.get("total"), "amountAfterTax")
        or _amount(item.get("rateSummary"), "totalCostOfStay"),
        nightly_gross=_nightly(rates),
        cancellation_policies=objects(dig(item, "reservationPolicies", "cancellationPolicies")),
        allowed_actions=frozenset(a for a in actions if isinstance(a, str))
        if isinstance(actions, list)
        else None,
        access_restriction=text(item.get("accessRestriction")),
    )


def reservation_of(summary: Summary, detail: Detail | None, names: dict[str, str]) -> Reservation:
    """The caller's reservation: the search's facts, the full reservation's gross total."""
    total = (detail.gross_total if detail else None) or summary.total
    if total is None:
        raise Unavailable("the hotel's system gave no total for the reservation")
    return Reservation(
        confirmation_code=summary.confirmation,
        guest_first_name=summary.given_name,
        guest_last_name=summary.surname,
        arrival=summary.arrival,
        departure=summary.departure,
        room_type_name=names.get(summary.room_type or "", summary.room_type or ""),
        adults=summary.adults,
        children=summary.children,
        status=summary.status,
        total=total,
    )


def matches(summary: Summary, lookup: ReservationLookup) -> bool:
    """The confirmation number and the second factor (surname or phone) both fit."""
    if normalised(summary.confirmation) != lookup.confirmation_code:
        return False
    if lookup.last_name is not None and same_name(lookup.last_name, summary.surname):
        return True
    return (
        lookup.caller_phone is not None
        and summary.phone is not None
        and same_phone(lookup.caller_phone, summary.phone)
    )


def normalised(code: str) -> str:
    """A confirmation number as the lookup normalises codes (OPERA's are digits already)."""
    return re.sub(r"[\s./-]", "", code).upper()


def same_name(given: str, stored: str) -> bool:
    """Names match ignoring case, accents, spaces, hyphens and apostrophes.

    ``Müller`` matches ``muller`` but not ``mueller``: a caller spells what the booking says.
    """
    return _fold(given) == _fold(stored)


def same_phone(given: str, stored: str) -> bool:
    """The last nine digits agree (country prefixes and leading zeros differ in practice)."""
    a, b = re.sub(r"\D", "", given)[-9:], re.sub(r"\D", "", stored)[-9:]
    return len(a) >= 5 and a == b


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s'’-]", "", plain)


def _primary_name(item: dict[str, Any]) -> dict[str, Any]:
    guests = objects(item.get("reservationGuests"))
    guest = next((g for g in guests if g.get("primary") is True), guests[0] if guests else {})
    names = objects(dig(guest, "profileInfo", "profile", "customer", "personName"))
    return next((n for n in names if n.get("nameType") == "Primary"), names[0] if names else {})


def _amount(value: Any, key: str) -> Money | None:
    amount = decimal_of(dig(value, key))
    currency = text(dig(value, "currencyCode"))
    if amount is None or currency is None:
        return None
    return to_money(amount, currency, dig(value, "decimalPlaces"))


def _reference_ids(references: Any) -> frozenset[str]:
    ids = (text(r.get("id")) for r in objects(references))
    return frozenset(i for i in ids if i)


def _nightly(rates: list[dict[str, Any]]) -> list[Decimal]:
    nights: list[tuple[str, Decimal]] = []
    for rate in rates:
        for night in objects(dig(rate, "rates", "rate")):
            amount = decimal_of(dig(night, "total", "amountAfterTax")) or decimal_of(
                dig(night, "base", "amountAfterTax")
            )
            if amount is not None:
                nights.append((text(night.get("start")) or "", amount))
    return [amount for _, amount in sorted(nights, key=lambda n: n[0])]
