"""LiveKit STT that streams the caller's audio to the ASR proxy's WebSocket.

Words arrive while the caller is still speaking (partials), so the session can stop the
agent on the caller's first words and the turn detector sees text as soon as it exists;
with the one-request-per-utterance plugin (:mod:`asr_proxy_stt`) words only came after the
caller fell silent. The wire protocol is :mod:`hotelvoice.contracts.asr_stream`.

A call is not one WebSocket: the proxy bounds a stream's audio, and one long stream would
lose the words in flight when it ends. The plugin moves to a fresh WebSocket at an utterance
boundary after ``rollover_after_s`` heard, and continues one the proxy closes at a limit, each
time starting the new one with the audio no final has covered yet. When the caller's
language changes (``update_options``) the stream moves to a WebSocket with the new hint at
once, the same way, so the caller's next words reach their own language's model.

Failures become LiveKit's ``APIError`` family, which the stream's ``conn_options`` retry:
an overloaded proxy (1013) or a lost recogniser (1011) are retryable, a refused token or
refused audio are not. The session resamples room audio to the proxy's rate before it
arrives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import weakref
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
    CLOSE_BAD_REQUEST,
    CLOSE_IDLE,
    CLOSE_NORMAL,
    CLOSE_OVERLOADED,
    MAX_FRAME_BYTES,
    FinalResult,
    PartialResult,
    ServerMessage,
    StreamEnd,
)
from hotelvoice.errors import Unavailable
from hotelvoice.speech.audio import SAMPLE_WIDTH_BYTES
from realtime_agent.http_client import tls_context
from realtime_agent.service_auth import Credentials, bearer_token
from realtime_agent.speech.asr_proxy_stt import AsrProxySTT, _proxy_language

STREAM_PATH: Final = "/v1/transcribe/stream"
STREAM_SAMPLE_RATE: Final = 16000
"""The acoustic models' rate; room audio (48 kHz) is resampled to it by the base class."""
ROLLOVER_AFTER_S: Final = 30.0
"""Audio one WebSocket has heard before the next utterance boundary moves to a fresh one."""
MAX_CARRY_S: Final = 120.0
"""Most audio kept for the next WebSocket while no final covers it. Speech ends in a final
well within it (the proxy ends an utterance at ``asr_max_audio_s``), so what is given up
beyond it is silence; the proxy's ``asr_max_stream_s`` must be longer."""
_RETRYABLE_CLOSES: Final = (CLOSE_OVERLOADED, CLOSE_BACKEND_UNAVAILABLE)
_AUDIO_TOO_LONG: Final = "audio_too_long"
_FLUSH: Final = json.dumps({"type": "flush"})
_END: Final = json.dumps({"type": "end"})
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
        rollover_after_s: float = ROLLOVER_AFTER_S,
        max_carry_s: float = MAX_CARRY_S,
    ) -> None:
        """Configure the plugin; nothing is opened until a stream starts.

        Args:
            base_url: The proxy's root URL (``http://…``; the WebSocket is ``ws://…`` there).
            credentials: A service token, or one of our renewing ``httpx.Auth`` objects.
            language: Hint sent with each stream; ``update_options`` changes it mid-call.
            sample_rate: 8000 or 16000: what the proxy is sent.
            rollover_after_s: A WebSocket that has heard this much audio gives way to a fresh
                one at its next final.
            max_carry_s: Audio kept for the next WebSocket while no final covers it.
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
        self._rollover_after_s = rollover_after_s
        self._max_carry_s = max_carry_s
        self._offline = AsrProxySTT(base_url=base_url, credentials=credentials, language=language)
        self._following: weakref.WeakSet[_ProxySpeechStream] = weakref.WeakSet()

    @property
    def model(self) -> str:
        """Which engine answers is the proxy's business."""
        return "gpu_asr"

    @property
    def provider(self) -> str:
        """Labels this plugin's metrics."""
        return "hotelvoice"

    def update_options(self, *, language: str) -> None:
        """Hint a new language from now on (the caller switched), open streams included.

        A stream opened without a language of its own moves to a WebSocket with the new
        hint at once, carrying the audio no final has covered yet.
        """
        self._language = LanguageCode(language)
        for stream in list(self._following):
            stream.follow(self._language)
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
        if utils.is_given(language):
            return _ProxySpeechStream(
                stt=self, language=LanguageCode(language), conn_options=conn_options
            )
        stream = _ProxySpeechStream(stt=self, language=self._language, conn_options=conn_options)
        self._following.add(stream)
        return stream

    def stream_url(self, language: LanguageCode) -> str:
        """The WebSocket address for one stream."""
        scheme_less = self._base_url.split("://", 1)[-1]
        scheme = "wss" if self._base_url.startswith("https://") else "ws"
        query = urlencode({"sample_rate": self._sample_rate, "language": _proxy_language(language)})
        return f"{scheme}://{scheme_less}{STREAM_PATH}?{query}"

    async def aclose(self) -> None:
        """Close the offline plugin's connection pool."""
        await self._offline.aclose()


