"""The Mews Connector API as a :class:`~hotelvoice.pms.connector.PmsConnector`.

One instance serves one hotel (one Mews stay service, ``pms.property_id``) with one
``httpx.AsyncClient``. Static facts are cached per hotel across instances
(:mod:`~hotelvoice.pms.mews.property_facts`); so is the outcome of each write per
idempotency key, which spares the lookups when a retry lands in the same process. Across
processes, bookings are found again by their ``ChannelNumber`` and cancellations by the
reservation's state (:mod:`~hotelvoice.pms.mews.bookings`, :mod:`~.cancellation`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import httpx

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
from hotelvoice.pms.credentials import TtlCache
from hotelvoice.pms.mews import bookings, cancellation
from hotelvoice.pms.mews.api import MewsApi, classify
from hotelvoice.pms.mews.availability import find_offers
from hotelvoice.pms.mews.credentials import MewsCredentials
from hotelvoice.pms.mews.property_facts import PropertyFacts, property_facts
from hotelvoice.pms.mews.reservations import describe, find_verified
from hotelvoice.pms.vendor_http import VendorHttp

PRODUCTION_URL = "https://api.mews.com"
"""Mews' one production platform address (the demo one is ``https://api.mews-demo.com``)."""
WRITES_TTL_S = 3600.0

_writes: TtlCache[Booking | Cancellation | Reservation] = TtlCache(WRITES_TTL_S)
"""What each idempotency key did, per hotel and operation, in this process."""


class MewsConnector:
    """A hotel's Mews: quotes, lookups, bookings, cancellations and changes."""

    def __init__(
        self,
        hotel_id: str,
        service_id: str,
        credentials: Callable[[], Mapping[str, str]],
        *,
        base_url: str = PRODUCTION_URL,
        timeout_s: float = 3.0,
        budget_s: float = 6.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """One hotel's connector.

        Args:
            hotel_id: Our hotel id (breaker, metrics, caches).
            service_id: The hotel's stay service in Mews (``pms.property_id``).
            credentials: Returns the hotel's secret (read once, in a worker thread).
            base_url: Mews' platform address (``settings.pms_base_urls["mews"]``).
            timeout_s: Per request.
            budget_s: The most one call may take, retries included.
            transport: For tests (``httpx.MockTransport``).
            clock: "Now" for cancellation fees (tests); UTC wall clock by default.
        """
        self.hotel_id = hotel_id
        self.service_id = service_id
        self._base_url = base_url.rstrip("/")
        self._secret = credentials
        self._loaded: MewsCredentials | None = None
        self._clock = clock or (lambda: datetime.now(UTC))
        self._client = httpx.AsyncClient(
            base_url=self._base_url, timeout=timeout_s, transport=transport
        )
        http = VendorHttp("mews", hotel_id, self._client, budget_s=budget_s, classify=classify)
        self.api = MewsApi(http, self._credentials)

    async def aclose(self) -> None:
        """Close the HTTP client (its connections)."""
        await self._client.aclose()

    async def __aenter__(self) -> MewsConnector:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def hotel_info(self, hotel_id: str) -> HotelInfo:
        """The hotel's facts from ``configuration/get`` and its stay service."""
        return (await self._facts()).hotel_info(hotel_id)

    async def availability(self, hotel_id: str, query: AvailabilityQuery) -> Availability:
        """Room types with a room each night, priced by Mews for the party and each rate."""
        return await find_offers(self.api, await self._facts(), hotel_id, query)

    async def find_reservation(self, hotel_id: str, lookup: ReservationLookup) -> Reservation:
        """The reservation if its number and the owner's last name (or phone) match."""
        facts = await self._facts()
        verified = await find_verified(self.api, facts, lookup)
        return await describe(self.api, facts, verified.reservation, verified.customer)

    async def create_booking(
        self, hotel_id: str, request: BookingRequest, *, idempotency_key: str
    ) -> Booking:
        """Book once per key; a repeated key gives the first booking with ``created=False``."""
        first_time = False

        async def book() -> Booking:
            nonlocal first_time
            first_time = True
            return await bookings.create_booking(
                self.api, await self._facts(), request, idempotency_key
            )

        booking = await _writes.get((hotel_id, "book", idempotency_key), book)
        if not isinstance(booking, Booking):
            raise TypeError("an idempotency key was used for another operation")
        return booking if first_time else booking.model_copy(update={"created": False})

    async def cancellation_quote(
        self, hotel_id: str, lookup: ReservationLookup
    ) -> CancellationQuote:
        """The fee Mews' policy for the reservation charges now."""
        facts = await self._facts()
        verified = await find_verified(self.api, facts, lookup)
        return await cancellation.cancellation_quote(self.api, facts, verified, self._clock())

    async def cancel(
        self, hotel_id: str, lookup: ReservationLookup, *, idempotency_key: str
    ) -> Cancellation:
        """Cancel the verified reservation once per key."""

        async def cancel_once() -> Cancellation:
            facts = await self._facts()
            verified = await find_verified(self.api, facts, lookup)
            return await cancellation.cancel(self.api, facts, verified, idempotency_key)

        done = await _writes.get((hotel_id, "cancel", idempotency_key), cancel_once)
        if not isinstance(done, Cancellation):
            raise TypeError("an idempotency key was used for another operation")
        return done

    async def amend(
        self,
        hotel_id: str,
        lookup: ReservationLookup,
        change: StayChange,
        *,
        idempotency_key: str,
    ) -> Reservation:
        """Move the verified reservation to the re-quoted stay once per key."""

        async def amend_once() -> Reservation:
            facts = await self._facts()
            verified = await find_verified(self.api, facts, lookup)
            return await bookings.amend(self.api, facts, verified, change)

        done = await _writes.get((hotel_id, "amend", idempotency_key), amend_once)
        if not isinstance(done, Reservation):
            raise TypeError("an idempotency key was used for another operation")
        return done

    async def _facts(self) -> PropertyFacts:
        await self._credentials()  # once, before the four reads run side by side
        key = (self.hotel_id, self.service_id, self._base_url)
        return await property_facts(self.api, key, self.service_id)

    async def _credentials(self) -> MewsCredentials:
        if self._loaded is None:
            secret = await asyncio.to_thread(self._secret)
            self._loaded = MewsCredentials.from_secret(secret)
        return self._loaded
