"""Barge-in with the worker's telephony settings: the caller talks over the agent, it stops.

Audio in and out, no room: the caller's line is real espeak speech in 10 ms frames, arriving
in real time; the earpiece plays the agent's audio in real time and can be cut off. The VAD
(Silero) and the STT (the ASR proxy) are the worker's.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from caller_audio import as_frames, silence, speak
from livekit import rtc
from livekit.agents import Agent, AgentSession, io

from hotelvoice.settings import Settings
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.speech.plugins import stt_for, tts_for
from realtime_agent.turn_taking import call_vad, turn_handling_for

LONG_ANSWER = (
    "Our breakfast buffet is served every morning from half past six to half past ten in the "
    "winter garden on the ground floor, with fresh bread from the bakery next door, regional "
    "cheese, fruit, eggs cooked to order, and coffee from a small roastery in Kreuzberg."
)


class RealTimeLine(io.AudioInput):
    """The caller's line: frames at the pace a phone delivers them (silence between words)."""

    def __init__(self) -> None:
        super().__init__(label="caller-line")
        self.pending: list[rtc.AudioFrame] = []
        self._quiet = as_frames(silence(0.01, 16000), frame_ms=10)[0]

    async def __anext__(self) -> rtc.AudioFrame:
        await asyncio.sleep(0.01)
        return self.pending.pop(0) if self.pending else self._quiet


class RealTimeEarpiece(io.AudioOutput):
    """Plays what it is given at real speed; an interruption cuts it where it is."""

    def __init__(self) -> None:
        super().__init__(label="earpiece", capabilities=io.AudioOutputCapabilities(pause=False))
        self.queued_s = 0.0
        self.started: float | None = None
        self.played_s: list[tuple[float, bool]] = []
        self._done: asyncio.TimerHandle | None = None

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if self.started is None:
            self.started = time.monotonic()
            self.on_playback_started(created_at=time.time())
        self.queued_s += frame.duration

    def flush(self) -> None:
        super().flush()
        if self.started is None:
            return
        remaining = self.started + self.queued_s - time.monotonic()
        self._done = asyncio.get_running_loop().call_later(max(remaining, 0), self._finish, False)

    def clear_buffer(self) -> None:
        if self.started is not None:
            self._finish(True)

    def _finish(self, interrupted: bool) -> None:
        if self.started is None:
            return
        if self._done is not None:
            self._done.cancel()
        position = min(time.monotonic() - self.started, self.queued_s)
        self.played_s.append((position, interrupted))
        self.on_playback_finished(playback_position=position, interrupted=interrupted)
        self.started, self.queued_s, self._done = None, 0.0, None


@pytest.mark.parametrize("turn_detection", ["model", "stt"])
async def test_the_agent_stops_talking_when_the_caller_talks_over_it(asr_url, turn_detection):
    """With a VAD (Silero hears the voice) and without one (the recogniser's first words)."""
    settings = Settings(local_mode=True, agent_turn_detection=turn_detection)
    session = AgentSession(
        stt=stt_for(settings, "en", asr_url=asr_url, credentials=LocalServiceToken()),
        tts=tts_for(settings, "en"),
        vad=call_vad(settings, {}),
        turn_handling=turn_handling_for(settings),
    )
    line, earpiece = RealTimeLine(), RealTimeEarpiece()
    session.input.audio = line
    session.output.audio = earpiece
    try:
        await session.start(Agent(instructions="You are a hotel receptionist."), record=False)
        answer = session.say(LONG_ANSWER)
        await asyncio.sleep(2.0)  # the caller listens for two seconds, then talks over it
        caller = speak("sorry what time is check in").resample(16000)
        line.pending += as_frames(caller, frame_ms=10) + as_frames(silence(1.5, 16000), frame_ms=10)
        await asyncio.wait_for(answer.wait_for_playout(), timeout=20)
    finally:
        await session.aclose()
    assert answer.interrupted, "the agent kept talking over the caller"
    (position, interrupted), *_ = earpiece.played_s
    assert interrupted
    assert position < earpiece_total_s(LONG_ANSWER) / 2, "it stopped soon after the caller began"


def earpiece_total_s(text: str) -> float:
    """How long the whole answer lasts at espeak's pace (about 150 words a minute)."""
    return len(text.split()) / 150 * 60


def test_the_word_minimum_is_only_used_where_words_come_while_the_caller_speaks():
    streaming_words = turn_handling_for(Settings(agent_stt="proxy-stream"))["interruption"]
    per_utterance = turn_handling_for(Settings(agent_stt="proxy"))["interruption"]
    assert (streaming_words["min_words"], per_utterance["min_words"]) == (1, 0)
    assert streaming_words["min_duration"] == per_utterance["min_duration"] == 0.5
