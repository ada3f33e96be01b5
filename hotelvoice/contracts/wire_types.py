"""Field types for what arrives over the wire: exactly what the published OpenAPI says.

Pydantic's lax mode reads ``0`` as ``false`` and a number as epoch seconds. That is
convenient in code but makes the API accept what its own schema forbids, so clients written
against the schema and clients that got lucky would disagree. These types keep pydantic's
parsing of the documented forms (ISO 8601 text, JSON booleans and integers) and refuse the rest.
They apply to inbound contracts only; records read back from DynamoDB use the plain types.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, Strict

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
JsonNumber = Annotated[float, Strict(), Field(allow_inf_nan=False)]
"""A JSON number (``3`` or ``3.5``), not ``"3.5"``, nor the ``NaN`` and ``Infinity`` that
Python's JSON parser takes but no store or JSON writer keeps (they come back as ``null``)."""


EARLIEST_EVENT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_SKEW = timedelta(days=1)


def _sane_moment(value: datetime) -> datetime:
    """Between 2000 and a day ahead of now (clock skew), with an offset (UTC if none given).

    Anything else cannot be a call's event, and would overflow on conversion or expire its
    record at once: refused at the door instead of failing in the queue's consumer.
    """
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("date-time out of range") from exc
    if not EARLIEST_EVENT <= utc <= datetime.now(UTC) + LATEST_SKEW:
        raise ValueError("date-time must be between 2000 and now")
    return utc


EventTime = Annotated[datetime, BeforeValidator(_iso_text_only), AfterValidator(_sane_moment)]
"""When something happened in a call: ISO 8601, from 2000 to now (a day's skew), in UTC."""
