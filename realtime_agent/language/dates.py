"""Stay dates from free text: arrival, departure and number of nights.

Resolution rules (all relative to the ``today`` argument, never the clock, so
results are reproducible in tests and replays):

* A date without a year is the next occurrence on or after today ("january 5"
  said in November is next January). A departure without a year is the next
  occurrence strictly after the arrival, so "december 30 to january 2" spans
  the new year.
* Numeric dates are day first (European order): "12/11/2026" and "3.4.27" are
  12 November and 3 April. ISO "2026-12-12" is also accepted. A date with an
  explicit year is taken literally, even if it is in the past; the policy
  decides what to do with it.
* "the 15th" without a month is the next 15th on/after today (after the arrival
  for a departure). It is only read as a date with context ("the", "on",
  "until"...) or when the policy just asked for a date.
* "friday" and "this friday" are the next Friday on or after today; "next
  friday" is the next Friday strictly after today (the phrase is ambiguous, so
  the policy should read the date back). "this weekend" means Friday to Sunday
  of the current weekend (from today if today is Saturday; on Sunday the coming
  one); "next weekend" is the one after that. "next week" is next Monday.
* "the nights of Saturday and Sunday" are nights slept: Saturday to Monday, inside the
  weekend said with them ("next weekend, the nights of Friday and Saturday").
* "tonight" and "tomorrow night" as the arrival mean one night from that day, unless
  a departure or a night count is said too ("tonight until Sunday").
* nights: "for three nights", "a week" (7), "a fortnight" (14). With arrival and
  nights known, departure = arrival + nights. When both dates and a night
  count are given, the dates win and nights is recomputed from them.
* A departure on/before the arrival, or more than ``MAX_NIGHTS`` after it, is
  almost certainly a mishearing: that departure is dropped (None, unless a
  night count was also said) so the policy asks again instead of booking
  nonsense.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .date_atoms import DateAtom, DateRole, Mentions
from .date_mentions import find_mentions
from .text import canonical_tokens
from .vocabularies import DEFAULT_LANGUAGE

__all__ = [
    "MAX_NIGHTS",
    "DateRole",
    "StayDates",
    "parse_stay",
    "resolve",
    "stay_from_mentions",
    "stay_from_tokens",
    "weekend",
]

MAX_NIGHTS = 90
"""Longest stay we believe; anything longer is treated as a parsing accident."""

_YEARS_TO_SEARCH = 5  # enough to find the next 29 February


@dataclass(frozen=True)
class StayDates:
    """The stay as understood from one utterance; None means "not said".

    Attributes:
        arrival: Check-in date.
        departure: Check-out date (after arrival when both are known).
        nights: Number of nights; equals departure - arrival when both known.
        one_night: The single night was implied ("tonight"), not said; a night count
            said earlier in the call should win over it.
    """

    arrival: date | None = None
    departure: date | None = None
    nights: int | None = None
    one_night: bool = False


def _next_calendar(month: int, day: int, ref: date, *, strict: bool) -> date | None:
    """Next ``month``/``day`` on or after ``ref`` (strictly after if ``strict``)."""
    for year in range(ref.year, ref.year + _YEARS_TO_SEARCH):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate > ref or (candidate == ref and not strict):
            return candidate
    return None


def _next_day_of_month(day: int, ref: date, *, strict: bool) -> date | None:
    """Next date whose day of month is ``day`` (skipping months too short)."""
    year, month = ref.year, ref.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and (candidate > ref or (candidate == ref and not strict)):
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _next_weekday(weekday: int, ref: date, *, strict: bool) -> date:
    """Next given weekday (Monday = 0) on or after ``ref``."""
    delta = (weekday - ref.weekday()) % 7
    if delta == 0 and strict:
        delta = 7
    return ref + timedelta(days=delta)


def weekend(today: date, *, following: bool = False) -> tuple[date, date]:
    """Arrival and departure of "this weekend" (Friday to Sunday).

    Args:
        today: Reference day.
        following: True for "next weekend" (one week later).

    Returns:
        (arrival, departure). Arrival is never before today, so on a Saturday
        "this weekend" is tonight until Sunday.
    """
    weekday = today.weekday()
    friday = today + timedelta(days=5 if weekday == 6 else 4 - weekday)
    if following:
        friday += timedelta(days=7)
    return max(friday, today), friday + timedelta(days=2)


def resolve(atom: DateAtom, *, today: date, ref: date, strict: bool) -> date | None:
    """Turn one mention into a calendar date.

    Args:
        atom: The mention.
        today: The real "today" (for "tomorrow", "in two weeks").
        ref: The date the mention must not precede (today for an arrival, the
            arrival for a departure).
        strict: True if the result must be after ``ref`` rather than on/after.

    Returns:
        The date, or None if the mention names an impossible date ("31 feb").
    """
    if atom.kind == "calendar" and atom.day is not None:
        if atom.month is None:
            return _next_day_of_month(atom.day, ref, strict=strict)
        if atom.year is None:
            return _next_calendar(atom.month, atom.day, ref, strict=strict)
        try:
            return date(atom.year, atom.month, atom.day)
        except ValueError:
            return None
    if atom.kind == "offset":
        return today + timedelta(days=atom.offset)
    if atom.kind == "weekday" and atom.weekday is not None:
        return _next_weekday(atom.weekday, ref, strict=strict or atom.strict)
    if atom.kind == "weekend":
        arrival, _ = weekend(today, following=atom.strict)
        if atom.weekday is not None:  # "this weekend, the nights of Saturday and Sunday"
            friday = arrival - timedelta(days=(arrival.weekday() - 4) % 7)
            arrival = max(today, friday + timedelta(days=(atom.weekday - 4 + 3) % 7 - 3))
        return arrival
    if atom.kind == "next_week":
        return today + timedelta(days=7 - today.weekday())
    return None


def stay_from_mentions(
    mentions: Mentions, *, today: date, known_arrival: date | None = None
) -> StayDates:
    """Resolve mentions into a consistent ``StayDates`` (rules in the module doc).

    Args:
        mentions: Output of ``date_mentions.find_mentions``.
        today: Reference day.
        known_arrival: The arrival the caller gave earlier in the call: a departure said
            on its own ("until the fifth", "till Monday") is the next one after it.

    Returns:
        The stay; fields that cannot be determined are None.
    """
    nights = mentions.nights if mentions.nights and 0 < mentions.nights <= MAX_NIGHTS else None
    arrival = departure = None
    if mentions.arrival is not None:
        arrival = resolve(mentions.arrival, today=today, ref=today, strict=False)
    if mentions.departure is not None:
        after = arrival or known_arrival
        ref = after or today
        departure = resolve(mentions.departure, today=today, ref=ref, strict=after is not None)
    if arrival and departure and not 0 < (departure - arrival).days <= MAX_NIGHTS:
        departure = None
    if arrival and departure:
        return StayDates(arrival, departure, (departure - arrival).days)
    if arrival and nights:
        return StayDates(arrival, arrival + timedelta(days=nights), nights)
    one_night = mentions.arrival is not None and mentions.arrival.one_night
    if arrival and one_night and mentions.departure is None:
        return StayDates(arrival, arrival + timedelta(days=1), 1, one_night=True)
    if arrival and mentions.arrival is not None and mentions.arrival.kind == "weekend":
        end = weekend(today, following=mentions.arrival.strict)[1]
        return StayDates(arrival, end, (end - arrival).days)
    if departure and nights and departure - timedelta(days=nights) >= today:
        return StayDates(departure - timedelta(days=nights), departure, nights)
    return StayDates(arrival, departure, nights)


def stay_from_tokens(
    tokens: list[str],
    *,
    today: date,
    expecting: DateRole | None = None,
    known_arrival: date | None = None,
) -> StayDates:
    """Like ``parse_stay`` but on canonical tokens, so callers tokenise once."""
    mentions = find_mentions(
        tokens,
        default_role=expecting or DateRole.ARRIVAL,
        expecting_date=expecting is not None,
    )
    return stay_from_mentions(mentions, today=today, known_arrival=known_arrival)


def parse_stay(
    text: str,
    *,
    today: date,
    expecting: DateRole | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> StayDates:
    """Understand the stay dates in one caller utterance.

    Examples (today = Wednesday 2026-11-25): "december 12th to 15th" gives
    2026-12-12..2026-12-15 (3 nights); "tomorrow for two nights" gives
    2026-11-26..2026-11-28; "january 5" gives 2027-01-05.

    Args:
        text: Typed or ASR text (lower case, numbers as words is fine).
        today: Reference day; the parser never reads the clock.
        expecting: The date the policy just asked for. A lone date is then
            used for that role and a bare "fifteenth" is accepted as a day.
        language: Language of the text.

    Returns:
        The stay; unknown parts are None.
    """
    tokens = canonical_tokens(text, language=language)
    return stay_from_tokens(tokens, today=today, expecting=expecting)
