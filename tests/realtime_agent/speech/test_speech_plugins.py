"""The factories, and a caller's audio through VAD, the ASR proxy and back out of the TTS."""

from __future__ import annotations

import pytest
from caller_audio import as_frames, silence, speak
from livekit import rtc
from livekit.agents import stt

from hotelvoice.settings import Settings
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.speech.asr_proxy_stt import AsrProxySTT
from realtime_agent.speech.asr_stream_stt import AsrStreamSTT
from realtime_agent.speech.plugins import streaming, stt_for, tts_for, vad
from realtime_agent.speech.routed_tts import RoutedTTS


def settings(**values) -> Settings:
    return Settings(local_mode=True, **values)


def test_factories_pick_the_proxy_and_the_tts_router():
    ears = stt_for(settings(), "de", asr_url="http://asr:8080/", credentials="token")
    assert isinstance(ears, AsrStreamSTT)
    assert ears.capabilities.streaming is True
    assert ears.stream_url(ears._language).startswith("ws://asr:8080/v1/transcribe/stream?")
    per_utterance = stt_for(settings(agent_stt="proxy"), "de", asr_url="http://asr:8080/")
    assert isinstance(per_utterance, AsrProxySTT)
    assert per_utterance.capabilities.streaming is False
    voice = tts_for(settings(), "es")
    assert isinstance(voice, RoutedTTS)
    assert (voice.model, voice.locale) == ("espeak", "es-ES")  # no vendor keys: espeak only
    assert tts_for(settings(), "de")._router is voice._router  # one router (and LRU) per worker


def test_an_unknown_agent_stt_fails_at_start():
    with pytest.raises(ValueError, match="available: proxy-stream, proxy, riva"):
        stt_for(settings(agent_stt="whisper"), "en", asr_url="http://asr:8080")


def test_riva_direct_is_livekits_nvidia_plugin_on_plaintext_grpc():
    from livekit.plugins import nvidia

    ears = stt_for(settings(agent_stt="riva", riva_uri="riva.internal:50051"), "de")
    assert isinstance(ears, nvidia.STT)
    assert (ears._opts.server, ears._opts.use_ssl) == ("riva.internal:50051", False)
    assert ears._opts.language_code == "de-DE"


def test_the_vad_is_loaded_once_per_process():
    assert vad() is vad()
    adapter = streaming(AsrProxySTT(base_url="http://asr:8080", credentials="token"))
    assert isinstance(adapter, stt.StreamAdapter)
    assert streaming(adapter) is adapter


async def test_a_caller_utterance_through_vad_and_proxy_is_one_final_transcript(asr_url):
    per_utterance = settings(agent_stt="proxy")
    ears = streaming(stt_for(per_utterance, "en", asr_url=asr_url, credentials=LocalServiceToken()))
    assert ears.capabilities.streaming
    call_audio = [silence(0.5, 16000), speak("is breakfast included").resample(16000)]
    call_audio.append(silence(1.0, 16000))

    events = []
    async with ears.stream() as stream:
        for pcm in call_audio:
            for frame in as_frames(pcm, frame_ms=10):
                stream.push_frame(frame)
        stream.end_input()
        events = [event async for event in stream]

    assert [e.type for e in events] == [
        stt.SpeechEventType.START_OF_SPEECH,
        stt.SpeechEventType.END_OF_SPEECH,
        stt.SpeechEventType.FINAL_TRANSCRIPT,
    ]
    assert events[-1].alternatives[0].text == "is breakfast included"


async def test_what_the_agent_says_the_proxy_hears(asr_url):
    # The agent's own voice played back into its ears: TTS frames are valid STT input.
    # Defaults as the worker uses them: the URL from settings, the agent's own service token.
    voice = tts_for(settings(), "en")
    ears = stt_for(settings(asr_url=asr_url), "en")
    frames: list[rtc.AudioFrame] = []
    async with voice.synthesize("what is the address") as stream:
        frames = [event.frame async for event in stream]

    event = await ears.recognize(frames)

    assert event.alternatives[0].text == "what is the address"
    await ears.aclose()
