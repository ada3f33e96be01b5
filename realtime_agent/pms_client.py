"""The agent's client of the PMS API: HTTPS, a service token, timeouts, typed answers.

The agent never talks to a PMS directly: the control plane owns connectors, credentials and
pricing. Answers are parsed into the same contracts the API publishes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from hotelvoice.contracts.hotels import HotelConfig, normalise_number
from hotelvoice.contracts.pms import Availability, HotelInfo, Reservation
from hotelvoice.errors import InvalidRequest, NotFound, Unavailable
from realtime_agent.service_auth import Credentials, as_auth


class PmsClient:
    """Async client of ``/v1/hotels/{hotel_id}/…``; one per worker process."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout_s: float = 3.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=as_auth(credentials),
            timeout=timeout_s,
            transport=transport,
        )

    async def aclose(self) -> None:
        """Release connections."""
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
        self, hotel_id: str, arrival: date, departure: date, adults: int, children: int = 0
    ) -> Availability:
        """Offers for a stay, priced by the PMS."""
        params = {
            "arrival": arrival.isoformat(),
            "departure": departure.isoformat(),
            "adults": adults,
            "children": children,
        }
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

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise Unavailable("the hotel system did not answer in time") from exc
        if response.status_code < 400:
            return response.json()
        error = _error_of(response)
        if response.status_code == 404:
            raise NotFound(error)
        if response.status_code in (400, 422):
            raise InvalidRequest(error)
        raise Unavailable(f"the hotel system answered {response.status_code}: {error}")


def _error_of(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]
