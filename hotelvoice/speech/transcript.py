"""Engine-neutral speech recognition results.

Kept apart from any engine so that the local pocketsphinx recogniser and the
GPU (Riva) speech plane hand the dialogue the same immutable value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word with its position in the input audio.

    Attributes:
        word: The word, lowercase, without pronunciation-variant markers.
        start_s: Start time in seconds from the beginning of the input.
        end_s: End time in seconds from the beginning of the input.
    """

    word: str
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class Transcript:
    """Result of recognising one utterance.

    Attributes:
        text: Lowercase words separated by single spaces; empty if nothing
            was recognised or decoding failed.
        confidence: Engine confidence in 0-1, or ``None`` when the engine has
            none. :class:`HotelSpeechRecognizer` always reports ``None``: the
            pocketsphinx posterior needs a lattice pass that made decoding
            several times slower, and it was poorly calibrated anyway.
        words: Word timings; empty when they are unavailable.
    """

    text: str
    confidence: float | None
    words: tuple[Word, ...]


EMPTY_TRANSCRIPT: Final = Transcript(text="", confidence=None, words=())
"""Returned for silence and failed decodes, so callers never handle ``None``."""
