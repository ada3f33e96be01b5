"""PMS writes for the agent: book an offer, quote and perform a cancellation, amend a stay.

Every write carries an ``Idempotency-Key`` header: a retried request (a lost answer, an
agent that restarted) books, cancels or amends once, and answers with the first result. The
key is scoped to the hotel and the caller's principal before it reaches the PMS, so two
clients that happen to pick the same key never see each other's booking. Names travel in
bodies, never in URLs, and every write is audited under the booking's keyed hash.

After a write, the guest is e-mailed a confirmation where the booking holds an address (for
a change or cancellation, else where the caller gave one) and the hotel wants it
(``functions.pms.confirmations``): after the write, never instead of it, and once per key;
the answer's ``confirmation_sent`` says how it went.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict

from functions.pms.confirmations import confirm, kind_scope, recipient_for
from functions.pms.routes import pms_call
from hotelvoice.audit import audit
from hotelvoice.auth import Principal, Role
from hotelvoice.contracts.pms import (
    AmendedReservation,
    Booking,
    BookingRequest,
    Cancellation,
    CancellationQuote,
    ConfirmationRecipient,
    Reservation,
    ReservationLookup,
    StayChange,
)
from hotelvoice.http_app import HotelId, hotel_principal_with, request_id_of
from hotelvoice.mail.confirmation import ConfirmationFacts
from hotelvoice.pms.registry import connector_for
from hotelvoice.pms.stay_window import check_bookable
from hotelvoice.pms.write_keys import bind_key
from hotelvoice.privacy.keys import reservation_resource

router = APIRouter(prefix="/v1/hotels/{hotel_id}", tags=["pms"])
Agent = hotel_principal_with(Role.SERVICE)
IdempotencyKey = Annotated[
    str, Header(alias="Idempotency-Key", pattern=r"^[A-Za-z0-9_.:-]{8,128}$")
]
"""Chosen by the client, unique per intended write (a UUID is fine); 8–128 characters."""


class AmendRequest(BaseModel):
    """Which reservation (verified like a lookup) and the stay it moves to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lookup: ReservationLookup
    change: StayChange
    confirm_to: ConfirmationRecipient | None = None
    """Where to e-mail the changed booking's confirmation when the booking holds no address."""


class CancelRequest(ReservationLookup):
    """Which reservation (verified like a lookup), and where its cancellation is confirmed."""

    confirm_to: ConfirmationRecipient | None = None
    """Where to e-mail the cancellation's confirmation when the booking holds no address."""

    def lookup(self) -> ReservationLookup:
        """The verification alone, as the connector takes it."""
        return ReservationLookup.model_validate(self.model_dump(exclude={"confirm_to"}))


def scoped_key(hotel_id: str, principal: Principal, key: str, operation: str) -> str:
    """The client's key, unique per hotel, principal and operation, of a length PMSes take.

    A key reused for a cancel after a booking is another request, not a replay of the
    booking (the demo PMS answered it with the booking's record: a 500).
    """
    material = f"{hotel_id}|{principal.subject}|{operation}|{key}"
    return hashlib.sha256(material.encode()).hexdigest()[:40]


@router.post(
    "/bookings",
    status_code=201,
    responses={200: {"model": Booking, "description": "The key had booked it already."}},
)
async def create_booking(
    request: Request,
    response: Response,
    hotel_id: HotelId,
    booking: BookingRequest,
    idempotency_key: IdempotencyKey,
    principal: Agent,
) -> Booking:
    """Book an offer from ``/availability`` for a guest: 201, or 200 when the key had booked it."""
    check_bookable(booking.stay)
    key = scoped_key(hotel_id, principal, idempotency_key, "booking")
    bind_key(key, booking)
    async with pms_call("CreateBooking"):
        made = await connector_for(hotel_id).create_booking(hotel_id, booking, idempotency_key=key)
    if not made.created:
        response.status_code = 200
    _audit(request, principal, "reservation.created", hotel_id, made.reservation)
    sent = await confirm(
        hotel_id,
        kind_scope("created", key),
        to=booking.guest.email,
        language=booking.language,
        facts=_facts("created", made.reservation),
    )
    return made.model_copy(update={"confirmation_sent": sent})


@router.post("/reservations/cancellation-quote")
async def cancellation_quote(
    request: Request, hotel_id: HotelId, lookup: ReservationLookup, principal: Agent
) -> CancellationQuote:
    """What cancelling the verified reservation would cost now (nothing is changed)."""
    async with pms_call("CancellationQuote"):
        quote = await connector_for(hotel_id).cancellation_quote(hotel_id, lookup)
    _audit(request, principal, "reservation.read", hotel_id, quote)
    return quote


@router.post("/reservations/cancel")
async def cancel_reservation(
    request: Request,
    hotel_id: HotelId,
    cancel: CancelRequest,
    idempotency_key: IdempotencyKey,
    principal: Agent,
) -> Cancellation:
    """Cancel the verified reservation at the PMS's fee (quote it first)."""
    key = scoped_key(hotel_id, principal, idempotency_key, "cancel")
    bind_key(key, cancel)
    async with pms_call("Cancel"):
        done = await connector_for(hotel_id).cancel(hotel_id, cancel.lookup(), idempotency_key=key)
    _audit(request, principal, "reservation.cancelled", hotel_id, done)
    to = await recipient_for(hotel_id, done.confirmation_code, cancel.confirm_to)
    sent = await confirm(
        hotel_id,
        kind_scope("cancelled", key),
        to=to.email,
        language=to.language,
        facts=ConfirmationFacts(
            kind="cancelled", hotel="", code=done.confirmation_code, fee=done.fee
        ),
    )
    return done.model_copy(update={"confirmation_sent": sent})


@router.post("/reservations/amend")
async def amend_reservation(
    request: Request,
    hotel_id: HotelId,
    amend: AmendRequest,
    idempotency_key: IdempotencyKey,
    principal: Agent,
) -> AmendedReservation:
    """Move the verified reservation to a re-quoted stay; answers it as the PMS has it now."""
    check_bookable(amend.change.stay)
    key = scoped_key(hotel_id, principal, idempotency_key, "amend")
    bind_key(key, amend)
    async with pms_call("Amend"):
        amended = await connector_for(hotel_id).amend(
            hotel_id, amend.lookup, amend.change, idempotency_key=key
        )
    _audit(request, principal, "reservation.amended", hotel_id, amended)
    to = await recipient_for(hotel_id, amended.confirmation_code, amend.confirm_to)
    sent = await confirm(
        hotel_id,
        kind_scope("changed", key),
        to=to.email,
        language=to.language,
        facts=_facts("changed", amended),
    )
    return AmendedReservation(**amended.model_dump(), confirmation_sent=sent)


def _facts(kind: Literal["created", "changed"], reservation: Reservation) -> ConfirmationFacts:
    """What the confirmation tells of the reservation (the hotel's facts come later)."""
    return ConfirmationFacts(
        kind=kind,
        hotel="",
        code=reservation.confirmation_code,
        first_name=reservation.guest_first_name,
        last_name=reservation.guest_last_name,
        arrival=reservation.arrival,
        departure=reservation.departure,
        room=reservation.room_type_name,
        adults=reservation.adults,
        children=reservation.children,
        total=reservation.total,
    )


def _audit(
    request: Request,
    principal: Principal,
    action: str,
    hotel_id: str,
    about: Reservation | Cancellation | CancellationQuote,
) -> None:
    audit(
        principal,
        action,
        hotel_id=hotel_id,
        resource=reservation_resource(about.confirmation_code),
        request_id=request_id_of(request),
    )
