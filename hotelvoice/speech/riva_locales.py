"""Which Riva ASR model locale a language hint means: shared by the proxy and the agent.

The ASR proxy asks Riva for it, and the agent asks for it when it talks to Riva directly
(``agent_stt=riva``), so both must read a hint the same way.
"""

from __future__ import annotations

from typing import Final

from hotelvoice.errors import InvalidRequest

RIVA_LANGUAGES: Final = {
    "en": "en-US",
    "de": "de-DE",
    "fr": "fr-FR",
    "es": "es-US",
    "it": "it-IT",
    "nl": "nl-NL",
    "pt": "pt-BR",
}
"""Our two-letter hints to the locales Riva's ASR models are published for (``es-US`` and
``pt-BR`` are NVIDIA's published Spanish and Portuguese models: check the deployed ones)."""


def riva_language(language: str | None) -> str:
    """``de`` → ``de-DE``; a full locale (``en-GB``) passes through; no hint is English.

    Raises:
        InvalidRequest: A bare language no Riva model is published for.
    """
    if not language:
        return RIVA_LANGUAGES["en"]
    if "-" in language:
        return language
    try:
        return RIVA_LANGUAGES[language]
    except KeyError:
        raise InvalidRequest(
            f"language {language!r} is not supported", code="unsupported_language"
        ) from None
