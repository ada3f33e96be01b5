"""``AsrProxySTT`` against the real ASR proxy: transcripts, audio formats, LiveKit's errors."""

from __future__ import annotations

import numpy as np
import pytest
from caller_audio import as_frames, speak
from livekit.agents import (
    APIConnectionError,
    APIConnectOptions,
    APIStatusError,
    APITimeoutError,
    stt,
)

import gpu_asr.routes
from realtime_agent.service_auth import ClientCredentials, LocalServiceToken
from realtime_agent.speech.asr_proxy_stt import AsrProxySTT, utterance_pcm

ROOM_REQUEST = "i would like a room for two nights"
NO_RETRY = APIConnectOptions(max_retry=0, timeout=2.0)


@pytest.fixture
async def recognizer(asr_url):
    proxy_stt = AsrProxySTT(base_url=asr_url, credentials=LocalServiceToken())
    yield proxy_stt
    await proxy_stt.aclose()


def errors_of(plugin: stt.STT) -> list[stt.STTError]:
    seen: list[stt.STTError] = []
    plugin.on("error", seen.append)
    return seen


async def test_an_utterance_comes_back_as_a_final_transcript(recognizer):
    event = await recognizer.recognize(as_frames(speak(ROOM_REQUEST)))

    assert event.type is stt.SpeechEventType.FINAL_TRANSCRIPT
    assert event.request_id.startswith("asr_")
    [heard] = event.alternatives
    assert heard.text == ROOM_REQUEST
    assert heard.language == "en"
    assert [str(w) for w in heard.words] == ROOM_REQUEST.split()
    assert 0.0 <= heard.words[0].start_time < heard.words[-1].end_time


async def test_after_a_language_switch_each_utterance_is_hinted_in_the_new_language(recognizer):
    recognizer.update_options(language="de")

    event = await recognizer.recognize(as_frames(speak(ROOM_REQUEST)))

    assert event.alternatives[0].language == "de"  # the proxy answers with the hint it got


async def test_room_audio_at_48khz_stereo_is_heard_too(recognizer):
    phrase = "do you have a room from december twelfth to december fifteenth for two adults"
    frames = as_frames(speak(phrase).resample(48000), frame_ms=10, num_channels=2)

    event = await recognizer.recognize(frames, language="en-US")

    assert event.alternatives[0].text == phrase
    assert event.alternatives[0].language == "en-US"


def test_room_audio_is_sent_as_16khz_mono_and_telephone_rates_are_kept():
    phrase = speak("yes")
    stereo_48k = utterance_pcm(as_frames(phrase.resample(48000), num_channels=2))
    assert stereo_48k.sample_rate == 16000
    assert stereo_48k.duration_s == pytest.approx(phrase.duration_s, abs=0.01)
    mono = phrase.resample(48000).resample(16000).to_array().astype(float)
    assert np.corrcoef(mono, stereo_48k.to_array()[: mono.size])[0, 1] > 0.99

    assert utterance_pcm(as_frames(phrase.resample(8000))).sample_rate == 8000
    assert utterance_pcm([]).num_samples == 0


async def test_silence_in_gives_empty_text_and_no_request(closed_port_url):
    # Nothing listens at the URL: a request would raise APIConnectionError.
    deaf = AsrProxySTT(base_url=closed_port_url, credentials="unused", language="de")
    event = await deaf.recognize([], conn_options=NO_RETRY)
    assert event.alternatives[0].text == ""
    assert event.alternatives[0].language == "de"


async def test_a_wrong_token_is_a_401_that_is_not_retried(asr_url):
    intruder = AsrProxySTT(base_url=asr_url, credentials="not-a-token")
    errors = errors_of(intruder)

    with pytest.raises(APIStatusError) as raised:
        await intruder.recognize(as_frames(speak("yes")))  # default options: 3 retries

    assert raised.value.status_code == 401
    assert raised.value.retryable is False
    assert raised.value.body["error"]["code"] == "unauthorized"
    assert raised.value.request_id.startswith("asr_")  # ours, echoed by the proxy
    assert [e.recoverable for e in errors] == [False]
    await intruder.aclose()


async def test_a_proxy_failure_is_a_retryable_5xx(recognizer, monkeypatch):
    def broken_backend():
        raise RuntimeError("Riva is down")

    monkeypatch.setattr(gpu_asr.routes, "backend", broken_backend)
    with pytest.raises(APIStatusError) as raised:
        await recognizer.recognize(as_frames(speak("yes")), conn_options=NO_RETRY)
    assert raised.value.status_code == 500
    assert raised.value.retryable is True
    assert raised.value.body["error"]["code"] == "internal_error"


async def test_a_server_that_is_down_is_a_connection_error_after_the_retries(closed_port_url):
    down = AsrProxySTT(base_url=closed_port_url, credentials="token")
    errors = errors_of(down)
    retry_once = APIConnectOptions(max_retry=1, retry_interval=0.0, timeout=1.0)

    with pytest.raises(APIConnectionError) as raised:
        await down.recognize(as_frames(speak("yes")), conn_options=retry_once)

    assert not isinstance(raised.value, APITimeoutError)
    assert "after 2 attempts" in str(raised.value)
    assert isinstance(raised.value.__cause__, APIConnectionError)
    assert [e.recoverable for e in errors] == [True, False]


async def test_an_identity_provider_outage_is_a_connection_error(asr_url, closed_port_url):
    no_token = ClientCredentials(f"{closed_port_url}/oauth2/token", "agent", "secret")
    plugin = AsrProxySTT(base_url=asr_url, credentials=no_token)
    with pytest.raises(APIConnectionError, match="no service token"):
        await plugin.recognize(as_frames(speak("yes")), conn_options=NO_RETRY)
    await plugin.aclose()


async def test_a_server_that_never_answers_is_a_timeout(silent_server_url):
    slow = AsrProxySTT(base_url=silent_server_url, credentials="token", request_timeout_s=0.3)
    with pytest.raises(APITimeoutError):
        await slow.recognize(as_frames(speak("yes")), conn_options=NO_RETRY)
    await slow.aclose()


async def test_the_language_hint_reaches_the_proxy(asr_url):
    german = AsrProxySTT(base_url=asr_url, credentials=LocalServiceToken(), language="german")
    event = await german.recognize(as_frames(speak("yes")))
    assert event.alternatives[0].language == "de"  # echoed: the local backend is en-US only
    await german.aclose()


def test_non_streaming_capabilities():
    plugin = AsrProxySTT(base_url="http://127.0.0.1:9", credentials="token")
    assert plugin.capabilities.streaming is False
    assert plugin.capabilities.interim_results is False
    with pytest.raises(NotImplementedError):
        plugin.stream()
