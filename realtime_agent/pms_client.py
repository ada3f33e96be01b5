"""The agent's client of the PMS API: HTTPS, a service token, timeouts, typed answers.

The agent never talks to a PMS directly: the control plane owns connectors, credentials and
pricing. Answers are parsed into the same contracts the API publishes. Requests go through
the process's shared connection pool (``realtime_agent.http_client``), so a call costs no new
client and, after the first call, no new TLS handshake.

Errors keep the API's meaning, because the caller hears different things for each: a 404 is
an answer (nothing matches), a 422 ``refused_by_pms`` carries the PMS's own reason to relay,
and a 429 (with ``Retry-After``), a 5xx or no answer in time all mean the hotel system cannot
be asked just now: the receptionist apologises and offers the front desk or a message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from hotelvoice.contracts.hotels import HotelConfig, normalise_number
from hotelvoice.contracts.pms import (
    AmendedReservation,
    Availability,
    Booking,
    BookingRequest,
    Cancellation,
    CancellationQuote,
    ConfirmationRecipient,
    HotelInfo,
    Reservation,
    ReservationLookup,
    StayChange,
)
from hotelvoice.errors import (
    InvalidRequest,
    NotFound,
    RateLimited,
    RefusedByPms,
    SoldOut,
    Unavailable,
)
from realtime_agent.http_client import ControlPlaneHttp
from realtime_agent.service_auth import Credentials, as_auth


class PmsClient:
    """Async client of ``/v1/hotels/{hotel_id}/…``; cheap enough to make one per call.

    ``transport`` (tests) gives this client connections of its own; otherwise it borrows
    the process's shared pool.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout_s: float = 3.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._auth = as_auth(credentials)
        self._timeout_s = timeout_s
        self._http = ControlPlaneHttp(transport)

    async def aclose(self) -> None:
        """Release a test transport's connections; the shared pool stays open."""
        await self._http.aclose()

    async def hotel_info(self, hotel_id: str) -> HotelInfo:
        """Facts about the hotel."""
        return HotelInfo.model_validate(await self._call("GET", f"/v1/hotels/{hotel_id}/info"))

    async def hotel_config(self, hotel_id: str) -> HotelConfig:
        """The hotel's receptionist configuration (front desk, languages, limits)."""
        body = await self._call("GET", f"/v1/hotels/{hotel_id}/config")
        return HotelConfig.model_validate(body)

    async def hotel_for_number(self, dialled_number: str) -> HotelConfig:
        """Which hotel answers the number the caller dialled."""
        number = normalise_number(dialled_number)
        return HotelConfig.model_validate(await self._call("GET", f"/v1/dialled-numbers/{number}"))

    async def availability(
        self,
        hotel_id: str,
        arrival: date,
        departure: date,
        adults: int,
        children: int = 0,
        children_ages: list[int] | None = None,
    ) -> Availability:
        """Offers for a stay, priced by the PMS (by the children's ages where given)."""
        params: dict[str, Any] = {
            "arrival": arrival.isoformat(),
            "departure": departure.isoformat(),
            "adults": adults,
            "children": children,
        }
        if children_ages:
            params["children_ages"] = list(children_ages)
        body = await self._call("GET", f"/v1/hotels/{hotel_id}/availability", params=params)
        return Availability.model_validate(body)

    async def find_reservation(
        self, hotel_id: str, confirmation_code: str, last_name: str
    ) -> Reservation | None:
        """The reservation if code and name match; ``None`` if they do not."""
        try:
            body = await self._call(
                "POST",
                f"/v1/hotels/{hotel_id}/reservations/lookup",
                json={"confirmation_code": confirmation_code, "last_name": last_name},
            )
        except NotFound:
            return None
        return Reservation.model_validate(body)

    async def create_booking(
        self, hotel_id: str, request: BookingRequest, idempotency_key: str
    ) -> Booking:
        """Book an offer for a guest.

        A repeated key answers the first booking (``created`` false): a retry never books
        twice.
        """
        body = request.model_dump(mode="json", exclude_none=True)
        answer = await self._write(f"/v1/hotels/{hotel_id}/bookings", body, idempotency_key, None)
        return Booking.model_validate(answer)

    async def cancellation_quote(
        self, hotel_id: str, lookup: ReservationLookup
    ) -> CancellationQuote:
        """What cancelling the verified reservation would cost now (nothing changes)."""
        body = await self._call(
            "POST",
            f"/v1/hotels/{hotel_id}/reservations/cancellation-quote",
            json=lookup.model_dump(mode="json", exclude_none=True),
        )
        return CancellationQuote.model_validate(body)

    async def cancel(
        self,
        hotel_id: str,
        lookup: ReservationLookup,
        idempotency_key: str,
        *,
        confirm_to: ConfirmationRecipient | None = None,
    ) -> Cancellation:
        """Cancel the verified reservation; a repeated key answers the first cancellation."""
        body = lookup.model_dump(mode="json", exclude_none=True)
        path = f"/v1/hotels/{hotel_id}/reservations/cancel"
        answer = await self._write(path, body, idempotency_key, confirm_to)
        return Cancellation.model_validate(answer)

    async def amend(
        self,
        hotel_id: str,
        lookup: ReservationLookup,
        change: StayChange,
        idempotency_key: str,
        *,
        confirm_to: ConfirmationRecipient | None = None,
    ) -> AmendedReservation:
        """Move the verified reservation to a re-quoted stay; a repeated key amends once."""
        body: dict[str, Any] = {
            "lookup": lookup.model_dump(mode="json", exclude_none=True),
            "change": change.model_dump(mode="json", exclude_none=True),
        }
        path = f"/v1/hotels/{hotel_id}/reservations/amend"
        answer = await self._write(path, body, idempotency_key, confirm_to)
        return AmendedReservation.model_validate(answer)

    async def _write(
        self,
        path: str,
        body: dict[str, Any],
        idempotency_key: str,
        confirm_to: ConfirmationRecipient | None,
    ) -> Any:
        """A PMS write: once per key, with where the guest's e-mail goes if the caller said."""
        if confirm_to is not None:
            body["confirm_to"] = confirm_to.model_dump(mode="json", exclude_none=True)
        headers = {"Idempotency-Key": idempotency_key}
        return await self._call("POST", path, json=body, headers=headers)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.client.request(
                method,
                f"{self._base_url}{path}",
                auth=self._auth,
                timeout=self._timeout_s,
                **kwargs,
            )
        except httpx.HTTPError as exc:
            raise Unavailable("the hotel system did not answer in time") from exc
        if response.status_code < 400:
            return response.json()
        code, error = _error_of(response)
        status = response.status_code
        if status == 404:
            raise NotFound(error)
        if status == 422 and code == RefusedByPms.code:
            raise RefusedByPms(error)
        if status in (400, 422):
            raise InvalidRequest(error)
        if status == 409 and code == SoldOut.code:
            # The room went meanwhile: an answer about the stay, not an outage.
            raise SoldOut(error)
        if status == 429:
            # The API's own limit or the PMS vendor's: either way not now, so not retried
            # while a caller waits; the receptionist offers the front desk instead.
            raise RateLimited(error, retry_after_s=_retry_after_s(response))
        raise Unavailable(f"the hotel system answered {status}: {error}")


DEFAULT_RETRY_AFTER_S = 60
"""What a 429 without a readable ``Retry-After`` (seconds) is taken to mean."""


def _error_of(response: httpx.Response) -> tuple[str, str]:
    """The error body's ``code`` and ``message`` (``""`` and the raw text if it has none)."""
    try:
        detail = response.json()["error"]
        return str(detail.get("code", "")), str(detail["message"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return "", response.text[:200]


def _retry_after_s(response: httpx.Response) -> int:
    """``Retry-After`` in whole seconds; the API sends seconds, anything else is the default."""
    value = response.headers.get("retry-after", "").strip()
    return int(value) if value.isdigit() else DEFAULT_RETRY_AFTER_S
