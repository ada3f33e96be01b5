"""LiveKit STT that streams the caller's audio to the ASR proxy's WebSocket.

Words arrive while the caller is still speaking (partials), so the session can stop the
agent on the caller's first words and the turn detector sees text as soon as it exists;
with the one-request-per-utterance plugin (:mod:`asr_proxy_stt`) words only came after the
caller fell silent. The wire protocol is :mod:`hotelvoice.contracts.asr_stream`.

Failures become LiveKit's ``APIError`` family, which the stream's ``conn_options`` retry:
an overloaded proxy (1013) or a lost recogniser (1011) are retryable, a refused token or
refused audio are not. The session resamples room audio to the proxy's rate before it
arrives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Final
from urllib.parse import urlencode

import websockets
from livekit import rtc
from livekit.agents import (
    DEFAULT_API_CONNECT_OPTIONS,
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
from pydantic import TypeAdapter, ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hotelvoice.contracts.asr_stream import (
    CLOSE_BACKEND_UNAVAILABLE,
    CLOSE_NORMAL,
    CLOSE_OVERLOADED,
    FinalResult,
    PartialResult,
    ServerMessage,
    StreamEnd,
)
from hotelvoice.errors import Unavailable
from realtime_agent.service_auth import Credentials, bearer_token
from realtime_agent.speech.asr_proxy_stt import AsrProxySTT, _proxy_language

STREAM_PATH: Final = "/v1/transcribe/stream"
STREAM_SAMPLE_RATE: Final = 16000
"""The acoustic models' rate; room audio (48 kHz) is resampled to it by the base class."""
_RETRYABLE_CLOSES: Final = (CLOSE_OVERLOADED, CLOSE_BACKEND_UNAVAILABLE)
_server_message: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


