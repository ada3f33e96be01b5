"""The Apaleo connector: the PMS port over Apaleo's Booking and Inventory APIs (v1).

One instance serves one hotel (an Apaleo property) with one ``httpx.AsyncClient``; every
request goes through :class:`~hotelvoice.pms.vendor_http.VendorHttp`. What outlives an
instance (the registry builds one per request) is kept per Lambda instance in this module:
access tokens (:mod:`.auth`), the property and its unit groups (an hour), and which
idempotency keys already booked (a day, like Apaleo's own ``Idempotency-Key``).

Apaleo calls used, and why:

- ``GET /booking/v1/offers``: prices for a stay (204 = sold out, not an error);
- ``GET /booking/v1/reservations/{id}`` and ``GET /booking/v1/reservations?bookingId=``: the
  guest's reservation, shown only when the second factor matches;
- ``POST /booking/v1/bookings`` with ``Idempotency-Key``: Apaleo answers a repeated key with
  the first booking, so a retry after a lost answer never books twice;
- ``PUT /booking/v1/reservation-actions/{id}/cancel`` and ``…/amend``: idempotent by state
  (a cancelled reservation is not cancelled again; a stay already as asked is not amended);
- ``GET /inventory/v1/properties/{id}`` and ``GET /inventory/v1/unit-groups``: the hotel's
  facts, time zone and room names.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from hotelvoice.contracts.hotels import PmsBinding
from hotelvoice.contracts.pms import (
    Availability,
    AvailabilityQuery,
    Booking,
    BookingRequest,
    Cancellation,
    CancellationQuote,
    GuestDetails,
    HotelInfo,
    Reservation,
    ReservationLookup,
    ReservationStatus,
    StayChange,
)
from hotelvoice.errors import NotFound, RefusedByPms, Unavailable
from hotelvoice.pms.apaleo import auth, mapping
from hotelvoice.pms.apaleo.codes import candidates
from hotelvoice.pms.apaleo.errors import CredentialsRefused, classify_api, classify_identity
from hotelvoice.pms.apaleo.payloads import (
    ApaleoProperty,
    ApaleoReservation,
    BookingCreated,
    ReservationList,
    StayOffers,
    UnitGroupList,
    localised,
    parse,
)
from hotelvoice.pms.credentials import TtlCache, pms_credentials
from hotelvoice.pms.money import zero
from hotelvoice.pms.vendor_http import VendorHttp
from hotelvoice.settings import Settings

VENDOR = "apaleo"
DEFAULT_API_URL = "https://api.apaleo.com"
DEFAULT_IDENTITY_URL = "https://identity.apaleo.com"
CHANNEL = "Direct"
"""A phone booking is a direct booking: offers are asked for, and booked on, this channel."""
ASSUMED_CHILD_AGE = 8
"""Apaleo prices children by age; our query has a count only, so each child without a known
age is asked for at this age (see docs/pms.md, "Apaleo")."""
BOOKING_COMMENT = "Booked by phone through the hotelvoice receptionist."
STATIC_TTL_S = 3600.0
IDEMPOTENCY_TTL_S = 24 * 3600.0
"""Apaleo keeps an ``Idempotency-Key`` for 24 hours; we remember ours as long."""
MAX_REMEMBERED_KEYS = 10_000
CLOCK_SKEW = timedelta(seconds=60)
"""A reservation Apaleo created this long before our request was not created by it."""
FINAL_STATUSES = frozenset({"CheckedOut", "Canceled", "NoShow"})


class _StaticData:
    """The property and its room names per API and property, for an hour."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.properties: TtlCache[ApaleoProperty] = TtlCache(STATIC_TTL_S)
        self.room_names: TtlCache[dict[str, str]] = TtlCache(STATIC_TTL_S)


_static = _StaticData()


