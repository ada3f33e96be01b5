"""Find date mentions and stay lengths in canonical tokens (see ``text.py``).

This is the language-neutral half of date understanding: it only reads markers
like ``M12``, ``O12`` or ``TO``. It does not turn mentions into calendar dates
(that needs ``today`` and lives in ``dates.py``); it decides *what* was said and
which mention is the arrival and which the departure.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .date_atoms import DateAtom, DateRole, Mentions, count_value

__all__ = ["DateAtom", "DateRole", "Mentions", "find_mentions"]


_NUM = re.compile(r"([NO])(\d+)")
_MONTH = re.compile(r"M(\d+)")
_WEEKDAY = re.compile(r"W(\d)")
_TYPED = re.compile(r"D(\d{4})(\d{2})(\d{2})")
# A bare day number followed by one of these is a count or a noun, not a date.
_NOT_A_DAY_AFTER = frozenset(
    {"NIGHTS", "WEEKS", "DAYS", "ADULT", "CHILD", "PEOPLE", "OFUS", "NOUN"}
)
_DAY_CONTEXT = frozenset({"THE", "FROM", "TO", "ON", "ARRIVE", "DEPART", "FOR", "BETWEEN"})
_SKIP_BEFORE_CUE = frozenset({"THE", "ON", "OF"})
_OFFSETS = {"TODAY": 0, "TONIGHT": 0, "TOMORROW": 1, "TOMORROW_NIGHT": 1, "AFTER_TOMORROW": 2}
_ONE_NIGHT = frozenset({"TONIGHT", "TOMORROW_NIGHT"})
"""A room "for tonight" or "for tomorrow night" is one night from that day."""
_CUE_WINDOW = 4
_MAX_OFFSET_DAYS = 730  # "in 1000 weeks" is not a booking request (and must not overflow)


def _tok(tokens: list[str], i: int) -> str:
    """Token at ``i`` or "" past the end, so look-ahead never raises."""
    return tokens[i] if 0 <= i < len(tokens) else ""


def _day(token: str) -> tuple[int, bool] | None:
    """(day, is_ordinal) if ``token`` is a number usable as a day of month."""
    match = _NUM.fullmatch(token)
    if match and 1 <= int(match.group(2)) <= 31:
        return int(match.group(2)), match.group(1) == "O"
    return None


def _year(tokens: list[str], i: int) -> tuple[int | None, int]:
    """An explicit year at ``i`` ("N2026", "OF N2026"), returning (year, next index)."""
    j = i + 1 if _tok(tokens, i) == "OF" else i
    match = _NUM.fullmatch(_tok(tokens, j))
    if match and match.group(1) == "N" and 1900 <= int(match.group(2)) <= 2100:
        return int(match.group(2)), j + 1
    return None, i


def _calendar(tokens: list[str], i: int) -> DateAtom | None:
    """Month-first, day-first, typed or bare-day mention starting at ``i``."""
    if typed := _TYPED.fullmatch(_tok(tokens, i)):
        year, month, day = (int(g) for g in typed.groups())
        return DateAtom(i, i + 1, "calendar", day=day, month=month, year=year)
    if month_match := _MONTH.fullmatch(_tok(tokens, i)):
        j = i + 2 if _tok(tokens, i + 1) == "THE" else i + 1
        if (day := _day(_tok(tokens, j))) is None:
            return None
        year, end = _year(tokens, j + 1)
        return DateAtom(i, end, "calendar", day=day[0], month=int(month_match.group(1)), year=year)
    j = i + 1 if _tok(tokens, i) == "THE" else i
    if (day := _day(_tok(tokens, j))) is None:
        return None
    k = j + 2 if _tok(tokens, j + 1) == "OF" else j + 1
    if month_match := _MONTH.fullmatch(_tok(tokens, k)):
        year, end = _year(tokens, k + 1)
        return DateAtom(i, end, "calendar", day=day[0], month=int(month_match.group(1)), year=year)
    if _tok(tokens, j + 1) in _NOT_A_DAY_AFTER or _tok(tokens, j + 1) == "OF":
        return None
    return DateAtom(i, j + 1, "calendar", day=day[0], bare=True, ordinal=day[1])


def _relative(tokens: list[str], i: int) -> DateAtom | None:
    """Today/tomorrow, "in two weeks", weekdays, weekends and "next week"."""
    tok, nxt = _tok(tokens, i), _tok(tokens, i + 1)
    if tok in _OFFSETS:
        return DateAtom(
            i,
            i + 1,
            "offset",
            offset=_OFFSETS[tok],
            arrival_only=tok == "TONIGHT",
            one_night=tok in _ONE_NIGHT,
        )
    unit = {"DAYS": 1, "WEEKS": 7}
    count = count_value(nxt)
    if tok == "IN" and count is not None and _tok(tokens, i + 2) in unit:
        days = count * unit[_tok(tokens, i + 2)]
        return DateAtom(i, i + 3, "offset", offset=days) if days <= _MAX_OFFSET_DAYS else None
    count = count_value(tok)
    if count is not None and nxt in unit and _tok(tokens, i + 2) == "FROMNOW":
        days = count * unit[nxt]
        return DateAtom(i, i + 3, "offset", offset=days) if days <= _MAX_OFFSET_DAYS else None
    j = i + 1 if tok == "THE" else i
    strict = _tok(tokens, j) == "NEXT"
    j = j + 1 if _tok(tokens, j) in ("NEXT", "THIS") else j
    unit_tok = _tok(tokens, j)
    # Romance languages put "next" after the noun: "vendredi prochain", "la semana que viene".
    post = _tok(tokens, j + 1) == "NEXT" and _tok(tokens, j + 2) not in unit
    end = j + 2 if post else j + 1
    if weekday := _WEEKDAY.fullmatch(unit_tok):
        return DateAtom(i, end, "weekday", weekday=int(weekday.group(1)), strict=strict or post)
    if unit_tok == "WEEKEND":
        return DateAtom(i, end, "weekend", strict=strict or post, arrival_only=True)
    if unit_tok == "WEEKS" and (strict or post):
        return DateAtom(i, end, "next_week")
    return None


def _nights(tokens: list[str], i: int) -> tuple[int, int] | None:
    """Stay length starting at ``i`` as (nights, next index)."""
    tok, nxt = _tok(tokens, i), _tok(tokens, i + 1)
    if tok == "OVERNIGHT":
        return 1, i + 1
    # "the night of the 20th", "la nuit du 20", "die Nacht vom 20.": one night from then.
    if tok == "NIGHTS" and _tok(tokens, i - 1) == "THE" and nxt in ("FROM", "OF"):
        return 1, i + 1
    if tok == "FORTNIGHT" or (tok == "A" and nxt == "FORTNIGHT"):
        return 14, i + (1 if tok == "FORTNIGHT" else 2)
    count = count_value(tok)
    if count is None or _tok(tokens, i - 1) == "IN":
        return None
    if nxt == "NIGHTS":
        return count, i + 2
    if nxt == "WEEKS" and _tok(tokens, i + 2) != "FROMNOW":
        return 7 * count, i + 2
    return None


def _night_list(tokens: list[str], i: int) -> tuple[DateAtom, DateAtom, int] | None:
    """A night list at ``i`` ("the nights of Saturday and Sunday"): first night, day after.

    The weekdays named are nights slept, so the departure is the day after the last one
    ("las noches del sábado y del domingo" is Saturday to Monday, two nights).
    """
    j = i + 1 if _tok(tokens, i) == "THE" else i
    if _tok(tokens, j) != "NIGHTS":
        return None
    j += 1
    days: list[int] = []
    while True:
        while _tok(tokens, j) in ("FROM", "OF", "THE", "ON"):
            j += 1
        weekday = _WEEKDAY.fullmatch(_tok(tokens, j))
        if weekday is None:
            break
        days.append(int(weekday.group(1)))
        j += 1
        if _tok(tokens, j) not in ("AND", "TO") or not _WEEKDAY.search(" ".join(tokens[j : j + 4])):
            break
        j += 1
    if len(days) < 2:
        return None
    first = DateAtom(i, j, "weekday", weekday=days[0], role=DateRole.ARRIVAL)
    last = DateAtom(j, j, "weekday", weekday=(days[-1] + 1) % 7, role=DateRole.DEPARTURE)
    return first, last, j


def _with_night_list(atoms: list[DateAtom], first: DateAtom) -> list[DateAtom]:
    """The first night of a night list, inside a weekend said in the same turn."""
    weekends = [a for a in atoms if a.kind == "weekend"]
    if not weekends:
        return [*atoms, first]
    weekend = weekends[0]
    anchored = replace(weekend, weekday=first.weekday, role=DateRole.ARRIVAL)
    return [anchored if a is weekend else a for a in atoms]


def _cue_role(tokens: list[str], atom: DateAtom, floor: int) -> DateRole | None:
    """Role implied by the words just before ``atom`` (not before ``floor``)."""
    j = atom.start - 1
    while j >= floor and tokens[j] in _SKIP_BEFORE_CUE:
        j -= 1
    if j >= floor and tokens[j] == "FROM":
        return DateRole.ARRIVAL
    if j >= floor and tokens[j] == "TO":
        return DateRole.DEPARTURE
    for k in range(atom.start - 1, max(floor, atom.start - _CUE_WINDOW) - 1, -1):
        if tokens[k] == "ARRIVE":
            return DateRole.ARRIVAL
        if tokens[k] == "DEPART":
            return DateRole.DEPARTURE
    return None


def _link_ranges(tokens: list[str], atoms: list[DateAtom]) -> list[DateAtom]:
    """Join "X to Y" pairs: roles become fixed and a missing month is shared."""
    out = list(atoms)
    for n in range(len(out) - 1):
        first, second = out[n], out[n + 1]
        between = tokens[first.end : second.start]
        between_and = between == ["AND"] and _tok(tokens, first.start - 1) == "BETWEEN"
        if first.role is not None or not (between == ["TO"] or between_and):
            continue
        if first.kind == "calendar" and second.kind == "calendar":
            either_ordinal = first.ordinal or second.ordinal
            if first.month is None and second.month is None and not either_ordinal:
                continue
            if (
                first.month is None
                and second.month is not None
                and (first.day or 0) > (second.day or 0)
            ):
                # "from the 30th to the 2nd of January": the month before the second's
                month = 12 if second.month == 1 else second.month - 1
                year = second.year - 1 if second.year and second.month == 1 else second.year
                first = replace(first, month=month, year=year)
            elif first.month is None:
                first = replace(first, month=second.month, year=second.year)
            elif second.month is None:
                second = replace(second, month=first.month)
        out[n] = replace(first, role=DateRole.ARRIVAL, bare=False)
        out[n + 1] = replace(second, role=DateRole.DEPARTURE, bare=False)
    return out


def _accept_bare(tokens: list[str], atom: DateAtom, *, expecting_date: bool, alone: bool) -> bool:
    """Whether a day number without month is really a date.

    "the 15th" and "until 15th" are; "2" in "2 adults" is not. When the policy
    just asked for a date, a lone "fifteenth" (or even "fifteen") counts too.
    """
    if not atom.bare:
        return True
    if atom.ordinal and (expecting_date or _tok(tokens, atom.start - 1) in _DAY_CONTEXT):
        return True
    if atom.ordinal and tokens[atom.start] == "THE":
        return True
    return expecting_date and alone


def find_mentions(
    tokens: list[str], *, default_role: DateRole = DateRole.ARRIVAL, expecting_date: bool = False
) -> Mentions:
    """Extract arrival/departure mentions and the stay length.

    Args:
        tokens: Canonical tokens from ``text.canonical_tokens``.
        default_role: Role for a single mention with no cue; DEPARTURE when the
            policy just asked "when are you leaving?".
        expecting_date: True when the policy just asked for a date, so a bare
            day number ("the fifteenth", "fifteen") is accepted as one.

    Returns:
        The mentions. Arrival/departure are assigned from ranges first, then
        from cue words ("arriving", "until"), then in spoken order.
    """
    atoms: list[DateAtom] = []
    nights: int | None = None
    i = 0
    listed: tuple[DateAtom, DateAtom, int] | None = None
    while i < len(tokens):
        if listed is None and (listed := _night_list(tokens, i)) is not None:
            i = listed[2]
        elif (atom := _relative(tokens, i) or _calendar(tokens, i)) is not None:
            atoms.append(atom)
            i = atom.end
        elif (found := _nights(tokens, i)) is not None:
            nights = nights if nights is not None else found[0]
            i = found[1]
        else:
            i += 1
    if listed is not None:
        atoms = [*_with_night_list(atoms, listed[0]), listed[1]]
    atoms = _link_ranges(tokens, atoms)
    alone = len(atoms) == 1
    atoms = [
        a for a in atoms if _accept_bare(tokens, a, expecting_date=expecting_date, alone=alone)
    ]
    return _assign(tokens, atoms, default_role, nights)


def _assign(
    tokens: list[str], atoms: list[DateAtom], default_role: DateRole, nights: int | None
) -> Mentions:
    """Give each mention a role; extra mentions beyond two are ignored."""
    slots: dict[DateRole, DateAtom] = {}
    pending: list[DateAtom] = []
    floor = 0
    for atom in atoms:
        role = atom.role or (DateRole.ARRIVAL if atom.arrival_only else None)
        role = role or _cue_role(tokens, atom, floor)
        floor = atom.end
        if role is not None and role not in slots:
            slots[role] = atom
        else:
            pending.append(atom)
    if len(pending) == 1 and not slots:
        slots[default_role] = pending.pop()
    for atom in pending:
        free = [r for r in (DateRole.ARRIVAL, DateRole.DEPARTURE) if r not in slots]
        if free:
            slots[free[0]] = atom
    return Mentions(slots.get(DateRole.ARRIVAL), slots.get(DateRole.DEPARTURE), nights)
