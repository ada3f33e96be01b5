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

from hotelvoice.contracts.pms import Availability, Booking, Offer, Reservation
from realtime_agent.language import base_language
from realtime_agent.language.speech import room_name, speech

PMS_UNAVAILABLE = "pms_unavailable"
"""``error`` of a PMS tool's output when the hotel system is down, rate-limited or too slow."""
PMS_REFUSED = "refused_by_pms"
"""``error`` of a PMS tool's output when the PMS refused the request; ``reason`` says why."""


def spoken_date(day: date, language: str = "en") -> str:
    """A date as a phone receptionist says it, in ``language``.

    English keeps ``Saturday 12 December 2026`` (unambiguous on the phone); the other
    languages use their CLDR long form: ``Samstag, 12. Dezember 2026``,
    ``samedi 12 décembre 2026``, ``sábado, 12 de diciembre de 2026``,
    ``sabato 12 dicembre 2026``.
    """
    base = base_language(language)
    said = speech(base)
    if day.day == 1 and said.first_of_month != said.stay_date:  # "samedi 1er mai 2027"
        return format_date(day, f"EEEE {said.first_of_month} y", locale=base)
    return format_date(day, said.long_date, locale=base)


def stay_date(day: date, language: str = "en") -> str:
    """A date inside a stay, short enough for a phone answer: "15 January", "15. Januar".

    No weekday and no year: an availability answer names two dates and three prices in
    under 40 words, and a stay is asked for within the coming year.
    """
    base = base_language(language)
    said = speech(base)
    pattern = said.first_of_month if day.day == 1 else said.stay_date
    return format_date(day, pattern, locale=base)


def spoken_money(amount_minor: int, currency: str, language: str = "en") -> str:
    """A PMS total as text-to-speech reads it well in ``language``.

    Digits without thousands separators outside English (``1234 Euro``: a TTS voice
    may read "1.234" as a decimal), the currency named, cents after the unit as people
    say them: ``1,234.50 euros``, ``1234 Euro 50``, ``1234 euros con 50``.
    """
    base = base_language(language)
    whole, cents = divmod(amount_minor, 100)
    name = get_currency_name(currency, count=2 if whole != 1 or cents else 1, locale=base)
    joiner = speech(base).cents_joiner
    if joiner is None:
        amount = f"{amount_minor / 100:,.2f}".replace(".00", "")
        return f"{amount} {name}"
    if not cents:
        return f"{whole} {name}"
    return f"{whole} {name}{joiner}{cents:02d}"


def spoken_amount(amount_minor: int, language: str = "en") -> str:
    """An amount without its currency, once the currency was named: "155", "155 con 50".

    "310 euros, 155 a night": the second price of an offer leaves out the unit, which
    keeps an answer with three offers phone-sized.
    """
    whole, cents = divmod(amount_minor, 100)
    joiner = speech(base_language(language)).cents_joiner
    if not cents:
        return f"{whole:,}" if joiner is None else str(whole)
    return f"{amount_minor / 100:,.2f}" if joiner is None else f"{whole}{joiner}{cents:02d}"


MAX_OFFERS_SPOKEN = 3
"""An availability answer names at most this many offers, cheapest first; more on request."""


def _offer(offer: Offer, nights: int, language: str) -> dict[str, Any]:
    per_night = offer.total.amount_minor // max(nights, 1)
    return {
        "room_type": room_name(offer.room_type_name, language),
        "description": offer.description,
        "total_price": offer.total.spoken(),
        "total_spoken": spoken_money(offer.total.amount_minor, offer.total.currency, language),
        "total_minor": offer.total.amount_minor,
        "per_night_minor": per_night,
        "per_night_spoken": spoken_money(per_night, offer.total.currency, language),
        "currency": offer.total.currency,
        "max_occupancy": offer.max_occupancy,
        "rooms_left": offer.available_units,
        "breakfast_included": offer.breakfast_included,
        "cancellation_terms": offer.cancellation_terms,
    }


