"""Phrase material shared by every language: the NATO spelling alphabet and brand names.

Callers spell with "hotel victor" whatever language they speak, and card brands or
"wifi" are the same words everywhere, so each language table merges these in.
"""

from __future__ import annotations

from .vocab import split_phrases as _split

_NATO = (
    "alpha|alfa a,bravo b,charlie c,delta d,echo e,foxtrot f,golf g,hotel h,india i"
    ",juliet|juliett j,kilo k,lima l,mike m,november n,oscar o,papa p,quebec q,romeo r"
    ",sierra s,tango t,uniform u,victor v,whiskey|whisky w,xray x,yankee y,zulu z"
)


def letter_table(entries: str) -> dict[str, str]:
    """Parse ``"name|alias letter,name letter"`` into spoken name -> letter.

    Args:
        entries: Comma-separated entries; each ends with the letter it names.

    Returns:
        E.g. ``{"alpha": "a", "alfa": "a", ...}``.
    """
    table: dict[str, str] = {}
    for entry in entries.split(","):
        words, letter = entry.strip().rsplit(" ", 1)
        table |= dict.fromkeys(words.split("|"), letter)
    return table


NATO_LETTERS = letter_table(_NATO)

CARD_BRANDS = _split("visa|mastercard|master card|amex|american express|maestro|cvv|cvc")
"""Said the same way in every language; a card cue when digits follow."""

INJECTION_COMMON = _split(
    "system prompt|prompt|jailbreak|developer mode|dan mode|ignore all previous"
    "|ignore previous instructions|ignore your instructions|ignore your rules"
)
"""English jailbreak phrases turn up in every language's calls."""
