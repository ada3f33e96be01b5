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
