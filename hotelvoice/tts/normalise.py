"""One spelling per utterance: what the engines speak and what the cache key hashes.

The LLM, the fallback policy and hotel texts write the same sentence in slightly different
bytes (a typographic apostrophe here, a no-break space there). Each variant would be a cache
miss and a paid vendor request, so every utterance passes through :func:`normalise` once, and
the same result is both spoken and hashed. The rules are few and deterministic, and each one
leaves what a voice hears unchanged: case and punctuation that shape prosody (``?``, ``!``,
``,``, ``...``) are kept.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_INVISIBLE: Final = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
"""Zero-width characters and soft hyphens: silent, but they change the bytes (and the key)."""

_QUOTES: Final = str.maketrans(
    {
        "\u2018": "'",  # ' left single quote
        "\u2019": "'",  # ' right single quote, the typographic apostrophe (I'm, l'hôtel)
        "\u201a": "'",  # low single quote
        "\u201b": "'",  # reversed single quote
        "\u2032": "'",  # prime, typed as an apostrophe by some keyboards
        "\u201c": '"',  # " left double quote
        "\u201d": '"',  # " right double quote
        "\u201e": '"',  # „ German low double quote
        "\u201f": '"',  # ‟ reversed double quote
        "\u00ab": '"',  # « guillemets: quoting, not a pause
        "\u00bb": '"',  # »
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2212": "-",  # minus sign
        "\u2026": "...",  # … a pause either way; one spelling
    }
)
"""Typographic variants that sound the same as their ASCII form."""

_NUMERIC_RANGE: Final = re.compile(r"(?<=\d)\s*[\u2013\u2014\u2015]\s*(?=\d)")
"""``10–12``: a range between numbers, read like ``10-12``."""
_PAUSE_DASH: Final = re.compile(r"\s*[\u2013\u2014\u2015]\s*")
"""``yes — of course``: a dash between words is a pause, spelled `` - `` so no engine reads
``word—word`` as one compound."""
_WHITESPACE: Final = re.compile(r"\s+")
"""Any run of Unicode whitespace (no-break and narrow no-break spaces, tabs, newlines)."""


def normalise(text: str) -> str:
    """The canonical spelling of an utterance, for speaking and for the cache key.

    Rules, in order: Unicode NFC (a composed ``é`` and ``e`` + accent are one key); silent
    zero-width characters and soft hyphens removed; typographic quotes, apostrophes, hyphens,
    the minus sign and the ellipsis mapped to ASCII; en and em dashes become ``-`` between
    digits (a range) and `` - `` elsewhere (a pause); whitespace collapsed to single spaces and
    stripped at both ends. Idempotent: ``normalise(normalise(t)) == normalise(t)``.

    Args:
        text: What the dialogue wants said.

    Returns:
        The text to speak and to hash.
    """
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text).translate(_QUOTES)
    text = _NUMERIC_RANGE.sub("-", text)
    text = _PAUSE_DASH.sub(" - ", text)
    return _WHITESPACE.sub(" ", text).strip()
