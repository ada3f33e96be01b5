"""Cancelling in Mews: the quote from the reservation's policy, then ``reservations/cancel``.

``reservations/cancel`` needs ``Notes`` (why) and posts the fee only when asked
(``PostCancellationFee``): we ask, because the caller heard the fee before agreeing. The fee
reported back is what Mews posted (its ``CancellationFee`` order items), not our estimate.
Cancelling is never retried blindly: a repeat with the same key reads the reservation again
and finds it cancelled.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from hotelvoice.contracts.pms import Cancellation, CancellationQuote, Money, ReservationStatus
from hotelvoice.errors import RefusedByPms
from hotelvoice.pms.mews.api import MewsApi
from hotelvoice.pms.mews.bookings import CHANGEABLE, booking_tag
from hotelvoice.pms.mews.cancellation_policy import posted_fee, quote
from hotelvoice.pms.mews.models import MewsReservationPolicies
from hotelvoice.pms.mews.property_facts import PropertyFacts
from hotelvoice.pms.mews.reservations import VerifiedReservation, order_items, parse_all, status_of

NO_POLICY = (
    "The hotel's system holds no cancellation policy for this reservation; "
    "the front desk can confirm whether a fee applies."
)


async def cancellation_quote(
    api: MewsApi, facts: PropertyFacts, verified: VerifiedReservation, now: datetime
) -> CancellationQuote:
    """What cancelling would cost now, with the policy in words."""
    reservation = verified.reservation
    status = status_of(reservation)
    zero = Money(amount_minor=0, currency=facts.currency)
    if status not in CHANGEABLE:
        return CancellationQuote(
            confirmation_code=reservation.number,
            cancellable=False,
            fee=zero,
            terms=f"The reservation is {status.value.replace('_', ' ')}.",
        )
    answer, items = await asyncio.gather(
        api.call(
            "cancellationPolicies/getByReservations",
            {"ReservationIds": [reservation.id]},
            idempotent=True,
        ),
        order_items(api, facts, reservation.id),
    )
    groups = parse_all(MewsReservationPolicies, answer.get("CancellationPolicies"))
    mine = next((g for g in groups if g.reservation_id == reservation.id), None)
    if mine is None:
        return CancellationQuote(
            confirmation_code=reservation.number, cancellable=True, fee=zero, terms=NO_POLICY
        )
    fee = quote(facts, reservation, mine.policies, items, now)
    return CancellationQuote(
        confirmation_code=reservation.number, cancellable=True, fee=fee.fee, terms=fee.terms
    )


async def cancel(
    api: MewsApi, facts: PropertyFacts, verified: VerifiedReservation, idempotency_key: str
) -> Cancellation:
    """Cancel (posting the policy's fee) and report the fee Mews charged."""
    reservation = verified.reservation
    status = status_of(reservation)
    if status is ReservationStatus.CANCELLED:  # done before, by this key or another
        items = await order_items(api, facts, reservation.id)
        return Cancellation(
            confirmation_code=reservation.number,
            fee=posted_fee(items, facts.currency),
            status=status,
        )
    if status not in CHANGEABLE:
        raise RefusedByPms(
            f"the reservation is {status.value.replace('_', ' ')}; it cannot be cancelled"
        )
    await api.call(
        "reservations/cancel",
        {
            "ReservationIds": [reservation.id],
            "PostCancellationFee": True,
            "Notes": f"Cancelled by the guest by phone ({booking_tag(idempotency_key)}).",
        },
        idempotent=False,
    )
    items = await order_items(api, facts, reservation.id)
    return Cancellation(
        confirmation_code=reservation.number,
        fee=posted_fee(items, facts.currency),
        status=ReservationStatus.CANCELLED,
    )