class AsrStreamSTT(stt.STT):
    """Streaming recognition through the proxy; single utterances go over its HTTP API."""

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Credentials,
        language: str = "en",
        sample_rate: int = STREAM_SAMPLE_RATE,
    ) -> None:
        """Configure the plugin; nothing is opened until a stream starts.

        Args:
            base_url: The proxy's root URL (``http://…``; the WebSocket is ``ws://…`` there).
            credentials: A service token, or one of our renewing ``httpx.Auth`` objects.
            language: Hint sent with each stream; ``update_options`` changes it mid-call.
            sample_rate: 8000 or 16000: what the proxy is sent.
        """
        super().__init__(
            capabilities=stt.STTCapabilities(
                streaming=True, interim_results=True, aligned_transcript="word"
            )
        )
        self._base_url = base_url.rstrip("/")
        self._credentials = credentials
        self._language = LanguageCode(language)
        self._sample_rate = sample_rate
        self._offline = AsrProxySTT(base_url=base_url, credentials=credentials, language=language)

    @property
    def model(self) -> str:
        """Which engine answers is the proxy's business."""
        return "gpu_asr"

    @property
    def provider(self) -> str:
        """Labels this plugin's metrics."""
        return "hotelvoice"

    def update_options(self, *, language: str) -> None:
        """Hint a new language for streams opened from now on (the caller switched)."""
        self._language = LanguageCode(language)
        self._offline = AsrProxySTT(
            base_url=self._base_url, credentials=self._credentials, language=language
        )

    async def _recognize_impl(
        self,
        buffer: utils.AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        """One buffered utterance: the proxy's HTTP API does that in one round trip."""
        return await self._offline.recognize(buffer, language=language, conn_options=conn_options)

    def stream(
        self,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.RecognizeStream:
        """A stream for the session to push the caller's frames into."""
        hint = LanguageCode(language) if utils.is_given(language) else self._language
        return _ProxySpeechStream(stt=self, language=hint, conn_options=conn_options)

    def stream_url(self, language: LanguageCode) -> str:
        """The WebSocket address for one stream."""
        scheme_less = self._base_url.split("://", 1)[-1]
        scheme = "wss" if self._base_url.startswith("https://") else "ws"
        query = urlencode({"sample_rate": self._sample_rate, "language": _proxy_language(language)})
        return f"{scheme}://{scheme_less}{STREAM_PATH}?{query}"

    async def aclose(self) -> None:
        """Close the offline plugin's connection pool."""
        await self._offline.aclose()


class _ProxySpeechStream(stt.RecognizeStream):
    def __init__(
        self, *, stt: AsrStreamSTT, language: LanguageCode, conn_options: APIConnectOptions
    ) -> None:
        super().__init__(stt=stt, conn_options=conn_options, sample_rate=stt._sample_rate)
        self._plugin = stt
        self._language = language
        self._speaking = False

    async def _run(self) -> None:
        url = self._plugin.stream_url(self._language)
        ws = await self._connect(url)
        sender = asyncio.create_task(self._send(ws), name="asr_stream_send")
        try:
            await self._receive(ws)
        finally:
            await utils.aio.cancel_and_wait(sender)
            with contextlib.suppress(Exception):
                await ws.close()

    async def _connect(self, url: str) -> ClientConnection:
        try:
            token = await bearer_token(self._plugin._credentials)
            return await connect(
                url,
                additional_headers={"authorization": f"Bearer {token}"},
                open_timeout=self._conn_options.timeout,
                max_size=2**20,
                compression=None,  # PCM does not compress; deflate would only burn CPU
            )
        except InvalidStatus as exc:  # refused at the handshake
            status = exc.response.status_code
            raise APIStatusError(
                f"the ASR proxy refused the stream ({status})",
                status_code=status,
                body=exc.response.body.decode(errors="replace") if exc.response.body else None,
            ) from exc
        except TimeoutError as exc:
            raise APITimeoutError(f"the ASR proxy did not answer at {url}") from exc
        except (OSError, websockets.WebSocketException) as exc:
            raise APIConnectionError(f"cannot reach the ASR proxy at {url}") from exc
        except Unavailable as exc:  # the identity provider handed out no token
            raise APIConnectionError(f"no service token for the ASR proxy: {exc}") from exc

    async def _send(self, ws: ClientConnection) -> None:
        """Frames as binary messages, flushes as ``flush``, the end of input as ``end``."""
        async for item in self._input_ch:
            if isinstance(item, rtc.AudioFrame):
                if item.samples_per_channel:
                    await ws.send(item.data.tobytes())
            else:
                await ws.send(json.dumps({"type": "flush"}))
        await ws.send(json.dumps({"type": "end"}))

    async def _receive(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                message = _parse(raw)
                if isinstance(message, PartialResult):
                    self._on_partial(message)
                elif isinstance(message, FinalResult):
                    self._on_final(message)
                elif isinstance(message, StreamEnd):
                    return
                # ErrorMessage: its code comes again as the close reason, handled below
        except ConnectionClosed:
            pass
        _raise_for_close(ws.close_code, ws.close_reason)

    def _on_partial(self, message: PartialResult) -> None:
        if not message.text:
            return
        if not self._speaking:
            self._speaking = True
            self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.START_OF_SPEECH))
        self._event_ch.send_nowait(
            stt.SpeechEvent(
                type=stt.SpeechEventType.INTERIM_TRANSCRIPT,
                alternatives=[
                    stt.SpeechData(language=self._language, text=message.text, confidence=0.0)
                ],
            )
        )

    def _on_final(self, message: FinalResult) -> None:
        if message.text and not self._speaking:
            self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.START_OF_SPEECH))
        offset = self.start_time_offset
        data = stt.SpeechData(
            language=LanguageCode(message.language),
            text=message.text,
            confidence=message.confidence or 0.0,
            start_time=message.start_s + offset,
            end_time=message.end_s + offset,
            words=[
                TimedString(w.word, start_time=w.start_s + offset, end_time=w.end_s + offset)
                for w in message.words
            ]
            or None,
        )
        self._event_ch.send_nowait(
            stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[data])
        )
        if message.text or self._speaking:
            self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.END_OF_SPEECH))
        self._speaking = False


def _parse(raw: str | bytes) -> ServerMessage:
    try:
        return _server_message.validate_json(raw)
    except ValidationError as exc:
        # a proxy speaking another protocol will not speak this one on retry either
        raise APIError("the ASR proxy sent an unreadable message", retryable=False) from exc


def _raise_for_close(code: int | None, reason: str) -> None:
    """A normal close is the end; anything else is an error LiveKit knows how to retry."""
    if code == CLOSE_NORMAL:
        return
    what = f"the ASR proxy closed the stream ({code} {reason})".strip()
    if code in _RETRYABLE_CLOSES or code is None or code < 4000:
        raise APIConnectionError(what)
    # 44xx mirror HTTP 4xx: a bad token or bad audio fails the same way on retry
    raise APIStatusError(what, status_code=code - 4000, body=reason)
