"""Azure AI Speech text-to-speech through the official Speech SDK, streamed as it arrives.

The SDK speaks Microsoft's USP protocol over one WebSocket per ``SpeechSynthesizer`` and is
blocking and callback based, so every SDK call runs on the engine's own thread pool.
``start_speaking_ssml_async`` returns as soon as the request is sent; an ``AudioDataStream``
then hands out audio in small pieces as the service sends it, so the caller hears the first
words while Azure is still synthesising the rest. Synthesizers are pooled per format: each
keeps its WebSocket open, which saves a TLS handshake per utterance, and one that failed is
thrown away.

Timeouts are ours: a read that brings no audio within ``timeout_s`` fails the utterance and
stops the synthesizer (``stop_speaking_async``), which also frees the thread blocked in the
SDK. The SDK's own frame timeout is at least 10 s, far too long for a caller on the line.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import azure.cognitiveservices.speech as speechsdk

from hotelvoice.tts.engine import AudioFormat, EngineError, Voice, VoiceInfo
from hotelvoice.tts.whole_samples import WholeSamples

log = logging.getLogger("hotelvoice.tts.azure")

T = TypeVar("T")

OUTPUT_FORMATS = {
    AudioFormat.PCM_8000: speechsdk.SpeechSynthesisOutputFormat.Raw8Khz16BitMonoPcm,
    AudioFormat.PCM_16000: speechsdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm,
}
_Code = speechsdk.CancellationErrorCode
FINAL_ERRORS = frozenset({_Code.AuthenticationFailure, _Code.Forbidden, _Code.BadRequest})
"""A bad key, a resource without TTS, bad SSML or an unknown voice: retrying cannot help.
Throttling, connection and service errors may pass."""
FINAL_HTTP_STATUSES = frozenset({400, 401, 403, 404})
_HTTP_STATUS = re.compile(r"\((\d{3})\)")
"""The voices list reports failures only as text, e.g. ``Authentication error (401)``."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 forbids even escaped: the service would close with 1007 (bad SSML)."""
READ_MS = 50
"""Audio asked for per read. ``read_data`` returns only when the buffer is full (or the
stream ended), so this is also the audio that must arrive before the first chunk goes out;
Azure sends faster than real time, so 50 ms arrive within moments of the first byte."""


def ssml_for(text: str, voice: Voice) -> str:
    """One utterance as SSML: the text escaped, so ``<``, ``&`` are spoken, not parsed."""
    spoken = html.escape(_NOT_XML.sub(" ", text), quote=False)
    return (
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
        f'xml:lang="{html.escape(voice.locale)}">'
        f'<voice name="{html.escape(voice.voice_id)}">{spoken}</voice></speak>'
    )


