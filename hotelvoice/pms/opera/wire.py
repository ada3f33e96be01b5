"""Reading OPERA's JSON: exact decimals, and paths through its deeply nested objects.

OPERA's answers nest every fact several levels deep (``reservations.reservationInfo[0].
roomStay.totalAmount.amount``), and any level may be missing. These helpers walk such paths
without a chain of ``.get`` calls and parse numbers as ``Decimal`` so money is never a float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from hotelvoice.errors import Unavailable


def body(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object (numbers as ``Decimal``); ``{}`` for an empty answer (204)."""
    if not response.content.strip():
        return {}
    try:
        value = json.loads(response.content, parse_float=Decimal)
    except ValueError as exc:
        raise Unavailable("the hotel's system sent an answer that is not JSON") from exc
    return value if isinstance(value, dict) else {}


def dig(value: Any, *path: str | int) -> Any:
    """``value[path[0]][path[1]]…``, or None where a step is missing or of the wrong kind."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
        elif not isinstance(value, dict):
            return None
        value = value[step] if isinstance(step, int) else value.get(step)
        if value is None:
            return None
    return value


def objects(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON array (anything else: none)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """A non-empty string, stripped; anything else None."""
    return value.strip() or None if isinstance(value, str) else None


def integer(value: Any) -> int | None:
    """A JSON integer (or a whole ``Decimal``); anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return None


def id_of(ids: Any, kind: str) -> str | None:
    """The id of ``kind`` in an OPERA id list (``[{"id": "813595", "type": "Confirmation"}]``)."""
    for entry in objects(ids):
        if str(entry.get("type", "")).casefold() == kind.casefold():
            return text(entry.get("id"))
    return None
