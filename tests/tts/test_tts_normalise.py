"""normalise: one spelling per utterance, for the voice and for the cache key."""

from __future__ import annotations

import pytest

from hotelvoice.tts.normalise import normalise


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("I\u2019m sorry", "I'm sorry"),  # typographic apostrophe
        ("l\u2018h\u00f4tel", "l'h\u00f4tel"),
        ("\u201cAurora-Guest\u201d", '"Aurora-Guest"'),
        ("\u201eWillkommen\u201c", '"Willkommen"'),
        ("\u00ab Bonjour \u00bb", '" Bonjour "'),
        ("One moment\u2026", "One moment..."),
        ("Cafe\u0301", "Caf\u00e9"),  # decomposed accent -> NFC
        ("from 6:30\u201310:30", "from 6:30-10:30"),  # en dash in a range
        ("Yes\u2014of course", "Yes - of course"),  # em dash between words: a pause
        ("Yes \u2013 of course", "Yes - of course"),
        ("minus \u22125", "minus -5"),
        ("Wi\u2011Fi", "Wi-Fi"),  # non-breaking hyphen
        ("Bonjour\u202f!", "Bonjour !"),  # French narrow no-break space
        ("  Good\u00a0evening,\n\thow can\r\nI help?  ", "Good evening, how can I help?"),
        ("book\u00ading\u200b", "booking"),  # soft hyphen, zero-width space
    ],
)
def test_variants_share_one_spelling(variant: str, canonical: str) -> None:
    assert normalise(variant) == canonical


def test_case_and_prosody_punctuation_survive() -> None:
    text = "Hello? Yes! No, thanks... Room 12; Mr SMITH: (ok)."
    assert normalise(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "  I\u2019m \u201chere\u201d \u2014 really\u2026  ",
        "10 \u2013 12 \u2014 14",
        "\u00ab\u00a0Oui\u00a0\u00bb\u2009?",
        "",
        "   ",
    ],
)
def test_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
