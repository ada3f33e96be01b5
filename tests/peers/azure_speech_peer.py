"""A local Azure Speech text-to-speech service: the USP WebSocket and the voices list.

Point the official SDK at it with ``SpeechConfig(host=peer.host, subscription=key)``. The SDK
opens ``ws://HOST/cognitiveservices/websocket/v1`` (subprotocol ``USP``, header
``Ocp-Apim-Subscription-Key``) and sends text frames ``speech.config``, ``synthesis.context``
(the output format) and ``ssml``; the peer answers ``turn.start``, binary ``audio`` frames
(2-byte big-endian header length, ``Key:value`` header lines, PCM) and ``turn.end``. The audio
is the SSML's text spoken by espeak-ng at the requested rate, so a wrong format or voice
language is audible downstream. ``GET /cognitiveservices/voices/list`` serves the voice list
from the same host, as the SDK expects.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .aiohttp_thread import ThreadedAiohttpServer, speak, split

WS_PATH = "/cognitiveservices/websocket/v1"
VOICES_PATH = "/cognitiveservices/voices/list"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
_SSML_NS = "{http://www.w3.org/2001/10/synthesis}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_RAW_PCM = re.compile(r"^raw-(?P<khz>8|16|24|48)khz-16bit-mono-pcm$")

DEFAULT_VOICES: tuple[dict[str, str], ...] = (
    {
        "Name": "Microsoft Server Speech Text to Speech Voice (de-DE, KatjaNeural)",
        "DisplayName": "Katja",
        "LocalName": "Katja",
        "ShortName": "de-DE-KatjaNeural",
        "Gender": "Female",
        "Locale": "de-DE",
        "LocaleName": "German (Germany)",
        "SampleRateHertz": "48000",
        "VoiceType": "Neural",
        "Status": "GA",
    },
    {
        "Name": "Microsoft Server Speech Text to Speech Voice (en-US, GuyNeural)",
        "DisplayName": "Guy",
        "LocalName": "Guy",
        "ShortName": "en-US-GuyNeural",
        "Gender": "Male",
        "Locale": "en-US",
        "LocaleName": "English (United States)",
        "SampleRateHertz": "48000",
        "VoiceType": "Neural",
        "Status": "GA",
    },
)
"""The shape of ``voices/list`` entries in the public Speech REST reference."""


@dataclass(frozen=True)
class RecordedSynthesis:
    """One ``ssml`` turn: what the SDK sent on the socket that carried it."""

    headers: dict[str, str]
    """The WebSocket upgrade's headers, lower-cased."""
    speech_config: dict[str, Any]
    synthesis_context: dict[str, Any]
    ssml: str
    request_id: str
    voice: str
    language: str
    text: str

    @property
    def output_format(self) -> str:
        """E.g. ``raw-16khz-16bit-mono-pcm``."""
        return str(self.synthesis_context["synthesis"]["audio"]["outputFormat"])


@dataclass
class _Behaviour:
    refuse_status: int | None = None
    stall_s: float = 0.0
    drop_mid_stream: bool = False
    close_code: int | None = None
    close_reason: str = ""


@dataclass
class _Log:
    synthesis: list[RecordedSynthesis] = field(default_factory=list)
    upgrades: list[dict[str, str]] = field(default_factory=list)
    voice_lists: list[dict[str, str]] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)


