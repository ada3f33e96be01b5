"""Changing and cancelling a verified reservation on the phone, for both dialogue engines.

The rules are the booking's (``realtime_agent.booking``): a write only for the reservation
verified in this call (code and last name, ``find_reservation``), read back first (the fee or
the free-cancellation deadline, the new stay and its price, all from the PMS), done only
after the caller's explicit yes to exactly that read-back, and done once: the idempotency key
is the call's, the reservation's and the change's, so a second tool call in one turn, a
repeated yes or a reconnect with the same call id cancels or amends once. A business rule's
refusal (422 ``refused_by_pms``) reaches the caller as the PMS's reason (``Receptionist``).

The tool results are JSON with facts and a directive, like ``realtime_agent.tool_results``;
the fallback policy speaks them (``realtime_agent.fallback.change_dialogue``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from typing import Any

from livekit.agents import ToolError

from hotelvoice.contracts.pms import (
    Availability,
    AvailabilityQuery,
    CancellationQuote,
    Money,
    Offer,
    Reservation,
    ReservationLookup,
    ReservationStatus,
    StayChange,
)
from hotelvoice.errors import InvalidRequest, SoldOut
from realtime_agent.booking import fingerprint
from realtime_agent.call_state import CallState
from realtime_agent.language.speech import room_name
from realtime_agent.language.text import plain_words
from realtime_agent.tool_results import spoken_date, spoken_money
from realtime_agent.transcript import BookingView

QUOTE_TOOL = "quote_cancellation"
CANCEL_TOOL = "cancel_reservation"
CHANGE_TOOL = "change_reservation"
CHANGE_TOOLS = frozenset({QUOTE_TOOL, CANCEL_TOOL, CHANGE_TOOL})
"""The tools of this module: they ask the hotel system like ``find_reservation``."""
KEEP = -1
"""A guest count the caller did not change (``change_reservation``'s default)."""


def verified(state: CallState) -> tuple[Reservation, ReservationLookup]:
    """The reservation verified in this call and the lookup the PMS checks again on a write."""
    reservation, last_name = state.reservation, state.reservation_last_name
    if reservation is None or not last_name:
        raise ToolError(
            "No reservation is verified in this call: ask for the confirmation code and the "
            "last name and call find_reservation first."
        )
    lookup = ReservationLookup(confirmation_code=reservation.confirmation_code, last_name=last_name)
    return reservation, lookup


def change_key(
    call_id: str,
    action: str,
    code: str,
    stay: AvailabilityQuery | None = None,
    *,
    sequence: int = 0,
) -> str:
    """One key per call, reservation and change: the same intent writes once.

    ``sequence`` counts the changes this call already made to the reservation, so moving it
    there, back, and there again is three changes, while a retry after a reconnect (which
    starts counting again) repeats the first key and the PMS answers the first amendment.
    """
    stay_json = stay.model_dump(mode="json") if stay else None
    material = json.dumps([call_id, action, code, stay_json, sequence], sort_keys=True)
    return f"hv-{action}-" + hashlib.sha256(material.encode()).hexdigest()[:40]


def new_stay(
    reservation: Reservation, arrival: str, departure: str, adults: int, children: int
) -> AvailabilityQuery:
    """The stay the caller asks for: what they did not change stays as booked.

    A new arrival alone keeps the number of nights ("move it to the 14th").
    """
    nights = (reservation.departure - reservation.arrival).days
    start = _iso(arrival) if arrival.strip() else reservation.arrival
    end = _iso(departure) if departure.strip() else start + timedelta(days=nights)
    try:
        stay = AvailabilityQuery(
            arrival=start,
            departure=end,
            adults=adults if adults > 0 else reservation.adults,
            children=children if children >= 0 else reservation.children,
        )
    except ValueError as exc:
        raise ToolError(f"That stay cannot be booked: {exc}. Ask the caller again.") from exc
    return stay


def as_booked(reservation: Reservation, stay: AvailabilityQuery) -> bool:
    """The stay is the reservation's as it stands: there is nothing to change."""
    return (stay.arrival, stay.departure, stay.adults, stay.children) == (
        reservation.arrival,
        reservation.departure,
        reservation.adults,
        reservation.children,
    )


def same_room(availability: Availability, reservation: Reservation) -> Offer | None:
    """The re-quoted offer for the room type the reservation has (a change keeps the room)."""
    booked = plain_words(reservation.room_type_name)
    return next((o for o in availability.offers if plain_words(o.room_type_name) == booked), None)


async def quote_cancellation(state: CallState) -> str:
    """What cancelling would cost now; nothing changes and nothing is armed for a yes."""
    reservation, lookup = verified(state)
    quote = await state.pms.cancellation_quote(state.hotel_id, lookup)
    return quote_result(reservation, quote, state.language, needs_confirmation=False)


async def cancel_reservation(state: CallState) -> str:
    """Quote and read back first; cancel only after the caller's yes to that fee, once."""
    reservation, lookup = verified(state)
    key = change_key(state.call_id, "cancel", reservation.confirmation_code)
    async with state.booking_lock:
        if key in state.bookings:
            return state.bookings[key]  # cancelled already: a second call, a repeated yes
        quote = await state.pms.cancellation_quote(state.hotel_id, lookup)
        if not quote.cancellable:
            return quote_result(reservation, quote, state.language, needs_confirmation=False)
        signed = fingerprint(
            {"action": "cancel", "code": reservation.confirmation_code, "fee": _minor(quote.fee)}
        )
        if state.booking_confirmed != signed:
            state.read_back, state.booking_confirmed = signed, None
            return quote_result(reservation, quote, state.language, needs_confirmation=True)
        done = await state.pms.cancel(state.hotel_id, lookup, key)
        result = json.dumps(
            {
                "cancelled": True,
                "confirmation_code": done.confirmation_code,
                **_money("fee", done.fee, state.language),
                "directive": "Tell the caller the booking is cancelled, with the fee if any.",
            },
            ensure_ascii=False,
        )
        state.bookings[key] = result
        state.read_back = state.booking_confirmed = None
        state.reservation = reservation.model_copy(update={"status": done.status})
        state.record_booking(
            BookingView.of("cancelled", reservation, charged=done.fee),
            confirmation_sent=done.confirmation_sent,
            key=key,
        )
        return result


async def change_reservation(
    state: CallState, arrival: str, departure: str, adults: int, children: int
) -> str:
    """Re-quote the new stay, read it back; amend only after the caller's yes, once."""
    async with state.booking_lock:
        reservation, lookup = verified(state)  # as the last change in this call left it
        stay = new_stay(reservation, arrival, departure, adults, children)
        code = reservation.confirmation_code
        done = f"changed-{code}-{stay.model_dump_json()}"
        if as_booked(reservation, stay):
            if done in state.bookings:
                return state.bookings[done]  # changed already: a second call, a repeated yes
            raise ToolError("That is the stay as booked: ask the caller what to change.")
        made = sum(b.action == "changed" and b.confirmation_code == code for b in state.booked)
        key = change_key(state.call_id, "change", code, stay, sequence=made)
        availability = await state.pms.availability(
            state.hotel_id, stay.arrival, stay.departure, stay.adults, stay.children
        )
        offer = same_room(availability, reservation)
        if offer is None:
            return _stay_result(reservation, stay, None, state.language)
        signed = fingerprint(
            {
                "action": "change",
                "code": reservation.confirmation_code,
                "stay": stay.model_dump(mode="json"),
                "total": _minor(offer.total),
            }
        )
        if state.booking_confirmed != signed:
            state.read_back, state.booking_confirmed = signed, None
            return _stay_result(reservation, stay, offer.total, state.language)
        change = StayChange(stay=stay, offer_id=offer.offer_id)
        try:
            amended = await state.pms.amend(state.hotel_id, lookup, change, key)
        except SoldOut:
            return _stay_result(reservation, stay, None, state.language)
        result = _stay_result(amended, stay, amended.total, state.language, changed=True)
        state.bookings[done] = result
        state.read_back = state.booking_confirmed = None
        state.reservation = Reservation.model_validate(amended.model_dump(include=_RESERVATION))
        state.record_booking(
            BookingView.of("changed", amended),
            confirmation_sent=amended.confirmation_sent,
            key=key,
        )
        return result


_RESERVATION = set(Reservation.model_fields)


def quote_result(
    reservation: Reservation, quote: CancellationQuote, language: str, *, needs_confirmation: bool
) -> str:
    """The cancellation's cost: the fee, or that it is free and until when; or why it cannot be."""
    already = reservation.status is ReservationStatus.CANCELLED
    if not quote.cancellable:
        directive = (
            "Tell the caller this booking is already cancelled."
            if already
            else "Tell the caller, with this reason, that the booking cannot be cancelled by "
            "phone, and offer the front desk."
        )
    elif needs_confirmation:
        directive = (
            "Nothing is cancelled yet. Tell the caller the fee, or that cancelling is free and "
            "until when, and ask whether to cancel the booking. Only after their explicit yes "
            "call cancel_reservation again."
        )
    else:
        directive = "Tell the caller the fee, or that cancelling is free and until when."
    result: dict[str, Any] = {
        "cancelled": False,
        "cancellable": quote.cancellable,
        "already_cancelled": already,
        "needs_confirmation": needs_confirmation and quote.cancellable,
        "confirmation_code": reservation.confirmation_code,
        **_dates(reservation.arrival, reservation.departure, language),
        **_money("fee", quote.fee, language),
        "free": quote.cancellable and quote.fee.amount_minor == 0,
        "free_until": quote.free_until.isoformat() if quote.free_until else None,
        "free_until_spoken": spoken_date(quote.free_until, language) if quote.free_until else None,
        "reason": None if quote.cancellable else (quote.terms or ""),
        "directive": directive,
    }
    return json.dumps(result, ensure_ascii=False)


def _stay_result(
    reservation: Reservation,
    stay: AvailabilityQuery,
    total: Money | None,
    language: str,
    *,
    changed: bool = False,
) -> str:
    """The new stay read back with its price (``total``), changed, or the room not free for it."""
    available = total is not None
    if changed:
        directive = "Tell the caller the booking is changed: the new dates, guests and total."
    elif available:
        directive = (
            "Nothing is changed yet. Read the new dates, guests and total back and ask whether "
            "to change the booking. Only after their explicit yes call change_reservation "
            "again with the same arguments."
        )
    else:
        directive = (
            "Tell the caller the booked room is not free for that stay; the booking stays as "
            "it is. Offer other dates or the front desk."
        )
    result: dict[str, Any] = {
        "changed": changed,
        "available": available,
        "needs_confirmation": available and not changed,
        "confirmation_code": reservation.confirmation_code,
        "room_type": room_name(reservation.room_type_name, language),
        **_dates(stay.arrival, stay.departure, language),
        "nights": (stay.departure - stay.arrival).days,
        "adults": stay.adults,
        "children": stay.children,
        "old_total_minor": reservation.total.amount_minor,
        **(_money("total", total, language) if total else {}),
        "directive": directive,
    }
    return json.dumps(result, ensure_ascii=False)


def _dates(arrival: date, departure: date, language: str) -> dict[str, str]:
    return {
        "arrival": arrival.isoformat(),
        "departure": departure.isoformat(),
        "arrival_spoken": spoken_date(arrival, language),
        "departure_spoken": spoken_date(departure, language),
    }


def _money(name: str, money: Money, language: str) -> dict[str, Any]:
    return {
        f"{name}_minor": money.amount_minor,
        "currency": money.currency,
        f"{name}_text": spoken_money(money.amount_minor, money.currency, language),
    }


def _minor(money: Money) -> int:
    return money.amount_minor


def _iso(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidRequest(f"{value!r} is not a date as YYYY-MM-DD") from exc
