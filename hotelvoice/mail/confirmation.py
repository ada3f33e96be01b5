"""A booking confirmation, written in the guest's language from a catalog file.

The words live in ``catalogs/<language>.json`` (one file per language the agent speaks), not in
code: a subject and a body per kind (``created``, ``changed``, ``cancelled``), each a list of
lines with ``{placeholders}``. A line naming a value this confirmation does not have (no
payment link, no cancellation terms) is left out, so one catalog serves every hotel.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from hotelvoice.contracts.pms import Money

CATALOGS = Path(__file__).with_name("catalogs")
DEFAULT_LANGUAGE = "en"
ConfirmationKind = Literal["created", "changed", "cancelled"]


@dataclass(frozen=True)
class ConfirmationFacts:
    """What a confirmation says: the hotel's and the booking's facts, nothing computed here."""

    kind: ConfirmationKind
    hotel: str
    code: str
    first_name: str | None = None
    last_name: str | None = None
    arrival: date | None = None
    departure: date | None = None
    room: str | None = None
    adults: int | None = None
    children: int | None = None
    total: Money | None = None
    fee: Money | None = None
    cancellation_terms: str | None = None
    payment_link: str | None = None
    front_desk: bool = False
    """The front desk guarantees the booking with the guest (``guarantee: front_desk``)."""
    phone: str | None = None


@dataclass(frozen=True)
class Email:
    """One message as SES sends it."""

    subject: str
    body: str
    language: str


def languages() -> list[str]:
    """The languages a catalog exists for."""
    return sorted(p.stem for p in CATALOGS.glob("*.json"))


@cache
def catalog(language: str) -> dict[str, Any]:
    """The catalog of ``language`` (a base language such as ``de``)."""
    return json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))


def pick_language(*candidates: str | None) -> str:
    """The first candidate with a catalog (``de-AT`` counts as ``de``), else English."""
    known = set(languages())
    for candidate in candidates:
        base = (candidate or "").lower().replace("_", "-").split("-", 1)[0]
        if base in known:
            return base
    return DEFAULT_LANGUAGE


def compose(facts: ConfirmationFacts, language: str) -> Email:
    """The confirmation in ``language`` (a catalog's language, see :func:`pick_language`)."""
    words = catalog(language)
    kind = words[facts.kind]
    values = _values(facts, words, kind)
    subject = _fill(kind["subject"], values)
    lines = [_fill(line, values) for line in kind["body"]]
    body = "\n".join(line for line in lines if line is not None)
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return Email(subject=subject or facts.code, body=body.strip() + "\n", language=language)


def _values(facts: ConfirmationFacts, words: dict[str, Any], kind: dict[str, Any]) -> dict:
    named = facts.first_name and facts.last_name
    greeting = words["greeting_named"] if named else words["greeting"]
    nights = None
    if facts.arrival and facts.departure:
        count = (facts.departure - facts.arrival).days
        nights = str(words["nights"]["one" if count == 1 else "other"]).format(n=count)
    free = facts.fee is not None and facts.fee.amount_minor == 0  # "free of charge", not "0.00"
    values: dict[str, Any] = {
        "hotel": facts.hotel,
        "code": facts.code,
        "first_name": facts.first_name,
        "last_name": facts.last_name,
        "arrival": _date(facts.arrival, words),
        "departure": _date(facts.departure, words),
        "nights": nights,
        "room": facts.room,
        "adults": facts.adults,
        "children": facts.children,
        "total": _money(facts.total, words),
        "fee": None if free else _money(facts.fee, words),
        "free_line": kind.get("free_line") if free else None,
        "cancellation_terms": facts.cancellation_terms,
        "payment_link": facts.payment_link,
        "front_desk_line": kind.get("front_desk_line") if facts.front_desk else None,
        "phone": facts.phone or None,
    }
    values["greeting"] = _fill(greeting, values) or words["greeting"]
    return values


def _fill(template: str, values: dict[str, Any]) -> str | None:
    """``template`` with its placeholders filled; None when one of them has no value."""
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    if any(values.get(name) is None for name in names):
        return None
    return template.format(**{name: values[name] for name in names})


def _date(day: date | None, words: dict[str, Any]) -> str | None:
    if day is None:
        return None
    month = words["months"][day.month - 1]
    return str(words["date"]).format(day=day.day, month=month, year=day.year)


def _money(money: Money | None, words: dict[str, Any]) -> str | None:
    if money is None:
        return None
    whole, cents = divmod(money.amount_minor, 100)
    amount = f"{whole}{words['decimal_separator']}{cents:02d}"
    return str(words["money"]).format(amount=amount, currency=money.currency)
