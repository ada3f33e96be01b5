"""The one redaction function: personal data out of logs and stored transcripts.

Pattern-based for what has a shape (phone numbers, e-mails, card numbers, confirmation
codes are kept: they are useless without the guest's name); names have no shape, so callers
pass the names they know of (the guest's name given in the call) as ``known_names``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD_PATTERN = re.compile(r"\b(?:\d[ -]?){13,19}\b")
PHONE_PATTERN = re.compile(r"(?<![\w])\+?\d[\d ()./-]{6,}\d(?![\w])")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})")
"""Dates have a phone-like shape; a stay's dates are not personal data and must stay readable."""


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """Replace e-mails, card numbers, phone numbers and the given names with placeholders."""
    text = EMAIL_PATTERN.sub("[email]", text)
    text = CARD_PATTERN.sub(_card_or_phone, text)
    text = PHONE_PATTERN.sub(_phone_unless_date, text)
    for name in {n for n in known_names if n and len(n) > 1}:
        text = re.sub(rf"\b{re.escape(name)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


def _phone_unless_date(match: re.Match[str]) -> str:
    return match.group() if DATE_PATTERN.fullmatch(match.group()) else "[phone]"


def _card_or_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if luhn_valid(digits) else match.group()


def luhn_valid(digits: str) -> bool:
    """The check digit every payment card number carries (digits only)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0
