"""Reading OPERA's numbers: its examples write them as strings, its schema as numbers.

Conversion to :class:`~hotelvoice.contracts.pms.Money` is shared by every connector
(:mod:`hotelvoice.pms.money`, with OPERA's ``decimalPlaces`` where it sends one).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def decimal_of(value: object) -> Decimal | None:
    """A JSON number (already a ``Decimal``, or an int) as a ``Decimal``; anything else None.

    OPERA's own examples write numbers as strings (``"200"``); its schema says number, and a
    string here means the answer is not what the schema promises, so it is read but only
    when it is plainly numeric.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None
