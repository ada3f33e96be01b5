"""Speech synthesis for the agent and other services, through the shared cache.

``POST /v1/tts`` speaks one utterance with the hotel's voice chain (ElevenLabs → Azure →
espeak, whichever have keys), from the S3 + DynamoDB cache when another call already paid
for it. The audio comes back in the body as a WAV, or as a presigned link to the cached
object, which keeps large prompts out of Lambda's 6 MB response. Text with personal data is
never cached, so it can only come back in the body.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Annotated, Final

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.contracts.tts import (
    TtsRequest,
    TtsUrl,
    VoiceEntry,
    VoicesQuery,
    VoicesResponse,
)
from hotelvoice.errors import ErrorBody, InvalidRequest
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.http_app import principal_with
from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm
from hotelvoice.tts.router import TtsRouter
from hotelvoice.tts.shared_tier import SharedTier
from hotelvoice.tts.utterance import Synthesis

router = APIRouter(tags=["tts"])
Speaker = principal_with(Role.SERVICE, Role.ADMIN)
"""The agent speaks; admins preview a hotel's voices and pre-warm prompts."""
Reader = principal_with(Role.SERVICE, Role.ADMIN, Role.STAFF)
URL_EXPIRY_S: Final = 300
"""Long enough to fetch the audio, short enough that a leaked link is soon useless."""
VOICES_TIMEOUT_S: Final = 5.0


_COLD_START_SETTINGS = get_settings()
"""Read once at cold start, as Lambda configuration is: the chain, keys' secret names, cache."""


@lru_cache(maxsize=1)
def tts_router() -> TtsRouter:
    """One router per warm Lambda: engines keep connections, the LRU keeps hot prompts."""
    return TtsRouter.from_settings(_COLD_START_SETTINGS)


def _router_for(fmt: str) -> TtsRouter:
    shared = tts_router()
    if shared.fmt.value == fmt:
        return shared
    return _router_in(fmt)


@lru_cache(maxsize=2)
def _router_in(fmt: str) -> TtsRouter:
    return TtsRouter.from_settings(_COLD_START_SETTINGS.model_copy(update={"tts_format": fmt}))


@router.post(
    "/v1/tts",
    responses={
        200: {
            "content": {
                "audio/wav": {},
                "application/json": {"schema": TtsUrl.model_json_schema()},
            },
            "description": "The WAV (``delivery: audio``) or a presigned link (``delivery: url``)",
        },
        404: {"model": ErrorBody, "description": "The hotel named by ``hotel_id`` is not found."},
        503: {
            "model": ErrorBody,
            "description": "No engine of the chain could speak (``speech_unavailable``).",
        },
    },
)
async def synthesize(body: TtsRequest, principal: Speaker) -> Response:
    """Speak ``text`` in ``locale`` with the hotel's voice; cached unless it is personal."""
    hotel_voices = None
    public_texts: tuple[str, ...] = ()
    if body.hotel_id is not None:
        principal.require_hotel(body.hotel_id)
        config = await asyncio.to_thread(
            HotelDirectory(get_settings().hotels_table).get, body.hotel_id
        )
        hotel_voices = config.voices
        public_texts = (config.front_desk, *config.dialled_numbers)
    tts = _router_for(body.format)
    if not tts.voices_for(body.locale, hotel_voices):
        raise InvalidRequest(
            f"no voice speaks {body.locale!r}; ask GET /v1/voices", code="unsupported_locale"
        )
    if body.delivery == "url" and not _shared_tier(tts):
        raise InvalidRequest("no shared cache is configured for links", code="url_unavailable")
    result = await tts.synthesize(
        body.text,
        locale=body.locale,
        hotel_voices=hotel_voices,
        public_texts=public_texts,
        cacheable=not body.personal,
    )
    if body.delivery == "url":
        return _link(tts, result)
    return Response(
        content=Pcm(result.audio, result.fmt.sample_rate).to_wav_bytes(),
        media_type="audio/wav",
        headers=_described(result),
    )


@router.get("/v1/voices")
async def voices(principal: Reader, query: Annotated[VoicesQuery, Query()]) -> VoicesResponse:
    """Voices of every engine in the chain (optionally one locale's); slow engines are named."""
    del principal
    tts = tts_router()
    results = await asyncio.gather(
        *(asyncio.wait_for(e.voices(), VOICES_TIMEOUT_S) for e in tts.engines),
        return_exceptions=True,
    )
    entries: list[VoiceEntry] = []
    unavailable: list[str] = []
    for engine, result in zip(tts.engines, results, strict=True):
        if isinstance(result, BaseException):
            unavailable.append(engine.name)
            continue
        entries.extend(
            VoiceEntry(
                engine=v.engine, voice_id=v.voice_id, locale=v.locale, name=v.name, gender=v.gender
            )
            for v in result
            if query.locale is None or _same_locale(v.locale, query.locale)
        )
    return VoicesResponse(
        voices=entries, engines=[e.name for e in tts.engines], unavailable=unavailable
    )


def _same_locale(voice_locale: str, wanted: str) -> bool:
    """``de`` matches every German voice; ``de-DE`` only the German German ones."""
    if "-" in wanted:
        return voice_locale.lower() == wanted.lower()
    return voice_locale.split("-", maxsplit=1)[0].lower() == wanted


def _shared_tier(tts: TtsRouter) -> SharedTier | None:
    tiers = tts.cache.tiers if tts.cache is not None else []
    return next((t for t in tiers if isinstance(t, SharedTier)), None)


def _link(tts: TtsRouter, result: Synthesis) -> Response:
    tier = _shared_tier(tts)
    if result.key is None or tier is None or not (result.stored or result.cache_tier):
        raise InvalidRequest(
            "text with personal data is never cached; ask for delivery: audio",
            code="not_cacheable",
        )
    url = aws.client("s3").generate_presigned_url(
        "get_object",
        Params={"Bucket": tier.bucket, "Key": tier.object_key(result.key)},
        ExpiresIn=URL_EXPIRY_S,
    )
    link = TtsUrl(
        url=url,
        expires_in_s=URL_EXPIRY_S,
        format=result.fmt.value,
        sample_rate=result.fmt.sample_rate,
        engine=result.voice.engine,
        voice=result.voice.voice_id,
        cache="hit" if result.cache_hit else "miss",
        bytes=len(result.audio),
    )
    return Response(
        content=link.model_dump_json(), media_type="application/json", headers=_described(result)
    )


def _described(result: Synthesis) -> dict[str, str]:
    return {
        "x-tts-engine": result.voice.engine,
        "x-tts-voice": result.voice.voice_id,
        "x-tts-cache": "hit" if result.cache_hit else ("stored" if result.stored else "skip"),
    }