class _BookedKeys:
    """Idempotency keys that already booked, per Lambda instance: key → reservation id."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._keys: OrderedDict[tuple[str, str, str], tuple[float, str]] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> str | None:
        hit = self._keys.get(key)
        if hit is None or self._clock() - hit[0] > IDEMPOTENCY_TTL_S:
            return None
        return hit[1]

    def put(self, key: tuple[str, str, str], reservation_id: str) -> None:
        self._keys[key] = (self._clock(), reservation_id)
        while len(self._keys) > MAX_REMEMBERED_KEYS:
            self._keys.popitem(last=False)

    def clear(self) -> None:
        self._keys.clear()


_booked = _BookedKeys()


def clear_caches() -> None:
    """Forget tokens, properties, room names and booked keys (tests; a new secret)."""
    auth.tokens.clear()
    _static.reset()
    _booked.clear()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ApaleoConnector:
    """:class:`~hotelvoice.pms.connector.PmsConnector` for one hotel's Apaleo property."""

    def __init__(
        self,
        hotel_id: str,
        binding: PmsBinding,
        settings: Settings,
        *,
        credentials: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Connect ``hotel_id`` to its Apaleo property.

        Args:
            hotel_id: Our hotel id (breaker, metrics; every method checks it).
            binding: ``property_id`` is the Apaleo property id (``MUC``); ``secret_name`` holds
                ``{"client_id", "client_secret"}``.
            settings: ``pms_base_urls["apaleo"]`` and ``["apaleo_identity"]``, timeouts.
            credentials: The secret's content, instead of reading ``secret_name`` (tests).
            transport: An httpx transport (tests: ``httpx.MockTransport``).
            clock: Now, as an aware datetime (cancellation fees are due from a moment).
        """
        if not binding.property_id:
            raise Unavailable("the hotel's Apaleo property id is not configured")
        self.hotel_id = hotel_id
        self.property_id = binding.property_id
        self._binding = binding
        self._secret = credentials
        self._app: auth.ClientCredentials | None = None
        self._clock = clock
        urls = settings.pms_base_urls
        self._api = (urls.get("apaleo") or DEFAULT_API_URL).rstrip("/")
        self._identity = (urls.get("apaleo_identity") or DEFAULT_IDENTITY_URL).rstrip("/")
        self._client = httpx.AsyncClient(
            timeout=settings.pms_timeout_s,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "hotelvoice-pms-connector"},
        )
        self._http = VendorHttp(
            VENDOR, hotel_id, self._client, budget_s=settings.pms_budget_s, classify=classify_api
        )
        self._identity_http = VendorHttp(
            VENDOR,
            hotel_id,
            self._client,
            budget_s=settings.pms_budget_s,
            classify=classify_identity,
        )

    async def aclose(self) -> None:
        """Close the HTTP client (its connections)."""
        await self._client.aclose()

    # -- the port: reads ------------------------------------------------------------------

    async def hotel_info(self, hotel_id: str) -> HotelInfo:
        """The property's name, address, time zone and currency."""
        self._check_hotel(hotel_id)
        return mapping.to_hotel_info(hotel_id, await self._property())

    async def availability(self, hotel_id: str, query: AvailabilityQuery) -> Availability:
        """Apaleo's offers for the stay, cheapest first; 204 (nothing left) is no offers."""
        self._check_hotel(hotel_id)
        params: dict[str, Any] = {
            "propertyId": self.property_id,
            "arrival": query.arrival.isoformat(),
            "departure": query.departure.isoformat(),
            "adults": query.adults,
            "channelCode": CHANNEL,
        }
        if query.children:
            params["childrenAges"] = _csv(_children_ages(query.children, query.children_ages))
        response = await self._send(
            "GET",
            "/booking/v1/offers",
            operation="availability",
            params=params,
            ok_statuses=frozenset({204}),
        )
        found = [] if _empty(response) else parse(StayOffers, response).offers
        timezone = await self._timezone()
        party = query.adults + query.children
        offers = [
            mapping.to_offer(o, self.property_id, timezone)
            for o in found
            if o.available_units > 0 and o.unit_group.max_persons >= party
        ]
        offers.sort(key=lambda o: (o.total.amount_minor, o.room_type_name, o.rate_plan))
        return Availability(hotel_id=hotel_id, query=query, nights=query.nights, offers=offers)

    async def find_reservation(self, hotel_id: str, lookup: ReservationLookup) -> Reservation:
        """The reservation when code and second factor match; one ``NotFound`` otherwise."""
        self._check_hotel(hotel_id)
        return await self._to_reservation(await self._verified(lookup))

    # -- the port: writes -----------------------------------------------------------------

    async def create_booking(
        self, hotel_id: str, request: BookingRequest, *, idempotency_key: str
    ) -> Booking:
        """Book the rate plan (``offer_id``) for the guest, once per idempotency key."""
        self._check_hotel(hotel_id)
        memo = (self._api, self.property_id, idempotency_key)
        if (known := _booked.get(memo)) is not None:
            earlier = await self._reservation(known)
            if earlier is not None:
                return Booking(reservation=await self._to_reservation(earlier), created=False)
        sent_at = self._clock()
        response = await self._send(
            "POST",
            "/booking/v1/bookings",
            operation="create_booking",
            idempotent=True,  # Apaleo answers a repeated Idempotency-Key with the first booking
            json=_booking_body(request),
            headers={"Idempotency-Key": idempotency_key},
        )
        created = parse(BookingCreated, response)
        if not created.reservation_ids:
            raise Unavailable("the hotel's system booked no reservation")
        reservation_id = created.reservation_ids[0].id
        _booked.put(memo, reservation_id)
        booked = await self._reservation(reservation_id)
        if booked is None:
            raise Unavailable("the hotel's system cannot show the new reservation yet")
        new = booked.created is None or booked.created >= sent_at - CLOCK_SKEW
        return Booking(reservation=await self._to_reservation(booked), created=new)

    async def cancellation_quote(
        self, hotel_id: str, lookup: ReservationLookup
    ) -> CancellationQuote:
        """The reservation's cancellation fee as of now, and its policy in Apaleo's words."""
        self._check_hotel(hotel_id)
        found = await self._verified(lookup, expand=("booker", "actions"))
        return await self._quote(found)

    async def cancel(
        self, hotel_id: str, lookup: ReservationLookup, *, idempotency_key: str
    ) -> Cancellation:
        """Cancel at the quoted fee; a reservation already cancelled is not cancelled again."""
        self._check_hotel(hotel_id)
        del idempotency_key  # Apaleo's cancel is idempotent by state (see the module doc)
        found = await self._verified(lookup, expand=("booker", "actions"))
        currency = found.total_gross.currency
        if found.status == "Canceled":
            moment = found.cancellation_time or self._clock()
            return Cancellation(
                confirmation_code=found.id,
                fee=mapping.fee_at(found.cancellation_fee, moment, currency),
                status=ReservationStatus.CANCELLED,
            )
        quote = await self._quote(found)
        if not quote.cancellable:
            raise RefusedByPms(quote.terms or "this reservation cannot be cancelled")
        try:
            await self._send(
                "PUT",
                f"/booking/v1/reservation-actions/{found.id}/cancel",
                operation="cancel",
                idempotent=True,  # a second cancel changes nothing
            )
        except RefusedByPms:
            again = await self._reservation(found.id)
            if again is None or again.status != "Canceled":  # else: our lost first answer
                raise
        return Cancellation(
            confirmation_code=found.id, fee=quote.fee, status=ReservationStatus.CANCELLED
        )

    async def amend(
        self,
        hotel_id: str,
        lookup: ReservationLookup,
        change: StayChange,
        *,
        idempotency_key: str,
    ) -> Reservation:
        """Move the stay (and the rate plan, if re-quoted); the reservation as Apaleo has it.

        A reservation already as asked is returned without another amend.
        """
        self._check_hotel(hotel_id)
        del idempotency_key  # the amend is idempotent by state: the stay as asked
        found = await self._verified(lookup)
        if found.status in FINAL_STATUSES:
            state = mapping.status(found.status).value.replace("_", " ")
            raise RefusedByPms(f"a reservation that is {state} cannot be changed")
        stay = change.stay
        rate_plan = change.offer_id or found.rate_plan.id
        ages = _children_ages(stay.children, known=stay.children_ages or found.children_ages)
        timezone = await self._timezone()
        if (
            mapping.local_date(found.arrival, timezone) == stay.arrival
            and mapping.local_date(found.departure, timezone) == stay.departure
            and found.adults == stay.adults
            and found.children_ages == ages
            and found.rate_plan.id == rate_plan
        ):
            return await self._to_reservation(found)
        body: dict[str, Any] = {
            "arrival": stay.arrival.isoformat(),
            "departure": stay.departure.isoformat(),
            "adults": stay.adults,
            "timeSlices": [{"ratePlanId": rate_plan} for _ in range(stay.nights)],
        }
        if ages:
            body["childrenAges"] = ages
        await self._send(
            "PUT",
            f"/booking/v1/reservation-actions/{found.id}/amend",
            operation="amend",
            idempotent=True,  # the body is the desired state: sending it twice is harmless
            json=body,
        )
        amended = await self._reservation(found.id)
        if amended is None:
            raise Unavailable("the hotel's system cannot show the changed reservation")
        return await self._to_reservation(amended)

    # -- reservations ---------------------------------------------------------------------

    async def _verified(
        self, lookup: ReservationLookup, *, expand: tuple[str, ...] = ("booker",)
    ) -> ApaleoReservation:
        """The property's reservation the code names, if the second factor matches it.

        Wrong code, wrong name, another property's reservation: the same ``NotFound``.
        """
        wanted = candidates(lookup.confirmation_code)
        for reservation_id in wanted.reservation_ids:
            found = await self._reservation(reservation_id, expand=expand)
            if found is not None and _matches(found, lookup, self.property_id):
                return found
        if wanted.booking_id is not None:
            for found in await self._booking_reservations(wanted.booking_id, expand):
                if _matches(found, lookup, self.property_id):
                    return found
        raise NotFound("no reservation matches that confirmation code and name", code="no_match")

    async def _reservation(
        self, reservation_id: str, *, expand: tuple[str, ...] = ()
    ) -> ApaleoReservation | None:
        """``GET /booking/v1/reservations/{id}``; None when Apaleo has no such id."""
        params = {"expand": _csv(expand)} if expand else None
        response = await self._send(
            "GET",
            f"/booking/v1/reservations/{reservation_id}",
            operation="get_reservation",
            params=params,
            ok_statuses=frozenset({404}),
        )
        if response.status_code == 404:
            return None
        found = parse(ApaleoReservation, response)
        return found if found.id.upper() == reservation_id.upper() else None

    async def _booking_reservations(
        self, booking_id: str, expand: tuple[str, ...]
    ) -> list[ApaleoReservation]:
        """The property's reservations in a booking (the guest read the booking id alone)."""
        params: dict[str, Any] = {"bookingId": booking_id, "propertyIds": self.property_id}
        if expand:
            params["expand"] = _csv(expand)
        response = await self._send(
            "GET",
            "/booking/v1/reservations",
            operation="search_reservations",
            params=params,
            ok_statuses=frozenset({204}),
        )
        if _empty(response):
            return []
        found = parse(ReservationList, response).reservations
        return sorted((r for r in found if r.booking_id == booking_id), key=lambda r: r.id)

    async def _quote(self, found: ApaleoReservation) -> CancellationQuote:
        currency = found.total_gross.currency
        cancel = found.action("Cancel")
        refusal: str | None = None
        if found.status != "Confirmed":
            state = mapping.status(found.status).value.replace("_", " ")
            refusal = f"the reservation is {state}"
        elif cancel is not None and not cancel.is_allowed:
            refusal = " ".join(r.message for r in cancel.reasons) or "Apaleo does not allow it"
        if refusal is not None:
            return CancellationQuote(
                confirmation_code=found.id, cancellable=False, fee=zero(currency), terms=refusal
            )
        timezone = await self._timezone()
        return CancellationQuote(
            confirmation_code=found.id,
            cancellable=True,
            fee=mapping.fee_at(found.cancellation_fee, self._clock(), currency),
            terms=mapping.policy_terms(found.cancellation_fee, timezone),
        )

    async def _to_reservation(self, found: ApaleoReservation) -> Reservation:
        timezone = await self._timezone()
        room = found.unit_group.name or await self._room_name(found.unit_group.id)
        return mapping.to_reservation(found, timezone, room or found.unit_group.code or "")

    # -- static data ----------------------------------------------------------------------

    async def _property(self) -> ApaleoProperty:
        async def load() -> ApaleoProperty:
            response = await self._send(
                "GET",
                f"/inventory/v1/properties/{self.property_id}",
                operation="hotel_info",
                ok_statuses=frozenset({404}),
            )
            if response.status_code == 404:
                raise NotFound(f"no such hotel: {self.hotel_id}")
            return parse(ApaleoProperty, response)

        return await _static.properties.get((self._api, self.property_id), load)

    async def _timezone(self) -> str:
        return (await self._property()).time_zone

    async def _room_name(self, unit_group_id: str) -> str | None:
        async def load() -> dict[str, str]:
            response = await self._send(
                "GET",
                "/inventory/v1/unit-groups",
                operation="room_types",
                params={"propertyId": self.property_id},
                ok_statuses=frozenset({204}),
            )
            if _empty(response):
                return {}
            groups = parse(UnitGroupList, response).unit_groups
            return {g.id: localised(g.name) for g in groups}

        names = await _static.room_names.get((self._api, self.property_id), load)
        return names.get(unit_group_id)

    # -- HTTP -----------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        idempotent: bool = True,
        ok_statuses: frozenset[int] = frozenset(),
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """One API request with the hotel's token; a refused token is renewed once."""
        credentials = await self._credentials()
        for attempt in (1, 2):
            token = await auth.access_token(self._identity_http, self._identity, credentials)
            try:
                return await self._http.request(
                    method,
                    f"{self._api}{path}",
                    operation=operation,
                    idempotent=idempotent,
                    ok_statuses=ok_statuses,
                    headers={**(headers or {}), "Authorization": f"Bearer {token}"},
                    **kwargs,
                )
            except CredentialsRefused:
                auth.tokens.forget(credentials.cache_key(self._identity))
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _credentials(self) -> auth.ClientCredentials:
        """The hotel's app credentials, read once per connector (Powertools caches the secret)."""
        if self._app is None:
            secret = self._secret
            if secret is None:
                secret = await asyncio.to_thread(pms_credentials, self._binding)
            self._app = auth.ClientCredentials.from_secret(secret)
        return self._app

    def _check_hotel(self, hotel_id: str) -> None:
        if hotel_id != self.hotel_id:  # a connector never answers for another hotel
            raise NotFound(f"no such hotel: {hotel_id}")


def _matches(found: ApaleoReservation, lookup: ReservationLookup, property_id: str) -> bool:
    """The second factor (last name, else the caller's phone) and the property match."""
    if found.property.id != property_id:
        return False
    people = [p for p in (found.primary_guest, found.booker) if p is not None]
    if lookup.last_name is not None:
        given = mapping.fold_name(lookup.last_name)
        if given and any(mapping.fold_name(p.last_name) == given for p in people):
            return True
    if lookup.caller_phone is not None:
        caller = mapping.phone_digits(lookup.caller_phone)
        if len(caller) >= 5 and any(mapping.phone_digits(p.phone) == caller for p in people):
            return True
    return False


def _booking_body(request: BookingRequest) -> dict[str, Any]:
    """``booking_CreateBookingModel`` for one reservation of the offer's rate plan."""
    stay = request.stay
    guest = _person(request.guest)
    reservation: dict[str, Any] = {
        "arrival": stay.arrival.isoformat(),
        "departure": stay.departure.isoformat(),
        "adults": stay.adults,
        "channelCode": CHANNEL,
        "primaryGuest": guest,
        "timeSlices": [{"ratePlanId": request.offer_id} for _ in range(stay.nights)],
        "comment": BOOKING_COMMENT,
    }
    if stay.children:
        reservation["childrenAges"] = _children_ages(stay.children, stay.children_ages)
    if request.notes:
        reservation["guestComment"] = request.notes
    return {"booker": guest, "reservations": [reservation]}


def _person(guest: GuestDetails) -> dict[str, str]:
    person = {"firstName": guest.first_name, "lastName": guest.last_name}
    if guest.email:
        person["email"] = guest.email
    if guest.phone:
        person["phone"] = guest.phone
    return person


def _children_ages(count: int, known: list[int] | None = None) -> list[int]:
    """Ages for ``count`` children: those Apaleo already knows, the assumed age for others."""
    ages = list(known or [])[:count]
    return ages + [ASSUMED_CHILD_AGE] * (count - len(ages))


def _csv(values: list[int] | tuple[str, ...]) -> str:
    """An array query parameter as Apaleo's Swagger 2.0 defines it (``csv``, the default)."""
    return ",".join(str(v) for v in values)


def _empty(response: httpx.Response) -> bool:
    """204, or a 200 without a body: Apaleo has nothing to show (not an error)."""
    return response.status_code == 204 or not response.content.strip()
