"""Registry of per-language phrase tables.

Kept separate from ``vocab.py`` so that table modules can import the
``Vocabulary`` type without a circular import, and so that adding a language is
a one-line change here.
"""

from __future__ import annotations

from .phrases_en import ENGLISH
from .vocab import Vocabulary

DEFAULT_LANGUAGE = "en"

VOCABULARIES: dict[str, Vocabulary] = {"en": ENGLISH}


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
    base = language.lower().replace("_", "-").split("-", 1)[0]
    try:
        return VOCABULARIES[base]
    except KeyError:
        raise KeyError(f"no fallback NLU phrase tables for language {language!r}") from None
