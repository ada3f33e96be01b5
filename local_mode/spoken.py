"""How a caller says dates and codes aloud (the demo speaks its lines through TTS)."""

from __future__ import annotations

from datetime import date

_ONES = [
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
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


def spoken_number(n: int) -> str:
    """0..99 in words."""
    if n < 20:
        return _ONES[n] or "zero"
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    return tens[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])


def spoken_day(day: date) -> str:
    """``december twelfth``."""
    return f"{day:%B}".lower() + " " + spoken_ordinal(day.day)


def spoken_code(code: str) -> str:
    """``HV1042`` → ``h v one zero four two``, letter by letter, digit by digit."""
    return " ".join(_DIGITS[int(c)] if c.isdigit() else c.lower() for c in code)
