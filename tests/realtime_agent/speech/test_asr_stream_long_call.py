"""A whole call through ``AsrStreamSTT`` and the real ASR proxy: no word lost to a stream limit.

A stream used to carry the whole call, and the proxy closed it at 60 s of audio, so a question
asked across that mark was lost. The call here is three minutes of espeak questions with
silence between them, some spoken across the 60 s and 120 s marks. It is fed faster than real
time: the proxy's limits count audio, not wall time (its idle close aside, which a paced feed
never reaches).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from caller_audio import as_frames, silence, speak
from livekit import rtc
from livekit.agents import APIConnectOptions, APIStatusError, stt

from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.speech.asr_stream_stt import AsrStreamSTT

RATE = 16000
CALL_S = 180.0
QUESTIONS = (
    (5.0, "is breakfast included"),
    (59.3, "what time is check in"),  # across the 60 s mark
    (75.0, "do you have parking"),
    (119.3, "are pets allowed"),  # across the 120 s mark
    (140.0, "what is your cancellation policy"),
    (172.0, "how do i get there"),
)
AHEAD_S = 2.0
"""How far the feed may run ahead of the audio the proxy has received: a live call is ahead
by a frame or two; an unpaced one would be ahead by whatever the socket buffers hold, and
audio further ahead than the plugin's ``max_carry_s`` would not be carried. Audio carried
into a new stream counts as received, so right after one the feed may run ahead by that
much more: every stream here carries far less than ``max_carry_s`` minus this."""
NO_RETRY = APIConnectOptions(max_retry=0, timeout=5.0)
Kind = stt.SpeechEventType


@dataclass(frozen=True)
class Heard:
    text: str
    start_s: float


@pytest.fixture(scope="module")
def call() -> list[rtc.AudioFrame]:
    """Three minutes at the plugin's rate, questions at their offsets and silence between."""
    samples = np.zeros(round(CALL_S * RATE), dtype=np.int16)
    for at_s, text in QUESTIONS:
        spoken = speak(text).resample(RATE).to_array()
        start = round(at_s * RATE)
        samples[start : start + spoken.size] = spoken
    return as_frames(Pcm(samples.tobytes(), RATE), frame_ms=20)


@pytest.fixture
def proxy_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """``HOTELVOICE_*`` set here reach the proxy, which reads its settings per stream."""
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _set(patch: pytest.MonkeyPatch, **values: object) -> None:
    for name, value in values.items():
        patch.setenv(f"HOTELVOICE_{name.upper()}", str(value))
    get_settings.cache_clear()


def _proxy_counter(name: str, **labels: str) -> float:
    from gpu_asr.app import app  # the app the asr_url fixture serves

    return app.state.metrics.registry.get_sample_value(name, labels) or 0.0


def _received_s() -> float:
    return _proxy_counter("asr_audio_seconds_total", mode="stream")


async def _hear(
    plugin: AsrStreamSTT,
    frames: list[rtc.AudioFrame],
    *,
    pause_after_s: float | None = None,
    pause_until: Callable[[], bool] | None = None,
) -> list[Heard]:
    """Feed ``frames`` paced by what the proxy received; the finals with text.

    ``pause_after_s``: stop feeding there (a muted caller) until ``pause_until`` holds,
    then feed on.
    """
    stream = plugin.stream(conn_options=NO_RETRY)
    heard: list[Heard] = []

    async def feed() -> None:
        received_before = _received_s()
        pushed_s = 0.0
        for frame in frames:
            if pause_after_s is not None and pushed_s == pause_after_s:
                # Until the proxy has closed the stream, not for a fixed time: its loop
                # shares this process, and on two busy cores a fixed pause was once too
                # short for it (its timeout and the next audio fell due together).
                async with asyncio.timeout(60):
                    while pause_until is not None and not pause_until():  # noqa: ASYNC110
                        await asyncio.sleep(0.05)
            # Carried audio counts as received too: the feed only ever waits less for it.
            # A counter the proxy's thread increments: there is no event to wait on.
            while pushed_s - (_received_s() - received_before) > AHEAD_S:  # noqa: ASYNC110
                await asyncio.sleep(0.005)
            stream.push_frame(frame)
            pushed_s = round(pushed_s + frame.duration, 3)
            await asyncio.sleep(0)
        stream.end_input()

    feeding = asyncio.create_task(feed())
    try:
        async with asyncio.timeout(120):
            async for event in stream:
                if event.type is Kind.FINAL_TRANSCRIPT and event.alternatives[0].text:
                    best = event.alternatives[0]
                    heard.append(Heard(best.text, best.start_time))
        await feeding
    finally:
        feeding.cancel()
        await stream.aclose()
    return heard


