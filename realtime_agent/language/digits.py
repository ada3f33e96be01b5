"""Digit strings said on the phone: callback numbers, and card numbers to refuse.

"plus four nine, one five one ..." and "null eins fünf eins ..." arrive as number
words, "+49 151 ..." as typed digits. Both become runs of digits here, with the
language's number words, "oh"-style digit words and "double"-style repeats.
"""

from __future__ import annotations

import re

from .numbers import find_numbers
from .text import lower_text, plain_words
from .vocabularies import DEFAULT_LANGUAGE, vocabulary

MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15
"""E.164 allows 15 digits; fewer than 6 is an extension, not a callback number."""

_TYPED_PLUS = re.compile(r"\+\s*\d")


def digit_runs(text: str, *, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Consecutive digits in ``text``, as said or typed, one string per unbroken run.

    Args:
        text: Caller text.
        language: Language of the number words.

    Returns:
        E.g. ``["4915155501234"]`` for "four nine one five one, five five five ...".
        Ordinal numbers ("the 12th") end a run; they are dates, not digits.
    """
    vocab = vocabulary(language)
    words = plain_words(text, language=language)
    numbers = {n.start: n for n in find_numbers(words, language=language)}
    runs: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        word = words[i]
        repeat = vocab.code_repeat.get(word, 1) if i + 1 < len(words) else 1
        if repeat > 1:
            i += 1
            word = words[i]
        number = numbers.get(i)
        if word.isdigit():
            digits, i = word, i + 1
        elif word in vocab.code_digits:
            digits, i = vocab.code_digits[word], i + 1
        elif number is not None and not number.ordinal:
            digits, i = str(number.value), number.end
        else:
            if current:
                runs.append(current)
            current, i = "", i + 1
            continue
        current += digits * repeat if len(digits) == 1 else digits
    if current:
        runs.append(current)
    return runs


def phone_number(
    text: str, *, language: str = DEFAULT_LANGUAGE, last_run: bool = False
) -> str | None:
    """The callback number in ``text``, digits only with a leading "+" when said.

    Args:
        text: Caller text answering "which number can we call you back on?".
        language: Language of the number words.
        last_run: The text says more than the number ("the heating in 214 is broken,
            call me on 0151 2345678"): only the last run long enough to be a phone
            number counts, so a room number is not glued to it.

    Returns:
        E.g. "+4915155501234", or None when no plausible number was said.
    """
    runs = [r for r in digit_runs(text, language=language) if r]
    digits = "".join(runs)
    if last_run:
        long_runs = [r for r in runs if MIN_PHONE_DIGITS <= len(r) <= MAX_PHONE_DIGITS]
        digits = long_runs[-1] if long_runs else ""
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return None
    words = lower_text(text, language=language).split()
    plus_words = vocabulary(language).intent_phrases.get("phone_plus", ())
    said_plus = bool(_TYPED_PLUS.search(text)) or any(w.strip(",.") in plus_words for w in words)
    return f"+{digits}" if said_plus else digits
