"""Small DynamoDB helpers shared by the stores."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


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
