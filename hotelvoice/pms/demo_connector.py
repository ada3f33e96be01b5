"""The demo PMS: a seeded hotel in one DynamoDB table, priced like a real PMS would.

Single-table layout. Partition ``HOTEL#<hotel_id>``: ``INFO`` (hotel facts),
``ROOMTYPE#<code>`` (name, occupancy), ``RES#<code>`` (a reservation). Inventory lives in one
partition per hotel and month, ``HOTEL#<hotel_id>#NIGHTS#<yyyy-mm>``, sort key
``<date>#<code>`` (units left, the night's rate in minor units): a stay reads one or two
small partitions instead of the hotel's whole year.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.contracts.pms import (
    Availability,
    AvailabilityQuery,
    HotelInfo,
    Money,
    Offer,
    Reservation,
    ReservationLookup,
)
from hotelvoice.dynamo import Key, plain, query_all
from hotelvoice.errors import NotFound, Unavailable
from hotelvoice.pms.demo_keys import hotel_pk, night_sk, nights_pk

FREE_CANCELLATION = "free cancellation until the day before arrival, then the first night"


class DemoPmsReader:
    """:class:`~hotelvoice.pms.connector.PmsReader` over the demo table.

    The writes are in :mod:`hotelvoice.pms.demo_bookings` (``DemoPmsConnector``).
    """

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self) -> Any:
        return aws.resource_table(self._table_name)

    async def hotel_info(self, hotel_id: str) -> HotelInfo:
        """Read the ``INFO`` item."""
        item = await self._get(hotel_id, "INFO")
        return HotelInfo.model_validate(plain(item["info"]))

    async def availability(self, hotel_id: str, query: AvailabilityQuery) -> Availability:
        """Price every room type that fits the party and has a unit on every night."""
        hotel = await self.hotel_info(hotel_id)  # unknown hotel → NotFound
        items = await asyncio.to_thread(self._query_nights, hotel_id, query)
        room_types = {i["sk"].split("#", 1)[1]: i for i in items if i["sk"].startswith("ROOMTYPE#")}
        nights: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            if "room_type" in item:
                nights.setdefault(item["room_type"], []).append(item)
        currency = hotel.currency
        offers = []
        party = query.adults + query.children
        for code, room in sorted(room_types.items(), key=lambda kv: int(kv[1]["order"])):
            stay = nights.get(code, [])
            if int(room["max_occupancy"]) < party or len(stay) < query.nights:
                continue
            units = min(int(n["available"]) for n in stay)
            if units < 1:
                continue
            offers.append(
                Offer(
                    room_type_code=code,
                    room_type_name=str(room["name"]),
                    description=str(room["description"]),
                    max_occupancy=int(room["max_occupancy"]),
                    rate_plan=str(room["rate_plan"]),
                    available_units=units,
                    total=Money(
                        amount_minor=sum(int(n["rate_minor"]) for n in stay), currency=currency
                    ),
                    breakfast_included=bool(room["breakfast_included"]),
                    offer_id=code,
                    cancellation_terms=FREE_CANCELLATION,
                    included=["breakfast"] if room["breakfast_included"] else [],
                )
            )
        return Availability(hotel_id=hotel_id, query=query, nights=query.nights, offers=offers)

    async def find_reservation(self, hotel_id: str, lookup: ReservationLookup) -> Reservation:
        """Match code and second factor; any mismatch is the same ``NotFound``."""
        try:
            item = await self._get(hotel_id, f"RES#{lookup.confirmation_code}")
        except NotFound:
            raise _no_match() from None
        guest = item["reservation"]
        name_ok = lookup.last_name is not None and _same_name(
            lookup.last_name, str(guest["guest_last_name"])
        )
        phone_ok = lookup.caller_phone is not None and _digits(lookup.caller_phone) == _digits(
            str(item.get("guest_phone", ""))
        )
        if not (name_ok or phone_ok):
            raise _no_match()
        return Reservation.model_validate(plain(guest))

    async def _reservation_item(self, hotel_id: str, code: str) -> dict[str, Any]:
        """The stored reservation item (with what only the PMS knows: room type, fees)."""
        return await self._get(hotel_id, f"RES#{code}")

    async def _night_rates(
        self, hotel_id: str, room_type: str, nights: list[date]
    ) -> list[int] | None:
        """Each night's rate of the room type, or ``None`` if a night has no unit left."""
        if not nights:
            return None
        last = nights[-1] + timedelta(days=1)
        query = AvailabilityQuery(arrival=nights[0], departure=last, adults=1)
        items = await asyncio.to_thread(self._query_nights, hotel_id, query)
        stay = {i["sk"]: i for i in items if i.get("room_type") == room_type}
        found = [stay.get(night_sk(n, room_type)) for n in nights]
        if any(i is None or int(i["available"]) < 1 for i in found):
            return None
        return [int(i["rate_minor"]) for i in found if i is not None]

    async def _get(self, hotel_id: str, sk: str) -> dict[str, Any]:
        try:
            response = await asyncio.to_thread(
                self._table.get_item, Key={"pk": hotel_pk(hotel_id), "sk": sk}
            )
        except (BotoCoreError, ClientError) as exc:
            raise Unavailable("the hotel system is not answering") from exc
        if "Item" not in response:
            raise NotFound(f"no such hotel: {hotel_id}" if sk == "INFO" else "not found")
        return response["Item"]

    def _query_nights(self, hotel_id: str, query: AvailabilityQuery) -> list[dict[str, Any]]:
        last_night = query.departure - timedelta(days=1)
        months = sorted(
            {nights_pk(hotel_id, query.arrival + timedelta(days=n)) for n in range(query.nights)}
        )
        ranges = [Key("pk").eq(hotel_pk(hotel_id)) & Key("sk").begins_with("ROOMTYPE#")] + [
            Key("pk").eq(month)
            & Key("sk").between(query.arrival.isoformat(), f"{last_night.isoformat()}#~")
            for month in months
        ]
        items: list[dict[str, Any]] = []
        try:
            for condition in ranges:
                items.extend(query_all(self._table, KeyConditionExpression=condition))
        except (BotoCoreError, ClientError) as exc:
            raise Unavailable("the hotel system is not answering") from exc
        return items


def _no_match() -> NotFound:
    return NotFound("no reservation matches that confirmation code and name", code="no_match")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def _same_name(given: str, stored: str) -> bool:
    return re.sub(r"[\s'-]", "", _fold(given)) == re.sub(r"[\s'-]", "", _fold(stored))


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)[-9:]
