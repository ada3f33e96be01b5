"""The PMS connector port: what every PMS (demo, Apaleo, Mews, OPERA Cloud) answers and does.

The PMS Lambda calls connectors; the agent never talks to a vendor. Each connector maps its
vendor onto these contracts without loss, and every failure onto one error family from
:mod:`hotelvoice.errors` that the dialogue can act on:

- ``NotFound``: no such hotel, or no reservation matching *both* the code and the second
  factor (the two cases are indistinguishable on purpose: nothing is disclosed on a
  mismatch);
- ``SoldOut``: no room left for the stay, or the quoted offer is gone;
- ``InvalidRequest``: the PMS refused the request's shape (our bug or the caller's input);
- ``RefusedByPms``: a business rule refused it; its message is the PMS's reason, relayed;
- ``RateLimited``: the PMS asks us to slow down, with the seconds to wait;
- ``Unavailable``: the PMS is down, slow past the timeout, or its circuit breaker is open.

Writes take an idempotency key: the same key twice books, cancels or amends once.
"""

from __future__ import annotations

from typing import Protocol

from hotelvoice.contracts.pms import (
    Availability,
    AvailabilityQuery,
    Booking,
    BookingRequest,
    Cancellation,
    CancellationQuote,
    HotelInfo,
    Reservation,
    ReservationLookup,
    StayChange,
)


class PmsReader(Protocol):
    """What the receptionist asks: facts, prices, a guest's booking."""

    async def hotel_info(self, hotel_id: str) -> HotelInfo:
        """Static facts about the hotel."""
        ...

    async def availability(self, hotel_id: str, query: AvailabilityQuery) -> Availability:
        """Bookable room types for the stay with totals computed by the PMS."""
        ...

    async def find_reservation(self, hotel_id: str, lookup: ReservationLookup) -> Reservation:
        """The reservation, only if the code and the second factor both match."""
        ...


class PmsConnector(PmsReader, Protocol):
    """A PMS the receptionist can also book, cancel and amend in."""

    async def create_booking(
        self, hotel_id: str, request: BookingRequest, *, idempotency_key: str
    ) -> Booking:
        """Book the offer for the guest; a repeated key returns the first booking."""
        ...

    async def cancellation_quote(
        self, hotel_id: str, lookup: ReservationLookup
    ) -> CancellationQuote:
        """What cancelling the (verified) reservation would cost now."""
        ...

    async def cancel(
        self, hotel_id: str, lookup: ReservationLookup, *, idempotency_key: str
    ) -> Cancellation:
        """Cancel the verified reservation; a repeated key returns the first cancellation."""
        ...

    async def amend(
        self,
        hotel_id: str,
        lookup: ReservationLookup,
        change: StayChange,
        *,
        idempotency_key: str,
    ) -> Reservation:
        """Move the verified reservation to the re-quoted stay; returns it as it is now."""
        ...
