"""Offers for a stay: Mews' room counts joined with Mews' own prices for the party.

``services/getAvailability`` (ver 2024-01-22) counts rooms per room type and night but has no
prices; ``reservations/price`` prices whole stays for a party, per room type and rate, the
way Mews would charge them (occupancy and age adjustments included). So an availability
question costs two live requests: the counts, then one price request for every room type
that fits the party and has a room each night, times each rate the hotel sells by phone.
Rooms left per night = ``UsableResources`` minus ``Occupied``; Mews' own overbooking check on
``reservations/add`` has the last word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import ValidationError

from hotelvoice.contracts.pms import Availability, AvailabilityQuery, Offer
from hotelvoice.errors import Unavailable
from hotelvoice.pms.mews.api import MewsApi
from hotelvoice.pms.mews.credentials import MewsRate
from hotelvoice.pms.mews.hotel_time import local_date
from hotelvoice.pms.mews.models import (
    MewsAvailability,
    MewsReservationPrice,
    MewsResourceCategory,
)
from hotelvoice.pms.mews.money import money
from hotelvoice.pms.mews.property_facts import PropertyFacts
from hotelvoice.pms.mews.reservations import parse_all
from hotelvoice.pms.mews.stays import person_counts, stay_bounds, time_units

AVAILABILITY = "services/getAvailability/2024-01-22"
METRICS = ["Occupied", "UsableResources"]


@dataclass(frozen=True)
class Candidate:
    """A room type and rate that fit the stay, before Mews prices them."""

    category: MewsResourceCategory
    rate: MewsRate
    rooms_left: int


def offer_id(category_id: str, rate_id: str) -> str:
    """Our handle for booking exactly this offer: ``<ResourceCategoryId>:<RateId>``."""
    return f"{category_id}:{rate_id}"


def parse_offer_id(value: str) -> tuple[str, str] | None:
    """``(category id, rate id)`` of an offer id, or ``None`` if it is not one of ours."""
    category, _, rate = value.partition(":")
    return (category, rate) if category and rate else None


async def find_offers(
    api: MewsApi, facts: PropertyFacts, hotel_id: str, query: AvailabilityQuery
) -> Availability:
    """Every room type and rate with a room on each night, priced by Mews for the party."""
    rates = await api.rates()
    answer = await api.call(
        AVAILABILITY,
        {
            "ServiceId": facts.service_id,
            **time_units(facts, query.arrival, query.departure),
            "Metrics": METRICS,
        },
        idempotent=True,
    )
    rooms = rooms_left(facts, answer, query.arrival, query.nights)
    party = query.adults + query.children
    candidates = [
        Candidate(category, rate, rooms.get(category.id, 0))
        for category in facts.categories.values()
        if category.capacity >= party and rooms.get(category.id, 0) > 0
        for rate in rates
    ]
    offers = await priced_offers(api, facts, query, candidates) if candidates else []
    return Availability(hotel_id=hotel_id, query=query, nights=query.nights, offers=offers)


def rooms_left(
    facts: PropertyFacts, answer: dict[str, object], arrival: date, nights: int
) -> dict[str, int]:
    """Fewest rooms left over the stay's nights per room type (a night Mews left out: none)."""
    try:
        counts = MewsAvailability.model_validate(answer)
    except ValidationError as exc:
        raise Unavailable("the hotel's system answered availability oddly") from exc
    starts = counts.time_unit_starts_utc
    index = {local_date(start, facts.zone): i for i, start in enumerate(starts)}
    wanted = [index.get(arrival + timedelta(days=n)) for n in range(nights)]
    left: dict[str, int] = {}
    for category in counts.resource_category_availabilities:
        usable = category.metrics.get("UsableResources", [])
        occupied = category.metrics.get("Occupied", [])
        per_night = [
            usable[i] - occupied[i] if i is not None and i < min(len(usable), len(occupied)) else 0
            for i in wanted
        ]
        left[category.resource_category_id] = max(0, min(per_night, default=0))
    return left


async def priced_offers(
    api: MewsApi, facts: PropertyFacts, query: AvailabilityQuery, candidates: Sequence[Candidate]
) -> list[Offer]:
    """One ``reservations/price`` request for all candidates; unpriced ones are left out."""
    bounds = stay_bounds(facts, query.arrival, query.departure)
    people = person_counts(facts, query.adults, query.children)
    answer = await api.call(
        "reservations/price",
        {
            "ServiceId": facts.service_id,
            "Reservations": [
                {
                    "Identifier": str(n),
                    **bounds,
                    "PersonCounts": people,
                    "RequestedCategoryId": c.category.id,
                    "RateId": c.rate.id,
                }
                for n, c in enumerate(candidates)
            ],
        },
        idempotent=True,
    )
    prices = parse_all(MewsReservationPrice, answer.get("ReservationPrices"))
    by_identifier = {p.identifier: p for p in prices if p.identifier is not None}
    in_order = len(prices) == len(candidates)  # Mews answers in the order asked
    offers = []
    for n, candidate in enumerate(candidates):
        price = by_identifier.get(str(n)) or (prices[n] if in_order else None)
        if price is None or price.total_amount is None:
            continue
        category, rate = candidate.category, candidate.rate
        offers.append(
            Offer(
                room_type_code=facts.text(category.short_names, category.id),
                room_type_name=facts.text(category.names, "room"),
                description=facts.text(category.descriptions),
                max_occupancy=category.capacity,
                rate_plan=rate.name,
                available_units=candidate.rooms_left,
                total=money(price.total_amount.gross_value, price.total_amount.currency),
                breakfast_included=rate.breakfast,
                offer_id=offer_id(category.id, rate.id),
                included=["breakfast"] if rate.breakfast else [],
            )
        )
    return offers