class _Outcome(enum.Enum):
    """How one WebSocket of a stream ended, when it did not fail."""

    DONE = enum.auto()  # the input ended and the proxy answered it all
    ROLL_OVER = enum.auto()  # at an utterance boundary, after ``rollover_after_s`` of audio
    REOPEN = enum.auto()  # the proxy closed it at a limit; a fresh one takes over at once
    IDLE = enum.auto()  # the proxy closed it for want of audio; reopen when audio comes


class _ProxySpeechStream(stt.RecognizeStream):
    """One LiveKit stream, carried by as many proxy WebSockets in a row as the call needs.

    Audio not yet covered by a final (``_unheard``) is kept; whenever one WebSocket gives way
    to the next (a roll-over, a limit the proxy enforced, a retry LiveKit makes after an error)
    the next one starts with that audio, so no word in flight is lost. The proxy's times are
    per WebSocket; each is shifted by where its first byte lies in the stream.
    """

    def __init__(
        self, *, stt: AsrStreamSTT, language: LanguageCode, conn_options: APIConnectOptions
    ) -> None:
        super().__init__(stt=stt, conn_options=conn_options, sample_rate=stt._sample_rate)
        self._plugin = stt
        self._language = language
        self._speaking = False
        self._bytes_per_s = stt._sample_rate * SAMPLE_WIDTH_BYTES
        self._origin_s: float | None = None  # start_time_offset when the stream first ran
        self._taken = 0  # bytes of audio taken from the input so far
        self._unheard = bytearray()  # audio after the last final, from byte _unheard_from on
        self._unheard_from = 0
        self._flushes_owed = 0  # flushes sent that no final has answered yet
        self._input_ended = False
        self._held: rtc.AudioFrame | stt.RecognizeStream._FlushSentinel | None = None
        self._language_changed = asyncio.Event()

    def follow(self, language: LanguageCode) -> None:
        """Recognise in ``language`` from now on: the open WebSocket gives way to one for it."""
        if language != self._language:
            self._language = language
            self._language_changed.set()

    async def _run(self) -> None:
        if self._origin_s is None:
            # Later runs are LiveKit's retries: it adds the wall time in between to the
            # offset, but the audio of that time waited in the input and comes after the
            # audio kept here, so positions in the audio stay the right clock.
            self._origin_s = self.start_time_offset
        while True:
            self._language_changed.clear()
            url = self._plugin.stream_url(self._language)
            outcome = await self._serve(await self._connect(url))
            if outcome is _Outcome.DONE:
                return
            if outcome is _Outcome.IDLE and not self._input_ended:
                try:  # the unheard audio waits for the caller's next frame: a muted caller
                    self._held = await self._input_ch.recv()
                except utils.aio.ChanClosed:
                    self._input_ended = True
                    if not self._unheard:
                        return

    async def _serve(self, ws: ClientConnection) -> _Outcome:
        """One WebSocket: the unheard audio first, then the live input, until it gives way."""
        base = self._unheard_from
        sender = asyncio.create_task(self._send(ws), name="asr_stream_send")
        receiver = asyncio.create_task(self._receive(ws, base), name="asr_stream_receive")
        relanguage = asyncio.create_task(self._language_changed.wait())
        try:
            await asyncio.wait({receiver, relanguage}, return_when=asyncio.FIRST_COMPLETED)
            if receiver.done():
                return receiver.result()
            return _Outcome.ROLL_OVER  # the caller's language changed: a WebSocket hinting it
        finally:
            await utils.aio.cancel_and_wait(sender, receiver, relanguage)
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
                # websockets would build a TLS context (a CA bundle parsed) per connection
                ssl=tls_context() if url.startswith("wss:") else None,
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
        carried = bytes(self._unheard)
        for start in range(0, len(carried), MAX_FRAME_BYTES):
            await ws.send(carried[start : start + MAX_FRAME_BYTES])
        if self._flushes_owed:  # its answer was lost with the previous WebSocket
            self._flushes_owed = 1
            await ws.send(_FLUSH)
        if not self._input_ended:
            if self._held is not None:
                item, self._held = self._held, None
                await self._send_item(ws, item)
            async for item in self._input_ch:
                await self._send_item(ws, item)
            self._input_ended = True
        await ws.send(_END)

    async def _send_item(
        self, ws: ClientConnection, item: rtc.AudioFrame | stt.RecognizeStream._FlushSentinel
    ) -> None:
        if isinstance(item, rtc.AudioFrame):
            if item.samples_per_channel:
                data = item.data.tobytes()
                self._keep(data)  # before sending: a roll-over that cancels the send carries it
                await ws.send(data)
        else:
            self._flushes_owed += 1
            await ws.send(_FLUSH)

    def _keep(self, data: bytes) -> None:
        self._taken += len(data)
        self._unheard += data
        excess = len(self._unheard) - round(self._plugin._max_carry_s * self._bytes_per_s)
        if excess > 0:  # only long silence gets here: speech ends in a final within limits
            excess += excess % SAMPLE_WIDTH_BYTES
            del self._unheard[:excess]
            self._unheard_from += excess

    def _heard_until(self, position: int) -> None:
        """A final covers the audio up to ``position``: it need not be carried any more."""
        done = min(position - self._unheard_from, len(self._unheard))
        done -= done % SAMPLE_WIDTH_BYTES
        if done > 0:
            del self._unheard[:done]
            self._unheard_from += done

    async def _receive(self, ws: ClientConnection, base: int) -> _Outcome:
        base_s = base / self._bytes_per_s
        try:
            async for raw in ws:
                message = _parse(raw)
                if isinstance(message, PartialResult):
                    self._on_partial(message)
                elif isinstance(message, FinalResult):
                    self._on_final(message, base_s)
                    heard_to = base + round(message.end_s * self._bytes_per_s)
                    self._heard_until(heard_to)
                    if self._may_roll_over(heard_to - base):
                        return _Outcome.ROLL_OVER
                elif isinstance(message, StreamEnd):
                    return _Outcome.DONE
                # ErrorMessage: its code comes again as the close reason, handled below
        except ConnectionClosed:
            pass
        return self._after_close(ws.close_code, ws.close_reason, base)

    def _may_roll_over(self, heard_bytes: int) -> bool:
        """After a final, with enough heard on this WebSocket and no flush left to answer.

        Speech that began after the final may already be on its way: it is in the unheard
        audio, which the next WebSocket starts with.
        """
        return (
            not self._input_ended
            and not self._flushes_owed
            and heard_bytes >= self._plugin._rollover_after_s * self._bytes_per_s
        )

    def _after_close(self, code: int | None, reason: str, base: int) -> _Outcome:
        """Limits reopen; anything else ends or fails the stream as before."""
        if code == CLOSE_IDLE:
            return _Outcome.IDLE
        # The next WebSocket starts with the unheard audio; if that alone is as much as this
        # one took, the proxy's limit is below what must be carried: give up.
        too_long = code == CLOSE_BAD_REQUEST and reason == _AUDIO_TOO_LONG
        if too_long and self._taken - base > len(self._unheard):
            return _Outcome.REOPEN
        _raise_for_close(code, reason)
        return _Outcome.DONE

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

    def _on_final(self, message: FinalResult, base_s: float) -> None:
        self._flushes_owed = max(0, self._flushes_owed - 1)
        if message.text and not self._speaking:
            self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.START_OF_SPEECH))
        offset = (self._origin_s or 0.0) + base_s
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
