"""A hotel's items across its calls: the front desk's inbox, and the bookings the line made.

A call's message (``MESSAGE#…``), request (``REQUEST#…``) and booking (``BOOKING#…``) items
carry ``item_key`` = ``<hotel id>#<collection>`` and ``item_at`` = their time and event id,
the keys of the calls table's sparse ``by-hotel-item`` index. Collections: ``inbox-open`` and
``inbox-done`` (messages and requests, by the front desk's status), ``booking``. So a hotel's
open inbox, or its bookings in a period, is one query, newest first.

The keys need the call's hotel: items that arrived before the call said which hotel it is get
them when it does (:meth:`HotelItems.file_call_items`), and a call whose hotel the dialled
number corrected moves with it. Erasure and retention delete the items, and their index
entries with them.
"""

from __future__ import annotations

from typing import Any, Literal

from hotelvoice.calls.erasable import ErasableCalls
from hotelvoice.dynamo import Key, query_all

BY_HOTEL_ITEM_INDEX = "by-hotel-item"
Collection = Literal["inbox-open", "inbox-done", "booking"]
PREFIXES = ("MESSAGE", "REQUEST", "BOOKING")


def item_key(hotel_id: str, collection: Collection) -> str:
    """The index partition of one collection of a hotel."""
    return f"{hotel_id}#{collection}"


def collection_of(item: dict[str, Any]) -> Collection:
    """Where an item belongs: a booking, or an inbox item by its status (new ones are open)."""
    if item["sk"].startswith("BOOKING#"):
        return "booking"
    return "inbox-done" if str(item.get("item_key", "")).endswith("#inbox-done") else "inbox-open"


def item_fields(hotel_id: str | None, item: dict[str, Any]) -> dict[str, str]:
    """What a new item carries to be listed (nothing while its call names no hotel)."""
    if not hotel_id:
        return {}
    return {
        "item_key": item_key(hotel_id, collection_of(item)),
        "item_at": item["sk"].split("#", 1)[1],
    }


class HotelItems(ErasableCalls):
    """The index's writes: filing a call's items under its hotel."""

    def file_call_items(self, call_id: str, hotel_id: str) -> None:
        """Give a call's items the keys of ``hotel_id``, each in the collection it is in."""
        for item in self.call_items(call_id):
            fields = item_fields(hotel_id, item)
            if item.get("item_key") == fields["item_key"]:
                continue
            self._table.update_item(
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression="SET item_key = :k, item_at = :a",
                ConditionExpression="attribute_exists(sk)",
                ExpressionAttributeValues={":k": fields["item_key"], ":a": fields["item_at"]},
            )

    def call_items(self, call_id: str, *prefixes: str) -> list[dict[str, Any]]:
        """A call's items of the given kinds (all three by default), read consistently."""
        found: list[dict[str, Any]] = []
        for prefix in prefixes or PREFIXES:
            found += query_all(
                self._table,
                KeyConditionExpression=Key("pk").eq(f"CALL#{call_id}")
                & Key("sk").begins_with(f"{prefix}#"),
                ConsistentRead=True,
            )
        return found
