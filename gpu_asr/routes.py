"""``POST /v1/transcribe`` (service token) and ``GET /health`` (open)."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gpu_asr.backends import AsrBackend, backend_named
from hotelvoice.auth import Role
from hotelvoice.contracts.asr import TranscribeResult, WordTiming
from hotelvoice.errors import InvalidRequest
from hotelvoice.http_app import principal_with
from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm

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


@router.post("/v1/transcribe")
async def transcribe(
    request: Request,
    principal: Agent,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = None,
    sample_rate: Annotated[int | None, Query()] = None,
) -> TranscribeResult:
    """A WAV body (``audio/wav``) or base64 PCM (``text/plain``, 16-bit mono, 8/16 kHz)."""
    del principal
    pcm = _audio_of(await request.body(), request.headers.get("content-type", ""), sample_rate)
    limit = get_settings().asr_max_audio_s
    if pcm.duration_s > limit:
        raise InvalidRequest(f"audio longer than {limit:g} s", code="audio_too_long")
    if pcm.duration_s == 0:
        raise InvalidRequest("no audio", code="empty_audio")
    result = await backend().transcribe(pcm, language)
    return TranscribeResult(
        text=result.text,
        confidence=result.confidence,
        words=[WordTiming(word=w.word, start_s=w.start_s, end_s=w.end_s) for w in result.words],
        language=language or "en",
        backend=backend().name,
        audio_s=round(pcm.duration_s, 3),
    )


def _audio_of(body: bytes, content_type: str, sample_rate: int | None) -> Pcm:
    if content_type.startswith(("audio/wav", "audio/x-wav", "audio/wave")):
        try:
            return Pcm.from_wav_bytes(body)
        except Exception as exc:  # wave raises several error types for a bad header
            raise InvalidRequest("not a 16-bit mono PCM WAV", code="bad_audio") from exc
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
