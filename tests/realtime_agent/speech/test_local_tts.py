"""``LocalTTS``: espeak-ng through LiveKit's ChunkedStream, in every language we answer in."""

from __future__ import annotations

import numpy as np
import pytest
from livekit import rtc
from livekit.agents import APIConnectOptions, APIError, tts

from hotelvoice.speech.espeak_tts import EspeakError, EspeakSynthesizer
from realtime_agent.speech.local_tts import LocalTTS, voice_for

GREETINGS = {
    "en": "Good evening, thank you for calling. How can I help you?",
    "de": "Guten Abend, vielen Dank für Ihren Anruf. Wie kann ich Ihnen helfen?",
    "fr": "Bonsoir, merci de votre appel. Comment puis-je vous aider ?",
    "es": "Buenas noches, gracias por llamar. ¿En qué puedo ayudarle?",
    "it": "Buonasera, grazie per la chiamata. Come posso aiutarla?",
}


async def spoken(plugin: LocalTTS, text: str) -> list[tts.SynthesizedAudio]:
    async with plugin.synthesize(text) as stream:
        return [event async for event in stream]


def rms(frame: rtc.AudioFrame) -> float:
    return float(np.sqrt(np.mean(np.frombuffer(frame.data, np.int16).astype(float) ** 2)))


@pytest.mark.parametrize("language", list(GREETINGS))
async def test_each_language_is_spoken_as_mono_frames_of_sane_length(language):
    plugin = LocalTTS(language=language)
    events = await spoken(plugin, GREETINGS[language])

    frames = [e.frame for e in events]
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(22050, 1)}
    assert [e.is_final for e in events] == [False] * (len(events) - 1) + [True]
    assert len({e.request_id for e in events}) == 1
    duration = sum(f.duration for f in frames)
    assert 2.0 < duration < 8.0, duration  # ~12 words at 150 wpm
    assert rms(rtc.combine_audio_frames(frames)) > 500  # speech, not silence
    assert plugin.model == voice_for(language)


async def test_frames_carry_all_of_what_espeak_synthesised():
    # espeak-ng output varies by a few samples from run to run, so compare lengths.
    expected = EspeakSynthesizer().synthesize(GREETINGS["de"], voice="de", rate_wpm=150)
    frame = await LocalTTS(language="de").synthesize(GREETINGS["de"]).collect()
    assert frame.duration == pytest.approx(expected.duration_s, rel=0.02)


async def test_the_voice_follows_the_language():
    text = "Hotel"
    english = await LocalTTS(language="en").synthesize(text).collect()
    italian = await LocalTTS(language="it-IT").synthesize(text).collect()
    assert bytes(english.data) != bytes(italian.data)


async def test_declared_rate_is_the_rate_delivered():
    plugin = LocalTTS(sample_rate=16000)
    assert plugin.sample_rate == 16000
    native = await LocalTTS().synthesize(GREETINGS["en"]).collect()
    resampled = await plugin.synthesize(GREETINGS["en"]).collect()
    assert resampled.sample_rate == 16000
    assert resampled.duration == pytest.approx(native.duration, abs=0.01)


async def test_update_options_switches_language_for_the_next_sentence():
    plugin = LocalTTS(language="en")
    plugin.update_options(language="fr", rate_wpm=200)
    assert plugin.model == "fr"
    fast = await plugin.synthesize(GREETINGS["fr"]).collect()
    plugin.update_options(rate_wpm=120)
    slow = await plugin.synthesize(GREETINGS["fr"]).collect()
    assert slow.duration > fast.duration * 1.3


async def test_blank_text_is_no_audio_and_no_error():
    assert await spoken(LocalTTS(), "  ") == []


def test_languages_without_a_voice_are_refused():
    with pytest.raises(ValueError, match="supported: en, de, fr, es, it"):
        LocalTTS(language="nl")


async def test_an_engine_failure_is_an_api_error_that_is_not_retried(monkeypatch):
    def broken(*_args, **_kwargs):
        raise EspeakError("libespeak-ng missing")

    plugin = LocalTTS()
    monkeypatch.setattr(plugin._synthesizer, "synthesize", broken)
    errors: list[tts.TTSError] = []
    plugin.on("error", errors.append)
    with pytest.raises(APIError, match="libespeak-ng missing"):
        await spoken(plugin, "hello")
    assert [e.recoverable for e in errors] == [False]


async def test_max_retry_options_are_accepted():
    options = APIConnectOptions(max_retry=0)
    frame = await LocalTTS().synthesize("yes", conn_options=options).collect()
    assert frame.duration > 0.1
