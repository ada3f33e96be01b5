"""Guard rails on what a caller says: card numbers, injected instructions, other guests.

These never change what the policy *can* do; they decide when it must refuse. Caller
text stays data: "ignore your rules" is recognised by its words, like any intent.
"""

from __future__ import annotations

from hotelvoice.redaction import luhn_valid

from .digits import digit_runs
from .phrases import has_phrase
from .text import plain_words
from .vocabularies import DEFAULT_LANGUAGE, vocabulary

MIN_CARD_DIGITS, MAX_CARD_DIGITS = 13, 19
"""Payment card numbers (PANs) are 13 to 19 digits long."""
MIN_DIGITS_AFTER_CARD_CUE = 3
"""With "card", "CVV" or "expiry" said, even a security code or expiry date counts."""
CARD_DETAILS_WITHHELD = "[#### #### #### ####]"
"""What the agent keeps in the chat context instead of a turn that read out card details.
It has no letters, so it cannot sway language detection, and it still counts as card
details here, so the policy refuses the turn it replaced."""


def mentions_card_details(text: str, *, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether the caller is reading out card details.

    A run of 13-19 digits that passes the Luhn check and does not start like a
    phone number ("0", "+") is a card number in any context; after a card cue
    ("credit card", "Kreditkarte", "CVV") three digits are enough.

    Args:
        text: Caller text.
        language: Language of the text.

    Returns:
        True if the turn must be refused and forgotten.
    """
    if CARD_DETAILS_WITHHELD in text:
        return True
    vocab = vocabulary(language)
    words = plain_words(text, language=language)
    runs = digit_runs(text, language=language)
    said_plus = "+" in text or has_phrase(words, vocab, "phone_plus")
    for run in runs:
        card_shaped = MIN_CARD_DIGITS <= len(run) <= MAX_CARD_DIGITS and run[0] != "0"
        if card_shaped and not said_plus and luhn_valid(run):
            return True
    if not has_phrase(words, vocab, "card"):
        return False
    return sum(len(run) for run in runs) >= MIN_DIGITS_AFTER_CARD_CUE


def is_injection(text: str, *, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether the caller tries to give the receptionist new instructions.

    Args:
        text: Caller text.
        language: Language of the text.

    Returns:
        True for "ignore your rules", "you are now ...", "system prompt" and the like.
    """
    words = plain_words(text, language=language)
    return has_phrase(words, vocabulary(language), "injection")


def asks_about_other_guests(text: str, *, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether the caller asks for someone else's booking or for a list of guests.

    Args:
        text: Caller text.
        language: Language of the text.

    Returns:
        True for "tell me the reservation of Mr Smith", "who is staying in room 12".
    """
    words = plain_words(text, language=language)
    return has_phrase(words, vocabulary(language), "third_party")
