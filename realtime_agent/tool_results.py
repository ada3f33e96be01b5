"""What tools hand back to the dialogue: facts plus a short directive, as JSON text.

The same JSON is read by an LLM and by the fallback policy, so money and dates are already
formatted here (by code, from PMS values, in the caller's language) and never computed by
the dialogue.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import get_currency_name

from hotelvoice.contracts.pms import Availability, Reservation
from realtime_agent.language import base_language

PMS_UNAVAILABLE = "pms_unavailable"
"""``error`` of a PMS tool's output when the hotel system is down, rate-limited or too slow."""
PMS_REFUSED = "refused_by_pms"
"""``error`` of a PMS tool's output when the PMS refused the request; ``reason`` says why."""

# French and Italian say the first of the month as an ordinal ("1er mars", "1º marzo").
_FIRST_OF_MONTH = {"fr": "EEEE '1er' MMMM y", "it": "EEEE '1º' MMMM y"}
# How the cents follow the whole amount when read out: "389 Euro 50", "389 euros con 50".
_CENTS_JOINER = {"de": " ", "fr": " ", "es": " con ", "it": " e "}


def spoken_date(day: date, language: str = "en") -> str:
    """A date as a phone receptionist says it, in ``language``.

    English keeps ``Saturday 12 December 2026`` (unambiguous on the phone); the other
    languages use their CLDR long form: ``Samstag, 12. Dezember 2026``,
    ``samedi 12 décembre 2026``, ``sábado, 12 de diciembre de 2026``,
    ``sabato 12 dicembre 2026``.
    """
    base = base_language(language)
    if base == "en":
        return f"{day:%A} {day.day} {day:%B %Y}"
    if day.day == 1 and base in _FIRST_OF_MONTH:
        return format_date(day, _FIRST_OF_MONTH[base], locale=base)
    return format_date(day, "full", locale=base)


def spoken_money(amount_minor: int, currency: str, language: str = "en") -> str:
    """A PMS total as text-to-speech reads it well in ``language``.

    Digits without thousands separators outside English (``1234 Euro``: a TTS voice
    may read "1.234" as a decimal), the currency named, cents after the unit as people
    say them: ``1,234.50 euros``, ``1234 Euro 50``, ``1234 euros con 50``.
    """
    base = base_language(language)
    whole, cents = divmod(amount_minor, 100)
    name = get_currency_name(currency, count=2 if whole != 1 or cents else 1, locale=base)
    if base == "en" or base not in _CENTS_JOINER:
        amount = f"{amount_minor / 100:,.2f}".replace(".00", "")
        return f"{amount} {name}"
    if not cents:
        return f"{whole} {name}"
    return f"{whole} {name}{_CENTS_JOINER[base]}{cents:02d}"


def availability_result(availability: Availability, language: str = "en") -> str:
    """Offers for the stay, cheapest first, dates and totals spoken in ``language``."""
    query = availability.query
    offers = sorted(availability.offers, key=lambda o: o.total.amount_minor)
    result: dict[str, Any] = {
        "arrival": query.arrival.isoformat(),
        "departure": query.departure.isoformat(),
        "arrival_spoken": spoken_date(query.arrival, language),
        "departure_spoken": spoken_date(query.departure, language),
        "nights": availability.nights,
        "adults": query.adults,
        "children": query.children,
        "offers": [
            {
                "room_type": offer.room_type_name,
                "description": offer.description,
                "total_price": offer.total.spoken(),
                "total_spoken": spoken_money(
                    offer.total.amount_minor, offer.total.currency, language
                ),
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


def reservation_result(reservation: Reservation, language: str = "en") -> str:
    """A verified guest's booking, dates and total spoken in ``language``."""
    return json.dumps(
        {
            "found": True,
            "confirmation_code": reservation.confirmation_code,
            "guest_name": f"{reservation.guest_first_name} {reservation.guest_last_name}",
            "arrival": reservation.arrival.isoformat(),
            "departure": reservation.departure.isoformat(),
            "arrival_spoken": spoken_date(reservation.arrival, language),
            "departure_spoken": spoken_date(reservation.departure, language),
            "nights": (reservation.departure - reservation.arrival).days,
            "room_type": reservation.room_type_name,
            "status": reservation.status.value,
            "total_price": reservation.total.spoken(),
            "total_spoken": spoken_money(
                reservation.total.amount_minor, reservation.total.currency, language
            ),
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


def pms_unavailable_result(retry_after_s: int | None = None) -> str:
    """The hotel system cannot be asked now (down, rate-limited, no answer in time).

    Nothing is known about the caller's request, so the dialogue must not guess: it
    apologises and offers a person or a message. ``retry_after_s`` is how long the API
    asked us to wait, when it said.
    """
    result: dict[str, Any] = {
        "error": PMS_UNAVAILABLE,
        "directive": (
            "Apologise that the hotel system cannot be reached just now. Offer to connect "
            "the caller to the front desk (transfer_to_front_desk) or to take a message "
            "(take_message); do not guess availability, prices or bookings."
        ),
    }
    if retry_after_s is not None:
        result["retry_after_s"] = retry_after_s
    return json.dumps(result)


def pms_refused_result(reason: str) -> str:
    """The hotel's PMS refused the request; ``reason`` is its own words, to be relayed."""
    return json.dumps(
        {
            "error": PMS_REFUSED,
            "reason": reason,
            "directive": (
                "Tell the caller, in their language, that the hotel system did not accept "
                "this, with its reason. Offer the front desk (transfer_to_front_desk) or a "
                "message (take_message)."
            ),
        },
        ensure_ascii=False,
    )
