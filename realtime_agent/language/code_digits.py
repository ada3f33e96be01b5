"""Digits-only confirmation numbers (Mews "52", OPERA "813595") and how callers name them.

Digits alone are as often a date ("the 12th", "in 2026"), a guest count ("52 people") or a
phone number as a booking's number, so they are only read as a code where the dialogue
asked for it or the caller named it ("my booking number is …", "Buchungsnummer",
"numéro de réservation", "número de reserva", "numero di prenotazione"). Even then a number
that sits next to a month, a weekday, a guest or night count, or a "from"/"until", or that
is shaped like a phone number, is left to the other parsers. The naming phrases and the
words for a hyphen are data, in each language's ``codes.json`` catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from realtime_agent.language import DEFAULT_LANGUAGE, catalog
from realtime_agent.language.vocabulary import Vocabulary

from .numbers import find_numbers

MIN_DIGITS, MAX_DIGITS = 2, 12
"""Mews numbers start at two digits; a longer run than twelve is a phone number."""
_LONGEST_TRUNK_NUMBER = 8
"""A run starting with 0 and longer than this is a national phone number ("0151 …")."""

# A number right after one of these is a date or a stay, not a code: "in 2026", "from 12".
_DATE_LEAD = frozenset({"IN", "ON", "FROM", "TO", "BETWEEN", "NEXT", "FOR"})
# Articles before a day of the month ("the 12", "el doce", "le 3"): only when not named.
_DAY_LEAD = frozenset({"THE"})
# A number right before one of these counts or dates something: "52 people", "12 december".
_COUNTED = frozenset(
    {"NIGHTS", "ADULT", "CHILD", "PEOPLE", "NOUN", "WEEKS", "DAYS", "OFUS", "OF", "FORTNIGHT"}
)
_CALENDAR = re.compile(r"[MW]\d+")
_SEPARATORS = re.compile(r"[\s().-]")


@dataclass(frozen=True)
class CodeWords:
    """One language's words around codes (its ``codes.json`` catalog).

    ``names`` name a code, ``phone`` a phone number instead, and ``suffix`` are what is said
    for an Apaleo id's hyphen.
    """

    names: tuple[str, ...]
    phone: frozenset[str]
    suffix: frozenset[str]


@cache
def code_words(language: str) -> CodeWords:
    """The catalog's entry for ``language`` (ISO 639-1; English for one it lacks)."""
    try:
        entry = catalog(language, "codes")
    except FileNotFoundError:
        entry = catalog(DEFAULT_LANGUAGE, "codes")
    return CodeWords(tuple(entry["names"]), frozenset(entry["phone"]), frozenset(entry["suffix"]))


def named_at(words: list[str], names: tuple[str, ...]) -> int | None:
    """Index of the first word after a phrase that names the code, or None.

    Args:
        words: Plain words (``text.plain_words``).
        names: The language's naming phrases.

    Returns:
        E.g. 3 for "my booking number is fifty two" (the word after "booking number").
    """
    ends = [
        i + len(phrase.split())
        for phrase in names
        for i in range(len(words))
        if words[i : i + len(phrase.split())] == phrase.split()
    ]
    return min(ends) if ends else None


@dataclass(frozen=True)
class _Run:
    """Consecutive digits said or typed, with the words they span."""

    digits: str
    start: int
    end: int
    single_number: bool
    value: int


def _runs(words: list[str], vocab: Vocabulary) -> list[_Run]:
    """Unbroken runs of digits: "eight one three five nine five", "813595", "fifty two".

    Ordinals end a run (they are days of the month), as does any word that is not a digit.
    """
    numbers = {n.start: n for n in find_numbers(words, language=vocab.language)}
    runs: list[_Run] = []
    digits, start, parts, value = "", 0, 0, 0
    i = 0
    while i <= len(words):
        word = words[i] if i < len(words) else ""
        number = numbers.get(i)
        if word.isdigit():
            piece, step, value = word, 1, int(word)
        elif word in vocab.code_digits:
            piece, step, value = vocab.code_digits[word], 1, int(vocab.code_digits[word])
        elif number is not None and not number.ordinal:
            piece, step, value = str(number.value), number.end - i, number.value
        else:
            if digits:
                runs.append(_Run(digits, start, i, parts == 1, value))
            digits, parts, i = "", 0, i + 1
            continue
        if not digits:
            start = i
        digits, parts, i = digits + piece, parts + 1, i + step
    return runs


def _marker(words: list[str], vocab: Vocabulary) -> str | None:
    """The date/guest marker ``words`` start with (two-word phrases first: "of us")."""
    for size in (2, 1):
        phrase = " ".join(words[:size])
        if len(words) >= size and phrase in vocab.markers:
            return vocab.markers[phrase]
    return None


def _dates_or_counts(run: _Run, words: list[str], vocab: Vocabulary, *, named: bool) -> bool:
    """True when the words around ``run`` make it a date, a count or an amount."""
    before = _marker(words[run.start - 1 : run.start], vocab) if run.start else None
    after = _marker(words[run.end : run.end + 2], vocab) or ""
    if before in _DATE_LEAD or after in _COUNTED:
        return True
    if _CALENDAR.fullmatch(after) or _CALENDAR.fullmatch(before or ""):
        return True
    day_article = run.start > 0 and words[run.start - 1] in vocab.day_articles
    return (
        not named and run.single_number and run.value <= 31 and (before in _DAY_LEAD or day_article)
    )


def _after_spelled_letter(run: _Run, words: list[str], vocab: Vocabulary) -> bool:
    """True when a spelled letter ("h v …") comes right before ``run``.

    A filler that is one letter long (Italian "è") is not a spelled letter.
    """
    if not run.start:
        return False
    word = words[run.start - 1]
    return len(word) == 1 and word.isalpha() and word not in vocab.code_fillers


def _phone_shaped(
    run: _Run, words: list[str], text: str, vocab: Vocabulary, phone: frozenset[str]
) -> bool:
    """A phone number read out, not a booking.

    "+49 …", "plus four nine …", "0151 …", or any number after a word for a phone ("my
    mobile is …").
    """
    plus_words = vocab.intent_phrases.get("phone_plus", ())
    said_plus = run.start > 0 and words[run.start - 1] in plus_words
    if any(word in phone for word in words[: run.start]):
        return True
    typed_plus = f"+{run.digits[:3]}" in _SEPARATORS.sub("", text)
    trunk = run.digits.startswith("0") and len(run.digits) > _LONGEST_TRUNK_NUMBER
    return said_plus or typed_plus or run.digits.startswith("00") or trunk


def digits_only_code(
    words: list[str], text: str, vocab: Vocabulary, *, after: int | None
) -> str | None:
    """The digits-only code in ``words``, in a turn that asked for or named the code.

    Args:
        words: Plain words of the turn.
        text: The turn as said or typed (a typed "+" marks a phone number).
        vocab: The turn's language.
        after: Where the phrase naming the code ends (``named_at``), or None when the
            dialogue asked for the code: then the first plausible run counts.

    Returns:
        E.g. "813595", or None.
    """
    phone = code_words(vocab.language).phone
    for run in _runs(words, vocab):
        if after is not None and run.end <= after:
            continue
        if not MIN_DIGITS <= len(run.digits) <= MAX_DIGITS:
            continue
        if _after_spelled_letter(run, words, vocab):
            continue  # "h v one two": a letters code too short, not a number
        if _dates_or_counts(run, words, vocab, named=after is not None):
            continue
        if _phone_shaped(run, words, text, vocab, phone):
            continue
        return run.digits
    return None
