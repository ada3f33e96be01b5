"""How a caller says dates, codes and e-mail addresses aloud (the demo speaks its lines)."""

from __future__ import annotations

from datetime import date

_ORDINALS = [
    "",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def spoken_ordinal(n: int) -> str:
    """1..31 → ``first`` … ``thirty first``."""
    if n <= 20:
        return _ORDINALS[n]
    if n < 30:
        return "twenty " + _ORDINALS[n - 20]
    return "thirtieth" if n == 30 else "thirty first"


def spoken_day(day: date) -> str:
    """``december twelfth``."""
    return f"{day:%B}".lower() + " " + spoken_ordinal(day.day)


def spoken_code(code: str) -> str:
    """``HV1042`` → ``h v one zero four two``, letter by letter, digit by digit."""
    return " ".join(_DIGITS[int(c)] if c.isdigit() else c.lower() for c in code)


def spoken_email(email: str) -> str:
    """``peter.collins@example.com`` → ``peter dot collins at example dot com``."""
    return email.lower().replace(".", " dot ").replace("@", " at ")
