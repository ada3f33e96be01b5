"""Value types for date understanding, shared by ``date_mentions`` and ``dates``.

Kept apart from the scanners so that the grammar module stays small and the
types can be imported without pulling in the grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

_CARDINAL = re.compile(r"N(\d+)")


class DateRole(StrEnum):
    """Which end of the stay a date mention describes."""

    ARRIVAL = "arrival"
    DEPARTURE = "departure"


AtomKind = Literal["calendar", "offset", "weekday", "weekend", "next_week"]


@dataclass(frozen=True)
class DateAtom:
    """One date mention, not yet resolved against ``today``.

    Attributes:
        start: Index of its first canonical token.
        end: Index one past its last token.
        kind: "calendar" (day/month/year), "offset" (days from today),
            "weekday", "weekend" or "next_week".
        day: Day of month for calendar mentions.
        month: Month, None when only a day was said ("the 15th").
        year: Year, only when said explicitly.
        offset: Days after today for "offset" mentions.
        weekday: Monday = 0 for "weekday" mentions.
        strict: "next friday" / "next weekend": skip the nearest candidate.
        arrival_only: "tonight" or "this weekend" can only start a stay.
        one_night: "tonight", "tomorrow night": as the arrival, a stay of one night
            unless a departure or a night count is said too.
        bare: A day number without month; only accepted with context.
        ordinal: The day was an ordinal ("15th"), which makes a bare day likelier.
        role: Arrival/departure if the wording says so.
    """

    start: int
    end: int
    kind: AtomKind
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset: int = 0
    weekday: int | None = None
    strict: bool = False
    arrival_only: bool = False
    one_night: bool = False
    bare: bool = False
    ordinal: bool = False
    role: DateRole | None = None


@dataclass(frozen=True)
class Mentions:
    """Everything date-related found in one utterance.

    Attributes:
        arrival: The mention describing the arrival, if any.
        departure: The mention describing the departure, if any.
        nights: Stay length said explicitly ("for three nights", "a week").
    """

    arrival: DateAtom | None
    departure: DateAtom | None
    nights: int | None


def count_value(marker: str) -> int | None:
    """Value of a cardinal count marker ("N3", "A" = 1, "COUPLE" = 2).

    Args:
        marker: One canonical token.

    Returns:
        The count, or None if the token is not a count.
    """
    if marker == "A":
        return 1
    if marker == "COUPLE":
        return 2
    match = _CARDINAL.fullmatch(marker)
    return int(match.group(1)) if match else None
