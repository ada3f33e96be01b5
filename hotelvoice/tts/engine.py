"""What every text-to-speech engine offers the router, and the formats telephony needs.

Engines speak one utterance into 16-bit little-endian mono PCM at the rate the call's
format names: phone audio is 8 kHz (PSTN, G.711) or 16 kHz (wideband SIP, WebRTC), so every
engine is asked for exactly that and nothing is resampled on the hot path. Audio arrives in
chunks (``stream``) so a miss starts playing before the vendor finishes; the cache stores
the joined chunks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class AudioFormat(StrEnum):
    """Raw PCM, 16-bit little-endian, mono, at the rate in the name."""

    PCM_8000 = "pcm_8000"
    PCM_16000 = "pcm_16000"

    @property
    def sample_rate(self) -> int:
        """Samples per second."""
        return int(self.value.removeprefix("pcm_"))


@dataclass(frozen=True)
class Voice:
    """One voice of one engine, for one locale.

    Attributes:
        engine: The engine's ``name`` (``elevenlabs``, ``azure``, ``espeak``).
        voice_id: The vendor's id (ElevenLabs voice id, Azure ``de-DE-KatjaNeural``, espeak
            voice name).
        locale: BCP 47, e.g. ``de-DE``.
    """

    engine: str
    voice_id: str
    locale: str


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine reports it can speak (``GET /v1/voices``)."""

    engine: str
    voice_id: str
    locale: str
    name: str
    gender: str | None = None


class EngineError(Exception):
    """The engine could not speak this utterance; the router tries the next engine.

    Attributes:
        retryable: False when the same request would fail again (bad voice, bad key): the
            breaker counts both, but only retryable errors are worth a later retry.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class TtsEngine(Protocol):
    """A speech synthesiser behind the router."""

    name: str

    def stream(self, text: str, voice: Voice, fmt: AudioFormat) -> AsyncIterator[bytes]:
        """Speak ``text`` as PCM chunks (even byte counts) in ``fmt``.

        Raises:
            EngineError: On any failure, before or during the audio; vendor exceptions never
                escape an engine.
        """
        ...

    async def voices(self) -> list[VoiceInfo]:
        """The voices this engine offers now."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