class AzureSpeechPeer:
    """Azure Speech TTS on an ephemeral loopback port; ``stop()``/``start()`` keep the port."""

    def __init__(
        self,
        *,
        key: str = "test-key",
        voices: tuple[dict[str, str], ...] = DEFAULT_VOICES,
        audio_frames: int = 4,
        frame_gap_s: float = 0.005,
    ) -> None:
        """Prepare the peer.

        Args:
            key: The only subscription key accepted.
            voices: What ``voices/list`` answers.
            audio_frames: How many binary frames carry each turn (each of odd length).
            frame_gap_s: Pause between frames, as the service streams while it synthesises.
        """
        self.key = key
        self.voices = voices
        self.audio_frames = audio_frames
        self.frame_gap_s = frame_gap_s
        self._behaviour = _Behaviour()
        self._log = _Log()
        self._lock = threading.Lock()
        self._sockets: set[web.WebSocketResponse] = set()
        self._server = ThreadedAiohttpServer(self._app, "azure-speech-peer")

    # lifecycle ---------------------------------------------------------------------------
    def start(self) -> AzureSpeechPeer:
        """Serve (again) on the same port."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Close the port and every open socket, as a crashed service would."""
        self._server.stop()

    def __enter__(self) -> AzureSpeechPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def host(self) -> str:
        """What ``SpeechConfig(host=...)`` takes."""
        return f"ws://127.0.0.1:{self._server.port}"

    # scripting ---------------------------------------------------------------------------
    def fail_with(self, status: int) -> None:
        """Refuse every upgrade and voice list with this HTTP status until ``recover()``.

        Open sockets are closed first (code 1001, "going away"), as when the service
        restarts: the SDK's pooled connection must reconnect and meet the refusal.
        """
        self._behaviour = _Behaviour(refuse_status=status)
        if self._server.running:
            self._server.call(self._close_all())

    async def _close_all(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"peer going away")

    def stall(self, seconds: float) -> None:
        """Wait this long after each ``ssml`` before answering (a slow or hung service)."""
        self._behaviour = _Behaviour(stall_s=seconds)

    def drop_mid_stream(self) -> None:
        """Send the first audio frame of each turn, then cut the TCP connection."""
        self._behaviour = _Behaviour(drop_mid_stream=True)

    def close_with(self, code: int, reason: str) -> None:
        """Answer each ``ssml`` by closing the socket with this code, as the service reports
        bad SSML (1007) or throttling (4429)."""
        self._behaviour = _Behaviour(close_code=code, close_reason=reason)

    def recover(self) -> None:
        """Answer normally again."""
        self._behaviour = _Behaviour()

    # inspection --------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedSynthesis]:
        """Every ``ssml`` turn received, oldest first."""
        with self._lock:
            return list(self._log.synthesis)

    @property
    def upgrades(self) -> list[dict[str, str]]:
        """Headers of every WebSocket upgrade attempt (refused ones too), lower-cased."""
        with self._lock:
            return list(self._log.upgrades)

    @property
    def voice_lists(self) -> list[dict[str, str]]:
        """Headers of every voices-list request, lower-cased."""
        with self._lock:
            return list(self._log.voice_lists)

    @property
    def frames(self) -> list[str]:
        """Every text frame the SDK sent, verbatim (for learning the protocol)."""
        with self._lock:
            return list(self._log.frames)

    # server ------------------------------------------------------------------------------
    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(WS_PATH, self._websocket)
        app.router.add_get(VOICES_PATH, self._voice_list)
        return app

    def _refusal(self, request: web.Request) -> web.Response | None:
        status = self._behaviour.refuse_status
        if request.headers.get(KEY_HEADER) != self.key:
            status = 401
        if status is None:
            return None
        return web.json_response(
            {"error": {"code": str(status), "message": "peer refused the request"}},
            status=status,
        )

    async def _voice_list(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            self._log.voice_lists.append(_lower(request.headers))
        refusal = self._refusal(request)
        return refusal or web.json_response(list(self.voices))

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        headers = _lower(request.headers)
        with self._lock:
            self._log.upgrades.append(headers)
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        ws = web.WebSocketResponse(protocols=("USP",), autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await self._serve_socket(ws, request, headers)
        finally:
            self._sockets.discard(ws)
        return ws

    async def _serve_socket(
        self, ws: web.WebSocketResponse, request: web.Request, headers: dict[str, str]
    ) -> None:
        speech_config: dict[str, Any] = {}
        contexts: dict[str, dict[str, Any]] = {}
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            with self._lock:
                self._log.frames.append(message.data)
            frame_headers, body = _parse_text_frame(message.data)
            path = frame_headers.get("path", "").lower()
            request_id = frame_headers.get("x-requestid", "")
            if path == "speech.config":
                speech_config = json.loads(body)
            elif path == "synthesis.context":
                contexts[request_id] = json.loads(body)
            elif path == "ssml":
                context = contexts.pop(request_id, {})
                turn = _recorded(headers, speech_config, context, body, request_id)
                with self._lock:
                    self._log.synthesis.append(turn)
                if not await self._answer(ws, request, turn):
                    break

    async def _answer(
        self, ws: web.WebSocketResponse, request: web.Request, turn: RecordedSynthesis
    ) -> bool:
        """Speak one turn; False when the socket is gone."""
        behaviour = self._behaviour
        if behaviour.stall_s:
            await asyncio.sleep(behaviour.stall_s)
        if behaviour.close_code is not None:
            await ws.close(code=behaviour.close_code, message=behaviour.close_reason.encode())
            return False
        rate = _sample_rate(turn.output_format)
        if rate is None:
            await ws.close(code=1007, message=b"Unsupported output format")
            return False
        rid = turn.request_id
        await ws.send_str(_text_frame(rid, "turn.start", {"context": {"serviceTag": "peer"}}))
        audio = await asyncio.to_thread(speak, turn.text, turn.language, rate)
        for n, piece in enumerate(split(audio, self.audio_frames)):
            if n:
                await asyncio.sleep(self.frame_gap_s)
            await ws.send_bytes(_audio_frame(rid, piece))
            if behaviour.drop_mid_stream and n == 0:
                transport = request.transport
                if transport is not None:
                    transport.abort()
                return False
        await ws.send_str(_text_frame(rid, "turn.end", None))
        return True


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _parse_text_frame(data: str) -> tuple[dict[str, str], str]:
    """USP text frame: ``Key:value`` lines, a blank line, the body."""
    head, _, body = data.partition("\r\n\r\n")
    headers = {}
    for line in head.split("\r\n"):
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return headers, body


def _text_frame(request_id: str, path: str, body: dict[str, Any] | None) -> str:
    content = json.dumps(body) if body is not None else ""
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        f"Path:{path}\r\n\r\n{content}"
    )


def _audio_frame(request_id: str, pcm: bytes) -> bytes:
    """USP binary frame: 2-byte big-endian header length, headers, payload."""
    head = f"X-RequestId:{request_id}\r\nContent-Type:audio/x-wav\r\nPath:audio\r\n".encode()
    return len(head).to_bytes(2, "big") + head + pcm


def _sample_rate(output_format: str) -> int | None:
    found = _RAW_PCM.match(output_format)
    if not found:
        return None
    return int(found["khz"]) * 1000


def _recorded(
    headers: dict[str, str],
    speech_config: dict[str, Any],
    context: dict[str, Any],
    ssml: str,
    request_id: str,
) -> RecordedSynthesis:
    root = ET.fromstring(ssml)  # the peer parses what our own engine sent
    voice = root.find(f"{_SSML_NS}voice")
    language = root.get(_XML_LANG, "")
    text = "".join(voice.itertext() if voice is not None else root.itertext())
    return RecordedSynthesis(
        headers=headers,
        speech_config=speech_config,
        synthesis_context=context,
        ssml=ssml,
        request_id=request_id,
        voice=voice.get("name", "") if voice is not None else "",
        language=language,
        text=text,
    )
