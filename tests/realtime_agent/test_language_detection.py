"""Which language the caller speaks: lingua restricted to five languages, plus our tables."""

from __future__ import annotations

import pytest

from realtime_agent.language_detection import CallLanguage, detect_language, lexical_votes


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I would like to book a room for two nights", "en"),
        ("Ich möchte ein Zimmer für zwei Nächte buchen", "de"),
        ("Je voudrais réserver une chambre pour deux nuits", "fr"),
        ("Quisiera reservar una habitación para dos noches", "es"),
        ("Vorrei prenotare una camera per due notti", "it"),
    ],
)
def test_sentences_are_detected(text: str, language: str) -> None:
    detection = detect_language(text)
    assert detection is not None
    assert detection.language == language
    assert detection.confidence > 0.8


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("due adulti", "it"),
        ("oui merci", "fr"),
        ("tres noches", "es"),
        ("hallo ja", "de"),
        ("A qué hora es el check in", "es"),
    ],
)
def test_short_first_utterances_are_settled_with_the_phrase_tables(
    text: str, language: str
) -> None:
    settled = CallLanguage("en").hear(text)
    assert (settled.language, settled.confirmed) == (language, True)
    assert settled.switched


@pytest.mark.parametrize("text", ["Hallo", "Müller", "okay", "HV1415", "", "blue"])
def test_single_words_keep_the_current_language(text: str) -> None:
    assert CallLanguage("de").hear(text) == CallLanguage("de")


def test_once_settled_only_a_long_confident_utterance_switches() -> None:
    call = CallLanguage("en").hear("I would like to book a room please")
    assert (call.language, call.confirmed, call.switched) == ("en", True, False)
    short = call.hear("oui merci")
    assert (short.language, short.switched) == ("en", False)
    long = call.hear("Excusez-moi, je préfère continuer la conversation en français")
    assert (long.language, long.switched) == ("fr", True)
    assert long.hear("pour deux nuits s'il vous plaît").switched is False


def test_lexical_votes_count_words_only_one_language_knows() -> None:
    assert lexical_votes("due adulti") == {"it": 2}
    assert lexical_votes("hotel") == {}


@pytest.mark.parametrize(
    ("language", "spelled"),
    [
        # Names and a domain say English to lingua (the first with all confidence); the
        # words for "at" and "dot" say the caller's own language.
        ("it", "petermyqbmpjs punto collins chiocciola example punto com"),
        ("de", "petermyqbmpjs punkt collins klammeraffe example punkt com"),
        ("fr", "petermyqbmpjs point collins arobase example point com"),
        ("es", "petermyqbmpjs punto collins arroba example punto com"),
    ],
)
def test_an_address_spelled_in_the_calls_language_does_not_switch_it(language, spelled):
    call = CallLanguage(language, confirmed=True)
    assert call.hear(spelled) == CallLanguage(language, confirmed=True)
    assert lexical_votes(spelled).get(language)


def test_a_long_clear_sentence_in_another_language_still_switches_a_settled_call() -> None:
    call = CallLanguage("it", confirmed=True)
    switched = call.hear("Sorry, could we please speak English, I do not understand Italian")
    assert (switched.language, switched.switched) == ("en", True)
