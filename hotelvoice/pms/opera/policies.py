"""What cancelling an OPERA reservation costs now, from the policies OPERA attached to it.

``getReservation`` with ``fetchInstructions=ReservationPolicies`` lists the reservation's
cancellation policies: each a deadline (absolute, in property time, or days before arrival
at a drop time) and a penalty (a flat amount, a percentage, some nights, the full stay,
non-refundable), and OPERA's ``effective`` flag where it has worked out that the penalty
applies now. The fee we state is that penalty, computed from OPERA's own figures: the
reservation's gross total and nightly rates. Where the policy cannot be read into an amount,
we quote no number and say the front desk will confirm it (``cancellable=False``): a guest is
never told a fee we made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hotelvoice.contracts.pms import Money, ReservationStatus
from hotelvoice.pms.money import to_money, zero
from hotelvoice.pms.opera.dates import local_datetime
from hotelvoice.pms.opera.money import decimal_of
from hotelvoice.pms.opera.reservations import Detail
from hotelvoice.pms.opera.wire import integer, text

CANCELLABLE_STATES = frozenset(
    {ReservationStatus.CONFIRMED, ReservationStatus.OPTIONAL, ReservationStatus.WAITLISTED}
)
RESTRICTED = frozenset({"Cancel", "ChangeOrCancel"})
NOT_NOW = "The hotel's system does not allow cancelling this reservation by phone now."
ASK_FOR_FEE = "The front desk will confirm the cancellation fee."


@dataclass(frozen=True)
class Quote:
    """Whether the reservation can be cancelled now, the fee, and OPERA's words for it."""

    cancellable: bool
    fee: Money
    terms: str | None


def cancellation_quote(
    status: ReservationStatus,
    detail: Detail,
    total: Money,
    arrival: date,
    now: datetime,
    tz: ZoneInfo,
) -> Quote:
    """Whether OPERA lets the guest cancel now and the penalty its policies set for ``now``."""
    nothing = zero(total.currency)
    if status not in CANCELLABLE_STATES:
        return Quote(False, nothing, f"a reservation that is {status.value} cannot be cancelled")
    if detail.access_restriction in RESTRICTED or (
        detail.allowed_actions is not None and "Cancel" not in detail.allowed_actions
    ):
        return Quote(False, nothing, NOT_NOW)
    return penalty(detail, total, arrival, now, tz)


def penalty(detail: Detail, total: Money, arrival: date, now: datetime, tz: ZoneInfo) -> Quote:
    """The fee of the policies that apply at ``now`` (aware, any zone); the highest wins.

    ``cancellable`` is false only where a policy applies but its fee cannot be computed
    from OPERA's figures.
    """
    nothing = zero(total.currency)
    policies = [p for p in detail.cancellation_policies if isinstance(p.get("policy"), dict)]
    if not policies:
        return Quote(True, nothing, None)
    applicable = [p for p in policies if _applies(p, arrival, now, tz)]
    terms = _terms(applicable[0] if applicable else policies[0])
    if not applicable:
        return Quote(True, nothing, terms)
    fees = [_fee(p, detail, total) for p in applicable]
    if any(fee is None for fee in fees):
        return Quote(False, nothing, " ".join(t for t in (terms, ASK_FOR_FEE) if t))
    known = [fee for fee in fees if fee is not None]
    return Quote(True, max(known, key=lambda m: m.amount_minor), terms)


def _applies(entry: dict[str, Any], arrival: date, now: datetime, tz: ZoneInfo) -> bool:
    """OPERA's ``effective`` where given; else whether the deadline has passed.

    A policy without any deadline applies from booking on.
    """
    policy = entry["policy"]
    if isinstance(policy.get("effective"), bool):
        return bool(policy["effective"])
    deadline = _deadline(policy, arrival, tz)
    return deadline is None or now >= deadline


def _deadline(policy: dict[str, Any], arrival: date, tz: ZoneInfo) -> datetime | None:
    rule = policy.get("deadline") or {}
    absolute = local_datetime(rule.get("absoluteDeadline"), tz)
    if absolute is not None:
        return absolute
    offset = integer(rule.get("offsetFromArrival"))
    if offset is None:
        return None
    drop = local_datetime(rule.get("offsetDropTime"), tz)
    at = drop.timetz().replace(tzinfo=None) if drop else time(0, 0)
    if policy.get("offsetUnit") == "Hour":
        return datetime.combine(arrival, at, tz) - timedelta(hours=offset)
    return datetime.combine(arrival - timedelta(days=offset), at, tz)


def _fee(entry: dict[str, Any], detail: Detail, total: Money) -> Money | None:
    """The penalty of one policy in money, or None where OPERA's figures do not say it."""
    policy = entry["policy"]
    if policy.get("nonRefundable") is True:
        return total
    terms = policy.get("amountPercent") or {}
    basis = text(terms.get("basisType"))
    amount = decimal_of(terms.get("amount"))
    currency = text(terms.get("currencyCode")) or total.currency
    percent = decimal_of(terms.get("percent"))
    nights = integer(terms.get("nights"))
    if basis == "FullAmount":
        return total
    if basis == "FlatAmount" or (basis is None and amount is not None):
        return to_money(amount, currency) if amount is not None else None
    if basis == "Percentage" and percent is not None:
        return _share(total, percent)
    if basis in ("Nights", "NightPercentage") and nights:
        if len(detail.nightly_gross) < nights:
            return None
        first = to_money(sum(detail.nightly_gross[:nights], Decimal(0)), total.currency)
        if basis == "Nights":
            return first
        return _share(first, percent) if percent is not None else None
    due = decimal_of(entry.get("percentageDue"))
    if basis is None and due is not None:
        return _share(total, due)
    return None


def _share(money: Money, percent: Decimal) -> Money:
    minor = (Decimal(money.amount_minor) * percent / 100).quantize(
        Decimal(1), rounding=ROUND_HALF_EVEN
    )
    return Money(amount_minor=int(minor), currency=money.currency)


def _terms(entry: dict[str, Any]) -> str | None:
    policy = entry["policy"]
    return (
        text(policy.get("formattedRule"))
        or text(policy.get("penaltyDescription"))
        or text(entry.get("comments"))
    )
