"""Apaleo's payloads onto our contracts: offers, reservations, statuses, fees, local dates.

Everything here is pure (no I/O), so the mapping is tested on Apaleo's own examples.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hotelvoice.contracts.pms import (
    HotelInfo,
    Money,
    Offer,
    Reservation,
    ReservationStatus,
)
from hotelvoice.errors import Unavailable
from hotelvoice.pms.apaleo.payloads import (
    ApaleoProperty,
    ApaleoReservation,
    CancellationFee,
    EmbeddedService,
    Person,
    StayOffer,
    localised,
)
from hotelvoice.pms.money import to_money, zero
from hotelvoice.time_zones import zone_named

STATUSES: dict[str, ReservationStatus] = {
    "Confirmed": ReservationStatus.CONFIRMED,
    "InHouse": ReservationStatus.CHECKED_IN,
    "CheckedOut": ReservationStatus.CHECKED_OUT,
    "Canceled": ReservationStatus.CANCELLED,
    "NoShow": ReservationStatus.NO_SHOW,
}
"""Apaleo's ``ReservationStatus`` enum, all five values."""
BREAKFAST = re.compile(
    r"breakfast|brkf|fr(?:ü|ue)hst(?:ü|ue)ck|petit[- ]d[ée]jeuner|desayuno|colazione",
    re.IGNORECASE,
)
"""How a rate's included breakfast service is named (Apaleo's demo code is ``BRKF``)."""


def status(value: str) -> ReservationStatus:
    """Apaleo's status as ours; a status we do not know is never guessed."""
    try:
        return STATUSES[value]
    except KeyError:
        raise Unavailable(f"the hotel's system reported an unknown status {value!r}") from None


def local_date(moment: datetime, timezone: str | None) -> date:
    """The hotel's calendar date of an Apaleo date-time.

    Apaleo writes arrival and departure with the property's offset
    (``2021-06-30T17:00:00+02:00``), but may write UTC: the moment is moved into the
    property's time zone before the date is taken, never cut off a UTC string.
    """
    return in_zone(moment, timezone).date()


def in_zone(moment: datetime, timezone: str | None) -> datetime:
    """``moment`` on the property's clock (as written where there is no usable zone)."""
    if moment.tzinfo is None or not timezone:
        return moment  # naive: local wall-clock time already; no zone: Apaleo's own offset
    zone = zone_named(timezone)
    return moment.astimezone(zone) if zone is not None else moment


def is_breakfast(service: EmbeddedService) -> bool:
    """Whether an included service is breakfast, by its name, code or id."""
    return any(BREAKFAST.search(text or "") for text in (service.name, service.code, service.id))


def service_name(service: EmbeddedService, property_id: str) -> str:
    """What to call an included service: its name, else what its code or id says.

    Offers often embed a service by id alone (``MUC-BRKF``); a breakfast is then called
    "breakfast", anything else by its code or its id without the property.
    """
    if service.name:
        return service.name
    if is_breakfast(service):
        return "breakfast"
    if service.code:
        return service.code
    return service.id.removeprefix(f"{property_id}-")


def policy_terms(fee: CancellationFee | None, timezone: str | None) -> str | None:
    """The cancellation policy in Apaleo's words, and from when its fee applies."""
    if fee is None:
        return None
    words = ": ".join(p.strip() for p in (fee.name, fee.description) if p and p.strip())
    if fee.due is not None and fee.fee.amount > 0:
        due = in_zone(fee.due, timezone)
        words = f"{words} The fee applies from {due:%Y-%m-%d %H:%M}.".strip()
    return words or None


def fee_at(fee: CancellationFee | None, moment: datetime, currency: str) -> Money:
    """What cancelling at ``moment`` costs: Apaleo's fee once it is due, nothing before."""
    if fee is None:
        return zero(currency)
    if fee.due is not None and _aware(moment) < _aware(fee.due):
        return zero(fee.fee.currency)
    return to_money(fee.fee.amount, fee.fee.currency)


