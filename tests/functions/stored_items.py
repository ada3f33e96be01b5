"""Reading a whole table back, as stored, for tests that check every item of it."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from hotelvoice import aws


def scan_table(name: str) -> list[dict[str, Any]]:
    """Every item of the table, numbers as ``Decimal``."""
    client, items, kwargs = aws.client("dynamodb"), [], {"TableName": name}
    deserialise = TypeDeserializer().deserialize
    while True:
        page = client.scan(**kwargs)
        items += [{k: deserialise(v) for k, v in item.items()} for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def a_hotel(plane: Any, prefix: str, **settings: Any) -> str:
    """A new configured hotel of its own (an unused number), with ``settings`` as given."""
    import random
    import uuid

    from hotelvoice.contracts.hotels import HotelConfigUpdate
    from hotelvoice.hotels.store import HotelDirectory

    hotel_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    HotelDirectory(plane.resources.refs["HotelsTable"]).put(
        hotel_id,
        HotelConfigUpdate(
            version=0,
            dialled_numbers=[f"+4930{random.randint(10**8, 10**9 - 1)}"],
            front_desk="+493055501000",
            **settings,
        ),
        actor="test",
    )
    return hotel_id
