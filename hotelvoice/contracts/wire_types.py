"""Field types for what arrives over the wire: exactly what the published OpenAPI says.

Pydantic's lax mode reads ``0`` as ``false`` and a number as epoch seconds. That is
convenient in code but makes the API accept what its own schema forbids, so clients written
against the schema and clients that got lucky would disagree. These types keep pydantic's
parsing of the documented forms (ISO 8601 text, JSON booleans and integers) and refuse the rest.
They apply to inbound contracts only; records read back from DynamoDB use the plain types.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, Strict

_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


def _iso_text_only(value: object) -> object:
    """Numbers (and numeric text in a query string) are not ISO 8601 dates."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and _NUMBER.fullmatch(value)
    ):
        raise ValueError("expected an ISO 8601 date or date-time, not a number")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text_only)]
"""ISO 8601 date-time text (or a ``datetime`` in code)."""
IsoDate = Annotated[date, BeforeValidator(_iso_text_only)]
"""ISO 8601 date text (or a ``date`` in code)."""
JsonBool = Annotated[bool, Strict()]
"""``true``/``false`` only, not ``0``/``1``/``"yes"``."""
JsonInt = Annotated[int, Strict()]
"""A JSON integer, not ``"3"`` or ``3.0``."""
JsonNumber = Annotated[float, Strict()]
"""A JSON number (``3`` or ``3.5``), not ``"3.5"``."""
