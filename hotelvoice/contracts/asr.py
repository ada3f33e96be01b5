"""The ASR proxy's answer: what ``gpu_asr`` returns and the agent's STT plugin reads."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WordTiming(BaseModel):
    """One recognised word and where it sits in the audio."""

    word: str
    start_s: float
    end_s: float


class TranscribeResult(BaseModel):
    """What the proxy heard."""

    text: str
    confidence: float | None = None
    words: list[WordTiming] = Field(default_factory=list)
    language: str
    backend: str = ""
    audio_s: float = 0.0
