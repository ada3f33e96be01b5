"""The OPERA Cloud connector: one hotel's OHIP gateway behind the PMS port.

Every request goes through :class:`~hotelvoice.pms.vendor_http.VendorHttp` (timeouts,
retries where harmless, the hotel's breaker, metrics) with ``authorization: Bearer``,
``x-app-key`` and ``x-hotelid``. Tokens, the hotel's facts and room type names outlive the
connector (it is built per request); the idempotency of writes lives in OPERA itself:

- a booking carries an external reference derived from the idempotency key, and that
  reference is searched before anything is created, so a repeated key finds the first
  booking instead of making a second;
- a cancellation is sent only to a reservation that is not cancelled yet;
- an amendment is sent only when the reservation is not already as requested.

A write whose answer is lost (timeout, 5xx) is never blindly resent: the reservation is
read again to see whether the write took effect. Within one Lambda instance a repeated key
is answered from memory with the first result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

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
    ReservationStatus,
    StayChange,
)
from hotelvoice.errors import HotelVoiceError, NotFound, RefusedByPms, SoldOut, Unavailable
from hotelvoice.pms.credentials import TtlCache
from hotelvoice.pms.money import zero
from hotelvoice.pms.opera import availability as avail
from hotelvoice.pms.opera import payloads
from hotelvoice.pms.opera.auth import TokenCache, fetch_token, tokens
from hotelvoice.pms.opera.errors import classify
from hotelvoice.pms.opera.hotel import HotelFacts, hotel_facts
from hotelvoice.pms.opera.policies import CANCELLABLE_STATES, cancellation_quote, penalty
from hotelvoice.pms.opera.reservations import (
    Detail,
    Summary,
    detail_from,
    matches,
    reservation_of,
    room_type_names,
    summaries,
)
from hotelvoice.pms.opera.secret import OperaSecret
from hotelvoice.pms.opera.wire import body, dig, id_of, objects, text
from hotelvoice.pms.vendor_http import VendorHttp

VENDOR = "opera"
FACTS_TTL_S = 3600.0
MAX_AVAILABILITY_PAGES = 5
SEARCH_LIMIT = 10
REMEMBER_S = 24 * 3600.0
REMEMBER_MAX = 2000
DETAIL_FETCH = ["Reservation", "ReservationPolicies", "TotalCostOfStay"]
SEARCH_FETCH = ["Reservation", "MasterInfo"]
HOTEL_FETCH = ["General", "Raterange"]
CHANGEABLE = frozenset({"Change", "ChangeOrCancel"})

T = TypeVar("T")

_facts: TtlCache[HotelFacts] = TtlCache(FACTS_TTL_S)
_room_names: dict[tuple[str, str], dict[str, str]] = {}
_done: TtlCache[object] = TtlCache(REMEMBER_S, max_entries=REMEMBER_MAX)
"""Writes this instance did, by (hotel, operation, idempotency key): the first answer."""


def no_match() -> NotFound:
    """The one answer to a wrong code, a wrong name, or both: nothing is disclosed."""
    return NotFound("no reservation matches that confirmation code and name", code="no_match")


class OperaConnector:
    """:class:`~hotelvoice.pms.connector.PmsConnector` for one hotel in OPERA Cloud."""

    def __init__(
        self,
        hotel_id: str,
        hotel_code: str,
        base_url: str,
        credentials: Callable[[], Mapping[str, str]],
        *,
        timeout_s: float = 3.0,
        budget_s: float = 6.0,
        transport: httpx.AsyncBaseTransport | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        token_cache: TokenCache = tokens,
    ) -> None:
        """One hotel's connector.

        Args:
            hotel_id: Our hotel id.
            hotel_code: The OPERA hotel code (``x-hotelid``; ``PmsBinding.property_id``).
            base_url: The hotel group's OHIP gateway (checked by ``gateway.eu_gateway``).
            credentials: The hotel's secret as a JSON object (read when first needed).
            timeout_s: Per request.
            budget_s: Per call, retries included.
            transport: For tests (``httpx.MockTransport``).
            now: The clock cancellation deadlines are compared with.
            token_cache: Where bearer tokens are kept (process-wide by default).
        """
        self._hotel_id = hotel_id
        self._code = hotel_code
        self._base_url = base_url
        self._credentials = credentials
        self._now = now
        self._tokens = token_cache
        self._secret_value: OperaSecret | None = None
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout_s,
            transport=transport,
            headers={"accept": "application/json"},
        )
        self._http = VendorHttp(
            VENDOR, hotel_id, self._client, budget_s=budget_s, classify=classify
        )
        self._token_http = VendorHttp(VENDOR, hotel_id, self._client, budget_s=budget_s)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()

    # -- reads -----------------------------------------------------------------------------

    async def hotel_info(self, hotel_id: str) -> HotelInfo:
        """The hotel's facts from OPERA's hotel configuration (cached for an hour)."""
        self._check(hotel_id)
        return (await self._hotel_facts()).info

    async def availability(self, hotel_id: str, query: AvailabilityQuery) -> Availability:
        """OPERA's bookable room types and rates for the stay, gross totals for the stay."""
        self._check(hotel_id)
        params = avail.availability_params(query)
        payload = await self._availability_pages(params)
        names = self._names()
        names.update({code: t.name for code, t in avail.room_types(payload).items()})
        currency = None
        if avail.currency_needed(payload):
            currency = (await self._hotel_facts()).info.currency
        offers = avail.offers_from(payload, query, currency)
        return Availability(hotel_id=hotel_id, query=query, nights=query.nights, offers=offers)

    async def find_reservation(self, hotel_id: str, lookup: ReservationLookup) -> Reservation:
        """The reservation, only when the confirmation number and surname (or phone) match."""
        self._check(hotel_id)
        summary, detail = await self._verified(lookup)
        return reservation_of(summary, detail, self._names())

    # -- writes ----------------------------------------------------------------------------

    async def create_booking(
        self, hotel_id: str, request: BookingRequest, *, idempotency_key: str
    ) -> Booking:
        """Book the offer; a key seen before returns its booking with ``created=False``."""
        self._check(hotel_id)
        earlier = _recall(hotel_id, "book", idempotency_key, Booking)
        if earlier is not None:
            return earlier.model_copy(update={"created": False})
        room_type, rate_plan = avail.parse_offer_id(request.offer_id)
        secret = await self._secret()
        reference = payloads.external_reference(hotel_id, idempotency_key)
        existing = await self._by_reference(reference, secret)
        if existing is not None:
            booking = Booking(reservation=existing, created=False)
            _remember(hotel_id, "book", idempotency_key, booking)
            return booking
        body_ = payloads.create_body(self._code, request, room_type, rate_plan, reference, secret)
        try:
            response = await self._call(
                "POST",
                f"/rsv/v1/hotels/{self._code}/reservations",
                operation="create_booking",
                idempotent=False,
                json=body_,
            )
        except Unavailable:
            landed = await self._quietly(self._by_reference(reference, secret))
            if landed is None:
                raise
            reservation = landed
        else:
            reservation = await self._by_reference(reference, secret) or await self._created(
                response, request
            )
        booking = Booking(reservation=reservation, created=True)
        _remember(hotel_id, "book", idempotency_key, booking)
        return booking

    async def cancellation_quote(
        self, hotel_id: str, lookup: ReservationLookup
    ) -> CancellationQuote:
        """Whether OPERA allows cancelling now, and the penalty its policies set."""
        self._check(hotel_id)
        summary, detail = await self._verified(lookup)
        reservation = reservation_of(summary, detail, self._names())
        tz = (await self._hotel_facts()).tz
        quote = cancellation_quote(
            summary.status, detail, reservation.total, summary.arrival, self._now(), tz
        )
        return CancellationQuote(
            confirmation_code=summary.confirmation,
            cancellable=quote.cancellable,
            fee=quote.fee,
            terms=quote.terms,
        )

    async def cancel(
        self, hotel_id: str, lookup: ReservationLookup, *, idempotency_key: str
    ) -> Cancellation:
        """Cancel at OPERA's penalty; an already cancelled reservation is not sent again."""
        self._check(hotel_id)
        earlier = _recall(hotel_id, "cancel", idempotency_key, Cancellation)
        if earlier is not None:
            return earlier
        summary, detail = await self._verified(lookup)
        reservation = reservation_of(summary, detail, self._names())
        tz = (await self._hotel_facts()).tz
        if summary.status is ReservationStatus.CANCELLED:
            done = self._cancelled(summary, detail, reservation, tz)
            _remember(hotel_id, "cancel", idempotency_key, done)
            return done
        quote = cancellation_quote(
            summary.status, detail, reservation.total, summary.arrival, self._now(), tz
        )
        if not quote.cancellable:
            raise RefusedByPms(quote.terms or "this reservation cannot be cancelled")
        secret = await self._secret()
        try:
            await self._call(
                "POST",
                f"/rsv/v1/hotels/{self._code}/reservations/{summary.reservation_id}/cancellations",
                operation="cancel",
                idempotent=False,
                json=payloads.cancel_body(self._code, summary.reservation_id, secret),
            )
        except SoldOut as exc:  # OPERA's 400 words about a closed deadline, not inventory
            raise RefusedByPms(exc.message) from exc
        except Unavailable:
            again = await self._quietly(self._verified(lookup))
            if again is None or again[0].status is not ReservationStatus.CANCELLED:
                raise
        done = Cancellation(
            confirmation_code=summary.confirmation,
            fee=quote.fee,
            status=ReservationStatus.CANCELLED,
        )
        _remember(hotel_id, "cancel", idempotency_key, done)
        return done

    async def amend(
        self,
        hotel_id: str,
        lookup: ReservationLookup,
        change: StayChange,
        *,
        idempotency_key: str,
    ) -> Reservation:
        """Move the reservation to the re-quoted stay; returns it as OPERA has it now."""
        self._check(hotel_id)
        earlier = _recall(hotel_id, "amend", idempotency_key, Reservation)
        if earlier is not None:
            return earlier
        summary, detail = await self._verified(lookup)
        if summary.status not in CANCELLABLE_STATES:
            raise RefusedByPms(f"a reservation that is {summary.status.value} cannot change")
        if detail.access_restriction in CHANGEABLE:
            raise RefusedByPms("The hotel's system does not allow changing this reservation now.")
        if change.offer_id:
            room_type, rate_plan = avail.parse_offer_id(change.offer_id)
        else:
            room_type = detail.room_type or summary.room_type or ""
            rate_plan = detail.rate_plan or summary.rate_plan or ""
        if not room_type or not rate_plan:
            raise RefusedByPms("this reservation's room cannot be changed by phone")
        if not _already(summary, change.stay, room_type, rate_plan):
            secret = await self._secret()
            await self._call(
                "PUT",
                f"/rsv/v1/hotels/{self._code}/reservations/{summary.reservation_id}",
                operation="amend",
                idempotent=True,  # the same target state twice is one change
                json=payloads.change_body(
                    self._code, summary.reservation_id, change.stay, room_type, rate_plan, secret
                ),
            )
            summary, detail = await self._verified(lookup)
        reservation = reservation_of(summary, detail, self._names())
        _remember(hotel_id, "amend", idempotency_key, reservation)
        return reservation

    # -- OPERA, step by step ---------------------------------------------------------------

    async def _verified(self, lookup: ReservationLookup) -> tuple[Summary, Detail]:
        """Search by confirmation number, check the second factor, read the reservation.

        A wrong number, a wrong name and both wrong are the same :func:`no_match`.
        """
        tz = (await self._hotel_facts()).tz
        try:
            payload = await self._search(
                {"confirmationNumberList": [lookup.confirmation_code]}, "find_reservation"
            )
        except NotFound:
            raise no_match() from None
        found = next((s for s in summaries(payload, tz) if matches(s, lookup)), None)
        if found is None:
            raise no_match()
        try:
            detail = await self._detail(found.reservation_id, tz)
        except NotFound:
            raise no_match() from None
        return found, detail

    async def _search(self, params: dict[str, Any], operation: str) -> dict[str, Any]:
        response = await self._call(
            "GET",
            f"/rsv/v1/hotels/{self._code}/reservations",
            operation=operation,
            idempotent=True,
            params={**params, "fetchInstructions": SEARCH_FETCH, "limit": SEARCH_LIMIT},
        )
        payload = body(response)
        self._names().update(room_type_names(payload))
        return payload

    async def _detail(self, reservation_id: str, tz: ZoneInfo) -> Detail:
        response = await self._call(
            "GET",
            f"/rsv/v1/hotels/{self._code}/reservations/{reservation_id}",
            operation="get_reservation",
            idempotent=True,
            params={"fetchInstructions": DETAIL_FETCH, "allowedActions": ["Cancel"]},
        )
        return detail_from(body(response), tz)

    async def _by_reference(self, reference: str, secret: OperaSecret) -> Reservation | None:
        """The booking that carries our external reference, if OPERA has one.

        Only a reservation whose returned external references include ours counts: should
        OPERA ever ignore the filter, another guest's booking is never taken for ours.
        """
        tz = (await self._hotel_facts()).tz
        system = secret.external_system_code
        payload = await self._search(
            {
                "externalReferenceIds": [reference],
                "externalSystemCodes": [system],
                "resvExternalReferencesToFetch": [system],
            },
            "find_booking_reference",
        )
        ours = next((s for s in summaries(payload, tz) if reference in s.external_ids), None)
        if ours is None:
            return None
        return reservation_of(ours, await self._detail(ours.reservation_id, tz), self._names())

    async def _created(self, response: httpx.Response, request: BookingRequest) -> Reservation:
        """The new reservation, from the ids OPERA's 201 names (body, ``Location``)."""
        payload = body(response)
        ids = dig(payload, "reservations", "reservation", 0, "reservationIdList")
        reservation_id = id_of(ids, "Reservation") or _id_from_location(response)
        if reservation_id is None:
            raise Unavailable("the hotel's system booked but did not name the reservation")
        tz = (await self._hotel_facts()).tz
        detail = await self._detail(reservation_id, tz)
        confirmation = detail.confirmation or id_of(ids, "Confirmation")
        if confirmation is None:
            raise Unavailable("the hotel's system booked but gave no confirmation number")
        payload = await self._search({"confirmationNumberList": [confirmation]}, "find_booking")
        summary = next(
            (s for s in summaries(payload, tz) if s.reservation_id == reservation_id), None
        )
        if summary is not None:
            return reservation_of(summary, detail, self._names())
        if detail.gross_total is None:
            raise Unavailable("the hotel's system booked but gave no total")
        return Reservation(
            confirmation_code=confirmation,
            guest_first_name=detail.given_name or request.guest.first_name,
            guest_last_name=detail.surname or request.guest.last_name,
            arrival=detail.arrival or request.stay.arrival,
            departure=detail.departure or request.stay.departure,
            room_type_name=self._names().get(detail.room_type or "", detail.room_type or ""),
            adults=detail.adults or request.stay.adults,
            children=detail.children if detail.children is not None else request.stay.children,
            status=detail.status or ReservationStatus.CONFIRMED,
            total=detail.gross_total,
        )

    def _cancelled(
        self, summary: Summary, detail: Detail, reservation: Reservation, tz: ZoneInfo
    ) -> Cancellation:
        """A reservation found cancelled already: a retry after a lost answer.

        Nothing is sent; the fee is OPERA's penalty as the reservation's policies state it.
        """
        fee = penalty(detail, reservation.total, summary.arrival, self._now(), tz)
        return Cancellation(
            confirmation_code=summary.confirmation,
            fee=fee.fee if fee.cancellable else zero(reservation.total.currency),
            status=ReservationStatus.CANCELLED,
        )

    async def _availability_pages(self, params: dict[str, Any]) -> dict[str, Any]:
        """Every page of the answer (OPERA pages large rate sets with ``pagingKey``)."""
        merged: dict[str, Any] = {"hotelAvailability": []}
        page_params = dict(params)
        for _ in range(MAX_AVAILABILITY_PAGES):
            response = await self._call(
                "GET",
                f"/par/v1/hotels/{self._code}/availability",
                operation="availability",
                idempotent=True,
                params=page_params,
            )
            segments = objects(body(response).get("hotelAvailability"))
            merged["hotelAvailability"].extend(segments)
            more = next(
                (text(s.get("pagingKey")) for s in segments if s.get("hasMore") is True), None
            )
            if more is None:
                break
            page_params = {**params, "pagePointerKey": [more]}
        return merged

    async def _hotel_facts(self) -> HotelFacts:
        async def load() -> HotelFacts:
            response = await self._call(
                "GET",
                f"/ent/config/v1/hotels/{self._code}",
                operation="hotel_info",
                idempotent=True,
                # the areas hotel_facts reads: check-in times and language, the currency
                params={"fetchInstructions": HOTEL_FETCH},
            )
            return hotel_facts(body(response), self._hotel_id)

        return await _facts.get((self._base_url, self._code, self._hotel_id), load)

    async def _call(
        self, method: str, path: str, *, operation: str, idempotent: bool, **kwargs: Any
    ) -> httpx.Response:
        """One OPERA request with a bearer token; a 401 gets one fresh token and one retry."""
        secret = await self._secret()
        key = self._tokens.key(self._base_url, secret)
        for _ in range(2):
            token = self._tokens.get(key)
            if token is None:
                token, lifetime = await fetch_token(self._token_http, secret)
                self._tokens.put(key, token, lifetime)
            headers = {
                "authorization": f"Bearer {token}",
                "x-app-key": secret.app_key,
                "x-hotelid": self._code,
            }
            response = await self._http.request(
                method,
                path,
                operation=operation,
                idempotent=idempotent,
                ok_statuses=frozenset({401}),
                headers=headers,
                **kwargs,
            )
            if response.status_code != 401:
                return response
            self._tokens.forget(key)
        raise Unavailable("the hotel's system refused our OPERA credentials")

    async def _secret(self) -> OperaSecret:
        if self._secret_value is None:
            values = await asyncio.to_thread(self._credentials)
            self._secret_value = OperaSecret.parse(values)
        return self._secret_value

    async def _quietly(self, pending: Awaitable[T]) -> T | None:
        """Await a re-read after a lost answer; its own failure keeps the original error."""
        try:
            return await pending
        except HotelVoiceError:
            return None

    def _names(self) -> dict[str, str]:
        return _room_names.setdefault((self._base_url, self._code), {})

    def _check(self, hotel_id: str) -> None:
        if hotel_id != self._hotel_id:
            raise NotFound(f"no such hotel: {hotel_id}")


def _already(summary: Summary, stay: AvailabilityQuery, room_type: str, rate_plan: str) -> bool:
    """The reservation already is what the change asks for (a retry after a lost answer)."""
    return (
        summary.arrival == stay.arrival
        and summary.departure == stay.departure
        and summary.adults == stay.adults
        and summary.children == stay.children
        and summary.room_type == room_type
        and summary.rate_plan == rate_plan
    )


def _id_from_location(response: httpx.Response) -> str | None:
    """``Location: …/reservations/571062`` → ``571062``."""
    location = response.headers.get("location") or ""
    _, sep, tail = location.rstrip("/").rpartition("/reservations/")
    candidate = tail.split("/", 1)[0].split("?", 1)[0] if sep else ""
    return candidate if candidate.isalnum() else None


def _recall(hotel_id: str, operation: str, key: str, kind: type[T]) -> T | None:
    value = _done.peek((hotel_id, operation, key))
    return value if isinstance(value, kind) else None


def _remember(hotel_id: str, operation: str, key: str, value: object) -> None:
    _done.put((hotel_id, operation, key), value)
