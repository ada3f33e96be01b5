"""voice_chain: defaults per locale and engine, a hotel's overrides on top."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hotelvoice.contracts.hotels import HotelSettings
from hotelvoice.tts.engine import Voice
from hotelvoice.tts.voices import ELEVENLABS_VOICE, canonical_locale, voice_chain
from hotelvoice.tts.voices import ESPEAK_VOICES as VOICES

CHAIN = ["elevenlabs", "azure", "espeak"]


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("en", "en-GB"),
        ("de", "de-DE"),
        ("FR", "fr-FR"),
        ("es_es", "es-ES"),
        ("de-at", "de-AT"),
        ("it-IT", "it-IT"),
        ("pt", "pt"),
    ],
)
def test_canonical_locale(tag: str, locale: str) -> None:
    assert canonical_locale(tag) == locale


@pytest.mark.parametrize(
    ("language", "azure", "espeak"),
    [
        ("en", "en-GB-SoniaNeural", "en-us"),
        ("de", "de-DE-KatjaNeural", "de"),
        ("fr", "fr-FR-DeniseNeural", "fr"),
        ("es", "es-ES-ElviraNeural", "es"),
        ("it", "it-IT-ElsaNeural", "it"),
    ],
)
def test_defaults_for_each_language(language: str, azure: str, espeak: str) -> None:
    locale = canonical_locale(language)
    assert voice_chain(None, language, CHAIN) == [
        Voice("elevenlabs", ELEVENLABS_VOICE, locale),
        Voice("azure", azure, locale),
        Voice("espeak", espeak, locale),
    ]


def test_the_agents_local_voice_uses_the_same_espeak_map() -> None:
    assert all(voice_chain(None, lang, ["espeak"])[0].voice_id == v for lang, v in VOICES.items())


def test_chain_order_follows_the_engines_and_skips_voiceless_ones() -> None:
    chain = voice_chain(None, "de", ["espeak", "riva", "azure"])
    assert [v.engine for v in chain] == ["espeak", "azure"]
    assert voice_chain(None, "pt-BR", CHAIN) == []


def test_hotel_overrides_by_locale_then_language() -> None:
    overrides = {
        "de-AT": {"azure": "de-AT-IngridNeural"},
        "de": {"elevenlabs": "hotel-own-voice"},
    }
    austrian = voice_chain(overrides, "de-AT", CHAIN)
    assert austrian == [
        Voice("elevenlabs", "hotel-own-voice", "de-AT"),
        Voice("azure", "de-AT-IngridNeural", "de-AT"),
        Voice("espeak", "de", "de-DE"),  # the default, in the locale it was made for
    ]
    german = voice_chain(overrides, "de-DE", CHAIN)
    assert [v.voice_id for v in german] == ["hotel-own-voice", "de-DE-KatjaNeural", "de"]


def test_hotel_settings_carry_validated_voices() -> None:
    base = {"dialled_numbers": ["+4930555010"], "front_desk": "+49 30 5550 1000"}
    settings = HotelSettings(**base, voices={"de-DE": {"azure": "de-DE-ConradNeural"}})
    assert voice_chain(settings.voices, "de", ["azure"])[0].voice_id == "de-DE-ConradNeural"
    assert HotelSettings(**base).voices == {}
    for bad in ({"german": {"azure": "x"}}, {"de": {"polly": "x"}}, {"de": {"azure": ""}}):
        with pytest.raises(ValidationError):
            HotelSettings(**base, voices=bad)
