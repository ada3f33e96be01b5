"""The caller's end of a phone line inside the local LiveKit peer: a mouth and an ear.

``CallerVoice`` is the SIP participant's audio track as the agent receives it: queued speech
(espeak in the tests) at real-time pace, silence in between, as a SIP bridge sends a line.
Each utterance is Opus-encoded once when it is queued and sent as ready packets: encoding
every 20 ms frame on aiortc's executor cost the load generator more than a call cost the
worker (``make load``).
``AgentEar`` records the agent's published track as it arrives, with arrival times, so a test
can recognise what the agent said and measure when it started speaking. Every RTP packet's
arrival and size is noted before aiortc's jitter buffer and decoder; an ear made with
``decode=False`` (``make load``) stops there, and tells the agent's speech from its DTX
silence by packet size.
"""

from __future__ import annotations

import asyncio
import fractions
import functools
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import av
import numpy as np
from aiortc.codecs.opus import OpusEncoder
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from hotelvoice.speech.audio import Pcm

RATE = 48_000
FRAME_SAMPLES = RATE // 50  # 20 ms, one Opus frame
_SILENT = np.zeros(FRAME_SAMPLES, dtype=np.int16)
SPEECH_RMS = 300.0
"""A 20 ms frame louder than this (int16 RMS) is speech, quieter is line silence."""
SPEECH_PACKET_BYTES = 16
"""An Opus packet of the agent's larger than this is audio, smaller is DTX: with DTX
(LiveKit's default, which the peer answers as LiveKit's server does) libwebrtc sends
silence as a one-byte packet and a refresh frame (~55 bytes) every 400 ms."""
SPEECH_RUN = 3
"""Consecutive audio packets (20 ms apart) that are speech, not an isolated DTX refresh."""
TIME_BASE = fractions.Fraction(1, RATE)


def _frame(samples: np.ndarray, pts: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = RATE
    frame.pts = pts
    frame.time_base = TIME_BASE
    return frame


def _encode(frames: list[np.ndarray]) -> list[bytes]:
    """Opus packets for consecutive 20 ms frames, one per frame, as aiortc would send them."""
    encoder = OpusEncoder()
    packets: list[bytes] = []
    for index, chunk in enumerate([*frames, _SILENT]):  # one more flushes the lookahead
        payloads, _ = encoder.encode(_frame(chunk, index * FRAME_SAMPLES))
        packets.extend(payloads)
    return packets[: len(frames)]


@functools.lru_cache(maxsize=64)
def _encoded_utterance(samples: bytes) -> tuple[bytes, ...]:
    """An utterance's packets, encoded once however many callers say it."""
    array = np.frombuffer(samples, dtype=np.int16)
    frames = [array[i : i + FRAME_SAMPLES] for i in range(0, array.size, FRAME_SAMPLES)]
    if frames and frames[-1].size < FRAME_SAMPLES:
        frames[-1] = np.pad(frames[-1], (0, FRAME_SAMPLES - frames[-1].size))
    return tuple(_encode(frames))


@functools.cache
def _silence_packet() -> bytes:
    """The packet of a silent 20 ms frame, once the encoder has settled on silence."""
    return _encode([_SILENT] * 10)[-1]


class CallerVoice(MediaStreamTrack):
    """What the caller says, 20 ms at a time, in real time; silence when they say nothing."""

    kind = "audio"

    def __init__(self, track_sid: str) -> None:
        super().__init__()
        self._id = track_sid
        self._queue: deque[bytes | None] = deque()
        """Opus packets; ``None`` marks where an utterance ends."""
        self._start: float | None = None
        self._sent = 0
        self.last_speech_end: float | None = None
        """Wall time (``time.time()``) the last queued utterance finished playing."""
        self._finished: list[asyncio.Future[float]] = []

    @property
    def id(self) -> str:  # the track's msid half: what the peer announces as its TrackInfo
        return self._id

    def say(self, pcm: Pcm) -> asyncio.Future[float]:
        """Queue an utterance; the future gets the wall time its last packet was sent."""
        samples = pcm.resample(RATE).to_array().astype(np.int16)
        self._queue.extend(_encoded_utterance(samples.tobytes()))
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._finished.append(done)
        self._queue.append(None)  # end-of-utterance marker
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

    async def recv(self) -> av.Packet:  # type: ignore[override]  # aiortc sends packets as is
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            wait = self._start + self._sent / RATE - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        payload = None
        while self._queue and payload is None:
            payload = self._queue.popleft()
            if payload is None:  # the marker: the utterance has been sent
                self.last_speech_end = time.time()
                done = self._finished.pop(0)
                if not done.done():
                    done.set_result(self.last_speech_end)
        packet = av.Packet(payload or _silence_packet())
        packet.pts = self._sent
        packet.time_base = TIME_BASE
        self._sent += FRAME_SAMPLES
        return packet


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


@dataclass(frozen=True)
class HeardPacket:
    at: float
    """Wall time (``time.time()``) the RTP packet arrived, before any jitter buffer."""
    size: int
    """Opus payload bytes."""


class AgentEar:
    """Everything the agent's track delivers, with arrival times.

    ``decode=False`` keeps only :attr:`packets`: the load generator times fifty calls'
    audio without decoding any of it.
    """

    def __init__(self, *, decode: bool = True) -> None:
        self.decode = decode
        self.frames: list[HeardFrame] = []
        self.packets: list[HeardPacket] = []
        self.spoken: list[list[float]] = []
        """``[first, last]`` arrival of each run of speech packets (``SPEECH_RUN`` or more
        consecutive audio packets): when the agent spoke, found without decoding."""
        self._speech_run = (0.0, 0.0, 0)  # current run: first arrival, last arrival, packets
        self._task: asyncio.Task[None] | None = None
        self.ended = asyncio.Event()

    def listen(self, track: MediaStreamTrack, receiver: Any = None) -> None:
        """Record ``track``; with its ``RTCRtpReceiver``, each packet as it arrives too."""
        if receiver is not None:
            self._note_packets(receiver)
        self._task = asyncio.ensure_future(self._run(track))

    def _note_packets(self, receiver: Any) -> None:
        # aiortc has no hook before its jitter buffer: its transport awaits the receiver's
        # _handle_rtp_packet for each packet, looked up on the instance
        handle = receiver._handle_rtp_packet

        async def noted(packet: Any, arrival_time_ms: int) -> None:
            self._note(HeardPacket(time.time(), len(packet.payload)))
            if self.decode:
                await handle(packet, arrival_time_ms)

        receiver._handle_rtp_packet = noted

    def _note(self, packet: HeardPacket) -> None:
        self.packets.append(packet)
        first, last, count = self._speech_run
        if packet.size <= SPEECH_PACKET_BYTES:  # DTX: silence
            self._speech_run = (0.0, 0.0, 0)
            return
        if count and packet.at - last <= 0.1:
            count += 1
        else:
            first, count = packet.at, 1
        self._speech_run = (first, packet.at, count)
        if count == SPEECH_RUN:
            self.spoken.append([first, packet.at])
        elif count > SPEECH_RUN:
            self.spoken[-1][1] = packet.at

    def last_sound(self) -> float | None:
        """Arrival time of the agent's last loud frame (or packet); ``None`` before any."""
        if not self.decode:
            return self.spoken[-1][1] if self.spoken else None
        return max((f.at for f in self.frames if f.loud), default=None)

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
        if not self.decode:
            return next((first for first, _ in self.spoken if first > at), None)
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
