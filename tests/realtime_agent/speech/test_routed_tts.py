"""``RoutedTTS``: the router through LiveKit's ChunkedStream, in every language we answer in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pytest
from livekit import rtc
from livekit.agents import APIConnectOptions, APIError, tts

from hotelvoice.tts.cache import LruTier, TieredCache
from hotelvoice.tts.engine import AudioFormat, EngineError, Voice, VoiceInfo
from hotelvoice.tts.espeak_engine import EspeakEngine
from hotelvoice.tts.router import TtsRouter
from realtime_agent.speech.routed_tts import RoutedTTS

GREETINGS = {
    "en": "Good evening, thank you for calling. How can I help you?",
    "de": "Guten Abend, vielen Dank für Ihren Anruf. Wie kann ich Ihnen helfen?",
    "fr": "Bonsoir, merci de votre appel. Comment puis-je vous aider ?",
    "es": "Buenas noches, gracias por llamar. ¿En qué puedo ayudarle?",
    "it": "Buonasera, grazie per la chiamata. Come posso aiutarla?",
}


def espeak_router(fmt: AudioFormat = AudioFormat.PCM_16000) -> TtsRouter:
    return TtsRouter([EspeakEngine()], TieredCache([LruTier(1 << 24, ttl_s=60)]), fmt=fmt)


async def spoken(plugin: tts.TTS, text: str) -> list[tts.SynthesizedAudio]:
    async with plugin.synthesize(text) as stream:
        return [event async for event in stream]


def rms(frame: rtc.AudioFrame) -> float:
    return float(np.sqrt(np.mean(np.frombuffer(frame.data, np.int16).astype(float) ** 2)))


@pytest.mark.parametrize("language", list(GREETINGS))
async def test_each_language_is_spoken_as_mono_frames_of_sane_length(language):
    plugin = RoutedTTS(espeak_router(), language=language)
    events = await spoken(plugin, GREETINGS[language])

    frames = [e.frame for e in events]
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(16000, 1)}
    assert [e.is_final for e in events] == [False] * (len(events) - 1) + [True]
    assert len({e.request_id for e in events}) == 1
    duration = sum(f.duration for f in frames)
    assert 2.0 < duration < 8.0, duration  # ~12 words at 150 wpm
    assert rms(rtc.combine_audio_frames(frames)) > 500  # speech, not silence


async def test_narrowband_calls_get_8_khz_frames():
    plugin = RoutedTTS(espeak_router(AudioFormat.PCM_8000))
    frame = await plugin.synthesize(GREETINGS["en"]).collect()
    assert (plugin.sample_rate, frame.sample_rate) == (8000, 8000)
    assert 2.0 < frame.duration < 8.0


async def test_the_second_time_a_sentence_is_said_it_comes_from_the_cache():
    router = espeak_router()
    plugin = RoutedTTS(router, language="de")
    first = await plugin.synthesize(GREETINGS["de"]).collect()
    second = await plugin.synthesize(GREETINGS["de"]).collect()
    assert bytes(second.data) == bytes(first.data)
    assert router.cache is not None
    assert router.cache.stats.as_dict()["hits"] == 1


async def test_a_sentence_naming_the_guest_is_never_cached():
    router = espeak_router()
    guest: list[str] = []
    plugin = RoutedTTS(router, known_names=lambda: guest)
    await plugin.synthesize("Thank you, Walker. Your stay is confirmed.").collect()
    guest.append("Walker")  # the reservation was found: the name is known from now on
    await plugin.synthesize("Thank you, Walker. Your room is ready.").collect()
    assert router.cache is not None
    lru = router.cache.tiers[0]
    assert isinstance(lru, LruTier)
    assert len(lru) == 1  # only the sentence said before the name was known


async def test_update_options_switches_language_for_the_next_sentence():
    plugin = RoutedTTS(espeak_router(), language="en")
    english = await plugin.synthesize("Hotel").collect()
    plugin.update_options(language="it")
    italian = await plugin.synthesize("Hotel").collect()
    assert plugin.locale == "it-IT"
    assert bytes(english.data) != bytes(italian.data)


async def test_blank_text_is_no_audio_and_no_error():
    assert await spoken(RoutedTTS(espeak_router()), "  ") == []


class _Broken:
    name = "broken"

    async def stream(self, text: str, voice: Voice, fmt: AudioFormat) -> AsyncIterator[bytes]:
        raise EngineError("vendor down")
        yield b""  # pragma: no cover - makes this an async generator

    async def voices(self) -> list[VoiceInfo]:
        return []

    async def aclose(self) -> None:
        return None


async def test_when_no_engine_can_speak_it_is_an_api_error_that_is_not_retried():
    plugin = RoutedTTS(TtsRouter([_Broken()]), hotel_voices={"en": {"broken": "any"}})
    errors: list[tts.TTSError] = []
    plugin.on("error", errors.append)
    with pytest.raises(APIError, match="no TTS engine could speak"):
        await spoken(plugin, "hello")
    assert [e.recoverable for e in errors] == [False]


async def test_max_retry_options_are_accepted():
    options = APIConnectOptions(max_retry=0)
    frame = await RoutedTTS(espeak_router()).synthesize("yes", conn_options=options).collect()
    assert frame.duration > 0.1
