"""Recognisers behind the proxy, chosen by ``HOTELVOICE_ASR_BACKEND``.

``local`` is pocketsphinx with the hotel grammar (CPU, no downloads): the embedded default
and the test backend. ``riva`` is NVIDIA Riva over gRPC at ``HOTELVOICE_RIVA_URI``
(``gpu_asr.riva_backend``), the GPU task's recogniser.

Both recognise one utterance offline (``transcribe``) and a live stream (``stream``). A stream
takes audio chunks and :data:`FLUSH` markers from the WebSocket session and yields
:class:`Partial` and :class:`Final` events; it ends after the input ends and its last finals
are out. Pulling audio only when the recogniser is ready is what carries backpressure from
the recogniser back to the caller's socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from typing import Final as Constant

from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.sphinx_asr import HotelSpeechRecognizer
from hotelvoice.speech.transcript import EMPTY_TRANSCRIPT, Transcript

if TYPE_CHECKING:
    from gpu_asr.sphinx_stream import RecognizerPool


@dataclass(frozen=True, slots=True)
class Flush:
    """The caller asked for a final of what was heard so far (the ``flush`` message)."""


FLUSH: Constant = Flush()
AudioInput = bytes | Flush
"""What a stream reads: 16-bit mono PCM chunks at the stream's rate, and flush markers."""


@dataclass(frozen=True, slots=True)
class Partial:
    """What the recogniser thinks so far in the current utterance."""

    text: str
    stability: float | None = None


@dataclass(frozen=True, slots=True)
class Final:
    """One utterance recognised for good; times are seconds from the start of the stream.

    Attributes:
        transcript: Text, confidence and word timings (already offset into the stream).
        start_s: Where the utterance starts.
        end_s: Where the utterance ends.
        heard_until_s: How far into the stream the audio this final covers reaches; the
            session measures end-of-utterance-to-final latency from its arrival.
    """

    transcript: Transcript
    start_s: float
    end_s: float
    heard_until_s: float

    @classmethod
    def empty_at(cls, position_s: float) -> Final:
        """Nothing heard: the answer to a flush with no speech since the last final."""
        return cls(EMPTY_TRANSCRIPT, position_s, position_s, position_s)


StreamEvent = Partial | Final


class AsrBackend(Protocol):
    """Offline recognition of one utterance, and streaming recognition of a live call."""

    name: str

    async def transcribe(self, pcm: Pcm, language: str | None) -> Transcript:
        """Recognise ``pcm``; ``language`` is a hint the backend may ignore."""
        ...

    def stream(
        self, audio: AsyncIterator[AudioInput], sample_rate: int, language: str | None
    ) -> AsyncIterator[StreamEvent]:
        """Recognise a live stream until ``audio`` ends.

        Every :data:`FLUSH` is answered by a :class:`Final` (empty when nothing was heard
        since the previous one); the end of ``audio`` by the finals still pending.

        Raises:
            hotelvoice.errors.Unavailable: The recogniser is gone and did not come back.
            hotelvoice.errors.InvalidRequest: It cannot serve this language or audio.
        """
        ...

    async def health(self) -> bool:
        """Whether the recogniser can answer now (``GET /health`` reports it)."""
        ...


class LocalSphinxBackend:
    """pocketsphinx in worker threads; offline requests share one decoder, streams own one."""

    name = "local-pocketsphinx"

    def __init__(self) -> None:
        self._recognizer = HotelSpeechRecognizer()
        self._pool: RecognizerPool | None = None  # streams' own recognisers, built on demand

    async def transcribe(self, pcm: Pcm, language: str | None) -> Transcript:
        """English only: the bundled model is en-US."""
        del language
        return await asyncio.to_thread(self._recognizer.transcribe, pcm)

    def stream(
        self, audio: AsyncIterator[AudioInput], sample_rate: int, language: str | None
    ) -> AsyncIterator[StreamEvent]:
        """Endpointed utterances with live partials; finals decoded like offline requests.

        English only, like :meth:`transcribe`.
        """
        from gpu_asr.sphinx_stream import RecognizerPool, sphinx_stream  # imports our events

        del language
        if self._pool is None:
            self._pool = RecognizerPool()
        return sphinx_stream(self._pool, audio, sample_rate)

    async def health(self) -> bool:
        """In-process: up once the decoder was built."""
        return True


def backend_named(name: str) -> AsrBackend:
    """The backend for a settings value; unknown names fail at start-up."""
    if name == "local":
        return LocalSphinxBackend()
    if name == "riva":
        from gpu_asr.riva_backend import RivaBackend  # grpc only where Riva is used

        return RivaBackend(get_settings().riva_uri)
    raise ValueError(f"unknown ASR backend {name!r}; available: local, riva")
