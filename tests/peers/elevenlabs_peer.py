"""A local ElevenLabs REST API: text-to-speech (whole and streamed) and the voice lists.

Point the official SDK at it with ``AsyncElevenLabs(base_url=peer.base_url, api_key=key)``.
Speech is real: the text is spoken by espeak-ng and resampled to the ``output_format`` rate,
so a wrong rate or language is audible to a recogniser downstream. The streamed body arrives
in several chunked-transfer pieces of odd sizes, as a real network delivers it.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .aiohttp_thread import ThreadedAiohttpServer, speak, split

KEY_HEADER = "xi-api-key"
_PCM = re.compile(r"^pcm_(?P<rate>8000|16000|22050|24000|44100|48000)$")

DEFAULT_VOICES: tuple[dict[str, Any], ...] = (
    {
        "voice_id": "JBFqnCBsd6RMkjVDRZzb",
        "name": "George",
        "category": "premade",
        "labels": {"accent": "british", "gender": "male", "language": "en"},
        "verified_languages": [
            {"language": "en", "model_id": "eleven_flash_v2_5", "locale": "en-GB"},
            {"language": "de", "model_id": "eleven_flash_v2_5", "locale": "de-DE"},
        ],
    },
    {
        "voice_id": "21m00Tcm4TlvDq8ikWAM",
        "name": "Rachel",
        "category": "premade",
        "labels": {"accent": "american", "gender": "female"},
    },
    {
        "voice_id": "Xb7hH8MSUJpSbSDYk0k2",
        "name": "Alice",
        "category": "premade",
        "labels": {"accent": "british", "gender": "female"},
        "verified_languages": [
            {"language": lang, "model_id": "eleven_flash_v2_5", "locale": locale}
            for lang, locale in [
                ("en", "en-GB"),
                ("de", "de-DE"),
                ("fr", "fr-FR"),
                ("es", "es-ES"),
                ("it", "it-IT"),
            ]
        ],
    },
)
"""Shaped like ``GET /v1/voices`` entries (``elevenlabs.types.Voice``)."""


@dataclass(frozen=True)
class RecordedRequest:
    """What the SDK sent; ``headers`` keys are lower-cased."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    voice_id: str | None = None


@dataclass
class _Behaviour:
    status: int | None = None
    stall_s: float = 0.0
    drop_mid_stream: bool = False


@dataclass
class _Log:
    requests: list[RecordedRequest] = field(default_factory=list)


