"""The PMS connector port: every PMS (demo, Apaleo, Mews …) answers these three questions.

Connectors raise the domain errors from :mod:`hotelvoice.errors`:
``InvalidRequest`` (the PMS refused the query), ``NotFound`` (no such hotel, or no
reservation matching *both* factors — the two cases are indistinguishable on purpose) and
``Unavailable`` (the PMS did not answer in time).
"""

from __future__ import annotations

from typing import Protocol

from hotelvoice.contracts.pms import (
    Availability,
    AvailabilityQuery,
    HotelInfo,
    Reservation,
    ReservationLookup,
)


class PmsConnector(Protocol):
    """What the PMS API needs from a hotel's property-management system."""

    async def hotel_info(self, hotel_id: str) -> HotelInfo:
        """Static facts about the hotel."""
        ...

    async def availability(self, hotel_id: str, query: AvailabilityQuery) -> Availability:
        """Bookable room types for the stay with totals computed by the PMS."""
        ...

    async def find_reservation(self, hotel_id: str, lookup: ReservationLookup) -> Reservation:
        """The reservation, only if the code and the second factor both match."""
        ...
