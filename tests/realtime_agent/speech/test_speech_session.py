"""An ``AgentSession`` hears and speaks through these plugins, with no room: audio in, audio out.

No LLM: the check is the speech plane (VAD → proxy STT → transcript; ``say`` → TTS → audio),
not the dialogue, which ``tests/realtime_agent/test_receptionist.py`` covers.
"""

from __future__ import annotations

import asyncio

from caller_audio import as_frames, silence, speak
from livekit import rtc
from livekit.agents import Agent, AgentSession, UserInputTranscribedEvent, io

from hotelvoice.settings import Settings
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.speech.plugins import stt_for, tts_for, vad


class CallerLine(io.AudioInput):
    """The caller's side of the call: frames the test queues, as fast as it queues them."""

    def __init__(self) -> None:
        super().__init__(label="caller-line")
        self.frames: asyncio.Queue[rtc.AudioFrame] = asyncio.Queue()

    async def __anext__(self) -> rtc.AudioFrame:
        return await self.frames.get()


class Earpiece(io.AudioOutput):
    """What the caller hears; every segment counts as played out as soon as it is flushed."""

    def __init__(self) -> None:
        super().__init__(label="earpiece", capabilities=io.AudioOutputCapabilities(pause=False))
        self.frames: list[rtc.AudioFrame] = []
        self._segment_s = 0.0

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        self.frames.append(frame)
        self._segment_s += frame.duration

    def flush(self) -> None:
        super().flush()
        self.on_playback_finished(playback_position=self._segment_s, interrupted=False)
        self._segment_s = 0.0

    def clear_buffer(self) -> None:
        self._segment_s = 0.0


async def test_the_session_speaks_with_espeak_and_hears_through_the_proxy(asr_url):
    settings = Settings(local_mode=True)
    session = AgentSession(
        stt=stt_for(settings, "en", asr_url=asr_url, credentials=LocalServiceToken()),
        tts=tts_for(settings, "en"),
        vad=vad(),
    )
    line, earpiece = CallerLine(), Earpiece()
    session.input.audio = line
    session.output.audio = earpiece
    heard: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def on_transcribed(event: UserInputTranscribedEvent) -> None:
        if event.is_final and not heard.done():
            heard.set_result(event.transcript)

    session.on("user_input_transcribed", on_transcribed)
    try:
        await session.start(Agent(instructions="You are a hotel receptionist."), record=False)
        await session.say("Good evening, how can I help?").wait_for_playout()
        spoken_s = sum(frame.duration for frame in earpiece.frames)
        assert 1.0 < spoken_s < 4.0, spoken_s

        caller = [silence(0.3, 16000), speak("what time is check in").resample(16000)]
        for pcm in [*caller, silence(1.0, 16000)]:
            for frame in as_frames(pcm, frame_ms=10):
                line.frames.put_nowait(frame)
        assert await asyncio.wait_for(heard, timeout=10) == "what time is check in"
    finally:
        await session.aclose()
