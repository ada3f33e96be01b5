"""What cancelling a Mews reservation costs now, from the policy Mews holds for it.

``cancellationPolicies/getByReservations`` gives each reservation's policy tiers: from when a
tier applies (``Applicability`` ``Start``/``StartDate`` minus ``ApplicabilityOffset``, or
``Creation`` plus it) and what it charges (``AbsoluteFee`` plus ``RelativeFee`` of the price
of the first ``FeeMaximumTimeUnits`` nights and/or the products, per ``FeeExtents``). The
quote is the highest fee among the tiers already in force, never more than the stay costs;
what Mews really posts on cancelling is read back from its order items (``CancellationFee``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from hotelvoice.contracts.pms import Money
from hotelvoice.pms.mews.hotel_time import local_date, local_midnight, parse_duration, parse_utc
from hotelvoice.pms.mews.models import MewsCancellationPolicy, MewsOrderItem, MewsReservation
from hotelvoice.pms.mews.money import to_minor
from hotelvoice.pms.mews.property_facts import PropertyFacts
from hotelvoice.pms.mews.reservations import stay_total
from hotelvoice.pms.money import minor_unit_exponent

ALWAYS = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Tier:
    """One policy tier: from when it applies and what it would charge."""

    applies_from: datetime
    fee_minor: int


@dataclass(frozen=True)
class FeeQuote:
    """The fee now and the policy in words."""

    fee: Money
    terms: str


def quote(
    facts: PropertyFacts,
    reservation: MewsReservation,
    policies: list[MewsCancellationPolicy],
    items: list[MewsOrderItem],
    now: datetime,
) -> FeeQuote:
    """The fee for cancelling ``reservation`` at ``now`` and the policy's terms."""
    currency = facts.currency
    cap = stay_total(items, currency).amount_minor
    tiers = sorted(
        (
            Tier(applies_from(facts, reservation, p), min(cap, fee_minor(p, items, currency)))
            for p in policies
        ),
        key=lambda t: t.applies_from,
    )
    in_force = [t.fee_minor for t in tiers if t.applies_from <= now]
    fee = Money(amount_minor=max(in_force, default=0), currency=currency)
    return FeeQuote(fee=fee, terms=terms(facts, tiers, currency))


def applies_from(
    facts: PropertyFacts, reservation: MewsReservation, policy: MewsCancellationPolicy
) -> datetime:
    """When a tier starts to apply (an unreadable tier applies at once: never promise free)."""
    try:
        offset = parse_duration(policy.applicability_offset)
    except ValueError:
        return ALWAYS
    if policy.applicability == "Start" and reservation.start:
        return parse_utc(reservation.start) - offset
    if policy.applicability == "StartDate" and reservation.start:
        arrival = local_date(reservation.start, facts.zone)
        return local_midnight(arrival, facts.zone).astimezone(UTC) - offset
    if policy.applicability == "Creation" and reservation.created_utc:
        return parse_utc(reservation.created_utc) + offset
    return ALWAYS


def fee_minor(policy: MewsCancellationPolicy, items: list[MewsOrderItem], currency: str) -> int:
    """What a tier charges, in minor units of the hotel's currency."""
    base = Decimal(0)
    if "TimeUnits" in policy.fee_extents:
        nights = nightly_prices(items, currency)
        limit = policy.fee_maximum_time_units or len(nights)
        base += sum(nights[:limit], Decimal(0))
    if "Products" in policy.fee_extents:
        base += sum(_gross(items, currency, {"ProductOrder"}), Decimal(0))
    fee = policy.relative_fee * base
    if policy.absolute_fee and policy.absolute_fee.currency.upper() == currency:
        fee += policy.absolute_fee.value
    return max(0, to_minor(fee, currency))


def nightly_prices(items: list[MewsOrderItem], currency: str) -> list[Decimal]:
    """Each night's gross price in stay order (an item for several nights is split by unit)."""
    nights = sorted(
        (i for i in items if i.type == "SpaceOrder" and i.accounting_state != "Canceled"),
        key=lambda i: i.start_utc or i.consumed_utc or "",
    )
    prices: list[Decimal] = []
    for item in nights:
        if item.amount.currency.upper() != currency:
            continue
        if item.unit_count > 1 and item.unit_amount is not None:
            prices.extend([item.unit_amount.gross_value] * item.unit_count)
        else:
            prices.append(item.amount.gross_value)
    return prices


def posted_fee(items: list[MewsOrderItem], currency: str) -> Money:
    """The cancellation fee Mews charged (its ``CancellationFee`` order items)."""
    value = sum(_gross(items, currency, {"CancellationFee"}), Decimal(0))
    return Money(amount_minor=max(0, to_minor(value, currency)), currency=currency)


def terms(facts: PropertyFacts, tiers: list[Tier], currency: str) -> str:
    """The policy as the receptionist can say it, in the hotel's local time."""
    charging = [t for t in tiers if t.fee_minor > 0]
    if not charging:
        return "Cancelling this reservation is free of charge."
    parts = []
    if charging[0].applies_from > ALWAYS:
        parts.append(f"Free cancellation until {_when(facts, charging[0].applies_from)}")
    for n, tier in enumerate(charging):
        amount = _spoken(tier.fee_minor, currency)
        if tier.applies_from == ALWAYS:
            parts.append(f"the cancellation fee is {amount}")
        elif n == 0:
            parts.append(f"from then the fee is {amount}")
        else:
            parts.append(f"from {_when(facts, tier.applies_from)} the fee is {amount}")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def _gross(items: Iterable[MewsOrderItem], currency: str, types: set[str]) -> list[Decimal]:
    return [
        i.amount.gross_value
        for i in items
        if i.type in types
        and i.accounting_state != "Canceled"
        and i.amount.currency.upper() == currency
    ]


def _when(facts: PropertyFacts, moment: datetime) -> str:
    local = moment.astimezone(facts.zone)
    return f"{local:%d %B %Y, %H:%M} hotel time"


def _spoken(minor: int, currency: str) -> str:
    exponent = minor_unit_exponent(currency)
    return f"{Decimal(minor).scaleb(-exponent):.{exponent}f} {currency}"
