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

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from hotelvoice.spelled_names import DATE_PATTERN, NAME, name_intros, redact_spelled_names

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD_PATTERN = re.compile(r"\b(?:\d[ -]?){13,19}\b")
PHONE_PATTERN = re.compile(r"(?<![\w])\+?\d[\d ()./-]{6,}\d(?![\w])")


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """Replace e-mails, card numbers, phone numbers and names (introduced, spelled, known)."""
    text = EMAIL_PATTERN.sub("[email]", text)
    text = spoken_email_pattern().sub("[email]", text)
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
def spoken_email_pattern() -> re.Pattern[str]:
    """An e-mail address said aloud: "peter dot collins at example dot com", "arobase".

    Words joined by one language's dots and joiners, its word for @, then a domain of at
    least two words joined by its dots ("at seven point thirty" mixes English and French:
    no address). The words are ``spoken_emails.json``; the domain's first word is the
    ``domain`` group.
    """
    catalog = _spoken_emails()

    def words(group: str, language: str) -> str:
        ordered = sorted(catalog[group][language], key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)

    part = r"[^\W_][\w'-]*"
    piece = rf"(?:[^\W\d_](?:\s+[^\W\d_])+(?!\w)|{part})"  # "p e t e r", or a word
    addresses = []
    for n, language in enumerate(catalog["at"]):
        at, dot = words("at", language), words("dot", language)
        sep = rf"(?:{dot}|{words('joiners', language)})"
        local = rf"{piece}(?:\s+{sep}\s+{piece})*"
        domain = rf"(?P<domain{n}>{part})(?:\s+{sep}\s+{part})*\s+(?:{dot})\s+{part}"
        addresses.append(rf"{local}\s+(?:{at})\s+{domain}")
    return re.compile(rf"(?<!\w)(?:{'|'.join(addresses)})(?!\w)", re.IGNORECASE)


def spoken_email_domain(match: re.Match[str]) -> str:
    """The first word of a spoken address's domain ("example" in "… at example dot com")."""
    return next(value for value in match.groupdict().values() if value is not None)


def has_spoken_email(text: str) -> bool:
    """A spoken address that is somebody's: not at a prompt's example domain."""
    examples = _example_domains()
    return any(
        spoken_email_domain(m).lower() not in examples
        for m in spoken_email_pattern().finditer(text)
    )


@cache
def _example_domains() -> frozenset[str]:
    return frozenset(_spoken_emails()["example_domains"])


@cache
def _spoken_emails() -> dict[str, Any]:
    return json.loads(Path(__file__).with_name("spoken_emails.json").read_text("utf-8"))


def spoken_email_words(language: str) -> frozenset[str]:
    """The single words a caller of ``language`` spells an address with ("chiocciola", "punkt").

    Words of the language itself: a spelled address is mostly names and a domain, so these
    are what tells the caller's language in it (``realtime_agent.language_detection``).
    """
    catalog = _spoken_emails()
    return frozenset(
        word
        for group in ("at", "dot", "joiners")
        for phrase in catalog[group].get(language, ())
        for word in phrase.split()
    )


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