class AzureSpeechEngine:
    """Streams speech from Azure AI Speech.

    Args:
        key: The Speech resource key (``Ocp-Apim-Subscription-Key``).
        region: The resource's region (``westeurope``); ignored when ``host`` is set.
        host: ``wss://…`` (or ``ws://127.0.0.1:PORT`` for a local peer): the service host
            for both the WebSocket and the voices list. Use ``host``, not an endpoint URL:
            with an endpoint the SDK's voices list loses the port.
        timeout_s: Longest wait for the first audio and between later pieces.
        voices_timeout_s: Longest wait for the voice list (a large JSON document).
        idle_synthesizers: Open connections kept per format between utterances.
        name: The engine's name in voice maps and metrics.
    """

    def __init__(
        self,
        key: str,
        *,
        region: str = "westeurope",
        host: str = "",
        timeout_s: float = 2.5,
        voices_timeout_s: float = 10.0,
        idle_synthesizers: int = 4,
        name: str = "azure",
    ) -> None:
        self.name = name
        self.timeout_s = timeout_s
        self.voices_timeout_s = voices_timeout_s
        self._key = key
        self._region = region
        self._host = host
        self._idle_limit = idle_synthesizers
        self._idle: dict[AudioFormat, list[speechsdk.SpeechSynthesizer]] = {
            f: [] for f in AudioFormat
        }
        self._threads = ThreadPoolExecutor(max_workers=32, thread_name_prefix="azure-tts")

    async def stream(self, text: str, voice: Voice, fmt: AudioFormat) -> AsyncIterator[bytes]:
        """Speak ``text`` as PCM chunks (even byte counts) at ``fmt``'s rate.

        Raises:
            EngineError: On any failure before or during the audio.
        """
        ssml = ssml_for(text, voice)
        read_bytes = fmt.sample_rate * READ_MS // 1000 * 2
        synthesizer: speechsdk.SpeechSynthesizer | None = None
        reusable = False
        try:
            synthesizer = self._pop_idle(fmt) or await self._call(self._new, fmt)
            audio = await self._call(_start, synthesizer, ssml)
            samples = WholeSamples()
            while data := await self._call(_read, audio, read_bytes):
                chunk = samples.feed(data)
                if chunk:
                    yield chunk
            _raise_if_canceled(audio.cancellation_details)
            if samples.total == 0:
                raise EngineError("azure answered no audio", retryable=True)
            reusable = True
        except EngineError:
            raise
        except Exception as exc:  # the engine contract: no vendor exception escapes
            log.exception("azure speech failed unexpectedly")
            raise EngineError(f"azure could not speak: {type(exc).__name__}") from exc
        finally:
            if synthesizer is not None:
                self._release(fmt, synthesizer, reusable=reusable)

    async def voices(self) -> list[VoiceInfo]:
        """The voices the resource offers (``GET /cognitiveservices/voices/list``).

        Raises:
            EngineError: When the list cannot be read.
        """
        try:
            synthesizer = await self._call(self._new, AudioFormat.PCM_16000)
            result = await self._call(
                lambda: synthesizer.get_voices_async("").get(), timeout_s=self.voices_timeout_s
            )
        except EngineError:
            raise
        except Exception as exc:
            log.exception("azure voice list failed unexpectedly")
            raise EngineError(f"azure could not list voices: {type(exc).__name__}") from exc
        if result.reason != speechsdk.ResultReason.VoicesListRetrieved:
            found = _HTTP_STATUS.search(result.error_details or "")
            status = int(found[1]) if found else None
            raise EngineError(
                f"azure could not list voices: {_first_line(result.error_details)}",
                retryable=status not in FINAL_HTTP_STATUSES,
            )
        return [
            VoiceInfo(
                engine=self.name,
                voice_id=v.short_name,
                locale=v.locale,
                name=v.local_name or v.short_name,
                gender=(
                    v.gender.name.lower()
                    if v.gender != speechsdk.SynthesisVoiceGender.Unknown
                    else None
                ),
            )
            for v in result.voices
        ]

    async def aclose(self) -> None:
        """Close the pooled connections and the SDK's threads."""
        for pool in self._idle.values():
            pool.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    # internals ---------------------------------------------------------------------------
    async def _call(self, fn: Callable[..., T], *args: object, timeout_s: float | None = None) -> T:
        """Run a blocking SDK call on our threads, giving up after the timeout."""
        loop = asyncio.get_running_loop()
        limit = self.timeout_s if timeout_s is None else timeout_s
        try:
            return await asyncio.wait_for(loop.run_in_executor(self._threads, fn, *args), limit)
        except TimeoutError as exc:
            raise EngineError(f"azure sent nothing for {limit:g} s", retryable=True) from exc

    def _pop_idle(self, fmt: AudioFormat) -> speechsdk.SpeechSynthesizer | None:
        """A pooled synthesizer for ``fmt`` (its WebSocket is likely still open)."""
        pool = self._idle[fmt]
        return pool.pop() if pool else None

    def _new(self, fmt: AudioFormat) -> speechsdk.SpeechSynthesizer:
        """A synthesizer for ``fmt``; it connects on first use."""
        if self._host:
            config = speechsdk.SpeechConfig(host=self._host, subscription=self._key)
        else:
            config = speechsdk.SpeechConfig(subscription=self._key, region=self._region)
        config.set_speech_synthesis_output_format(OUTPUT_FORMATS[fmt])
        return speechsdk.SpeechSynthesizer(speech_config=config, audio_config=None)

    def _release(
        self, fmt: AudioFormat, synthesizer: speechsdk.SpeechSynthesizer, *, reusable: bool
    ) -> None:
        """Pool a synthesizer that finished cleanly; stop and drop any other.

        Stopping also wakes a thread still blocked reading its audio. It runs in the
        background: the SDK takes about a second to confirm, and nobody needs to wait.
        """
        if reusable:
            if len(self._idle[fmt]) < self._idle_limit:
                self._idle[fmt].append(synthesizer)
            return
        with contextlib.suppress(RuntimeError):  # closed engine: nothing left to free
            self._threads.submit(_stop, synthesizer)


def _start(synthesizer: speechsdk.SpeechSynthesizer, ssml: str) -> speechsdk.AudioDataStream:
    """Send the request; returns at once, before any audio (the reads wait for it)."""
    result = synthesizer.start_speaking_ssml_async(ssml).get()
    if result.reason == speechsdk.ResultReason.Canceled:
        _raise_if_canceled(result.cancellation_details)
    return speechsdk.AudioDataStream(result)


def _read(audio: speechsdk.AudioDataStream, size: int) -> bytes:
    """``size`` bytes (fewer at the end); empty once the stream is over or canceled."""
    buffer = bytes(size)  # the SDK fills it in place and insists on ``bytes``
    filled = audio.read_data(buffer)
    return buffer[:filled]


def _stop(synthesizer: speechsdk.SpeechSynthesizer) -> None:
    try:
        synthesizer.stop_speaking_async().get()
    except Exception:  # best effort: the synthesizer is dropped either way
        log.debug("stopping an abandoned azure synthesizer failed", exc_info=True)


def _raise_if_canceled(details: speechsdk.SpeechSynthesisCancellationDetails | None) -> None:
    """Turn the SDK's cancellation into an :class:`EngineError` (no-op when there was none)."""
    if details is None:
        return
    if details.reason != speechsdk.CancellationReason.Error:
        raise EngineError(f"azure synthesis canceled: {details.reason.name}", retryable=True)
    raise EngineError(
        f"azure synthesis failed: {details.error_code.name}: {_first_line(details.error_details)}",
        retryable=details.error_code not in FINAL_ERRORS,
    )


def _first_line(text: str | None) -> str:
    """The SDK's error text, without the URL and connection id it appends on later lines."""
    return (text or "").strip().split("\n")[0][:200]
