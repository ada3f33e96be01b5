"""The phrase vocabularies of the languages the fallback NLU understands.

Each is built once from the language's catalogs (``realtime_agent.language.vocabulary``);
nothing here names a language's words.
"""

from __future__ import annotations

from realtime_agent.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, base_language
from realtime_agent.language.vocabulary import Vocabulary, load_vocabulary

VOCABULARIES: dict[str, Vocabulary] = {
    language: load_vocabulary(language) for language in SUPPORTED_LANGUAGES
}


def vocabulary(language: str = DEFAULT_LANGUAGE) -> Vocabulary:
    """Return the phrase tables for ``language``.

    Args:
        language: ISO 639-1 code; a regional suffix ("en-GB") is ignored.

    Returns:
        The matching vocabulary.

    Raises:
        KeyError: If no tables exist for the language yet. Failing loudly is
            better than silently parsing German with English rules.
    """
    try:
        return VOCABULARIES[base_language(language)]
    except KeyError:
        raise KeyError(f"no fallback NLU phrase tables for language {language!r}") from None
