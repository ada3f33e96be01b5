"""Which of our five languages a transcript is in, for recognisers that do not say.

The ASR proxy reports a language with every result; when the client gave no hint, the answer
comes from the recognised text. lingua's detector is restricted to the five languages the
receptionist speaks (en, de, fr, es, it), so it never answers with one we cannot serve, and it
is built once per process, lazily: loading its models takes about a second and ~170 MB, which
a process that never detects should not pay. One word ("hallo", "okay") says little about a
language, so shorter texts get the caller's default instead of a coin toss.

The agent keeps its own, stricter per-call logic (``realtime_agent.language_detection``); this
module only answers "which language is this text?".
"""

from __future__ import annotations

import re
import threading
from typing import Any, Final

SUPPORTED_LANGUAGES: Final = ("en", "de", "fr", "es", "it")
MIN_WORDS: Final = 2
"""Fewer words than this are too short to judge."""

_WORD = re.compile(r"[^\W\d_]{2,}")
_build_lock = threading.Lock()
_detector: Any = None


def _lingua() -> Any:
    """The detector, built on first use; the lock keeps two threads from building it twice."""
    global _detector  # noqa: PLW0603 - one detector per process, built on demand
    with _build_lock:
        if _detector is None:
            try:
                from lingua import Language, LanguageDetectorBuilder
            except ImportError as exc:  # pragma: no cover - the asr and agent extras pin it
                raise ImportError(
                    "language detection needs lingua: pip install 'hotelvoice[asr]'"
                ) from exc
            languages = (
                Language.ENGLISH,
                Language.GERMAN,
                Language.FRENCH,
                Language.SPANISH,
                Language.ITALIAN,
            )
            builder = LanguageDetectorBuilder.from_languages(*languages)
            _detector = builder.with_preloaded_language_models().build()
        return _detector


def preload() -> None:
    """Load the models now (about a second), e.g. at start-up rather than on the first call."""
    _lingua()


def detect_language(text: str, default: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in.

    Args:
        text: A transcript (any case, with or without punctuation).
        default: Answered when the text is too short to judge or lingua cannot decide.

    Returns:
        One of :data:`SUPPORTED_LANGUAGES`, or ``default``.
    """
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return default
    language = _lingua().detect_language_of(" ".join(words))
    if language is None:
        return default
    return str(language.iso_code_639_1.name.lower())
