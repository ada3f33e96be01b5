"""Mews amounts (decimals in major units) → our :class:`~hotelvoice.contracts.pms.Money`.

Amounts are read from the answer's text as :class:`~decimal.Decimal` (never float) and
converted once, here, with the currency's ISO 4217 minor-unit exponent: EUR 389.5 is 38950
cents, JPY 12000 stays 12000, KWD 12.345 is 12345 fils.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from hotelvoice.contracts.pms import Money
from hotelvoice.pms.money import minor_unit_exponent


def to_minor(value: Decimal | int, currency: str) -> int:
    """A major-unit amount in minor units, rounded half up where Mews sent more digits."""
    scaled = Decimal(value).scaleb(minor_unit_exponent(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money(value: Decimal | int, currency: str) -> Money:
    """A non-negative amount as :class:`Money` (a rebate larger than the charges is zero)."""
    return Money(amount_minor=max(0, to_minor(value, currency)), currency=currency.upper())


def total(values: Iterable[Decimal], currency: str) -> Money:
    """The sum of major-unit amounts in one currency, converted once at the end."""
    return money(sum(values, Decimal(0)), currency)
