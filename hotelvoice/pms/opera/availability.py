"""Prices from OPERA's ``getHotelAvailability`` (``GET /par/v1/hotels/{hotelId}/availability``).

One request per stay: ``roomStayStartDate``/``roomStayEndDate`` (at most 90 days apart),
``adults``, ``children``, one room, ``roomTypeInfo=true`` (room type names, occupancy) and
``ratePlanInfo=true`` (rate names, meal plans, cancellation penalty). Each ``roomRate`` is one
room type at one rate for the whole stay; its ``total.amountAfterTax`` is the gross the guest
pays, which is what we quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hotelvoice.contracts.pms import AvailabilityQuery, Offer
from hotelvoice.errors import InvalidRequest
from hotelvoice.pms.money import to_money
from hotelvoice.pms.opera.money import decimal_of
from hotelvoice.pms.opera.wire import dig, integer, objects, text

MAX_SPAN_DAYS = 90
OFFER_SEPARATOR = "|"
"""``offer_id`` is ``<roomType>|<ratePlanCode>``: OPERA codes never hold a ``|``."""
BOOKABLE = frozenset({None, "Available"})
"""``roomRate.availability``: absent or ``Available`` can be booked; ``Restricted…`` cannot."""


def availability_params(query: AvailabilityQuery) -> dict[str, Any]:
    """Query parameters for the stay, typed as OPERA's schema says (integers, booleans)."""
    if query.nights > MAX_SPAN_DAYS:
        raise InvalidRequest(f"OPERA prices at most {MAX_SPAN_DAYS} nights at once")
    return {
        "roomStayStartDate": query.arrival.isoformat(),
        "roomStayEndDate": query.departure.isoformat(),
        "roomStayQuantity": 1,
        "adults": query.adults,
        "children": query.children,
        "roomTypeInfo": "true",
        "ratePlanInfo": "true",
    }


def offer_id(room_type: str, rate_plan: str) -> str:
    """Our handle for one room type at one rate."""
    return f"{room_type}{OFFER_SEPARATOR}{rate_plan}"


def parse_offer_id(value: str) -> tuple[str, str]:
    """``"DLXK|BARBB"`` → ``("DLXK", "BARBB")``; anything else is not one of our offers."""
    room_type, sep, rate_plan = value.partition(OFFER_SEPARATOR)
    if not sep or not room_type or not rate_plan or OFFER_SEPARATOR in rate_plan:
        raise InvalidRequest("that offer is not an OPERA room type and rate")
    if len(room_type) > 20 or len(rate_plan) > 20:
        raise InvalidRequest("that offer is not an OPERA room type and rate")
    return room_type, rate_plan


@dataclass(frozen=True)
class RoomType:
    """A room type as OPERA's master information describes it."""

    code: str
    name: str
    description: str
    max_occupancy: int | None


@dataclass(frozen=True)
class RatePlan:
    """A rate plan's name, meal plans and cancellation penalty (``ratePlanInfo=true``)."""

    code: str
    name: str
    breakfast: bool
    included: list[str] = field(default_factory=list)
    cancellation_terms: str | None = None
    non_refundable: bool = False


def room_types(payload: dict[str, Any]) -> dict[str, RoomType]:
    """Room types by code from every segment's ``masterInfo.roomTypes``."""
    found: dict[str, RoomType] = {}
    for segment in objects(payload.get("hotelAvailability")):
        for entry in objects(dig(segment, "masterInfo", "roomTypes", "roomType")):
            code = text(entry.get("roomType"))
            if code is None or code in found:
                continue
            name = text(entry.get("description")) or text(entry.get("webName")) or code
            found[code] = RoomType(
                code=code,
                name=name,
                description=text(entry.get("longDescription")) or name,
                max_occupancy=integer(dig(entry, "roomTypeAttributes", "maximumOccupancy")),
            )
    return found


def rate_plans(payload: dict[str, Any]) -> dict[str, RatePlan]:
    """Rate plans by code from every segment's ``masterInfo.ratePlans``."""
    found: dict[str, RatePlan] = {}
    for segment in objects(payload.get("hotelAvailability")):
        for entry in objects(dig(segment, "masterInfo", "ratePlans", "ratePlan")):
            code = text(entry.get("ratePlanCode"))
            if code is None or code in found:
                continue
            meals = objects(entry.get("mealPlans"))
            penalty = dig(entry, "cancelPenalty") or {}
            found[code] = RatePlan(
                code=code,
                name=text(entry.get("description")) or text(entry.get("shortInfo")) or code,
                breakfast="breakfast" in included_meals(meals),
                included=included_meals(meals),
                cancellation_terms=text(penalty.get("formattedRule"))
                or text(penalty.get("penaltyDescription")),
                non_refundable=penalty.get("nonRefundable") is True,
            )
    return found


