"""NVIDIA Riva behind the proxy: offline and streaming recognition with the official client.

``riva.client`` is synchronous, so each call runs in a worker thread; the channel is opened
once and reconnects by itself when Riva restarts. Streaming (``gpu_asr.riva_stream``) adds
interim results and reconnects within ``HOTELVOICE_ASR_RECONNECT_S``. Riva's gRPC status
codes become the proxy's errors: an outage or overload is ``Unavailable`` (503, the caller
may retry), a language or audio Riva has no model for is ``InvalidRequest`` (400), anything
else is a 500. The details go to the log, never to the caller.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Final

import grpc
import riva.client
from riva.client.proto import riva_asr_pb2 as rasr

from gpu_asr.backends import AudioInput, StreamEvent
from gpu_asr.riva_stream import RivaStream
from hotelvoice.errors import HotelVoiceError, InvalidRequest, Unavailable
from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.riva_locales import riva_language
from hotelvoice.speech.transcript import Transcript, Word

log = logging.getLogger(__name__)

_TRANSIENT: Final = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.CANCELLED,
}
# Riva is on the same host or subnet: after a restart it should be found again within
# seconds, not after gRPC's default back-off of up to two minutes.
_CHANNEL_OPTIONS: Final = [
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 2000),
]


class RivaBackend:
    """Offline recognition by a Riva server at ``uri`` (``host:port``, plaintext gRPC)."""

    name = "riva"

    def __init__(self, uri: str, *, timeout_s: float = 10.0, health_timeout_s: float = 1.0) -> None:
        """Open the channel (lazily: nothing is sent until the first call)."""
        self.uri = uri
        self.timeout_s = timeout_s
        self.health_timeout_s = health_timeout_s
        self._auth = riva.client.Auth(uri=uri, use_ssl=False, options=_CHANNEL_OPTIONS)
        self._asr = riva.client.ASRService(self._auth)

    async def transcribe(self, pcm: Pcm, language: str | None) -> Transcript:
        """Recognise ``pcm`` in ``language``; raises the proxy's errors when Riva cannot."""
        config = recognition_config(pcm.sample_rate, language)
        response = await asyncio.to_thread(self._recognize, pcm.samples, config)
        return _transcript_of(response)

    def stream(
        self, audio: AsyncIterator[AudioInput], sample_rate: int, language: str | None
    ) -> AsyncIterator[StreamEvent]:
        """Interim and final results from ``StreamingRecognize``; see ``gpu_asr.riva_stream``."""
        config = rasr.StreamingRecognitionConfig(
            config=recognition_config(sample_rate, language), interim_results=True
        )
        stream = RivaStream(
            self._asr,
            config,
            transient=_is_transient,
            error_of=_error_of,
            reconnect_s=get_settings().asr_reconnect_s,
            final_timeout_s=self.timeout_s,
        )
        return stream.run(audio)

    async def health(self) -> bool:
        """Ask Riva which ASR models it serves: up means it answers with at least one."""
        try:
            response = await asyncio.to_thread(
                self._asr.stub.GetRivaSpeechRecognitionConfig,
                rasr.RivaSpeechRecognitionConfigRequest(),
                timeout=self.health_timeout_s,
                metadata=self._auth.get_auth_metadata(),
            )
        except grpc.RpcError as exc:
            log.warning("riva health check failed: %s", exc.code())
            return False
        return len(response.model_config) > 0

    def close(self) -> None:
        """Close the channel."""
        self._auth.channel.close()

    def _recognize(self, audio: bytes, config: rasr.RecognitionConfig) -> rasr.RecognizeResponse:
        # offline_recognize takes no deadline; its future form lets us bound and cancel the call.
        call = self._asr.offline_recognize(audio, config, future=True)
        try:
            return call.result(timeout=self.timeout_s)
        except grpc.FutureTimeoutError:
            call.cancel()
            log.warning("riva took longer than %.1f s", self.timeout_s)
            raise Unavailable("speech recognition timed out", code="asr_unavailable") from None
        except grpc.RpcError as exc:
            raise _error_of(exc) from None


def recognition_config(sample_rate: int, language: str | None) -> rasr.RecognitionConfig:
    """What we ask Riva for, offline and streaming alike."""
    return riva.client.RecognitionConfig(
        encoding=riva.client.AudioEncoding.LINEAR_PCM,
        sample_rate_hertz=sample_rate,
        language_code=riva_language(language),
        max_alternatives=1,
        audio_channel_count=1,
        enable_word_time_offsets=True,
        enable_automatic_punctuation=False,
        verbatim_transcripts=True,  # "december twelfth", as the dialogue expects
    )


def _status_of(exc: grpc.RpcError) -> grpc.StatusCode:
    return exc.code() if isinstance(exc, grpc.Call) else grpc.StatusCode.UNKNOWN


def _is_transient(exc: grpc.RpcError) -> bool:
    """Worth a new call: Riva restarting, overloaded or cut off."""
    transient = _status_of(exc) in _TRANSIENT
    if transient:
        log.info("riva stream interrupted: %s", _status_of(exc))
    return transient


def _error_of(exc: grpc.RpcError) -> HotelVoiceError:
    code = _status_of(exc)
    details = exc.details() if isinstance(exc, grpc.Call) else str(exc)
    log.warning("riva recognition failed: %s %s", code, details)
    if code in _TRANSIENT:
        return Unavailable("speech recognition is unavailable", code="asr_unavailable")
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidRequest("the recogniser has no model for this request", code="asr_rejected")
    return HotelVoiceError("speech recognition failed", code="asr_failed")


def _transcript_of(response: rasr.RecognizeResponse) -> Transcript:
    """Riva splits long audio into several results; each brings its best alternative."""
    texts: list[str] = []
    words: list[Word] = []
    confidences: list[float] = []
    for result in response.results:
        if not result.alternatives:
            continue
        best = result.alternatives[0]
        texts.append(best.transcript)
        confidences.append(best.confidence)
        words.extend(
            Word(w.word.lower(), w.start_time / 1000, w.end_time / 1000) for w in best.words
        )
    text = " ".join(" ".join(texts).lower().split())
    confidence = min(confidences) if confidences else None
    return Transcript(text, confidence, tuple(words))
