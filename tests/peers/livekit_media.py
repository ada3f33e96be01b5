"""The caller's end of a phone line inside the local LiveKit peer: a mouth and an ear.

``CallerVoice`` is the SIP participant's audio track as the agent receives it: queued speech
(espeak in the tests) at real-time pace, silence in between, as a SIP bridge sends a line.
``AgentEar`` records the agent's published track as it arrives, with arrival times, so a test
can recognise what the agent said and measure when it started speaking.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from collections import deque
from dataclasses import dataclass

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from hotelvoice.speech.audio import Pcm

RATE = 48_000
FRAME_SAMPLES = RATE // 50  # 20 ms, one Opus frame
_SILENT = np.zeros(FRAME_SAMPLES, dtype=np.int16)
SPEECH_RMS = 300.0
"""A 20 ms frame louder than this (int16 RMS) is speech, quieter is line silence."""


class CallerVoice(MediaStreamTrack):
    """What the caller says, 20 ms at a time, in real time; silence when they say nothing."""

    kind = "audio"

    def __init__(self, track_sid: str) -> None:
        super().__init__()
        self._id = track_sid
        self._queue: deque[np.ndarray] = deque()
        self._start: float | None = None
        self._sent = 0
        self.last_speech_end: float | None = None
        """Wall time (``time.time()``) the last queued utterance finished playing."""
        self._finished: list[asyncio.Future[float]] = []

    @property
    def id(self) -> str:  # the track's msid half: what the peer announces as its TrackInfo
        return self._id

    def say(self, pcm: Pcm) -> asyncio.Future[float]:
        """Queue an utterance; the future gets the wall time its last sample was sent."""
        samples = pcm.resample(RATE).to_array().astype(np.int16)
        for start in range(0, samples.size, FRAME_SAMPLES):
            chunk = samples[start : start + FRAME_SAMPLES]
            if chunk.size < FRAME_SAMPLES:
                chunk = np.pad(chunk, (0, FRAME_SAMPLES - chunk.size))
            self._queue.append(chunk)
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._finished.append(done)
        self._queue.append(np.empty(0, dtype=np.int16))  # end-of-utterance marker
        return done

    @property
    def speaking(self) -> bool:
        return bool(self._queue)

    def hush(self) -> None:
        """Stop mid-sentence (the caller hangs up or is cut off)."""
        self._queue.clear()
        for done in self._finished:
            if not done.done():
                done.set_result(time.time())
        self._finished.clear()

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            wait = self._start + self._sent / RATE - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        chunk = _SILENT
        while self._queue:
            chunk = self._queue.popleft()
            if chunk.size:
                break
            self.last_speech_end = time.time()  # the marker: the utterance has been sent
            done = self._finished.pop(0)
            if not done.done():
                done.set_result(self.last_speech_end)
            chunk = _SILENT
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._sent
        frame.time_base = fractions.Fraction(1, RATE)
        self._sent += FRAME_SAMPLES
        return frame


@dataclass(frozen=True)
class HeardFrame:
    at: float
    """Wall time (``time.time()``) the frame arrived."""
    samples: np.ndarray
    """Mono int16 at :data:`RATE`."""

    @property
    def loud(self) -> bool:
        if not self.samples.size:
            return False
        return float(np.sqrt(np.mean(self.samples.astype(np.float64) ** 2))) > SPEECH_RMS


class AgentEar:
    """Everything the agent's track delivers, with arrival times."""

    def __init__(self) -> None:
        self.frames: list[HeardFrame] = []
        self._task: asyncio.Task[None] | None = None
        self.ended = asyncio.Event()

    def listen(self, track: MediaStreamTrack) -> None:
        self._task = asyncio.ensure_future(self._run(track))

    async def _run(self, track: MediaStreamTrack) -> None:
        try:
            while True:
                frame = await track.recv()
                array = frame.to_ndarray()
                channels = len(frame.layout.channels)
                mono = array.reshape(-1, channels)[:, 0] if channels > 1 else array.reshape(-1)
                if frame.sample_rate != RATE:
                    mono = Pcm.from_array(mono, frame.sample_rate).resample(RATE).to_array()
                self.frames.append(HeardFrame(time.time(), mono.astype(np.int16)))
        except MediaStreamError:
            pass
        finally:
            self.ended.set()

    def first_sound_after(self, at: float) -> float | None:
        """Arrival time of the first loud frame after ``at``; ``None`` if silent since."""
        for frame in self.frames:
            if frame.at > at and frame.loud:
                return frame.at
        return None

    def audio(self, since: float = 0.0, until: float | None = None) -> Pcm:
        """What arrived in ``[since, until)``, as one 16 kHz recording for a recogniser."""
        parts = [
            f.samples for f in self.frames if f.at >= since and (until is None or f.at < until)
        ]
        joined = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
        return Pcm.from_array(joined, RATE).resample(16_000)

    def loud_seconds(self, since: float = 0.0) -> float:
        return sum(f.samples.size for f in self.frames if f.at >= since and f.loud) / RATE

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