def _assert_every_question_heard(heard: list[Heard]) -> None:
    assert [h.text for h in heard] == [text for _, text in QUESTIONS]
    # times are in the call, not in whichever stream heard the question
    for h, (at_s, _) in zip(heard, QUESTIONS, strict=True):
        assert h.start_s == pytest.approx(at_s, abs=0.3), h


async def test_a_three_minute_call_is_heard_whole_over_streams_of_a_few_utterances(asr_url, call):
    plugin = AsrStreamSTT(base_url=asr_url, credentials=LocalServiceToken())
    errors: list[stt.STTError] = []
    plugin.on("error", errors.append)
    streams_before = _proxy_counter("asr_streams_total")

    heard = await _hear(plugin, call)

    _assert_every_question_heard(heard)
    assert errors == []
    # a fresh stream at an utterance boundary after 30 s heard: never one stream per call
    assert _proxy_counter("asr_streams_total") - streams_before >= 3


async def test_streams_the_proxy_closes_at_its_limit_go_on_with_the_unheard_audio(
    asr_url, call, proxy_settings
):
    # The first stream ends at 59.5 s, inside the second question; the third one, which starts
    # where that question ended, inside the question across 120 s.
    _set(proxy_settings, asr_max_stream_s=59.5)
    plugin = AsrStreamSTT(
        base_url=asr_url,
        credentials=LocalServiceToken(),
        rollover_after_s=10_000,  # never at a boundary: only the proxy's limit ends a stream
    )
    errors: list[stt.STTError] = []
    plugin.on("error", errors.append)
    too_long_before = _proxy_counter("asr_errors_total", mode="stream", code="audio_too_long")

    heard = await _hear(plugin, call)

    _assert_every_question_heard(heard)
    assert errors == []
    closes = _proxy_counter("asr_errors_total", mode="stream", code="audio_too_long")
    assert closes - too_long_before >= 2


async def test_a_stream_closed_for_silence_reopens_when_the_caller_speaks_again(
    asr_url, proxy_settings
):
    _set(proxy_settings, asr_stream_idle_s=0.5)
    first, second = "is breakfast included", "do you have parking"
    frames = [
        *as_frames(speak(first).resample(RATE), frame_ms=20),
        *as_frames(silence(1.0, RATE), frame_ms=20),
    ]
    pause_s = round(sum(f.duration for f in frames), 3)
    frames += as_frames(speak(second).resample(RATE), frame_ms=20)
    frames += as_frames(silence(1.0, RATE), frame_ms=20)
    plugin = AsrStreamSTT(base_url=asr_url, credentials=LocalServiceToken())
    errors: list[stt.STTError] = []
    plugin.on("error", errors.append)
    idle_before = _proxy_counter("asr_errors_total", mode="stream", code="idle_timeout")

    def closed_for_silence() -> bool:
        idle_now = _proxy_counter("asr_errors_total", mode="stream", code="idle_timeout")
        return idle_now > idle_before

    heard = await _hear(plugin, frames, pause_after_s=pause_s, pause_until=closed_for_silence)

    assert [h.text for h in heard] == [first, second]
    assert heard[1].start_s == pytest.approx(pause_s, abs=0.3)  # the pause took no audio time
    assert errors == []
    assert _proxy_counter("asr_errors_total", mode="stream", code="idle_timeout") > idle_before


async def test_a_proxy_limit_below_the_audio_to_carry_fails_instead_of_looping(
    asr_url, proxy_settings
):
    _set(proxy_settings, asr_max_stream_s=1)
    plugin = AsrStreamSTT(base_url=asr_url, credentials=LocalServiceToken())
    errors: list[stt.STTError] = []
    plugin.on("error", errors.append)

    with pytest.raises(APIStatusError) as refused:
        await _hear(plugin, as_frames(silence(3.0, RATE), frame_ms=20))

    assert refused.value.status_code == 400  # close 4400 audio_too_long, as before
    assert [e.recoverable for e in errors] == [False]
