"""Guest counts (adults, children) from canonical tokens.

Works on the markers of ``text.canonical_tokens`` ("two adults and a kid" ->
``N2 ADULT AND A CHILD``), so the rules below hold for every language that
maps its words onto the same markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from realtime_agent.language.date_atoms import count_value

MAX_GUESTS = 20
"""Larger counts are group bookings the fallback cannot handle anyway."""

_COUNT = r"(N\d+|A|COUPLE)"
_ADULTS = re.compile(rf"\b{_COUNT} (?:ADULT|OF ADULT)\b")
_CHILDREN = re.compile(rf"\b{_COUNT} (?:OF )?(?:CHILD|ONECHILD)\b")
_ONE_CHILD = re.compile(r"(?<!N\d )(?<!N\d\d )(?<!\bA )(?<!OF )(?<!NONE )\bONECHILD\b")
"""A singular child word with no count before it (our daughter): one child each."""
# Ages: "our daughter of ten", "unser Sohn, sieben Jahre", "two kids aged 5 and 8",
# "seven years old". A number right after a child word (or "aged"), the numbers joined to
# it by "and", and any number followed by a years word.
_AGE_AFTER_CHILD = re.compile(r"\b(?:CHILD|ONECHILD) (?:OF |AGE )?(N\d+(?: AND N\d+)*)\b")
_AGE_BEFORE_YEARS = re.compile(r"\b(N\d+(?: AND N\d+)*) AGE\b")
MAX_CHILD_AGE = 17
_NO_CHILDREN = re.compile(r"\bNONE (?:CHILD|ONECHILD)\b")
_PEOPLE = re.compile(rf"\b{_COUNT} (?:PEOPLE|OFUS|OF PEOPLE)\b")
# "for two" - but not "for two nights", "for 2 rooms", "for 12 december".
_FOR_N = re.compile(
    r"\bFOR (N\d+)\b(?! (?:NIGHTS|WEEKS|DAYS|NOUN|OF|ADULT|CHILD|PEOPLE|OFUS|M\d+|[NO]\d+)\b)"
)
# "we are three", "nous sommes trois", "siamo in due".
_WE_ARE = re.compile(
    rf"\bWEARE (?:IN )?{_COUNT}\b(?! (?:NIGHTS|WEEKS|DAYS|NOUN|ADULT|CHILD|M\d+|[NO]\d+)\b)"
)
_COMPANION = re.compile(r"\b(?:ME (?:AND )?COMPANION|COMPANION (?:AND )?ME|WITH COMPANION)\b")
"""Two adults: "me and my wife", "my husband and I", and a list whose commas the
recogniser dropped ("meine Frau, ich und ..." reads COMPANION ME AND ...)."""
_ME_AND_CHILDREN = re.compile(r"\bME AND (?:[a-z]+ )?(?:N\d+ |A )?(?:CHILD|ONECHILD)\b")
"""One adult: "me and my two kids" (a companion, "me and my wife and our kids", is two)."""
_AGES_SAID_AFTER = re.compile(
    r"\b(?:CHILD|ONECHILD)(?: [a-z]+){1,3} (N\d+(?: AND N\d+)*)\b"
    r"(?! (?:NIGHTS|WEEKS|DAYS|NOUN|ADULT|CHILD|PEOPLE|M\d+|[NO]\d+)\b)"
)
"""Ages in a sentence of their own: "two kids? They're 6 and 11" (only as many as children)."""
_COUPLE_ALONE = re.compile(r"\bCOUPLE\b(?! (?:OF )?(?:NIGHTS|WEEKS|DAYS|CHILD|ADULT|PEOPLE)\b)")
_SOLO = re.compile(r"\bSOLO\b")
_MARKER = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class Guests:
    """Guest counts; None means "not said".

    Attributes:
        adults: Number of adults.
        children: Number of children (0 when "no kids" was said).
        children_ages: The children's ages, where the caller gave them.
    """

    adults: int | None = None
    children: int | None = None
    children_ages: tuple[int, ...] = ()


def _first_count(pattern: re.Pattern[str], text: str) -> int | None:
    """Count captured by the first plausible match of ``pattern``."""
    for match in pattern.finditer(text):
        value = count_value(match.group(1))
        if value is not None and 0 < value <= MAX_GUESTS:
            return value
    return None


def _children_ages(text: str) -> tuple[int, ...]:
    """Ages said for children, in order, each at most once per mention."""
    found: dict[int, int] = {}
    for pattern in (_AGE_AFTER_CHILD, _AGE_BEFORE_YEARS):
        for match in pattern.finditer(text):
            for n, number in enumerate(re.findall(r"N(\d+)", match.group(1))):
                found.setdefault(match.start(1) + n, int(number))
    ages = [found[k] for k in sorted(found)]
    return tuple(a for a in ages if a <= MAX_CHILD_AGE)


def _bare_count(tokens: list[str]) -> int | None:
    """A lone number answering "how many adults?" ("two", "um three please").

    Only accepted when the utterance holds exactly one cardinal and no other
    marker, so "two nights" or "the 2nd" never become a guest count.
    """
    numbers = [t for t in tokens if re.fullmatch(r"N\d+", t)]
    others = [t for t in tokens if _MARKER.fullmatch(t) and t not in numbers and t != "ME"]
    if len(numbers) != 1 or others:
        return None
    value = int(numbers[0][1:])
    return value if 0 < value <= MAX_GUESTS else None


def parse_guests(tokens: list[str], *, expecting_adults: bool = False) -> Guests:
    """Read adult and child counts.

    Args:
        tokens: Canonical tokens of the utterance.
        expecting_adults: True when the policy just asked how many guests, so a
            bare number is the adult count.

    Returns:
        The counts. A total ("four people including two kids") is split into
        adults and children when children are also given.
    """
    text = " ".join(tokens)
    children = _first_count(_CHILDREN, text)
    ages = _children_ages(text)
    singles = len(_ONE_CHILD.findall(text))
    if children is None and (singles or ages):
        children = max(singles, len(ages))  # "and our daughter of ten": one child
    elif children is not None and singles:
        children += singles  # "a baby and our son": each counted
    if children is None and _NO_CHILDREN.search(text):
        children = 0
    if children is not None and not ages and (later := _AGES_SAID_AFTER.search(text)):
        said = [count_value(n) for n in later.group(1).split(" AND ")]
        if len(said) == children and all(a is not None and a <= MAX_CHILD_AGE for a in said):
            ages = tuple(a for a in said if a is not None)
    if children is not None:
        ages = ages[:children]
    adults = _first_count(_ADULTS, text)
    if adults is None and (people := _first_count(_PEOPLE, text)) is not None:
        including = "INCLUDING" in tokens and children is not None and children < people
        adults = people - children if including and children is not None else people
    if adults is None:
        adults = _first_count(_FOR_N, text)
    if adults is None and (people := _first_count(_WE_ARE, text)) is not None:
        including = "INCLUDING" in tokens and children is not None and children < people
        adults = people - children if including and children is not None else people
    if adults is None and _COMPANION.search(text):
        adults = 2
    if adults is None and children and _ME_AND_CHILDREN.search(text):
        adults = 1
    if adults is None and _SOLO.search(text):
        adults = 1
    if adults is None and _COUPLE_ALONE.search(text):
        adults = 2
    if adults is None and expecting_adults:
        adults = _bare_count(tokens)
    return Guests(adults, children, ages)
