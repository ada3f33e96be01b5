"""The ``book_room`` tool's work, the same for both dialogue engines.

Two calls make a booking: the first reads the booking back and books nothing; the second
books, and only the read-back the caller said yes to in their latest turn
(``CallState.booking_confirmed`` holds its fingerprint, set from the caller's words, never
from the engine's). The idempotency key is per call, stay and offer, so a repeated yes, a
second call in one turn or a reconnect books once.
"""

from __future__ import annotations

from livekit.agents import ToolError

from realtime_agent.booking import (
    booking_request,
    choose_offer,
    fingerprint,
    idempotency_key,
    offers_cheapest_first,
    spell_code,
)
from realtime_agent.call_state import CallState
from realtime_agent.fallback.replies import replies_for
from realtime_agent.tool_results import booking_read_back_result, booking_result
from realtime_agent.transcript import BookingView


async def book_room(state: CallState, arguments: dict[str, str]) -> str:
    """Read back first; book only the read-back the caller said yes to, once per key."""
    availability = state.availability
    if availability is None or not availability.offers:
        raise ToolError("Check availability for the stay first (check_availability).")
    offer = choose_offer(availability, arguments["room"])
    if offer is None:
        names = ", ".join(o.room_type_name for o in offers_cheapest_first(availability))
        raise ToolError(f"Ask which room the caller wants: {names}.")
    key = idempotency_key(state.call_id, availability, offer)
    async with state.booking_lock:
        if key in state.bookings:
            return state.bookings[key]  # booked already: a second call, a repeated yes
        request = booking_request(state, availability, offer, arguments)
        if state.events is not None:
            # The read-back names the guest: keep the name out of what is stored.
            state.events.known_names.update({request.guest.first_name, request.guest.last_name})
        confirmed = {
            **arguments,
            "room": offer.room_type_name,
            "email": request.guest.email or "",
            "phone": request.guest.phone or "",
        }
        signed = fingerprint(confirmed)
        if state.booking_confirmed != signed:
            state.read_back, state.booking_confirmed = signed, None
            terms = offer.cancellation_terms or state.hotel.cancellation_policy
            return booking_read_back_result(availability, offer, confirmed, terms, state.language)
        booking = await state.pms.create_booking(state.hotel_id, request, key)
        reservation = booking.reservation
        replies = replies_for(state.hotel, state.language)
        spelled = spell_code(reservation.confirmation_code, state.language, replies.spell_letter)
        guarantee = state.booking_settings.guarantee
        result = booking_result(
            booking, spelled, guarantee, email=request.guest.email, language=state.language
        )
        state.bookings[key] = result
        state.read_back = state.booking_confirmed = None
        if state.events is not None:
            state.events.known_names.update(
                {reservation.guest_first_name, reservation.guest_last_name}
            )
        state.record_booking(
            BookingView.of("created", reservation),
            confirmation_sent=booking.confirmation_sent,
            key=key,
        )
        return result
