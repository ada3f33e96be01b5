"""What tools hand back to the dialogue: facts plus a short directive, as JSON text.

The same JSON is read by an LLM and by the fallback policy, so money and dates are already
formatted here (by code, from PMS values) and never computed by the dialogue.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hotelvoice.contracts.pms import Availability, Reservation


def spoken_date(day: date) -> str:
    """``Saturday 12 December 2026`` — unambiguous on the phone."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def availability_result(availability: Availability) -> str:
    """Offers for the stay, cheapest first."""
    query = availability.query
    offers = sorted(availability.offers, key=lambda o: o.total.amount_minor)
    result: dict[str, Any] = {
        "arrival": query.arrival.isoformat(),
        "departure": query.departure.isoformat(),
        "arrival_spoken": spoken_date(query.arrival),
        "departure_spoken": spoken_date(query.departure),
        "nights": availability.nights,
        "adults": query.adults,
        "children": query.children,
        "offers": [
            {
                "room_type": offer.room_type_name,
                "description": offer.description,
                "total_price": offer.total.spoken(),
                "total_minor": offer.total.amount_minor,
                "currency": offer.total.currency,
                "rooms_left": offer.available_units,
                "breakfast_included": offer.breakfast_included,
            }
            for offer in offers
        ],
        "directive": (
            "Tell the caller the room types and their total prices exactly as given."
            if offers
            else "Say the hotel is fully booked for these dates and offer other dates."
        ),
    }
    return json.dumps(result, ensure_ascii=False)


def reservation_result(reservation: Reservation) -> str:
    """A verified guest's booking."""
    return json.dumps(
        {
            "found": True,
            "confirmation_code": reservation.confirmation_code,
            "guest_name": f"{reservation.guest_first_name} {reservation.guest_last_name}",
            "arrival": reservation.arrival.isoformat(),
            "departure": reservation.departure.isoformat(),
            "arrival_spoken": spoken_date(reservation.arrival),
            "departure_spoken": spoken_date(reservation.departure),
            "nights": (reservation.departure - reservation.arrival).days,
            "room_type": reservation.room_type_name,
            "status": reservation.status.value,
            "total_price": reservation.total.spoken(),
            "directive": "Confirm the dates, room type and status to the caller.",
        },
        ensure_ascii=False,
    )


def no_reservation_result(attempts_left: int) -> str:
    """Code and name did not match; say nothing about whether the code exists."""
    directive = (
        "Say no reservation matches that code and name; ask for both again."
        if attempts_left
        else "Say you cannot verify the booking and offer the front desk."
    )
    return json.dumps({"found": False, "attempts_left": attempts_left, "directive": directive})


def hotel_info_result(topic: str, answer: str) -> str:
    """One hotel fact."""
    return json.dumps(
        {"topic": topic, "answer": answer, "directive": "Answer with this fact."},
        ensure_ascii=False,
    )
