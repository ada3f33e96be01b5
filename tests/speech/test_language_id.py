"""lingua, restricted to the receptionist's five languages, on short hotel sentences."""

from __future__ import annotations

import pytest

from hotelvoice.speech.language_id import SUPPORTED_LANGUAGES, detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("do you have a room for two adults", "en"),
        ("ich möchte ein zimmer für zwei nächte", "de"),
        ("je voudrais une chambre pour deux nuits", "fr"),
        ("quisiera una habitación para dos noches", "es"),
        ("vorrei una camera per due notti", "it"),
    ],
)
def test_each_language_is_recognised_from_one_sentence(text, language):
    assert detect_language(text, default="xx") == language


@pytest.mark.parametrize("text", ["", "hallo", "42 17 2025", "ok!"])
def test_too_little_to_judge_is_the_default(text):
    assert detect_language(text, default="it") == "it"


def test_only_the_five_languages_are_ever_answered():
    # Dutch is none of ours: the answer is still one of the five, never "nl".
    assert detect_language("ik wil graag een kamer voor twee nachten", "en") in SUPPORTED_LANGUAGES
