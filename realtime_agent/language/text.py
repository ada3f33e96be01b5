"""Text normalisation shared by all fallback parsers.

Typed text ("Dec 12-15, 2 adults") and ASR text ("december twelfth to
fifteenth two adults") are brought into one *canonical token* form so each
grammar is written once:

* numbers become ``N<value>`` (cardinal) or ``O<value>`` (ordinal);
* typed full dates become ``D<yyyymmdd>``;
* language phrases become upper-case markers from the vocabulary (``M12``,
  ``W4``, ``TO``, ``ADULT`` ...);
* every other word stays as lower-case text and is simply ignored by grammars.
"""

from __future__ import annotations

import re
from functools import cache

from realtime_agent.language.vocabulary import fold_accents

from .numbers import find_numbers
from .vocabularies import DEFAULT_LANGUAGE, vocabulary

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
# Day first: European order, which is what our hotels' guests mostly write.
_DMY_DATE = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?\b")
_NUMERIC_RANGE = re.compile(r"(\d(?:st|nd|rd|th)?)\s*[-\u2013\u2014]\s*(?=\d)")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def lower_text(text: str, *, language: str = DEFAULT_LANGUAGE) -> str:
    """Lower-case ``text``, fold accents and expand contractions.

    Expanding ("that's" -> "that is") rather than stripping apostrophes makes
    typed text look like ASR output, which never contains apostrophes.

    Args:
        text: Raw caller text.
        language: Language whose contraction rules to apply.

    Returns:
        The lower-cased, expanded text; punctuation is kept.
    """
    lowered = fold_accents(text.translate(_APOSTROPHES).lower())
    for pattern, replacement in vocabulary(language).contractions:
        lowered = re.sub(pattern, replacement, lowered)
    return lowered


def plain_words(text: str, *, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Split ``text`` into lower-case, accent-free words without punctuation.

    Args:
        text: Raw caller text.
        language: Language whose contraction rules to apply.

    Returns:
        Words such as ``["what", "time", "is", "check", "in"]``.
    """
    return re.sub(r"[^a-z0-9]+", " ", lower_text(text, language=language)).split()


def _date_marker(year: int, month: int, day: int) -> str:
    """Canonical token for a fully typed date (validated later, not here)."""
    return f" D{year:04d}{month:02d}{day:02d} "


def _replace_dmy(match: re.Match[str]) -> str:
    """Turn "12/12/2026" into a date marker and "12/12" into "12 M12"."""
    day, sep, month, year = match.group(1), match.group(2), match.group(3), match.group(4)
    if year is not None:
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        return _date_marker(full_year, int(month), int(day))
    # "12/12", and German "12.12." (a trailing dot; "12.5" alone may be a price).
    trailing_dot = match.string[match.end() : match.end() + 1] == "."
    if (sep == "/" or trailing_dot) and 1 <= int(month) <= 12:
        return f" {day} M{int(month)} "
    return match.group(0)


@cache
def _max_phrase_len(language: str) -> int:
    """Longest marker phrase in words, so phrase matching knows how far to look."""
    return max(len(phrase.split()) for phrase in vocabulary(language).markers)


def canonical_tokens(text: str, *, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Convert caller text into canonical tokens for the grammars.

    Args:
        text: Raw caller text, typed or from ASR.
        language: Language of the text.

    Returns:
        Canonical tokens, e.g. "From the 12th to the 15th of Dec" gives
        ``["FROM", "THE", "O12", "TO", "THE", "O15", "OF", "M12"]``.
    """
    lowered = lower_text(text, language=language)
    lowered = _ISO_DATE.sub(lambda m: _date_marker(*(int(g) for g in m.groups())), lowered)
    lowered = _DMY_DATE.sub(_replace_dmy, lowered)
    lowered = _NUMERIC_RANGE.sub(r"\1 TO ", lowered)
    words = re.sub(r"[^a-zA-Z0-9]+", " ", lowered.replace("'", "")).split()

    numbers = {n.start: n for n in find_numbers(words, language=language)}
    vocab = vocabulary(language)
    markers = vocab.markers
    longest = _max_phrase_len(language)
    tokens: list[str] = []
    i = 0
    while i < len(words):
        if i in numbers:
            number = numbers[i]
            day = i > 0 and words[i - 1] in vocab.day_articles and 1 <= number.value <= 31
            tokens.append(f"{'O' if number.ordinal or day else 'N'}{number.value}")
            i = number.end
            continue
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in markers and not any(j in numbers for j in range(i + 1, i + size)):
                tokens.append(markers[phrase])
                i += size
                break
        else:
            tokens.append(words[i])
            i += 1
    return tokens
