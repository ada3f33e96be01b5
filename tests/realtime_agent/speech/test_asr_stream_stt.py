"""``AsrStreamSTT`` against the real ASR proxy's WebSocket: words while the caller speaks."""

from __future__ import annotations

import asyncio

import pytest
from caller_audio import as_frames, silence, speak
from livekit.agents import APIConnectionError, APIConnectOptions, APIStatusError, stt

from hotelvoice.settings import get_settings
from hotelvoice.speech.wer import word_error_rate
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.speech.asr_stream_stt import AsrStreamSTT

ROOM_REQUEST = "i would like a room for two nights"
NO_RETRY = APIConnectOptions(max_retry=0, timeout=2.0)
Kind = stt.SpeechEventType


async def _events(plugin: stt.STT, frames, *, conn_options=NO_RETRY) -> list[stt.SpeechEvent]:
    stream = plugin.stream(conn_options=conn_options)
    try:
        for frame in frames:
            stream.push_frame(frame)
            await asyncio.sleep(0)  # interleave as a live track would, without real-time waits
        stream.end_input()
        return [event async for event in stream]
    finally:
        await stream.aclose()


async def _refusal(plugin: stt.STT, conn_options: APIConnectOptions) -> None:
    """Open a stream and wait for what the proxy says before any audio."""
    stream = plugin.stream(conn_options=conn_options)
    try:
        async for _ in stream:
            pass
    finally:
        await stream.aclose()


async def test_partials_while_speaking_then_the_final_at_the_pause(asr_url):
    audio = speak(ROOM_REQUEST).resample(16000)
    frames = as_frames(audio, frame_ms=20) + as_frames(silence(1.0, 16000), frame_ms=20)
    plugin = AsrStreamSTT(base_url=asr_url, credentials=LocalServiceToken())

    events = await _events(plugin, frames)

    kinds = [e.type for e in events]
    assert kinds[0] is Kind.START_OF_SPEECH
    assert Kind.INTERIM_TRANSCRIPT in kinds
    assert kinds.index(Kind.INTERIM_TRANSCRIPT) < kinds.index(Kind.FINAL_TRANSCRIPT)
    finals = [
        e.alternatives[0]
        for e in events
        if e.type is Kind.FINAL_TRANSCRIPT and e.alternatives[0].text
    ]
    assert len(finals) == 1, [
        (e.type, e.alternatives[0].text if e.alternatives else None) for e in events
    ]
    assert word_error_rate(ROOM_REQUEST, finals[0].text) <= 0.2  # espeak varies run to run
    assert finals[0].language == "en"
    assert [str(w) for w in finals[0].words] == finals[0].text.split()
    assert kinds[kinds.index(Kind.FINAL_TRANSCRIPT) + 1] is Kind.END_OF_SPEECH


async def test_a_refused_token_fails_at_once_and_is_not_retried(asr_url):
    plugin = AsrStreamSTT(base_url=asr_url, credentials="not-a-token")
    errors: list[stt.STTError] = []
    plugin.on("error", errors.append)

    with pytest.raises(APIStatusError) as refused:
        await _refusal(plugin, APIConnectOptions(max_retry=2))

    assert refused.value.status_code == 401  # close 4401, as the proxy's HTTP API would say
    assert [e.recoverable for e in errors] == [False]


async def test_an_overloaded_proxy_is_retryable(asr_url, monkeypatch):
    monkeypatch.setenv("HOTELVOICE_ASR_MAX_STREAMS", "0")
    get_settings.cache_clear()
    plugin = AsrStreamSTT(base_url=asr_url, credentials=LocalServiceToken())
    errors: list[stt.STTError] = []
    plugin.on("error", errors.append)

    with pytest.raises(APIConnectionError):
        await _refusal(plugin, APIConnectOptions(max_retry=1, retry_interval=0.05, timeout=2.0))

    assert [e.recoverable for e in errors] == [True, False]  # retried once, then gave up
    get_settings.cache_clear()


async def test_nobody_listening_is_a_connection_error():
    plugin = AsrStreamSTT(base_url="http://127.0.0.1:9", credentials=LocalServiceToken())
    with pytest.raises(APIConnectionError):
        await _refusal(plugin, NO_RETRY)


async def test_a_language_switch_moves_the_open_stream_to_the_callers_language(asr_url):
    """The caller turned out to speak German: their next words go out with the German hint."""
    utterance = as_frames(speak(ROOM_REQUEST).resample(16000), frame_ms=20) + as_frames(
        silence(1.0, 16000), frame_ms=20
    )
    plugin = AsrStreamSTT(base_url=asr_url, credentials=LocalServiceToken(), language="en")
    stream = plugin.stream(conn_options=NO_RETRY)
    finals: list[stt.SpeechData] = []
    try:
        for frame in utterance:
            stream.push_frame(frame)
            await asyncio.sleep(0)
        async for event in stream:
            if event.type is Kind.FINAL_TRANSCRIPT and event.alternatives[0].text:
                finals.append(event.alternatives[0])
                break
        plugin.update_options(language="de")
        for frame in utterance:
            stream.push_frame(frame)
            await asyncio.sleep(0)
        stream.end_input()
        finals += [
            event.alternatives[0]
            async for event in stream
            if event.type is Kind.FINAL_TRANSCRIPT and event.alternatives[0].text
        ]
    finally:
        await stream.aclose()

    assert [final.language for final in finals] == ["en", "de"]  # the proxy echoes the hint
    assert word_error_rate(ROOM_REQUEST, finals[1].text) <= 0.2  # nothing lost in the move
