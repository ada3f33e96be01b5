"""Which voice each engine uses for each locale, and a hotel's own choices on top.

Defaults cover the five languages the receptionist speaks. English defaults to ``en-GB``: our
hotels are in Europe, where British English is what most callers learned and expect. A hotel
may override any voice per locale (``{"de-DE": {"azure": "de-DE-ConradNeural"}}``) or per
language (``{"de": {...}}`` for every German locale); what it leaves out keeps the default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from hotelvoice.tts.engine import Voice

LANGUAGE_LOCALES: Final = {
    "en": "en-GB",
    "de": "de-DE",
    "fr": "fr-FR",
    "es": "es-ES",
    "it": "it-IT",
}
"""The locale spoken for a bare language tag."""

ESPEAK_VOICES: Final = {"en": "en-us", "de": "de", "fr": "fr", "es": "es", "it": "it"}
"""espeak-ng voice for each language the receptionist speaks (local mode, last resort)."""

AZURE_VOICES: Final = {
    "en-GB": "en-GB-SoniaNeural",
    "de-DE": "de-DE-KatjaNeural",
    "fr-FR": "fr-FR-DeniseNeural",
    "es-ES": "es-ES-ElviraNeural",
    "it-IT": "it-IT-ElsaNeural",
}
"""Azure neural voices: warm, clear female voices of each locale."""

ELEVENLABS_VOICE: Final = "Xb7hH8MSUJpSbSDYk0k2"
"""ElevenLabs' premade "Alice" (British, clear), spoken through a multilingual model: one voice
for every language, so a caller who switches language keeps talking to the same person."""

DEFAULT_VOICES: Final[dict[str, dict[str, str]]] = {
    locale: {
        "elevenlabs": ELEVENLABS_VOICE,
        "azure": AZURE_VOICES[locale],
        "espeak": ESPEAK_VOICES[language],
    }
    for language, locale in LANGUAGE_LOCALES.items()
}
"""``{locale: {engine: voice_id}}`` before any hotel override."""

VoiceOverrides = Mapping[str, Mapping[str, str]]
"""A hotel's ``{locale or language: {engine: voice_id}}`` (``HotelSettings.voices``)."""


def canonical_locale(tag: str) -> str:
    """``de`` → ``de-DE``, ``de_at`` → ``de-AT``, ``EN`` → ``en-GB``; unknown bare tags stay.

    Args:
        tag: A language or locale tag.

    Returns:
        ``ll-RR`` where a region is given or a default exists, else the lower-case language.
    """
    language, _, region = tag.strip().replace("_", "-").partition("-")
    language = language.lower()
    if region:
        return f"{language}-{region.split('-')[0].upper()}"
    return LANGUAGE_LOCALES.get(language, language)


def voice_chain(
    hotel_overrides: VoiceOverrides | None, locale: str, engines: Sequence[str]
) -> list[Voice]:
    """The voice of each engine for ``locale``, in the engines' order.

    Each engine's voice is the first found of: the hotel's entry for the locale, the hotel's
    entry for the language, the default for the locale, the default for the language's
    locale (a ``de-AT`` caller hears ``de-DE`` voices unless the hotel chose Austrian ones).
    An engine with no voice for the locale is left out. A voice's ``locale`` is the one it
    was chosen for (``de-DE`` for that Austrian caller), which vendors expect to match it.

    Args:
        hotel_overrides: The hotel's choices, or None.
        locale: What the caller speaks (``de``, ``de-DE``, ``de-AT``).
        engines: Engine names, first choice first.

    Returns:
        One :class:`Voice` per engine that can speak the locale; empty if none can.
    """
    wanted = canonical_locale(locale)
    language = wanted.split("-")[0]
    home = LANGUAGE_LOCALES.get(language, wanted)
    overrides = hotel_overrides or {}
    tables = (
        (wanted, overrides.get(wanted, {})),
        (wanted, overrides.get(language, {})),
        (wanted, DEFAULT_VOICES.get(wanted, {})),
        (home, DEFAULT_VOICES.get(home, {})),
    )
    chain: list[Voice] = []
    for engine in engines:
        found = next(((loc, t[engine]) for loc, t in tables if t.get(engine)), None)
        if found is not None:
            chain.append(Voice(engine=engine, voice_id=found[1], locale=found[0]))
    return chain
