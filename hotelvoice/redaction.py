"""The one redaction function: personal data out of logs and stored transcripts.

Pattern-based for what has a shape (phone numbers, e-mails, card numbers, confirmation
codes are kept: they are useless without the guest's name). Names have no shape: callers pass
the names they know of (the guest's name given in the call) as ``known_names``, and a name a
caller introduces themselves with ("my name is …", "ich heiße …", "je m'appelle …", "me
llamo …", "mi chiamo …") is found by the phrases in ``name_intros.json``.

Spelled names ("S M I T H", "Delta Oscar Echo", "M wie Martha") are found by
:mod:`hotelvoice.spelled_names`; they are taken out before self-introductions, so that an
introduction does not take three letters of a spelling for the name and leave the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from hotelvoice.spelled_names import DATE_PATTERN, NAME, name_intros, redact_spelled_names

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD_PATTERN = re.compile(r"\b(?:\d[ -]?){13,19}\b")
PHONE_PATTERN = re.compile(r"(?<![\w])\+?\d[\d ()./-]{6,}\d(?![\w])")


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """Replace e-mails, card numbers, phone numbers and names (introduced, spelled, known)."""
    text = EMAIL_PATTERN.sub("[email]", text)
    text = CARD_PATTERN.sub(_card_or_phone, text)
    text = PHONE_PATTERN.sub(_phone_unless_date, text)
    text = redact_spelled_names(text)
    text = _self_introduction().sub(lambda m: f"{m.group(1)}{NAME}", text)
    for name in {n for n in known_names if n and len(n) > 1}:
        text = re.sub(rf"\b{re.escape(name)}\b", NAME, text, flags=re.IGNORECASE)
        letters = [c for c in name if c.isalpha()]
        if len(letters) > 1:
            # The verified name spelled ("W E B E R") is that name whatever the rule says.
            spelled = r"[\s,.\-]+".join(re.escape(c) for c in letters)
            text = re.sub(rf"(?<![^\W_]){spelled}(?![^\W_])", NAME, text, flags=re.IGNORECASE)
    return text


@cache
def _self_introduction() -> re.Pattern[str]:
    """An introduction phrase of any language, then up to ``max_words`` words of a name."""
    catalog = name_intros()
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
