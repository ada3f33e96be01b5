"""E-mail addresses said aloud leave stored transcripts and logs like typed ones."""

from __future__ import annotations

import pytest

from hotelvoice.redaction import redact


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("peter dot collins at example dot com", "[email]"),
        ("my email is anna at web dot de please", "my email is [email] please"),
        ("p e t e r at gmail dot com", "[email]"),
        ("klaus punkt becker at gmx punkt de", "[email]"),
        ("Ich habe sabine unterstrich k at web punkt de.", "Ich habe [email]."),
        ("camille point lefevre arobase orange point fr", "[email]"),
        ("pablo punto navarro arroba ejemplo punto es", "[email]"),
        ("marco chiocciola libero punto it, grazie", "[email], grazie"),
        ("mail at mail dot co dot uk", "[email]"),
    ],
)
def test_a_spoken_address_is_redacted(said: str, kept: str):
    assert redact(said) == kept


@pytest.mark.parametrize(
    "said",
    [
        "we arrive at nine",
        "we arrive at seven point thirty",
        "look at the big dot on the map",
        "ich bin um acht punkt da",
        "je suis à la gare",
    ],
)
def test_words_that_only_look_like_one_stay(said: str):
    assert redact(said) == said
