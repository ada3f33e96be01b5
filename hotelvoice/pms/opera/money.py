"""OPERA's amounts (decimals in major units) as our :class:`~hotelvoice.contracts.pms.Money`.

OPERA sends ``{"amountAfterTax": 360.0, "currencyCode": "EUR"}``, sometimes with
``decimalPlaces`` (the currency's ISO 4217 minor unit). Responses are parsed with
``parse_float=Decimal`` (:mod:`hotelvoice.pms.opera.wire`), so an amount arrives here as the
exact decimal text OPERA wrote and is converted once, never through a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from hotelvoice.contracts.pms import Money

MINOR_UNIT_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX",
            "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}  # fmt: skip
"""ISO 4217 currencies whose minor unit is not a hundredth; every other currency has 2."""


def minor_unit_exponent(currency: str, decimal_places: object = None) -> int:
    """The currency's minor unit: OPERA's ``decimalPlaces`` where it says, else ISO 4217."""
    if type(decimal_places) is int and 0 <= decimal_places <= 4:
        return decimal_places
    return MINOR_UNIT_EXPONENTS.get(currency.upper(), 2)


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


def to_money(amount: Decimal, currency: str, decimal_places: object = None) -> Money:
    """``Decimal("360.00"), "EUR"`` → ``Money(36000, "EUR")``.

    An amount finer than the minor unit is rounded half to even, as banks do; a negative
    amount is not a price and is refused.
    """
    exponent = minor_unit_exponent(currency, decimal_places)
    minor = (amount * (Decimal(10) ** exponent)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    if minor < 0:
        raise ValueError(f"negative amount {amount} {currency}")
    return Money(amount_minor=int(minor), currency=currency.upper())


def zero(currency: str) -> Money:
    """Nothing to pay, in ``currency``."""
    return Money(amount_minor=0, currency=currency.upper())
