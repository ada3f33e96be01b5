"""Registry of per-language phrase tables.

Kept separate from ``vocab.py`` so that table modules can import the
``Vocabulary`` type without a circular import, and so that adding a language is
a one-line change here.
"""

from __future__ import annotations

from .phrases_de import GERMAN
from .phrases_en import ENGLISH
from .phrases_es import SPANISH
from .phrases_fr import FRENCH
from .phrases_it import ITALIAN
from .vocab import Vocabulary

DEFAULT_LANGUAGE = "en"

VOCABULARIES: dict[str, Vocabulary] = {
    "en": ENGLISH,
    "de": GERMAN,
    "fr": FRENCH,
    "es": SPANISH,
    "it": ITALIAN,
}
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(VOCABULARIES)
"""Languages the fallback policy understands and speaks, in the order we list them."""


def base_language(language: str) -> str:
    """ISO 639-1 part of a language tag: "de-AT" and "de_DE" -> "de".

    Args:
        language: A language tag.

    Returns:
        The lower-case base language.
    """
    return language.lower().replace("_", "-").split("-", 1)[0]


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
