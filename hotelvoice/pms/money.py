"""PMS amounts (decimals in major units) as our :class:`~hotelvoice.contracts.pms.Money`.

Every vendor sends decimals in major units (Apaleo ``totalGrossAmount``, Mews
``GrossValue``, OPERA ``amountAfterTax``). Connectors parse answers with
``parse_float=Decimal`` and convert here, once, with the currency's own minor unit (EUR 2,
JPY 0, KWD 3): never through a float, where 0.1 + 0.2 is not 0.3.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

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
    """The currency's minor unit: the PMS's own ``decimal_places`` where given, else ISO 4217."""
    if type(decimal_places) is int and 0 <= decimal_places <= 4:
        return decimal_places
    return MINOR_UNIT_EXPONENTS.get(currency.upper(), 2)


def to_money(amount: Decimal, currency: str, decimal_places: object = None) -> Money:
    """``Decimal("214.00"), "EUR"`` → ``Money(21400, "EUR")``.

    An amount finer than the minor unit (taxes computed to more places) is rounded half to
    even, as banks do; a negative amount (a refund) is not a price and is refused.
    """
    exponent = minor_unit_exponent(currency, decimal_places)
    minor = (amount * (Decimal(10) ** exponent)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    if minor < 0:
        raise ValueError(f"negative amount {amount} {currency}")
    return Money(amount_minor=int(minor), currency=currency.upper())


def zero(currency: str) -> Money:
    """Nothing to pay, in ``currency``."""
    return Money(amount_minor=0, currency=currency.upper())
