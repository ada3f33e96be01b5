"""Streaming recognition on the local backend: endpointed utterances, decoded by pocketsphinx.

pocketsphinx's ``Endpointer`` (a WebRTC-style voice activity detector with a 0.3 s decision
window) cuts the stream into utterances. While one is spoken, its speech is decoded
incrementally and the decoder's best path goes out as a partial about every 0.5 s of speech.
At the end of speech, on ``flush`` and at the end of the input, the whole utterance is decoded
again like an offline request (same grammar, pre-processing and 8 kHz resampling): the live
decoder's running cepstral mean has seen only part of the audio, and on telephone-rate speech
its result was measurably worse than the offline one.

An utterance whose speech reaches ``asr_max_audio_s`` (noise the endpointer takes for speech,
a caller who never pauses) is ended there with a final, as the offline route would refuse a
longer request, and the speech after it is a new utterance: the decoder's work and the audio
kept per stream stay bounded, and the stream goes on.

A live decoder holds one utterance's state, so each stream borrows a recogniser of its own
from a :class:`RecognizerPool` (building one takes ~0.3 s and ~45 MB). pocketsphinx holds
the GIL while it decodes, so the worker threads keep the code honest rather than parallel: the
local backend is for laptops and CI, Riva is the one that scales.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Final as Constant

import pocketsphinx

from gpu_asr.backends import AudioInput, Final, Flush, Partial, StreamEvent
from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import SAMPLE_WIDTH_BYTES, Pcm
from hotelvoice.speech.sphinx_asr import HotelSpeechRecognizer
from hotelvoice.speech.transcript import EMPTY_TRANSCRIPT, Transcript, Word

PARTIAL_EVERY_S: Constant = 0.5
"""Speech between two partial results."""


class RecognizerPool:
    """Idle recognisers kept for the next streams, at most ``keep`` of them."""

    def __init__(self, keep: int = 4) -> None:
        """An empty pool; recognisers are built when a stream finds none idle."""
        self._keep = keep
        self._idle: list[HotelSpeechRecognizer] = []

    @contextlib.asynccontextmanager
    async def recognizer(self) -> AsyncIterator[HotelSpeechRecognizer]:
        """A recogniser for one stream; it goes back to the pool with no utterance open."""
        recognizer = self._idle.pop() if self._idle else None
        if recognizer is None:
            recognizer = await asyncio.to_thread(HotelSpeechRecognizer)
        try:
            yield recognizer
        finally:
            recognizer.end_live()
            if len(self._idle) < self._keep:
                self._idle.append(recognizer)


async def sphinx_stream(
    pool: RecognizerPool, audio: AsyncIterator[AudioInput], sample_rate: int
) -> AsyncIterator[StreamEvent]:
    """Partials and finals for a live stream at ``sample_rate`` (8000 or 16000)."""
    max_utterance_s = get_settings().asr_max_audio_s
    async with pool.recognizer() as recognizer:
        stream = _SphinxStream(recognizer, sample_rate, max_utterance_s)
        async for item in audio:
            for event in await (stream.flush() if isinstance(item, Flush) else stream.feed(item)):
                yield event
        for event in await stream.end():
            yield event


class _SphinxStream:
    """Endpointer state and the utterance being heard, for one stream."""

    def __init__(
        self, recognizer: HotelSpeechRecognizer, sample_rate: int, max_utterance_s: float
    ) -> None:
        self._recognizer = recognizer
        self._rate = sample_rate
        max_bytes = round(max_utterance_s * sample_rate) * SAMPLE_WIDTH_BYTES
        self._max_utterance = max(max_bytes, SAMPLE_WIDTH_BYTES)
        self._cut_at_s: float | None = None  # where the last cut ended speech still going on
        self._endpointer = pocketsphinx.Endpointer(sample_rate=sample_rate)
        self._base_s = 0.0  # stream time at which the current endpointer started listening
        self._pending = bytearray()  # input shorter than one endpointer frame
        self._consumed = 0  # bytes of the stream handed to endpointers
        self._utterance = bytearray()
        self._start_s = 0.0
        self._next_partial_s = PARTIAL_EVERY_S
        self._last_partial = ""

    @property
    def _position_s(self) -> float:
        return self._consumed / SAMPLE_WIDTH_BYTES / self._rate

    @property
    def _utterance_s(self) -> float:
        return len(self._utterance) / SAMPLE_WIDTH_BYTES / self._rate

    async def feed(self, chunk: bytes) -> list[StreamEvent]:
        """Run ``chunk`` through the endpointer and the live decoder."""
        events: list[StreamEvent] = []
        heard = bytearray()  # speech of this chunk not yet given to the live decoder
        self._pending += chunk
        size = self._endpointer.frame_bytes
        while len(self._pending) >= size:
            frame = bytes(self._pending[:size])
            del self._pending[:size]
            self._consumed += size
            speech = self._endpointer.process(frame)
            if speech is None:
                continue
            if not self._utterance:
                self._start_s = (
                    self._cut_at_s
                    if self._cut_at_s is not None
                    else self._base_s + self._endpointer.speech_start
                )
                await asyncio.to_thread(self._recognizer.begin_live)
            self._utterance += speech
            heard += speech
            if not self._endpointer.in_speech:
                heard.clear()
                self._cut_at_s = None
                events += await self._final(self._base_s + self._endpointer.speech_end)
            elif len(self._utterance) >= self._max_utterance:
                heard.clear()
                self._cut_at_s = self._start_s + self._utterance_s
                events += await self._final(self._cut_at_s)
        if heard:
            events += await self._partial(bytes(heard))
        return events

    async def flush(self) -> list[StreamEvent]:
        """A final now, of the speech so far (empty if there was none)."""
        self._drain_endpointer()
        if not self._utterance:
            return [Final.empty_at(self._position_s)]
        return await self._final(self._position_s)

    async def end(self) -> list[StreamEvent]:
        """The final of the utterance still open, if any."""
        self._drain_endpointer()
        return await self._final(self._position_s) if self._utterance else []

    def _drain_endpointer(self) -> None:
        """Take the speech the endpointer still holds back, then listen afresh from here."""
        self._cut_at_s = None
        if self._endpointer.in_speech:
            rest = self._endpointer.end_stream(bytes(self._pending))
            if rest:
                if not self._utterance:
                    self._start_s = self._position_s
                self._utterance += rest
        self._consumed += len(self._pending)
        self._pending.clear()
        self._endpointer = pocketsphinx.Endpointer(sample_rate=self._rate)
        self._base_s = self._position_s

    async def _partial(self, speech: bytes) -> list[StreamEvent]:
        """Decode more of the utterance; the best path when it is time for a partial."""
        text = await asyncio.to_thread(self._recognizer.hear_live, Pcm(speech, self._rate))
        heard_s = self._utterance_s
        if heard_s < self._next_partial_s or not text or text == self._last_partial:
            return []
        self._next_partial_s = heard_s + PARTIAL_EVERY_S
        self._last_partial = text
        return [Partial(text)]

    async def _final(self, end_s: float) -> list[StreamEvent]:
        """Decode the whole utterance as an offline request would.

        If that finds no sentence (pocketsphinx returns nothing rather than a poor guess),
        the live decoder's hypothesis stands in: the caller did say something.
        """
        live = await asyncio.to_thread(self._recognizer.finish_live)
        pcm = Pcm(bytes(self._utterance), self._rate)
        heard = await asyncio.to_thread(self._recognizer.transcribe, pcm)
        if not heard.text and live.text:
            heard = live
        final = Final(_shifted(heard, self._start_s), self._start_s, end_s, self._position_s)
        self._utterance.clear()
        self._next_partial_s = PARTIAL_EVERY_S
        self._last_partial = ""
        return [final]


def _shifted(transcript: Transcript, offset_s: float) -> Transcript:
    """Word timings relative to the stream instead of the utterance."""
    if not transcript.text:
        return EMPTY_TRANSCRIPT
    words = tuple(
        Word(w.word, round(w.start_s + offset_s, 3), round(w.end_s + offset_s, 3))
        for w in transcript.words
    )
    return Transcript(transcript.text, transcript.confidence, words)
