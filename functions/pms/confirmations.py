"""Confirmation e-mails for the PMS writes: after the write, in the guest's language, once.

Sent only where the caller gave an address and the hotel's ``booking.confirmation_email`` is
on. The write is done and stands whatever happens here: a failure (the hotel's facts not
readable, SES refusing) answers ``False`` and is logged without personal data; the route then
reports ``confirmation_sent: false`` and the front desk sends it. A retried request with the
same ``Idempotency-Key`` sends nothing (``hotelvoice.mail.sender``).

A change or a cancellation is confirmed to the address the booking holds, in its language
(:func:`recipient_for`, ``hotelvoice.mail.contacts``), else to the one the caller gave.
"""

from __future__ import annotations

import logging

from functions.pms.routes import pms_call, with_configuration
from hotelvoice.contracts.hotels import BookingSettings
from hotelvoice.contracts.pms import ConfirmationRecipient
from hotelvoice.errors import HotelVoiceError
from hotelvoice.mail import sender
from hotelvoice.mail.confirmation import ConfirmationFacts, ConfirmationKind, compose, pick_language
from hotelvoice.mail.contacts import booking_contact, recipient
from hotelvoice.pms.registry import connector_for, hotel_config

logger = logging.getLogger(__name__)


async def confirm(
    hotel_id: str,
    scope: str,
    *,
    to: str | None,
    language: str | None,
    facts: ConfirmationFacts,
) -> bool | None:
    """E-mail the confirmation of one write; ``None`` where none is due.

    Args:
        hotel_id: The hotel.
        scope: The write's scoped idempotency key (one message per key, ever).
        to: The guest's address, if the caller gave one.
        language: The caller's language; else the hotel's first, else English.
        facts: The booking's facts; the hotel's name, phone and terms are added here.
    """
    if not to:
        return None
    try:
        return await _confirm(hotel_id, scope, to, language, facts)
    except Exception as exc:  # the write is done: nothing here may fail it
        _not_sent(hotel_id, type(exc).__name__)
        return False


async def _confirm(
    hotel_id: str, scope: str, to: str, language: str | None, facts: ConfirmationFacts
) -> bool | None:
    config = hotel_config(hotel_id)
    booking = config.booking if config else BookingSettings()
    if not booking.confirmation_email:
        return None
    chosen = pick_language(language, *(config.languages if config else ()))
    try:
        async with pms_call("HotelInfo"):
            info = with_configuration(await connector_for(hotel_id).hotel_info(hotel_id), config)
    except HotelVoiceError as exc:
        _not_sent(hotel_id, exc.code)
        return False
    terms = info.policy_text("cancellation", chosen) or info.cancellation_policy or None
    full = ConfirmationFacts(
        **{
            **facts.__dict__,
            "hotel": info.name,
            "phone": info.front_desk_phone.strip() or None,
            "cancellation_terms": facts.cancellation_terms or terms,
            "payment_link": booking.payment_link(facts.code) if facts.kind == "created" else None,
            "front_desk": facts.kind == "created" and booking.guarantee == "front_desk",
        }
    )
    return sender.send_once(scope, to, compose(full, chosen), hotel_id=hotel_id)


async def recipient_for(
    hotel_id: str, confirmation_code: str, given: ConfirmationRecipient | None
) -> ConfirmationRecipient:
    """Where a change or cancellation of a booking is confirmed, and in which language.

    The booking's own address and language where the connector can tell them, else what the
    caller gave (``confirm_to``). The write is done: a connector that fails to answer here
    leaves only the caller's address, and is logged without personal data.
    """
    try:
        held = await booking_contact(connector_for(hotel_id), hotel_id, confirmation_code)
    except Exception as exc:  # the write is done: nothing here may fail it
        logger.warning(
            "booking contact not read", extra={"hotel_id": hotel_id, "error": type(exc).__name__}
        )
        held = None
    return recipient(held, given)


def _not_sent(hotel_id: str, error: str) -> None:
    """Why a confirmation was not sent: the hotel and an error code, no personal data."""
    logger.warning("confirmation e-mail not sent", extra={"hotel_id": hotel_id, "error": error})


def kind_scope(kind: ConfirmationKind, scope: str) -> str:
    """One claim per write kind and key."""
    return f"{kind}|{scope}"
