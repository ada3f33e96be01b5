"""The languages the receptionist speaks, and where their words live.

Every word a language contributes (replies, phrase vocabularies, number words, spoken
letters) is data: JSON catalogs under ``catalogs/<language>/``, one folder per language,
described in ``catalogs/README.md``. Month and weekday names come from CLDR (Babel); a
catalog adds only the spoken variants CLDR does not know ("janner", "sonnabend").
Python here and in ``realtime_agent.fallback`` is language-neutral: it reads catalogs and
never lists a language's words, so adding a language is adding a catalog folder and its
code to ``catalogs/languages.json``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CATALOGS = Path(__file__).with_name("catalogs")
"""Where the shipped catalogs live; every loader takes another root for tests and tools."""


def _languages_file(root: Path) -> dict[str, Any]:
    return json.loads((root / "languages.json").read_text(encoding="utf-8"))


_LANGUAGES = _languages_file(CATALOGS)
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(_LANGUAGES["supported"])
"""Languages the receptionist understands and speaks, in the order we list them."""
DEFAULT_LANGUAGE: str = _LANGUAGES["default"]
"""Spoken when a caller's language is unknown or not supported."""


def base_language(language: str) -> str:
    """ISO 639-1 part of a language tag: "de-AT" and "de_DE" -> "de".

    Args:
        language: A language tag.

    Returns:
        The lower-case base language.
    """
    return language.lower().replace("_", "-").split("-", 1)[0]


def supported(language: str) -> str:
    """The supported base language of a tag, or :data:`DEFAULT_LANGUAGE`: "de-AT" -> "de"."""
    base = base_language(language)
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(language: str, name: str, root: Path = CATALOGS) -> dict[str, Any]:
    """One catalog of one language: ``<root>/<language>/<name>.json``, without its ``_about``.

    Args:
        language: A base language code ("de"), or "common" for what all languages share.
        name: The catalog ("replies", "numbers", "phrases", "dialogue").
        root: The catalog folder; the shipped one unless a test or tool gives another.

    Returns:
        The catalog's data.

    Raises:
        FileNotFoundError: If the language has no such catalog.
    """
    path = root / language / f"{name}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.pop("_about", None)
    return data
