"""Is this utterance about one guest? Then its audio is never cached.

Cached audio outlives the call (an S3 object, an index item, an in-process entry) and is
served to other callers, so anything that identifies a guest or a booking must never be
written: contact data, card numbers, booking codes, names. The shapes of phone numbers,
e-mails and cards come from :mod:`hotelvoice.redaction`, the one place that knows them.

What stays cacheable is what the fallback policy says to everybody: fixed prompts (which name
the hotel's own front-desk number and address: pass them as ``public_texts``), hotel facts,
and availability answers (``from Saturday 12 December 2026 to …, the Standard Double at 258
euros in total``): dates with a month name and prices with a currency. Every other run of four
or more digits counts as personal (a PIN, a postcode of the caller, a code read back in
parts): when in doubt, do not cache; a miss costs one vendor request, a leak costs trust.

An e-mail address read back aloud ("peter dot collins at web dot de") is personal too,
unless it is at a prompt's example domain ("anna dot smith at example dot com").

Not caught: a code or number spelled out in words (``H V one four one five``). The dialogue
reads codes as written, and the agent passes ``cacheable=False`` for replies built from a
reservation anyway; this guard is the second line, not the only one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

from hotelvoice.redaction import (
    CARD_PATTERN,
    DATE_PATTERN,
    EMAIL_PATTERN,
    PHONE_PATTERN,
    has_spoken_email,
    luhn_valid,
)
from hotelvoice.tts.normalise import normalise

_MONTH_NAMES: Final = (
    "january february march april may june july august september october november december",
    "jan feb mar apr jun jul aug sep sept oct nov dec",
    "januar februar märz mai juni juli oktober dezember jän mär okt dez",
    "janvier février mars avril juin juillet août septembre octobre novembre décembre",
    "janv févr avr juil déc",
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre",
    "diciembre ene abr ago dic",
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre",
    "gen mag giu lug set ott",
)
"""Month names and abbreviations in the five languages (case and accents as written)."""
_MONTHS: Final = sorted(
    {w for line in _MONTH_NAMES for w in line.split()}, key=lambda w: (-len(w), w)
)
_DATE_YEAR: Final = re.compile(
    rf"\b(?:{'|'.join(_MONTHS)})\.?,?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?,?)?\s+(?:de\s+)?(20\d{2})\b",
    re.IGNORECASE,
)
"""A year after a month name (``December 2026``, ``12 de diciembre de 2026``, ``Dec 12, 2026``):
the year of a stay. A bare ``2026`` does not pass: it may as well be a PIN."""

_CURRENCY: Final = (
    r"(?:€|£|\$|eur|euros?|chf|francs?|franken|franchi|francos|gbp|pounds?|usd|dollars?)"
)
_PRICE_AFTER: Final = re.compile(rf"(\d+)(?:[.,]\d{{1,2}})?\s*{_CURRENCY}(?!\w)", re.IGNORECASE)
_PRICE_BEFORE: Final = re.compile(rf"(?<!\w){_CURRENCY}\s*(\d+)", re.IGNORECASE)
"""A total read out with its currency (``1234 Euro``, ``€1234``): a price, not an identifier."""

_DIGIT_RUN: Final = re.compile(r"(?<!\d)\d{4,}(?!\d)")
_TOKEN: Final = re.compile(r"(?<![\w-])[^\W_]+(?:[-/][^\W_]+)*(?![\w])")
_NOT_A_CODE: Final = re.compile(
    r"\d+(?:st|nd|rd|th|er|re|ère|e|ème|eme|es|o|a|º|ª|h|am|pm|kg|g|km|m|cm|min|mins|s|x)"
    r"|\d{1,2}h\d{2}|[kc]?m[23]",
    re.IGNORECASE,
)
"""Ordinals (``12th``, ``1er``), times (``6pm``, ``15h30``) and units (``15kg``, ``m2``)."""
_PREFIXED_NUMBER: Final = re.compile(r"(?<![\w])([A-Z]{1,4})[ -](\d{2,})(?!\d)")
"""``HV 1415``: a code read with a space after its letters."""
_CURRENCY_CODES: Final = frozenset({"EUR", "CHF", "GBP", "USD"})
_SPELLED: Final = re.compile(r"(?<![\w])(?:[^\W_][ .-]){3,}[^\W_](?![\w])")
"""``H V 1 4 1 5``, ``1-4-1-5``: characters read one by one."""

_HONORIFIC: Final = re.compile(
    r"(?<![\w.])(?:mr|mrs|ms|mx|miss|dr|herr|frau|monsieur|madame|mademoiselle|mme|mlle"
    r"|señor|señora|señorita|sr|sra|srta|signor|signore|signora|signorina|sig|sig\.ra)\.?"
    r"\s+([^\W\d_][\w'-]*)",
    re.IGNORECASE,
)
_FRENCH_M: Final = re.compile(r"(?<![\w.])M\.\s+([^\W\d_][\w'-]*)")
"""``M. Martin``: French ``Monsieur`` abbreviated."""


def contains_personal_data(
    text: str, known_names: Iterable[str] = (), *, public_texts: Iterable[str] = ()
) -> bool:
    """Whether ``text`` must never be cached (see the module docstring for the rules).

    Args:
        text: The utterance (normalised or not).
        known_names: Names heard or looked up in this call (guest, booker), matched as whole
            words, ignoring case and accents; each word of a full name counts on its own.
        public_texts: Texts the hotel publishes (front-desk number, address): numbers that
            appear in them are not personal.

    Returns:
        True when any rule matches.
    """
    return bool(personal_data_kinds(text, known_names, public_texts=public_texts))


def personal_data_kinds(
    text: str, known_names: Iterable[str] = (), *, public_texts: Iterable[str] = ()
) -> list[str]:
    """Which rules match, never what matched: safe to log and to count.

    Kinds: ``email``, ``card``, ``phone``, ``digits``, ``code``, ``honorific``, ``name``.

    Args:
        text: The utterance.
        known_names: As for :func:`contains_personal_data`.
        public_texts: As for :func:`contains_personal_data`.

    Returns:
        The kinds found, in rule order, each once.
    """
    text = normalise(text)
    public = _public_numbers(public_texts)
    checks = (
        ("email", lambda: EMAIL_PATTERN.search(text) is not None or has_spoken_email(text)),
        ("card", lambda: _has_card(text)),
        ("phone", lambda: _has_phone(text, public)),
        ("digits", lambda: _has_digit_run(text, public)),
        ("code", lambda: _has_code(text)),
        ("honorific", lambda: _has_honorific(text)),
        ("name", lambda: _has_known_name(text, known_names)),
    )
    return [kind for kind, found in checks if found()]


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _public_numbers(public_texts: Iterable[str]) -> frozenset[str]:
    """Digit strings the hotel publishes: each number, and each phone number as a whole."""
    numbers: set[str] = set()
    for public in public_texts:
        numbers.update(re.findall(r"\d+", public))
        numbers.update(_digits(m.group()) for m in PHONE_PATTERN.finditer(public))
    return frozenset(numbers)


def _has_card(text: str) -> bool:
    return any(luhn_valid(_digits(m.group())) for m in CARD_PATTERN.finditer(text))


def _has_phone(text: str, public: frozenset[str]) -> bool:
    return any(
        not DATE_PATTERN.fullmatch(m.group()) and _digits(m.group()) not in public
        for m in PHONE_PATTERN.finditer(text)
    )


def _has_digit_run(text: str, public: frozenset[str]) -> bool:
    allowed = {m.span(1) for m in _DATE_YEAR.finditer(text)}
    allowed |= {m.span(1) for m in _PRICE_AFTER.finditer(text)}
    allowed |= {m.span(1) for m in _PRICE_BEFORE.finditer(text)}
    dates = [m.span() for m in DATE_PATTERN.finditer(text)]
    for run in _DIGIT_RUN.finditer(text):
        start, end = run.span()
        in_date = run.group().startswith("20") and any(s <= start and end <= e for s, e in dates)
        if not (run.span() in allowed or in_date or run.group() in public):
            return True
    return False


def _has_code(text: str) -> bool:
    for token in _TOKEN.finditer(text):
        if _is_code(token.group()):
            return True
    if any(m.group(1) not in _CURRENCY_CODES for m in _PREFIXED_NUMBER.finditer(text)):
        return True
    return any(re.search(r"\d", m.group()) for m in _SPELLED.finditer(text))


def _is_code(token: str) -> bool:
    """Letters and digits in one token (``HV7K2Q``, ``ABC-1234``), but not ``24-hour``."""
    parts = re.split(r"[-/]", token)
    mixed = [p for p in parts if re.search(r"\d", p) and re.search(r"[^\W\d_]", p)]
    if any(not _NOT_A_CODE.fullmatch(p) for p in mixed):
        return True
    has_digit_part = any(re.search(r"\d", p) for p in parts)
    has_capital_part = any(p.isalpha() and p.isupper() for p in parts)
    return len(parts) > 1 and has_digit_part and has_capital_part


def _has_honorific(text: str) -> bool:
    matches = [*_HONORIFIC.finditer(text), *_FRENCH_M.finditer(text)]
    return any(m.group(1)[0].isupper() for m in matches)


def _fold(value: str) -> str:
    """Case and accents away: ``Müller`` = ``muller``, ``García`` = ``garcia``."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _has_known_name(text: str, known_names: Iterable[str]) -> bool:
    words = {w for name in known_names for w in _fold(name).split() if len(w) > 1}
    if not words:
        return False
    folded = _fold(text)
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.search(rf"(?<!\w)(?:{pattern})(?!\w)", folded) is not None
