"""The proxy's routes: ``GET /health`` is open, every other one needs a service token.

``POST /v1/transcribe`` (offline), ``WS /v1/transcribe/stream`` (live) and ``GET /metrics``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from functools import lru_cache
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Query, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from gpu_asr.backends import AsrBackend, backend_named
from gpu_asr.metrics import metrics_of
from gpu_asr.streaming import LANGUAGE_PATTERN, StreamLimiter, serve_stream
from hotelvoice.auth import Role
from hotelvoice.contracts.asr import TranscribeResult, WordTiming
from hotelvoice.errors import InvalidRequest
from hotelvoice.http_app import principal_with
from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.language_id import detect_language

router = APIRouter()
Agent = principal_with(Role.SERVICE)
TELEPHONY_RATES = (8000, 16000)


class Health(BaseModel):
    """The backend answers, or it does not."""

    status: Literal["ok", "unavailable"]
    backend: str


@lru_cache(maxsize=1)
def backend() -> AsrBackend:
    """One recogniser per process: building the decoder is the expensive part."""
    return backend_named(get_settings().asr_backend)


@router.get("/health", response_model=Health)
async def health() -> JSONResponse:
    """Open, for the load balancer; loads the backend and asks it, so a broken one shows here.

    503 when the backend is down: load balancers and ECS look at the status code.
    """
    try:
        recogniser = backend()
        up = await recogniser.health()
        body = Health(status="ok" if up else "unavailable", backend=recogniser.name)
    except Exception:  # a backend that cannot start is exactly what health must report
        body = Health(status="unavailable", backend=get_settings().asr_backend)
    return JSONResponse(status_code=200 if body.status == "ok" else 503, content=body.model_dump())


WAV_RATES_HZ: Final = (8000, 48000)
"""Sample rates a WAV body may have: telephony's to studio's; the recognisers resample."""


@router.post("/v1/transcribe")
async def transcribe(
    request: Request,
    principal: Agent,
    language: Annotated[str | None, Query(pattern=LANGUAGE_PATTERN)] = None,
    sample_rate: Annotated[int | None, Query()] = None,
) -> TranscribeResult:
    """A WAV body (``audio/wav``) or base64 PCM (``text/plain``, 16-bit mono, 8/16 kHz).

    ``language`` in the answer is the hint, or lingua's guess from the text without one.
    """
    del principal
    metrics = metrics_of(request.app)
    with metrics.offline_request():
        body = await request.body()
        pcm = _audio_of(body, request.headers.get("content-type", ""), sample_rate)
        settings = get_settings()
        if pcm.duration_s > settings.asr_max_audio_s:
            limit = settings.asr_max_audio_s
            raise InvalidRequest(f"audio longer than {limit:g} s", code="audio_too_long")
        if pcm.duration_s == 0:
            raise InvalidRequest("no audio", code="empty_audio")
        metrics.audio_seconds.labels(mode="offline").inc(pcm.duration_s)
        result = await backend().transcribe(pcm, language)
        heard_in = language or await asyncio.to_thread(
            detect_language, result.text, settings.asr_default_language
        )
    return TranscribeResult(
        text=result.text,
        confidence=result.confidence,
        words=[WordTiming(word=w.word, start_s=w.start_s, end_s=w.end_s) for w in result.words],
        language=heard_in,
        backend=backend().name,
        audio_s=round(pcm.duration_s, 3),
    )


@router.websocket("/v1/transcribe/stream")
async def transcribe_stream(websocket: WebSocket) -> None:
    """Live recognition; the protocol is ``hotelvoice.contracts.asr_stream``.

    Auth, limits and close codes are ``gpu_asr.streaming``'s, since a WebSocket route cannot
    answer with the HTTP error body.
    """
    streams: StreamLimiter = websocket.app.state.streams
    await serve_stream(websocket, backend, metrics_of(websocket.app), streams)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, principal: Agent) -> Response:
    """Prometheus text format, for a scraper with a service token (see ``gpu_asr.metrics``)."""
    del principal
    return Response(metrics_of(request.app).exposition(), media_type=CONTENT_TYPE_LATEST)


def _audio_of(body: bytes, content_type: str, sample_rate: int | None) -> Pcm:
    if content_type.startswith(("audio/wav", "audio/x-wav", "audio/wave")):
        try:
            pcm = Pcm.from_wav_bytes(body)
        except Exception as exc:  # wave raises several error types for a bad header
            raise InvalidRequest("not a 16-bit mono PCM WAV", code="bad_audio") from exc
        # the header's rate is the client's word: 0 or 4 GHz would reach the recogniser
        low, high = WAV_RATES_HZ
        if not low <= pcm.sample_rate <= high:
            raise InvalidRequest(f"a WAV's rate must be {low}-{high} Hz", code="bad_audio")
        return pcm
    if content_type.startswith("text/plain"):
        if sample_rate not in TELEPHONY_RATES:
            raise InvalidRequest("sample_rate must be 8000 or 16000", code="bad_audio")
        try:
            raw = base64.b64decode(body, validate=True)
        except binascii.Error as exc:
            raise InvalidRequest("body is not base64", code="bad_audio") from exc
        if len(raw) % 2:
            raise InvalidRequest("16-bit PCM needs an even number of bytes", code="bad_audio")
        return Pcm(raw, sample_rate)
    raise InvalidRequest("send audio/wav or base64 PCM as text/plain", code="bad_audio")
