"""The demo PMS's writes: book, quote a cancellation, cancel, amend, like a real PMS would.

Each write is one DynamoDB transaction: the reservation, the idempotency item
(``IDEMP#<key>`` → what the first request did) and one conditional update per night of
inventory, so a booking either takes a unit on every night or nothing, two guests never get
the last room, and a retried request finds its idempotency item and returns the first
answer. The policy: free cancellation until the day before arrival, then the first night.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import date, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.contracts.pms import (
    AvailabilityQuery,
    Booking,
    BookingRequest,
    Cancellation,
    CancellationQuote,
    ConfirmationRecipient,
    Money,
    Reservation,
    ReservationLookup,
    ReservationStatus,
    StayChange,
)
from hotelvoice.dynamo import plain, serialize
from hotelvoice.errors import RefusedByPms, SoldOut, Unavailable
from hotelvoice.pms.demo_connector import FREE_CANCELLATION, DemoPmsReader
from hotelvoice.pms.demo_keys import hotel_pk, night_sk, nights_pk

CANCELLABLE = {ReservationStatus.CONFIRMED, ReservationStatus.OPTIONAL}
FREE_UNTIL_DAYS_BEFORE = 1


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: serialize(v) for k, v in values.items()}


def _nights(stay: AvailabilityQuery | Reservation) -> list[date]:
    return [stay.arrival + timedelta(days=n) for n in range((stay.departure - stay.arrival).days)]


class DemoPmsConnector(DemoPmsReader):
    """:class:`~hotelvoice.pms.connector.PmsConnector` over the demo table: reads and writes."""

    async def create_booking(
        self, hotel_id: str, request: BookingRequest, *, idempotency_key: str
    ) -> Booking:
        """Take a unit of the offer's room type on every night, or nothing (``SoldOut``)."""
        earlier = await self._idempotent(hotel_id, idempotency_key)
        if earlier:
            return Booking(reservation=await self._stored(hotel_id, earlier["code"]), created=False)
        info, room = await asyncio.gather(
            self.hotel_info(hotel_id), self._room_type(hotel_id, request.offer_id)
        )
        nights = _nights(request.stay)
        rates = await self._night_rates(hotel_id, request.offer_id, nights)
        party = request.stay.adults + request.stay.children
        if rates is None or int(room["max_occupancy"]) < party:
            raise SoldOut("that room is not available for the stay")
        code = f"HV{secrets.randbelow(900_000) + 100_000}"
        reservation = Reservation(
            confirmation_code=code,
            guest_first_name=request.guest.first_name,
            guest_last_name=request.guest.last_name,
            arrival=request.stay.arrival,
            departure=request.stay.departure,
            room_type_name=str(room["name"]),
            adults=request.stay.adults,
            children=request.stay.children,
            status=ReservationStatus.CONFIRMED,
            total=Money(amount_minor=sum(rates), currency=info.currency),
        )
        pk = hotel_pk(hotel_id)
        writes = [
            {
                "Put": {
                    "TableName": self._table_name,
                    "Item": _item(
                        {
                            "pk": pk,
                            "sk": f"RES#{code}",
                            "reservation": reservation.model_dump(mode="json"),
                            "room_type_code": request.offer_id,
                            "first_night_minor": rates[0],
                            "guest_phone": request.guest.phone or "",
                            "guest_email": request.guest.email or "",
                            "language": request.language or "",
                            "notes": request.notes or "",
                        }
                    ),
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            },
            self._idempotency_put(pk, idempotency_key, {"code": code}),
            *(
                self._take(nights_pk(hotel_id, n), night_sk(n, request.offer_id), -1)
                for n in nights
            ),
        ]
        await self._transact(writes, sold_out="that room was just sold for one of the nights")
        return Booking(reservation=reservation, created=True)

    async def cancellation_quote(
        self, hotel_id: str, lookup: ReservationLookup
    ) -> CancellationQuote:
        """Free until the day before arrival, then the first night's rate."""
        reservation = await self.find_reservation(hotel_id, lookup)
        item = await self._reservation_item(hotel_id, reservation.confirmation_code)
        return self._quote(reservation, item)

    async def cancel(
        self, hotel_id: str, lookup: ReservationLookup, *, idempotency_key: str
    ) -> Cancellation:
        """Cancel at the quoted fee and give the nights back to the inventory."""
        earlier = await self._idempotent(hotel_id, idempotency_key)
        if earlier:
            return Cancellation.model_validate(earlier["cancellation"])
        reservation = await self.find_reservation(hotel_id, lookup)
        item = await self._reservation_item(hotel_id, reservation.confirmation_code)
        quote = self._quote(reservation, item)
        if not quote.cancellable:
            raise RefusedByPms(quote.terms or "this reservation cannot be cancelled")
        cancellation = Cancellation(
            confirmation_code=reservation.confirmation_code,
            fee=quote.fee,
            status=ReservationStatus.CANCELLED,
        )
        pk = hotel_pk(hotel_id)
        room_type = item.get("room_type_code")
        writes = [
            {
                "Update": {
                    "TableName": self._table_name,
                    "Key": _key(pk, f"RES#{reservation.confirmation_code}"),
                    "UpdateExpression": "SET reservation.#s = :c, cancellation_fee_minor = :f",
                    "ConditionExpression": "reservation.#s = :was",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": _item(
                        {
                            ":c": ReservationStatus.CANCELLED.value,
                            ":f": quote.fee.amount_minor,
                            ":was": reservation.status.value,
                        }
                    ),
                }
            },
            self._idempotency_put(
                pk, idempotency_key, {"cancellation": cancellation.model_dump(mode="json")}
            ),
        ]
        if room_type:
            writes += [
                self._take(nights_pk(hotel_id, n), night_sk(n, str(room_type)), +1)
                for n in _nights(reservation)
            ]
        await self._transact(writes, sold_out="the reservation changed meanwhile")
        return cancellation

    async def amend(
        self,
        hotel_id: str,
        lookup: ReservationLookup,
        change: StayChange,
        *,
        idempotency_key: str,
    ) -> Reservation:
        """Move to the new stay: nights no longer needed go back, new ones are taken."""
        earlier = await self._idempotent(hotel_id, idempotency_key)
        if earlier:
            return await self._stored(hotel_id, earlier["code"])
        reservation = await self.find_reservation(hotel_id, lookup)
        item = await self._reservation_item(hotel_id, reservation.confirmation_code)
        if reservation.status not in CANCELLABLE:
            raise RefusedByPms(f"a reservation that is {reservation.status.value} cannot change")
        old_type = str(item.get("room_type_code") or "")
        new_type = change.offer_id or old_type
        if not new_type:
            raise RefusedByPms("this reservation's room cannot be changed by phone")
        room = await self._room_type(hotel_id, new_type)
        new_nights = _nights(change.stay)
        rates = await self._night_rates(hotel_id, new_type, new_nights)
        if rates is None or int(room["max_occupancy"]) < change.stay.adults + change.stay.children:
            raise SoldOut("that room is not available for the new dates")
        delta: dict[tuple[date, str], int] = {}
        for night in _nights(reservation):
            delta[(night, old_type)] = delta.get((night, old_type), 0) + 1
        for night in new_nights:
            delta[(night, new_type)] = delta.get((night, new_type), 0) - 1
        amended = reservation.model_copy(
            update={
                "arrival": change.stay.arrival,
                "departure": change.stay.departure,
                "adults": change.stay.adults,
                "children": change.stay.children,
                "room_type_name": str(room["name"]),
                "total": Money(amount_minor=sum(rates), currency=reservation.total.currency),
            }
        )
        pk = hotel_pk(hotel_id)
        writes = [
            {
                "Update": {
                    "TableName": self._table_name,
                    "Key": _key(pk, f"RES#{reservation.confirmation_code}"),
                    "UpdateExpression": "SET reservation = :r, room_type_code = :t, "
                    "first_night_minor = :f",
                    "ConditionExpression": "reservation.#s = :was",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": _item(
                        {
                            ":r": amended.model_dump(mode="json"),
                            ":t": new_type,
                            ":f": rates[0],
                            ":was": reservation.status.value,
                        }
                    ),
                }
            },
            self._idempotency_put(pk, idempotency_key, {"code": reservation.confirmation_code}),
            *(
                self._take(nights_pk(hotel_id, night), night_sk(night, kind), change_by)
                for (night, kind), change_by in sorted(delta.items())
                if change_by
            ),
        ]
        await self._transact(writes, sold_out="that room was just sold for one of the nights")
        return amended

    # -- pieces ---------------------------------------------------------------------------

    def _quote(self, reservation: Reservation, item: dict[str, Any]) -> CancellationQuote:
        zero = Money(amount_minor=0, currency=reservation.total.currency)
        if reservation.status not in CANCELLABLE:
            return CancellationQuote(
                confirmation_code=reservation.confirmation_code,
                cancellable=False,
                fee=zero,
                terms=f"the reservation is {reservation.status.value.replace('_', ' ')}",
            )
        days_before = (reservation.arrival - date.today()).days
        nights = max(1, (reservation.departure - reservation.arrival).days)
        first_night = int(item.get("first_night_minor") or reservation.total.amount_minor // nights)
        free = days_before >= FREE_UNTIL_DAYS_BEFORE  # free through the day before arrival
        return CancellationQuote(
            confirmation_code=reservation.confirmation_code,
            cancellable=True,
            fee=zero if free else Money(amount_minor=first_night, currency=zero.currency),
            terms=FREE_CANCELLATION,
            free_until=reservation.arrival - timedelta(days=FREE_UNTIL_DAYS_BEFORE)
            if free
            else None,
        )

    async def _idempotent(self, hotel_id: str, key: str) -> dict[str, Any] | None:

        item = await self._get_raw(hotel_pk(hotel_id), f"IDEMP#{key}")
        return plain(item["result"]) if item else None

    def _idempotency_put(self, pk: str, key: str, result: dict[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table_name,
                "Item": _item({"pk": pk, "sk": f"IDEMP#{key}", "result": result}),
                "ConditionExpression": "attribute_not_exists(sk)",
            }
        }

    def _take(self, pk: str, sk: str, change: int) -> dict[str, Any]:
        """One night's inventory moves by ``change``; taking needs a unit left."""
        update: dict[str, Any] = {
            "TableName": self._table_name,
            "Key": _key(pk, sk),
            "UpdateExpression": "ADD available :d",
            "ExpressionAttributeValues": _item({":d": change}),
            "ConditionExpression": "attribute_exists(sk)",
        }
        if change < 0:
            update["ConditionExpression"] = "available >= :need"
            update["ExpressionAttributeValues"] |= _item({":need": -change})
        return {"Update": update}

    async def _transact(self, writes: list[dict[str, Any]], *, sold_out: str) -> None:
        try:
            await asyncio.to_thread(
                aws.client("dynamodb").transact_write_items, TransactItems=writes
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                raise SoldOut(sold_out) from exc
            raise Unavailable("the hotel system is not answering") from exc
        except BotoCoreError as exc:
            raise Unavailable("the hotel system is not answering") from exc

    async def booking_contact(
        self, hotel_id: str, confirmation_code: str
    ) -> ConfirmationRecipient | None:
        """The address and language the booking was made with (``hotelvoice.mail.contacts``)."""
        item = await self._reservation_item(hotel_id, confirmation_code)
        email = str(item.get("guest_email") or "")
        language = str(item.get("language") or "") or None
        return ConfirmationRecipient(email=email, language=language) if email else None

    async def _stored(self, hotel_id: str, code: str) -> Reservation:
        item = await self._reservation_item(hotel_id, code)
        return Reservation.model_validate(plain(item["reservation"]))

    async def _room_type(self, hotel_id: str, code: str) -> dict[str, Any]:

        item = await self._get_raw(hotel_pk(hotel_id), f"ROOMTYPE#{code}")
        if item is None:
            raise SoldOut("that offer is not available")
        return item

    async def _get_raw(self, pk: str, sk: str) -> dict[str, Any] | None:
        try:
            response = await asyncio.to_thread(
                aws.resource_table(self._table_name).get_item,
                Key={"pk": pk, "sk": sk},
                ConsistentRead=True,
            )
        except (BotoCoreError, ClientError) as exc:
            raise Unavailable("the hotel system is not answering") from exc
        return response.get("Item")