class ElevenLabsPeer:
    """ElevenLabs on an ephemeral loopback port; ``stop()``/``start()`` keep the port."""

    def __init__(
        self,
        *,
        api_key: str = "test-key",
        voices: tuple[dict[str, Any], ...] = DEFAULT_VOICES,
        stream_pieces: int = 5,
        page_limit: int = 100,
        host: str = "127.0.0.1",
    ) -> None:
        """Prepare the peer.

        Args:
            api_key: The only ``xi-api-key`` accepted.
            voices: The account's voices, as ``GET /v1/voices`` lists them.
            stream_pieces: How many body writes carry each utterance.
            page_limit: Most voices per ``/v2/voices`` page, whatever ``page_size`` asks.
            host: Where to listen: loopback, or the host end of a test's network namespace.
        """
        self.api_key = api_key
        self.voices = voices
        self.stream_pieces = stream_pieces
        self.page_limit = page_limit
        self._behaviour = _Behaviour()
        self._log = _Log()
        self._lock = threading.Lock()
        self._server = ThreadedAiohttpServer(self._app, "elevenlabs-peer", host)

    # lifecycle ---------------------------------------------------------------------------
    def start(self) -> ElevenLabsPeer:
        """Serve (again) on the same port."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Close the port and every open connection."""
        self._server.stop()

    def __enter__(self) -> ElevenLabsPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What ``AsyncElevenLabs(base_url=...)`` takes (the SDK adds ``/v1/...``)."""
        return f"http://{self._server.host}:{self._server.port}"

    # scripting ---------------------------------------------------------------------------
    def fail_with(self, status: int) -> None:
        """Answer every request with this HTTP status until ``recover()``."""
        self._behaviour = _Behaviour(status=status)

    def stall(self, seconds: float) -> None:
        """Wait this long before the first byte of every answer."""
        self._behaviour = _Behaviour(stall_s=seconds)

    def drop_mid_stream(self) -> None:
        """Send the first piece of each speech body, then cut the TCP connection."""
        self._behaviour = _Behaviour(drop_mid_stream=True)

    def recover(self) -> None:
        """Answer normally again."""
        self._behaviour = _Behaviour()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received (refused ones too), oldest first."""
        with self._lock:
            return list(self._log.requests)

    # server ------------------------------------------------------------------------------
    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/text-to-speech/{voice_id}", self._speech)
        app.router.add_post("/v1/text-to-speech/{voice_id}/stream", self._speech)
        app.router.add_get("/v1/voices", self._voices_v1)
        app.router.add_get("/v2/voices", self._voices_v2)
        return app

    async def _record(self, request: web.Request) -> RecordedRequest:
        body = await request.json() if request.can_read_body else None
        recorded = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers={k.lower(): v for k, v in request.headers.items()},
            json=body,
            voice_id=request.match_info.get("voice_id"),
        )
        with self._lock:
            self._log.requests.append(recorded)
        return recorded

    async def _refusal(self, request: web.Request) -> web.Response | None:
        """The scripted failure, a missing key or a stall, as ElevenLabs words its errors."""
        behaviour = self._behaviour
        if behaviour.stall_s:
            await asyncio.sleep(behaviour.stall_s)
        if request.headers.get(KEY_HEADER) != self.api_key:
            return _error(401, "invalid_api_key", "Invalid API key")
        if behaviour.status is not None:
            return _error(behaviour.status, "peer_failure", "The peer was told to fail")
        return None

    async def _speech(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._record(request)
        refusal = await self._refusal(request)
        if refusal is not None:
            return refusal
        voice = next((v for v in self.voices if v["voice_id"] == recorded.voice_id), None)
        if voice is None:
            return _error(404, "voice_not_found", "A voice with that id was not found")
        found = _PCM.match(request.query.get("output_format", "mp3_44100_128"))
        if found is None:
            return _error(400, "unsupported_output_format", "The peer speaks pcm_* only")
        body = recorded.json or {}
        language = body.get("language_code") or voice.get("labels", {}).get("language", "en")
        audio = await asyncio.to_thread(speak, body.get("text", ""), language, int(found["rate"]))
        response = web.StreamResponse(headers={"Content-Type": "audio/pcm"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for n, piece in enumerate(split(audio, self.stream_pieces)):
            await response.write(piece)
            if self._behaviour.drop_mid_stream and n == 0:
                await asyncio.sleep(0.01)  # let the first piece reach the client
                if request.transport is not None:
                    request.transport.abort()
                return response
        await response.write_eof()
        return response

    async def _voices_v1(self, request: web.Request) -> web.StreamResponse:
        await self._record(request)
        refusal = await self._refusal(request)
        return refusal or web.json_response({"voices": list(self.voices)})

    async def _voices_v2(self, request: web.Request) -> web.StreamResponse:
        """Paged: ``page_size`` per page, ``next_page_token`` is the next index."""
        await self._record(request)
        refusal = await self._refusal(request)
        if refusal is not None:
            return refusal
        size = min(int(request.query.get("page_size", "10")), self.page_limit)
        start = int(request.query.get("next_page_token", "0"))
        page = list(self.voices[start : start + size])
        more = start + size < len(self.voices)
        return web.json_response(
            {
                "voices": page,
                "has_more": more,
                "total_count": len(self.voices),
                "next_page_token": str(start + size) if more else None,
            }
        )


def _error(status: int, code: str, message: str) -> web.Response:
    """ElevenLabs' error body: ``{"detail": {"status": ..., "message": ...}}``."""
    return web.json_response({"detail": {"status": code, "message": message}}, status=status)
