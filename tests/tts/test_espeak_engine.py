"""EspeakEngine: the TtsEngine protocol over libespeak-ng, at the call's sample rate."""

from __future__ import annotations

import numpy as np
import pytest

from hotelvoice.tts.engine import AudioFormat, EngineError, TtsEngine, Voice
from hotelvoice.tts.espeak_engine import EspeakEngine

TEXT = "Thank you for calling."


async def _speak(engine: TtsEngine, voice: Voice, fmt: AudioFormat) -> list[bytes]:
    return [chunk async for chunk in engine.stream(TEXT, voice, fmt)]


async def test_one_chunk_at_the_formats_rate() -> None:
    engine = EspeakEngine()
    voice = Voice("espeak", "en-us", "en-GB")
    narrow = await _speak(engine, voice, AudioFormat.PCM_8000)
    wide = await _speak(engine, voice, AudioFormat.PCM_16000)
    assert len(narrow) == len(wide) == 1
    # Same speech, twice the samples per second: the duration is the same.
    assert len(wide[0]) == pytest.approx(2 * len(narrow[0]), rel=0.01)
    seconds = len(wide[0]) / 2 / 16000
    assert 0.5 < seconds < 4.0
    samples = np.frombuffer(wide[0], dtype="<i2").astype(np.float64)
    assert np.sqrt(np.mean(samples**2)) > 300  # speech, not silence


async def test_blank_text_gives_no_chunk() -> None:
    engine = EspeakEngine()
    voice = Voice("espeak", "de", "de-DE")
    assert [c async for c in engine.stream("   ", voice, AudioFormat.PCM_16000)] == []


async def test_an_unknown_voice_is_an_engine_error() -> None:
    engine = EspeakEngine()
    with pytest.raises(EngineError) as failure:
        await _speak(engine, Voice("espeak", "no-such-voice", "xx-XX"), AudioFormat.PCM_16000)
    assert failure.value.retryable is False


async def test_voices_cover_the_five_languages() -> None:
    engine = EspeakEngine(name="local")
    voices = await engine.voices()
    assert {v.locale for v in voices} == {"en-GB", "de-DE", "fr-FR", "es-ES", "it-IT"}
    assert {v.engine for v in voices} == {"local"}
    await engine.aclose()
