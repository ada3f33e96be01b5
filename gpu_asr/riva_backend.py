"""NVIDIA Riva behind the proxy: offline recognition over gRPC with the official client.

``riva.client`` is synchronous, so each call runs in a worker thread; the channel is opened
once and reconnects by itself when Riva restarts. Riva's gRPC status codes become the
proxy's errors: an outage or overload is ``Unavailable`` (503, the caller may retry), a
language or audio Riva has no model for is ``InvalidRequest`` (400), anything else is a 500.
The details go to the log, never to the caller.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

import grpc
import riva.client
from riva.client.proto import riva_asr_pb2 as rasr

from hotelvoice.errors import HotelVoiceError, InvalidRequest, Unavailable
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.transcript import Transcript, Word

log = logging.getLogger(__name__)

RIVA_LANGUAGES: Final = {
    "en": "en-US",
    "de": "de-DE",
    "fr": "fr-FR",
    "es": "es-US",
    "it": "it-IT",
    "nl": "nl-NL",
    "pt": "pt-BR",
}
"""Our two-letter hints to the locales Riva's ASR models are published for."""

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


def riva_language(language: str | None) -> str:
    """``de`` → ``de-DE``; a full locale (``en-GB``) passes through; no hint is English."""
    if not language:
        return RIVA_LANGUAGES["en"]
    if "-" in language:
        return language
    try:
        return RIVA_LANGUAGES[language]
    except KeyError:
        raise InvalidRequest(
            f"language {language!r} is not supported", code="unsupported_language"
        ) from None


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
        config = riva.client.RecognitionConfig(
            encoding=riva.client.AudioEncoding.LINEAR_PCM,
            sample_rate_hertz=pcm.sample_rate,
            language_code=riva_language(language),
            max_alternatives=1,
            audio_channel_count=1,
            enable_word_time_offsets=True,
            enable_automatic_punctuation=False,
            verbatim_transcripts=True,  # "december twelfth", as the dialogue expects
        )
        response = await asyncio.to_thread(self._recognize, pcm.samples, config)
        return _transcript_of(response)

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


def _error_of(exc: grpc.RpcError) -> HotelVoiceError:
    code = exc.code() if isinstance(exc, grpc.Call) else grpc.StatusCode.UNKNOWN
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
