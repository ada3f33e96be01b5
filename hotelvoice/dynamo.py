"""Small DynamoDB helpers shared by the stores.

``Key``, ``Attr``, ``serialize`` and ``deserialize`` are boto3's, imported when a store first
builds a query or converts an item: importing ``boto3.dynamodb`` loads all of boto3, which is
a third of a function's cold start, and a request refused before it reads anything (no token,
a bad body) never needs it (``make bench``, "Cold starts").
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any


def Key(name: str) -> Any:
    """``boto3.dynamodb.conditions.Key``: a key condition on attribute ``name``."""
    from boto3.dynamodb.conditions import Key as key

    return key(name)


def Attr(name: str) -> Any:
    """``boto3.dynamodb.conditions.Attr``: a filter or condition on attribute ``name``."""
    from boto3.dynamodb.conditions import Attr as attr

    return attr(name)


@cache
def _converters() -> tuple[Any, Any]:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()


def serialize(value: Any) -> dict[str, Any]:
    """A Python value in DynamoDB's typed wire form (``{"S": …}``), for the low-level client."""
    return _converters()[0].serialize(value)


def deserialize(value: dict[str, Any]) -> Any:
    """A typed wire value (``{"S": …}``) back to Python, as the ``Table`` resource returns it."""
    return _converters()[1].deserialize(value)


def query_all(table: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a ``Table.query``, following ``LastEvaluatedKey`` pages."""
    items: list[dict[str, Any]] = []
    while True:
        page = table.query(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def plain(value: Any) -> Any:
    """DynamoDB returns ``Decimal`` for every number; give back ints and floats."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
