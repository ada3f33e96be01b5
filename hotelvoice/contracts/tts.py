"""The TTS API's wire contract (``POST /v1/tts``, ``GET /v1/voices``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hotelvoice.contracts.hotels import HOTEL_ID_PATTERN, LOCALE_PATTERN
from hotelvoice.contracts.wire_types import JsonBool

MAX_TTS_TEXT_CHARS = 600
"""About 40 s of speech: one agent turn, and well inside Lambda's 6 MB response."""


class TtsRequest(BaseModel):
    """One utterance to speak."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TTS_TEXT_CHARS)
    locale: str = Field(pattern=LOCALE_PATTERN, examples=["de-DE", "en"])
    """``de`` or ``de-DE``: picks the voice (the hotel's, or the default for the locale)."""
    hotel_id: str | None = Field(default=None, pattern=HOTEL_ID_PATTERN)
    """Whose voice map to use; the caller must be allowed to see this hotel."""
    format: Literal["pcm_8000", "pcm_16000"] = "pcm_16000"
    """16-bit mono PCM at 8 kHz (PSTN) or 16 kHz (wideband)."""
    delivery: Literal["audio", "url"] = "audio"
    """``audio``: the WAV in the response body; ``url``: a short-lived presigned S3 link to
    the cached audio (only for text that may be cached)."""
    personal: JsonBool = False
    """The caller knows the text holds personal data: never cached, whatever the detector
    says (it cannot know every name)."""


class VoicesQuery(BaseModel):
    """``GET /v1/voices`` filters; unknown parameters are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    locale: str | None = Field(default=None, pattern=LOCALE_PATTERN)
    """``de`` lists every German voice, ``de-DE`` only German German ones."""


class TtsUrl(BaseModel):
    """``delivery: url``: where to fetch the audio, for a short while."""

    url: str
    expires_in_s: int
    format: str
    sample_rate: int
    engine: str
    voice: str
    cache: Literal["hit", "miss"]
    bytes: int


class VoiceEntry(BaseModel):
    """One voice an engine of the chain offers."""

    engine: str
    voice_id: str
    locale: str
    name: str
    gender: str | None = None


class VoicesResponse(BaseModel):
    """Voices of every configured engine; engines that did not answer are named."""

    voices: list[VoiceEntry]
    engines: list[str]
    """The fallback chain, first choice first."""
    unavailable: list[str] = Field(default_factory=list)
