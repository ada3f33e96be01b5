"""LiveKit STT over our ASR proxy (``gpu_asr``): one HTTP request per caller utterance.

The proxy fronts Riva on the GPU task (pocketsphinx in local mode) and answers
``POST /v1/transcribe`` with the whole utterance's text, so this plugin is non-streaming: the
session's VAD cuts the caller's audio into utterances (``stt.StreamAdapter``) and each one is
sent as a 16-bit mono WAV. Failures are raised as LiveKit's ``APIError`` family, because that
is what ``STT.recognize`` retries and what ``stt.FallbackAdapter`` switches engines on; any
other exception would end the turn without either.
"""

from __future__ import annotations

import re
from typing import Final

import httpx
import numpy as np
from livekit import rtc
from livekit.agents import (
    APIConnectionError,
    APIConnectOptions,
    APIError,
    APIStatusError,
    APITimeoutError,
    LanguageCode,
    stt,
    utils,
)
from livekit.agents.types import NOT_GIVEN, NotGivenOr, TimedString
from pydantic import ValidationError

from hotelvoice.contracts.asr import TranscribeResult
from hotelvoice.errors import Unavailable
from hotelvoice.speech.audio import Pcm
from realtime_agent.http_client import tls_context
from realtime_agent.service_auth import Credentials, as_auth

ASR_SAMPLE_RATE: Final = 16000
"""Rate sent to the proxy unless the call already arrives at a telephone rate."""
TELEPHONE_RATES: Final = (8000, 16000)
TRANSCRIBE_PATH: Final = "/v1/transcribe"
DEFAULT_REQUEST_TIMEOUT_S: Final = 10.0
"""Whole-request budget; the connect part comes from the session's ``APIConnectOptions``."""

_PROXY_LANGUAGE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")  # what the proxy's query accepts


class AsrProxySTT(stt.STT):
    """Recognises one buffered utterance per call to ``recognize`` through the ASR proxy."""

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Credentials,
        language: str = "en",
        request_timeout_s: float = DEFAULT_REQUEST_TIMEOUT_S,
    ) -> None:
        """Configure the plugin; no connection is opened until the first utterance.

        Args:
            base_url: The proxy's root URL, e.g. ``http://asr.internal:8080``.
            credentials: A service token, or an ``httpx.Auth`` that renews one.
            language: Language hint sent with each utterance unless ``recognize`` names one.
            request_timeout_s: Upper bound for one request, reading the answer included.
        """
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self._url = base_url.rstrip("/") + TRANSCRIBE_PATH
        self._auth = as_auth(credentials)
        self._language = LanguageCode(language)
        self._request_timeout_s = request_timeout_s
        self._client: httpx.AsyncClient | None = None

    @property
    def model(self) -> str:
        """Which engine answers is the proxy's business (its ``backend`` field)."""
        return "gpu_asr"

    @property
    def provider(self) -> str:
        """Labels this plugin's metrics."""
        return "hotelvoice"

    def update_options(self, *, language: str) -> None:
        """Hint ``language`` with every utterance from now on (the caller switched)."""
        self._language = LanguageCode(language)

    async def _recognize_impl(
        self,
        buffer: utils.AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        """POST the utterance; map every failure to the ``APIError`` family."""
        hint = LanguageCode(language) if utils.is_given(language) else self._language
        request_id = utils.shortuuid("asr_")
        pcm = utterance_pcm(buffer)
        if pcm.num_samples == 0:  # the proxy refuses empty audio; there is nothing to hear
            return _final(request_id, TranscribeResult(text="", language=hint))
        response = await self._post(pcm, hint, request_id, conn_options)
        if response.status_code >= 400:
            raise _status_error(response, request_id)
        try:
            transcription = TranscribeResult.model_validate_json(response.content)
        except ValidationError as exc:
            # a proxy that answers another contract will not answer this one on retry either
            raise APIError("the ASR proxy sent an unreadable answer", retryable=False) from exc
        return _final(request_id, transcription)

    async def _post(
        self, pcm: Pcm, language: LanguageCode, request_id: str, conn_options: APIConnectOptions
    ) -> httpx.Response:
        if self._client is None:
            self._client = httpx.AsyncClient(auth=self._auth, verify=tls_context())
        try:
            return await self._client.post(
                self._url,
                content=pcm.to_wav_bytes(),
                params={"language": _proxy_language(language)},
                headers={"content-type": "audio/wav", "x-request-id": request_id},
                timeout=httpx.Timeout(self._request_timeout_s, connect=conn_options.timeout),
            )
        except httpx.TimeoutException as exc:
            raise APITimeoutError(f"the ASR proxy did not answer at {self._url}") from exc
        except httpx.HTTPError as exc:
            raise APIConnectionError(f"cannot reach the ASR proxy at {self._url}") from exc
        except Unavailable as exc:  # the identity provider did not hand out a service token
            raise APIConnectionError(f"no service token for the ASR proxy: {exc}") from exc

    async def aclose(self) -> None:
        """Close the connection pool; the plugin may still be used afterwards."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()


def utterance_pcm(buffer: utils.AudioBuffer) -> Pcm:
    """Turn LiveKit audio into what the proxy expects: 16-bit mono at 8 or 16 kHz.

    Room audio usually arrives at 24 or 48 kHz, sometimes in stereo; sending it as is would
    triple the upload for no gain, since the acoustic models run at 16 kHz.

    Args:
        buffer: One frame or a list of frames of the same rate and channel count.

    Returns:
        The utterance as :class:`Pcm` (empty for an empty buffer).
    """
    if isinstance(buffer, list) and not buffer:
        return Pcm(b"", ASR_SAMPLE_RATE)
    frame = rtc.combine_audio_frames(buffer)
    samples = np.frombuffer(frame.data, dtype=np.int16)
    if frame.num_channels > 1:
        samples = samples.reshape(-1, frame.num_channels).astype(np.float64).mean(axis=1)
    pcm = Pcm.from_array(samples, frame.sample_rate)
    return pcm if pcm.sample_rate in TELEPHONE_RATES else pcm.resample(ASR_SAMPLE_RATE)


def _proxy_language(language: LanguageCode) -> str:
    """``en-US`` or ``en``: the proxy accepts nothing longer."""
    return language.iso if _PROXY_LANGUAGE.match(language.iso) else language.language


def _final(request_id: str, transcription: TranscribeResult) -> stt.SpeechEvent:
    words = [
        TimedString(w.word, start_time=w.start_s, end_time=w.end_s) for w in transcription.words
    ]
    data = stt.SpeechData(
        language=LanguageCode(transcription.language),
        text=transcription.text,
        confidence=transcription.confidence or 0.0,
        words=words or None,
    )
    return stt.SpeechEvent(
        type=stt.SpeechEventType.FINAL_TRANSCRIPT, request_id=request_id, alternatives=[data]
    )


def _status_error(response: httpx.Response, request_id: str) -> APIStatusError:
    """Our one error body (``{"error": {"code", "message", "request_id"}}``) as LiveKit's error.

    LiveKit marks 4xx other than 408/429 as not retryable, so a bad token or bad audio fails
    the utterance at once, while 5xx and 429 go through the session's retries.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("error") if isinstance(body, dict) else None
    detail = detail if isinstance(detail, dict) else {}
    return APIStatusError(
        str(detail.get("message") or f"the ASR proxy answered {response.status_code}"),
        status_code=response.status_code,
        request_id=str(detail.get("request_id") or request_id),
        body=body,
    )