def to_offer(offer: StayOffer, property_id: str, timezone: str | None = None) -> Offer:
    """One Apaleo offer (a unit group at a rate plan, for the stay) as ours.

    ``offer_id`` is the rate plan id: in Apaleo a rate plan belongs to one unit group, so it
    is all a booking needs to take exactly this offer.
    """
    included: list[str] = []
    breakfast = False
    for time_slice in offer.time_slices:
        for item in time_slice.included_services:
            name = service_name(item.service, property_id)
            breakfast = breakfast or is_breakfast(item.service)
            if name not in included:
                included.append(name)
    fee = offer.cancellation_fee
    return Offer(
        room_type_code=offer.unit_group.code,
        room_type_name=offer.unit_group.name,
        description=offer.unit_group.description,
        max_occupancy=offer.unit_group.max_persons,
        rate_plan=offer.rate_plan.name or offer.rate_plan.code or offer.rate_plan.id,
        available_units=offer.available_units,
        total=to_money(offer_gross(offer), offer.total_gross.currency),
        breakfast_included=breakfast,
        offer_id=offer.rate_plan.id,
        cancellation_terms=policy_terms(fee, timezone),
        cancellation_fee=to_money(fee.fee.amount, fee.fee.currency) if fee else None,
        included=included,
    )


def offer_gross(offer: StayOffer) -> Decimal:
    """What booking the offer costs: its gross and the fees Apaleo adds on top at booking.

    A fee in another currency than the offer's (none is known to exist) cannot be added up
    and is left out rather than mislabelled.
    """
    fees = (f.total.gross for f in offer.fees if f.total.currency == offer.total_gross.currency)
    return offer.total_gross.amount + sum(fees, Decimal(0))


def guest_of(reservation: ApaleoReservation) -> Person | None:
    """Who the reservation is for: the primary guest, else the booker."""
    return reservation.primary_guest or reservation.booker


def to_reservation(
    reservation: ApaleoReservation, timezone: str | None, room_type_name: str
) -> Reservation:
    """An Apaleo reservation as what a verified guest may be told."""
    guest = guest_of(reservation)
    return Reservation(
        confirmation_code=reservation.id,
        guest_first_name=(guest.first_name or "") if guest else "",
        guest_last_name=guest.last_name if guest else "",
        arrival=local_date(reservation.arrival, timezone),
        departure=local_date(reservation.departure, timezone),
        room_type_name=room_type_name,
        adults=reservation.adults,
        children=len(reservation.children_ages),
        status=status(reservation.status),
        total=to_money(reservation.total_gross.amount, reservation.total_gross.currency),
    )


def to_hotel_info(hotel_id: str, prop: ApaleoProperty) -> HotelInfo:
    """The facts Apaleo's property holds; the rest is the hotel's own configuration.

    Apaleo keeps no front-desk phone, breakfast, parking, pets, Wi-Fi or policy texts on a
    property, so those stay empty here rather than invented.
    """
    location = prop.location
    address = ""
    if location is not None:
        town = " ".join(p for p in (location.postal_code, location.city) if p)
        parts = (location.address_line1, location.address_line2, town, location.country_code)
        address = ", ".join(p for p in parts if p)
    languages = sorted(prop.name) if isinstance(prop.name, dict) and prop.name else ["en"]
    return HotelInfo(
        hotel_id=hotel_id,
        name=localised(prop.name),
        address=address,
        front_desk_phone="",
        timezone=prop.time_zone,
        currency=prop.currency_code,
        check_in_from="",
        check_out_until="",
        breakfast="",
        parking="",
        pets="",
        wifi="",
        cancellation_policy="",
        languages=languages,
    )


def fold_name(text: str) -> str:
    """A name as a guest spells it: accents, case, spaces, hyphens, apostrophes do not count."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s'’-]", "", text)


def phone_digits(phone: str | None) -> str:
    """The last nine digits: ``+49 89 123343`` and ``089 123343`` compare equal."""
    return re.sub(r"\D", "", phone or "")[-9:]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
