"""How a language speaks facts: stay dates, money, room type names, follow-up questions.

The words live in each language's ``speech.json`` catalog (``catalogs/README.md``), so
``tool_results`` and the fallback replies stay language-neutral. A language without the
catalog (a toy language in a test) gets neutral defaults: CLDR dates, the PMS's room
names, no follow-up variants.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from . import CATALOGS, base_language, catalog


class Speech(BaseModel):
    """One language's ``speech.json``.

    Attributes:
        long_date: CLDR pattern (or format name) of a date said on its own, with its
            weekday and year ("Saturday 12 December 2026").
        stay_date: CLDR pattern of a date inside a stay ("d MMMM": "15 January"); the
            year is left out: a stay is booked within the coming year.
        first_of_month: The pattern for the 1st, where the language says it as an
            ordinal ("1er mars", "1º marzo").
        cents_joiner: How the cents follow the whole amount ("389 euros con 50"); None
            reads amounts the English way ("389.50 euros").
        room_types: The PMS's room type name -> how it is said in this language, where
            the PMS and the hotel give no name of their own; a name not listed is said
            as the PMS gives it.
        follow_ups: Variants of "anything else?", taken in turn so closings vary.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    long_date: str = "full"
    stay_date: str = "d MMMM"
    first_of_month: str = "d MMMM"
    cents_joiner: str | None = None
    room_types: dict[str, str] = Field(default_factory=dict)
    follow_ups: tuple[str, ...] = ()


@cache
def speech(language: str, root: Path = CATALOGS) -> Speech:
    """The speech catalog of ``language`` ("de-AT" is German), or the neutral defaults."""
    try:
        return Speech.model_validate(catalog(base_language(language), "speech", root))
    except FileNotFoundError:
        return Speech()


def room_name(name: str, language: str) -> str:
    """A room type's name as said in ``language``: the catalog's, else the PMS's own."""
    return speech(language).room_types.get(name, name)


def follow_up(language: str, turn: int) -> str | None:
    """The ``turn``-th variant of "anything else?", deterministic; None without variants."""
    variants = speech(language).follow_ups
    return variants[turn % len(variants)] if variants else None
