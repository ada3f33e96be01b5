"""ElevenLabs text-to-speech through the official ``elevenlabs`` SDK (streaming REST).

``POST /v1/text-to-speech/{voice_id}/stream?output_format=pcm_16000`` answers raw 16-bit PCM
at exactly the rate the call needs, so chunks go to the caller as they arrive. The SDK's own
retries are switched off (``max_retries=0``): a phone caller cannot wait for exponential
backoff, and the router's fallback engine is the retry. Every SDK and httpx exception becomes
an :class:`EngineError` whose ``retryable`` says whether trying again could help.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from elevenlabs.client import AsyncElevenLabs
from elevenlabs.core.api_error import ApiError
from elevenlabs.core.request_options import RequestOptions
from elevenlabs.types.voice import Voice as VendorVoice

from hotelvoice.tts.engine import AudioFormat, EngineError, Voice, VoiceInfo
from hotelvoice.tts.whole_samples import WholeSamples

log = logging.getLogger("hotelvoice.tts.elevenlabs")

NO_LANGUAGE_CODE_MODELS = frozenset(
    {"eleven_multilingual_v2", "eleven_multilingual_v1", "eleven_monolingual_v1"}
)
"""Models that refuse ``language_code`` (the SDK documents it as unsupported for
multilingual v2); newer models use it to enforce the language and normalise numbers."""
RETRYABLE_CLIENT_STATUSES = frozenset({408, 409, 429})
"""4xx answers that may succeed later (timeouts, conflicts, rate limits); other 4xx will not."""
VOICES_PAGE_SIZE = 100
UNKNOWN_LOCALE = "mul"
"""BCP 47 "multiple languages": a voice that names no language speaks what the model can."""


class ElevenLabsEngine:
    """Streams speech from ElevenLabs; one HTTP connection pool per engine.

    Args:
        api_key: Sent as ``xi-api-key``.
        base_url: ``https://api.elevenlabs.io`` (or a data-residency host, or a local peer).
        model: ``model_id`` for every utterance, e.g. ``eleven_flash_v2_5`` (lowest latency).
        timeout_s: Longest wait for the connection, the first byte and each later byte: a
            vendor silent for this long has failed this utterance.
        name: The engine's name in voice maps and metrics.
        zero_retention: Ask ElevenLabs to keep nothing of each request
            (``enable_logging=false``): what the agent says can name the guest. ElevenLabs
            admits this for enterprise workspaces only and refuses the request otherwise.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = "https://api.elevenlabs.io",
        model: str = "eleven_flash_v2_5",
        timeout_s: float = 2.5,
        name: str = "elevenlabs",
        zero_retention: bool = False,
    ) -> None:
        self.name = name
        self.model = model
        self.timeout_s = timeout_s
        self.zero_retention = zero_retention
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s))
        self._client = AsyncElevenLabs(
            base_url=base_url.rstrip("/"),
            api_key=api_key,
            timeout=timeout_s,
            httpx_client=self._http,
        )
        self._options: RequestOptions = {"max_retries": 0}

    async def stream(self, text: str, voice: Voice, fmt: AudioFormat) -> AsyncIterator[bytes]:
        """Speak ``text`` as PCM chunks (even byte counts) at ``fmt``'s rate.

        Raises:
            EngineError: On any failure before or during the audio.
        """
        extra: dict[str, Any] = {}
        if self.model not in NO_LANGUAGE_CODE_MODELS:
            extra["language_code"] = voice.locale.split("-")[0].lower()
        if self.zero_retention:
            extra["enable_logging"] = False
        samples = WholeSamples()
        try:
            async for data in self._client.text_to_speech.stream(
                voice.voice_id,
                text=text,
                model_id=self.model,
                output_format=fmt.value,
                request_options=self._options,
                **extra,
            ):
                chunk = samples.feed(data)
                if chunk:
                    yield chunk
        except Exception as exc:  # the engine contract: no vendor exception escapes
            raise _engine_error(exc, "speak") from exc
        if samples.total == 0:
            raise EngineError("elevenlabs answered no audio", retryable=True)
        if samples.dangling:
            log.warning("elevenlabs audio ended mid-sample; dropped the last byte")

    async def voices(self) -> list[VoiceInfo]:
        """Every voice of the account (``GET /v2/voices``, all pages), one entry per locale.

        Raises:
            EngineError: When the list cannot be read.
        """
        found: list[VoiceInfo] = []
        token: str | None = None
        try:
            while True:
                page = await self._client.voices.search(
                    page_size=VOICES_PAGE_SIZE,
                    next_page_token=token,
                    request_options=self._options,
                )
                for vendor_voice in page.voices:
                    found.extend(self._voice_infos(vendor_voice))
                token = page.next_page_token
                if not page.has_more or not token:
                    return found
        except Exception as exc:
            raise _engine_error(exc, "list voices") from exc

    def _voice_infos(self, vendor_voice: VendorVoice) -> list[VoiceInfo]:
        """A voice per verified language; else its ``language`` label; else "multiple"."""
        labels = vendor_voice.labels or {}
        locales = [
            language.locale or language.language
            for language in vendor_voice.verified_languages or []
        ] or [labels.get("language") or UNKNOWN_LOCALE]
        return [
            VoiceInfo(
                engine=self.name,
                voice_id=vendor_voice.voice_id,
                locale=locale,
                name=vendor_voice.name or vendor_voice.voice_id,
                gender=labels.get("gender"),
            )
            for locale in dict.fromkeys(locales)
        ]

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()


def _engine_error(exc: Exception, what: str) -> EngineError:
    """Classify a failure: will the same request fail again, or may a retry work?

    HTTP answers carry a status (and ``detail.status`` in the body, never the key). Timeouts,
    refused or dropped connections may work next time. Anything else (a body the SDK cannot
    parse) is logged and counted as retryable, the engine's default.
    """
    if isinstance(exc, ApiError):
        status = exc.status_code or 0
        detail = exc.body.get("detail") if isinstance(exc.body, dict) else None
        reason = detail.get("status") if isinstance(detail, dict) else None
        return EngineError(
            f"elevenlabs could not {what}: HTTP {status}" + (f" ({reason})" if reason else ""),
            retryable=not status or status >= 500 or status in RETRYABLE_CLIENT_STATUSES,
        )
    if not isinstance(exc, httpx.HTTPError):
        log.exception("elevenlabs failed unexpectedly to %s", what)
    return EngineError(f"elevenlabs could not {what}: {type(exc).__name__}", retryable=True)