def included_meals(meal_plans: list[dict[str, Any]]) -> list[str]:
    """The meals OPERA's meal plans say the rate includes.

    ``breakfastIncluded`` says only that a plan serves breakfast; ``included: false`` says
    the plan is not in the rate (bookable at extra cost), and a caller must not hear
    "breakfast included" for it.
    """
    in_rate = [m for m in meal_plans if m.get("included") is not False]
    meals = []
    for meal, flag in (("breakfast", "breakfastIncluded"), ("lunch", "lunchIncluded"),
                       ("dinner", "dinnerIncluded")):  # fmt: skip
        if any(m.get(flag) is True for m in in_rate):
            meals.append(meal)
    return meals


def gross_total(total: Any, tax_included: object) -> Decimal | None:
    """What the guest pays for the stay: ``amountAfterTax``.

    Where OPERA gives only ``amountBeforeTax`` for a tax-inclusive rate, that amount already
    holds the (inclusive) taxes and is the gross too. A tax-exclusive rate without an
    after-tax total has no gross we could quote: None.
    """
    after = decimal_of(dig(total, "amountAfterTax"))
    if after is not None:
        return after
    if tax_included is True:
        return decimal_of(dig(total, "amountBeforeTax"))
    return None


def offers_from(
    payload: dict[str, Any], query: AvailabilityQuery, default_currency: str | None
) -> list[Offer]:
    """Bookable offers, cheapest first; an empty list means OPERA has nothing for the stay."""
    types = room_types(payload)
    plans = rate_plans(payload)
    party = query.adults + query.children
    offers: dict[str, Offer] = {}
    for segment in objects(payload.get("hotelAvailability")):
        for stay in objects(segment.get("roomStays")):
            for rate in objects(stay.get("roomRates")):
                offer = _offer(rate, types, plans, party, default_currency)
                if offer is not None and offer.offer_id not in offers:
                    offers[str(offer.offer_id)] = offer
    return sorted(offers.values(), key=lambda o: (o.total.amount_minor, o.room_type_name))


def _offer(
    rate: dict[str, Any],
    types: dict[str, RoomType],
    plans: dict[str, RatePlan],
    party: int,
    default_currency: str | None,
) -> Offer | None:
    room_code = text(rate.get("roomType"))
    plan_code = text(rate.get("ratePlanCode"))
    if room_code is None or plan_code is None or text(rate.get("availability")) not in BOOKABLE:
        return None
    amount = gross_total(rate.get("total"), rate.get("taxIncluded"))
    currency = text(dig(rate, "total", "currencyCode")) or default_currency
    if amount is None or currency is None:
        return None
    room = types.get(room_code) or RoomType(room_code, room_code, room_code, None)
    if room.max_occupancy is not None and room.max_occupancy < party:
        return None
    plan = plans.get(plan_code) or RatePlan(plan_code, plan_code, breakfast=False)
    meals = objects(rate.get("mealPlans"))
    included = included_meals(meals) or plan.included
    packages = [
        text(p.get("packageCode")) or ""
        for p in objects(rate.get("packages"))
        if p.get("includedInRate") is True
    ]
    total = to_money(amount, currency, dig(rate, "total", "decimalPlaces"))
    return Offer(
        room_type_code=room_code,
        room_type_name=room.name,
        description=room.description,
        max_occupancy=room.max_occupancy or party,
        rate_plan=plan.name,
        available_units=max(1, integer(rate.get("numberOfUnits")) or 1),
        total=total,
        breakfast_included="breakfast" in included or plan.breakfast,
        offer_id=offer_id(room_code, plan_code),
        cancellation_terms=_terms(plan),
        cancellation_fee=total if plan.non_refundable else None,
        included=[*included, *(p for p in packages if p and p not in included)],
    )


def _terms(plan: RatePlan) -> str | None:
    if plan.non_refundable and not plan.cancellation_terms:
        return "non-refundable"
    return plan.cancellation_terms


def currency_needed(payload: dict[str, Any]) -> bool:
    """Some priced rate names no currency: the hotel's own currency has to be looked up."""
    for segment in objects(payload.get("hotelAvailability")):
        for stay in objects(segment.get("roomStays")):
            for rate in objects(stay.get("roomRates")):
                if rate.get("total") is not None and not text(dig(rate, "total", "currencyCode")):
                    return True
    return False
