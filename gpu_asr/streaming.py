"""``WS /v1/transcribe/stream``: a caller's audio in, partial and final results out.

The wire protocol is ``hotelvoice.contracts.asr_stream``. How this end behaves:

* **Every handshake is accepted**, then checked in this order; a failed check sends one
  ``error`` message and closes with its code, the error code as the close reason:

  1. the ``Authorization: Bearer`` header, verified as the HTTP routes verify it
     (``require_role(Role.SERVICE)``; admin passes too): missing, invalid or expired → 4401
     ``unauthorized``; another role → 4403 ``forbidden``; over the caller's rate limit → 1013
     ``rate_limited``;
  2. the query: ``sample_rate`` 8000 or 16000 (``bad_audio``), ``language`` like ``de`` or
     ``de-DE`` (``invalid_request``) → 4400;
  3. capacity: beyond ``asr_max_streams`` open streams → 1013 ``overloaded``; the streams
     already open are not affected.

  Refusing during the handshake instead would reach a client as a bare HTTP status (uvicorn
  answers 403 to any refused handshake), so 4401 and 4403 could not be told apart there.

* **Audio**: binary frames of at most ``MAX_FRAME_BYTES`` and an even number of bytes, at most
  ``asr_max_stream_s`` in all; otherwise 4400 (``bad_audio``, ``audio_too_long``). That limit
  is counted in audio, not wall time, and is meant to hold a whole call (the hotels' longest);
  the agent's plugin moves to a fresh stream at an utterance boundary long before. At the
  limit the proxy stops reading, and the local recogniser first works through the audio it
  received: the finals of utterances that ended before the limit come before the close (an
  utterance still open gets none; the client carries that audio into its next stream), so
  what a client must carry does not depend on how far the recogniser lagged behind the socket
  (Riva answers live, and what it has not returned by then is not waited for). One
  utterance is bounded by ``asr_max_audio_s`` of speech instead: the local recogniser ends it
  there with a final and listens on (Riva ends its utterances itself and keeps at most
  ``riva_stream.REPLAY_MAX_S`` of unfinished audio). A text frame that is not a ``flush`` or
  ``end`` message → 4400 ``bad_message``. Nothing received for ``asr_stream_idle_s`` (wall
  time) → 4408 ``idle_timeout``.
* **Backpressure**: frames go through a queue of ``asr_stream_queue_frames``; when it is full
  the session stops reading the socket, so TCP slows the caller down instead of the proxy
  buffering without bound.
* **Results**: ``partial`` messages while the recogniser hears speech, a ``final`` per
  utterance and one per ``flush`` (empty text if nothing was heard since the last final). A
  final's ``language`` is the client's hint, or lingua's guess from the text among en, de, fr,
  es, it (``asr_default_language`` when the text is too short to judge). After ``end``: the
  last finals, then ``end`` with the seconds of audio received, then close 1000.
* **Recogniser failure**: the backend reconnects within ``asr_reconnect_s``; if it cannot,
  ``asr_unavailable`` and close 1011. A language the recogniser has no model for → 4400.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Final as Constant

from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import QueryParams
from starlette.websockets import WebSocket, WebSocketDisconnect

from gpu_asr.backends import FLUSH, AsrBackend, AudioInput, Final, Partial
from gpu_asr.metrics import ProxyMetrics
from hotelvoice.auth import Role
from hotelvoice.contracts.asr import WordTiming
from hotelvoice.contracts.asr_stream import (
    CLOSE_BACKEND_UNAVAILABLE,
    CLOSE_BAD_REQUEST,
    CLOSE_FORBIDDEN,
    CLOSE_IDLE,
    CLOSE_NORMAL,
    CLOSE_OVERLOADED,
    CLOSE_UNAUTHORIZED,
    MAX_FRAME_BYTES,
    ClientMessage,
    EndMessage,
    ErrorMessage,
    FinalResult,
    PartialResult,
    StreamEnd,
    StreamError,
)
from hotelvoice.errors import Forbidden, HotelVoiceError, InvalidRequest, RateLimited, Unauthorized
from hotelvoice.http_app import require_role
from hotelvoice.settings import Settings, get_settings
from hotelvoice.speech.audio import SAMPLE_WIDTH_BYTES
from hotelvoice.speech.language_id import detect_language

log = logging.getLogger(__name__)

LANGUAGE_PATTERN: Constant = r"^[a-z]{2}(-[A-Z]{2})?$"
"""A language hint: ``de`` or a locale such as ``de-DE`` (the HTTP route takes the same)."""
TELEPHONY_RATES: Constant = ("8000", "16000")
_ARRIVAL_STEP_S: Constant = 0.02  # arrival times are kept per 20 ms of audio at most
_client_messages: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
_authorize = require_role(Role.SERVICE)


class StreamFailure(Exception):
    """Why a stream ends abnormally: the close code, and the error the client reads first."""

    def __init__(self, close_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.close_code = close_code
        self.code = code
        self.message = message

    @classmethod
    def of(cls, exc: HotelVoiceError) -> StreamFailure:
        """The close that tells a client what a domain error tells an HTTP client."""
        if isinstance(exc, Unauthorized):
            return cls(CLOSE_UNAUTHORIZED, exc.code, exc.message)
        if isinstance(exc, Forbidden):
            return cls(CLOSE_FORBIDDEN, exc.code, exc.message)
        if isinstance(exc, RateLimited):
            return cls(CLOSE_OVERLOADED, exc.code, exc.message)
        if isinstance(exc, InvalidRequest):
            return cls(CLOSE_BAD_REQUEST, exc.code, exc.message)
        return cls(CLOSE_BACKEND_UNAVAILABLE, exc.code, exc.message)


class _ClientGone(Exception):
    """The client disconnected: nobody is left to tell anything."""


class StreamLimiter:
    """Open streams of one app; the limit is read per stream, from the settings."""

    def __init__(self) -> None:
        """No stream open."""
        self.active = 0

    def try_acquire(self, limit: int) -> bool:
        """Take a slot if one is free (no await in between: the event loop makes it atomic)."""
        if self.active >= limit:
            return False
        self.active += 1
        return True

    def release(self) -> None:
        """Give a slot back."""
        self.active -= 1


async def serve_stream(
    websocket: WebSocket,
    recogniser: Callable[[], AsrBackend],
    metrics: ProxyMetrics,
    limiter: StreamLimiter,
) -> None:
    """Run one stream from handshake to close (see the module docstring for the behaviour)."""
    await websocket.accept()
    settings = get_settings()
    try:
        await asyncio.to_thread(_authorize, websocket.headers.get("authorization"))
        sample_rate, language = _options_of(websocket.query_params)
    except HotelVoiceError as exc:
        await _close_with(websocket, StreamFailure.of(exc), metrics)
        return
    except StreamFailure as failure:
        await _close_with(websocket, failure, metrics)
        return
    if not limiter.try_acquire(settings.asr_max_streams):
        metrics.refused_streams.inc()
        refusal = f"the proxy serves {settings.asr_max_streams} streams already; try again later"
        await _close_with(
            websocket, StreamFailure(CLOSE_OVERLOADED, "overloaded", refusal), metrics
        )
        return
    metrics.streams.inc()
    metrics.active_streams.inc()
    try:
        session = _Session(websocket, recogniser, sample_rate, language, settings, metrics)
        await session.run()
    finally:
        metrics.active_streams.dec()
        limiter.release()


def _options_of(query: QueryParams) -> tuple[int, str | None]:
    rate = query.get("sample_rate")
    if rate not in TELEPHONY_RATES:
        raise StreamFailure(CLOSE_BAD_REQUEST, "bad_audio", "sample_rate must be 8000 or 16000")
    language = query.get("language") or None
    if language is not None and not re.fullmatch(LANGUAGE_PATTERN, language):
        raise StreamFailure(
            CLOSE_BAD_REQUEST, "invalid_request", "language must look like de or de-DE"
        )
    return int(rate), language


async def _close_with(websocket: WebSocket, failure: StreamFailure, metrics: ProxyMetrics) -> None:
    """The error message, then the close; a client already gone is not an error."""
    metrics.errors.labels(mode="stream", code=failure.code).inc()
    message = ErrorMessage(error=StreamError(code=failure.code, message=failure.message))
    try:
        await websocket.send_text(message.model_dump_json())
        await websocket.close(failure.close_code, reason=failure.code)
    except (WebSocketDisconnect, RuntimeError, OSError):
        log.info("client left before the %s close", failure.close_code)


class _Session:
    """One accepted stream: a socket reader and a recogniser, joined by a bounded queue."""

    def __init__(
        self,
        websocket: WebSocket,
        recogniser: Callable[[], AsrBackend],
        sample_rate: int,
        language: str | None,
        settings: Settings,
        metrics: ProxyMetrics,
    ) -> None:
        self._ws = websocket
        self._recogniser = recogniser
        self._rate = sample_rate
        self._language = language
        self._settings = settings
        self._metrics = metrics
        # None ends the input; a failure ends it after the audio queued before it.
        self._queue: asyncio.Queue[AudioInput | StreamFailure | None] = asyncio.Queue(
            max(1, settings.asr_stream_queue_frames)
        )
        self._bytes_per_s = sample_rate * SAMPLE_WIDTH_BYTES
        self._max_bytes = int(settings.asr_max_stream_s * self._bytes_per_s)
        self._received = 0
        # (stream offset in bytes at the end of a frame, when it arrived): for final latency.
        self._arrivals: deque[tuple[int, float]] = deque()
        # The labelled child once per stream, not a label lookup (and its lock) per frame.
        self._audio_seconds = metrics.audio_seconds.labels(mode="stream")

    async def run(self) -> None:
        """Read and recognise until the client's ``end`` is answered or the stream fails."""
        reader = asyncio.create_task(self._read())
        recogniser = asyncio.create_task(self._recognise())
        failure: StreamFailure | None = None
        try:
            done, _ = await asyncio.wait({reader, recogniser}, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        except _ClientGone:
            return
        except StreamFailure as exc:
            failure = exc
        except HotelVoiceError as exc:
            failure = StreamFailure.of(exc)
        except Exception:
            log.exception("stream failed")
            failure = StreamFailure(CLOSE_BACKEND_UNAVAILABLE, "internal_error", "internal error")
        finally:
            for task in (reader, recogniser):
                task.cancel()
            await asyncio.gather(reader, recogniser, return_exceptions=True)
        if failure is not None:
            await _close_with(self._ws, failure, self._metrics)
            return
        try:
            await self._send(StreamEnd(audio_s=round(self._received / self._bytes_per_s, 3)))
            await self._ws.close(CLOSE_NORMAL)
        except _ClientGone:
            return

    # the socket ----------------------------------------------------------------------------
    async def _read(self) -> None:
        idle_s = self._settings.asr_stream_idle_s
        while True:
            try:
                # Not wait_for: on 3.11 it can swallow a cancel that lands as a frame arrives.
                async with asyncio.timeout(idle_s):
                    message = await self._ws.receive()
            except TimeoutError:
                raise StreamFailure(
                    CLOSE_IDLE, "idle_timeout", f"no audio or message for {idle_s:g} s"
                ) from None
            if message["type"] == "websocket.disconnect":
                raise _ClientGone
            data = message.get("bytes")
            if data is not None:
                if data:
                    if over := self._take_audio(data):
                        await self._queue.put(over)  # heard up to here, then the close
                        return
                    # A full queue stops the reading here until the recogniser catches up.
                    await self._queue.put(data)
                continue
            try:
                control = _client_messages.validate_json(message.get("text") or "")
            except ValidationError:
                raise StreamFailure(
                    CLOSE_BAD_REQUEST, "bad_message", 'text frames are {"type": "flush"|"end"}'
                ) from None
            if isinstance(control, EndMessage):
                await self._queue.put(None)
                return
            await self._queue.put(FLUSH)

    def _take_audio(self, data: bytes) -> StreamFailure | None:
        """Count a frame in; past the stream's limit, the failure to close with instead."""
        if len(data) > MAX_FRAME_BYTES:
            raise StreamFailure(
                CLOSE_BAD_REQUEST, "bad_audio", f"frames may hold at most {MAX_FRAME_BYTES} bytes"
            )
        if len(data) % SAMPLE_WIDTH_BYTES:
            raise StreamFailure(
                CLOSE_BAD_REQUEST, "bad_audio", "16-bit PCM needs an even number of bytes"
            )
        if self._received + len(data) > self._max_bytes:
            limit = self._settings.asr_max_stream_s
            return StreamFailure(CLOSE_BAD_REQUEST, "audio_too_long", f"more than {limit:g} s")
        self._received += len(data)
        self._audio_seconds.inc(len(data) / self._bytes_per_s)
        now = time.monotonic()
        step = _ARRIVAL_STEP_S * self._bytes_per_s
        if self._arrivals and self._received - self._arrivals[-1][0] < step:
            self._arrivals[-1] = (self._received, now)  # tiny frames: one entry per 20 ms
        else:
            self._arrivals.append((self._received, now))
        return None

    async def _send(self, message: PartialResult | FinalResult | StreamEnd) -> None:
        try:
            await self._ws.send_text(message.model_dump_json())
        except (WebSocketDisconnect, RuntimeError, OSError) as exc:
            raise _ClientGone from exc

    # the recogniser ------------------------------------------------------------------------
    async def _frames(self) -> AsyncIterator[AudioInput]:
        while (item := await self._queue.get()) is not None:
            if isinstance(item, StreamFailure):
                raise item  # out through the backend, which has answered what came before
            yield item

    async def _recognise(self) -> None:
        events = self._recogniser().stream(self._frames(), self._rate, self._language)
        try:
            async for event in events:
                if isinstance(event, Partial):
                    await self._send(PartialResult(text=event.text, stability=event.stability))
                else:
                    await self._send_final(event)
        finally:
            close = getattr(events, "aclose", None)
            if close is not None:
                await close()

    async def _send_final(self, final: Final) -> None:
        heard = final.transcript
        language = self._language or await asyncio.to_thread(
            detect_language, heard.text, self._settings.asr_default_language
        )
        arrived = self._arrival_of(final.heard_until_s)
        await self._send(
            FinalResult(
                text=heard.text,
                confidence=heard.confidence,
                words=[
                    WordTiming(word=w.word, start_s=w.start_s, end_s=w.end_s) for w in heard.words
                ],
                language=language,
                start_s=round(final.start_s, 3),
                end_s=round(final.end_s, 3),
            )
        )
        if heard.text and arrived is not None:
            self._metrics.final_latency_seconds.observe(time.monotonic() - arrived)

    def _arrival_of(self, until_s: float) -> float | None:
        """When the audio up to ``until_s`` had arrived; earlier entries are done with."""
        target = until_s * self._bytes_per_s - SAMPLE_WIDTH_BYTES
        arrived = None
        while self._arrivals and self._arrivals[0][0] < target:
            arrived = self._arrivals.popleft()[1]
        return self._arrivals[0][1] if self._arrivals else arrived