def _several_rooms(rooms: Availability, party: int, language: str) -> dict[str, Any] | None:
    """The cheapest way to lodge ``party`` in rooms of one type, or None if none is free.

    ``rooms`` is what is free for one guest: every room type with a unit left. The answer
    names how many rooms of which type, priced per room as the PMS priced it; the sum is
    left to the front desk, which books several rooms.
    """
    splits = []
    for offer in rooms.offers:
        needed = -(-party // max(offer.max_occupancy, 1))
        if offer.available_units >= needed:
            splits.append((needed * offer.total.amount_minor, needed, offer))
    if not splits:
        return None
    _, needed, offer = min(splits, key=lambda split: split[:2])
    return {"rooms": needed, **_offer(offer, rooms.nights, language)}


def availability_result(
    availability: Availability, language: str = "en", rooms: Availability | None = None
) -> str:
    """Offers for the stay, cheapest first, dates and totals spoken in ``language``.

    At most three are to be said (``offers``); the rest (``more_offers``) only on request.
    Dates are short ("15 January"): the answer must stay phone-sized. ``rooms`` is what is
    free for one guest, asked when no room type holds the whole party: then the answer
    says the capacity of the largest room free for the stay (not the hotel's largest: that
    one may be taken) and offers several rooms (``several_rooms``) instead
    of "fully booked" while rooms are free.
    """
    query = availability.query
    offers = [
        _offer(o, availability.nights, language)
        for o in sorted(availability.offers, key=lambda o: o.total.amount_minor)
    ]
    result: dict[str, Any] = {
        "arrival": query.arrival.isoformat(),
        "departure": query.departure.isoformat(),
        "arrival_spoken": stay_date(query.arrival, language),
        "departure_spoken": stay_date(query.departure, language),
        "nights": availability.nights,
        "adults": query.adults,
        "children": query.children,
        "offers": offers[:MAX_OFFERS_SPOKEN],
        "more_offers": offers[MAX_OFFERS_SPOKEN:],
        "directive": (
            "Tell the caller at most these three room types, cheapest first, each with its "
            "price per night and total exactly as given; mention more_offers only when asked. "
            "Then offer to book one (book_room)."
            if offers
            else "Say the hotel is fully booked for these dates and offer other dates."
        ),
    }
    party = query.adults + query.children
    if not offers and rooms is not None and rooms.offers:
        largest = max(o.max_occupancy for o in rooms.offers)
        split = _several_rooms(rooms, party, language) if largest < party else None
        if split is not None:
            result["largest_room_holds"] = largest
            result["several_rooms"] = split
            result["directive"] = (
                "No single room free for these dates holds the whole party: say the largest "
                "room free for these dates holds largest_room_holds guests (a larger room "
                "may exist but be taken), offer several_rooms (how many rooms of which "
                "type, price per room) and offer to connect the caller to the front desk "
                "(transfer_to_front_desk), which books several rooms. Never say fully booked."
            )
    return json.dumps(result, ensure_ascii=False)


def booking_read_back_result(
    availability: Availability,
    offer: Offer,
    arguments: dict[str, Any],
    cancellation_terms: str,
    language: str = "en",
) -> str:
    """Nothing is booked yet: what to read back before the caller's explicit yes."""
    query = availability.query
    details = _offer(offer, availability.nights, language)
    return json.dumps(
        {
            "booked": False,
            "needs_confirmation": True,
            "arrival": query.arrival.isoformat(),
            "departure": query.departure.isoformat(),
            "nights": availability.nights,
            "adults": query.adults,
            "children": query.children,
            "room_type": details["room_type"],
            "total_spoken": details["total_spoken"],
            "per_night_spoken": details["per_night_spoken"],
            "total_minor": offer.total.amount_minor,
            "per_night_minor": details["per_night_minor"],
            "currency": offer.total.currency,
            "cancellation_terms": cancellation_terms,
            **arguments,
            "directive": (
                "Nothing is booked yet. Read the booking back to the caller in under 40 "
                "words: room, dates, name, requests, the total and the cancellation terms "
                "(the e-mail and the phone were read back when given). Ask them to confirm "
                "with yes. Only after they say yes, call book_room again with exactly these "
                "arguments, once. Never ask for card details."
            ),
        },
        ensure_ascii=False,
    )


def booking_result(
    booking: Booking,
    code_spelled: str,
    guarantee: str,
    *,
    email: str | None,
    language: str = "en",
) -> str:
    """The booking is made: the code spelled for speech, the total, what the guarantee means."""
    reservation = booking.reservation
    directives = {
        "none": "Give the confirmation code exactly as code_spelled, once.",
        "payment_link": (
            "Give the confirmation code exactly as code_spelled, and say a secure link "
            "to guarantee the booking comes by e-mail. Never take card details by phone."
        ),
        "front_desk": (
            "Give the confirmation code exactly as code_spelled, say the front desk "
            "will guarantee the booking, then call transfer_to_front_desk with reason "
            "booking_guarantee."
        ),
    }
    return json.dumps(
        {
            "booked": True,
            "confirmation_code": reservation.confirmation_code,
            "code_spelled": code_spelled,
            "room_type": room_name(reservation.room_type_name, language),
            "arrival": reservation.arrival.isoformat(),
            "departure": reservation.departure.isoformat(),
            "total_spoken": spoken_money(
                reservation.total.amount_minor, reservation.total.currency, language
            ),
            "guarantee": guarantee,
            "transfer_to_front_desk": guarantee == "front_desk",
            "confirmation_email": bool(email) and booking.confirmation_sent is not False,
            "directive": directives.get(guarantee, directives["none"]),
        },
        ensure_ascii=False,
    )


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
            "room_type": room_name(reservation.room_type_name, language),
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
