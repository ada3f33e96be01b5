"""The one redaction function: personal data out of logs and stored transcripts.

Pattern-based for what has a shape (phone numbers, e-mails, card numbers, confirmation
codes are kept: they are useless without the guest's name). Names have no shape: callers pass
the names they know of (the guest's name given in the call) as ``known_names``, and a name a
caller introduces themselves with ("my name is …", "ich heiße …", "je m'appelle …", "me
llamo …", "mi chiamo …") is found by the phrases in ``name_intros.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD_PATTERN = re.compile(r"\b(?:\d[ -]?){13,19}\b")
PHONE_PATTERN = re.compile(r"(?<![\w])\+?\d[\d ()./-]{6,}\d(?![\w])")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})")
"""Dates have a phone-like shape; a stay's dates are not personal data and must stay readable."""


@cache
def _self_introduction() -> re.Pattern[str]:
    """An introduction phrase of any language, then up to ``max_words`` words of a name."""
    catalog = json.loads((Path(__file__).with_name("name_intros.json")).read_text("utf-8"))
    intros = sorted(
        {p for phrases in catalog["intros"].values() for p in phrases}, key=len, reverse=True
    )
    stop = "|".join(re.escape(w) for w in sorted(catalog["stop"], key=len, reverse=True))
    word = rf"(?!(?:{stop})\b)[^\W\d_][\w'’-]*(?:\.(?=\s*[^\W\d_]))?"
    intro = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in intros)
    return re.compile(
        rf"(?<!\w)((?:{intro})[\s,:]+)({word}(?:\s+{word}){{0,{catalog['max_words'] - 1}}})",
        re.IGNORECASE,
    )


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """Replace e-mails, card numbers, phone numbers and names with placeholders."""
    text = _self_introduction().sub(lambda m: f"{m.group(1)}[name]", text)
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
