"""Spoken and typed numbers -> integers.

ASR output spells numbers as words ("twenty one", "twelfth", "two thousand
twenty six"), typed text uses digits ("21", "21st"). Both must yield the same
integers before any date or guest grammar runs, so this module turns a word
list into number spans once, for every other parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from realtime_agent.language.vocabulary import NumberWords

from .vocabularies import DEFAULT_LANGUAGE, vocabulary

_Kind = Literal["unit", "teen", "tens", "hundred", "hundreds", "thousand"]

# Which word kind may follow which while still being the same number: "twenty"
# may be followed by "one" but not by "twelve", so "twenty twelve" stays two numbers.
# French and German say a bare hundred or thousand: "mille cent" (1100), "cent vingt" (120).
_MAY_FOLLOW: dict[_Kind, frozenset[_Kind | None]] = {
    "unit": frozenset({None, "tens", "hundred", "hundreds", "thousand"}),
    "teen": frozenset({None, "hundred", "hundreds", "thousand"}),
    "tens": frozenset({None, "hundred", "hundreds", "thousand"}),
    "hundred": frozenset({None, "unit", "teen", "tens", "thousand"}),
    # A word that names hundreds ("ochocientos", "ottocentotredici") starts a number or
    # follows a thousand; it never multiplies what came before.
    "hundreds": frozenset({None, "thousand"}),
    "thousand": frozenset({None, "unit", "teen", "tens", "hundred", "hundreds"}),
}


@dataclass(frozen=True)
class NumberToken:
    """A number found in a word list.

    Attributes:
        value: The integer value.
        ordinal: True for "twelfth" / "12th", which matters for dates: an ordinal
            on its own is probably a day of the month, a cardinal is not.
        start: Index of the first word of the number.
        end: Index one past the last word.
        spoken: True if written as words; only spoken numbers are merged into
            years ("twenty twenty six"), typed digits are taken literally.
    """

    value: int
    ordinal: bool
    start: int
    end: int
    spoken: bool


_MAX_PHRASE_WORDS = 5  # "quatre vingt dix sept"


def _classify(word: str, nw: NumberWords) -> tuple[_Kind, int, bool] | None:
    """Return (kind, value, is_ordinal) for one number word or phrase, or None."""
    for table, ordinal in ((nw.units, False), (nw.teens, False), (nw.tens, False)):
        if word in table:
            value = table[word]
            return _kind_of(value), value, ordinal
    if word in nw.ordinals:
        value = nw.ordinals[word]
        return _kind_of(value), value, True
    if word in nw.hundred:
        return "hundred", 100, False
    if word in nw.hundreds:
        return "hundreds", nw.hundreds[word], False
    if word in nw.thousand:
        return "thousand", 1000, False
    return None


def _classify_at(
    words: Sequence[str], j: int, nw: NumberWords
) -> tuple[tuple[_Kind, int, bool], int] | None:
    """The longest number word or phrase at ``words[j]`` as (info, word count)."""
    for size in range(min(_MAX_PHRASE_WORDS, len(words) - j), 0, -1):
        info = _classify(" ".join(words[j : j + size]), nw)
        if info is not None:
            return info, size
    return None


def _kind_of(value: int) -> _Kind:
    """Kind of a word that names ``value`` directly (not hundred/thousand)."""
    if value < 10:
        return "unit"
    return "teen" if value < 20 else "tens"


def _read_words(words: Sequence[str], i: int, nw: NumberWords) -> NumberToken | None:
    """Read the longest spoken number starting at ``words[i]``."""
    total, current, last, j, ordinal = 0, 0, None, i, False
    while j < len(words) and not ordinal:
        word = words[j]
        joins = last in ("hundred", "hundreds", "thousand") and j + 1 < len(words)
        if word in nw.joiners and joins:
            nxt = _classify_at(words, j + 1, nw)
            if nxt is not None and nxt[0][0] in ("unit", "teen", "tens"):
                j += 1
                continue
        found = _classify_at(words, j, nw)
        if found is None or last not in _MAY_FOLLOW[found[0][0]]:
            break
        if last is not None and found[0][1] == 0:
            break  # "ninety nine zero" is two numbers; zero never continues one
        if last == "hundreds" and current % 100 and found[0][0] != "thousand":
            break  # "ottocentotredici" is whole: "… cinque" after it is the next number
        (kind, value, ordinal), size = found
        if kind == "hundred":
            current = (current or 1) * 100  # "cent", "hundert": a bare hundred is 100
        elif kind == "thousand":
            total, current = (total + (current or 1)) * 1000, 0
        else:
            current += value
        last = kind
        j += size
    if j == i or last is None:
        return None
    return NumberToken(total + current, ordinal, i, j, spoken=True)


def find_numbers(words: Sequence[str], *, language: str = DEFAULT_LANGUAGE) -> list[NumberToken]:
    """Find all numbers in a list of lower-case words, left to right.

    Spoken years said in pairs ("twenty twenty six", "nineteen ninety") are
    merged into one number because that is how people say years; a bare
    "twenty" followed by "twenty six" is otherwise never meaningful.

    Args:
        words: Lower-case words (digits allowed, e.g. "21st" or "3").
        language: Language whose number words to use.

    Returns:
        Non-overlapping number spans in order.
    """
    nw = vocabulary(language).numbers
    digit_re = re.compile(rf"(\d+)({nw.ordinal_suffix})?")
    found: list[NumberToken] = []
    i = 0
    while i < len(words):
        match = digit_re.fullmatch(words[i])
        token = (
            NumberToken(int(match.group(1)), match.group(2) is not None, i, i + 1, spoken=False)
            if match
            else _read_words(words, i, nw)
        )
        if token is None:
            i += 1
            continue
        prev = found[-1] if found else None
        if (
            prev is not None
            and prev.spoken
            and token.spoken
            and prev.end == token.start
            and not prev.ordinal
            and not token.ordinal
            and prev.value in (19, 20)
            and 10 <= token.value <= 99
        ):
            year = prev.value * 100 + token.value
            found[-1] = NumberToken(year, False, prev.start, token.end, spoken=True)
        else:
            found.append(token)
        i = token.end
    return found


def parse_number(text: str, *, language: str = DEFAULT_LANGUAGE) -> int | None:
    """Parse text that is exactly one number ("two", "twenty one", "12th", "3").

    Args:
        text: The text; case, surrounding whitespace and hyphens are ignored.
        language: Language whose number words to use.

    Returns:
        The value, or None if the text is not one single number.
    """
    words = text.lower().replace("-", " ").split()
    found = find_numbers(words, language=language)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(words):
        return found[0].value
    return None
