"""Streaming recognition on Riva, with reconnects that do not lose the caller's words.

Each utterance span is one ``StreamingRecognize`` call with ``interim_results``: the config
first, then the audio, built by ``riva.client.asr.streaming_request_generator`` as the official
client builds it. We call the stub with that generator ourselves rather than through
``ASRService.streaming_response_generator`` only to keep the call object, because a call that
cannot be cancelled cannot be timed out or abandoned.

gRPC's sync API needs threads: gRPC pulls the request generator in its own thread and one
thread per call iterates the responses; both talk to the event loop through queues. gRPC pulls
the next chunk only after the previous one was sent, and we hand it at most ``CREDITS`` chunks
ahead, so a slow Riva slows the proxy's reading of the caller's socket instead of filling
memory. Every hop into the event loop (``call_soon_threadsafe``) costs a wake-up through its
self-pipe, so gRPC's request thread wakes the loop only when the loop is actually waiting for
credits (never in a live call, which sends far slower than gRPC takes), and a response is handed
straight to the future the loop awaits instead of through an ``asyncio.Queue`` and a task per
response. The two threads themselves remain about half of the proxy's CPU per stream; gRPC's
asyncio API would remove them, but grpcio (1.85) then reports a server's error status as
``INTERNAL`` when a write races the call's end (grpc/grpc#36066), which would turn Riva's
"no model for this language" (4400) into a 1011.

Audio since the last final is kept (up to ``REPLAY_MAX_S``). When Riva fails with a transient
status (restart, overload) a new call replays it, so the utterance in progress is recognised
whole; retries back off from 0.1 s to 1 s until ``asr_reconnect_s`` after the failure, then the
stream fails with ``Unavailable`` (the session closes 1011). A ``flush`` or the end of the input
half-closes the call: Riva answers with its finals and ends the call, and the next audio opens
a new one. Riva's word times are relative to the call's first byte; we shift them into the
stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Literal
from typing import Final as Constant

import grpc
import riva.client
from riva.client.asr import streaming_request_generator
from riva.client.proto import riva_asr_pb2 as rasr

from gpu_asr.backends import AudioInput, Final, Flush, Partial, StreamEvent
from hotelvoice.errors import Unavailable
from hotelvoice.speech.audio import SAMPLE_WIDTH_BYTES
from hotelvoice.speech.transcript import Transcript, Word

log = logging.getLogger(__name__)

CREDITS: Constant = 4
"""Chunks handed to gRPC and not yet pulled by it."""
REPLAY_MAX_S: Constant = 30.0
"""Longest unfinished audio kept for a reconnect; older audio is given up."""
RETRY_FIRST_S: Constant = 0.1
RETRY_MAX_S: Constant = 1.0
_REPLAY_CHUNK_S: Constant = 0.1


class _Ended:
    """The call ended normally: Riva sent its last response."""


_ENDED: Constant = _Ended()
CallEvent = rasr.StreamingRecognizeResponse | grpc.RpcError | _Ended


class _Call:
    """One ``StreamingRecognize`` call, bridged between gRPC's threads and the event loop."""

    def __init__(
        self, asr: riva.client.ASRService, config: rasr.StreamingRecognitionConfig, replay: bytes
    ) -> None:
        self._loop = asyncio.get_running_loop()
        self._requests: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._room = asyncio.Event()
        self._room.set()
        # Chunks queued and not yet pulled by gRPC; both sides change it, hence the lock.
        self._credit_lock = threading.Lock()
        self._unsent = 0
        self._getter: asyncio.Future[CallEvent] | None = None
        self._arrived: deque[CallEvent] = deque()  # events nobody awaited yet
        self.answered = False
        """Riva has sent at least one response on this call."""
        piece = max(2, round(config.config.sample_rate_hertz * _REPLAY_CHUNK_S) * 2)
        for start in range(0, len(replay), piece):
            self.send(replay[start : start + piece])
        self._rendezvous: Any = asr.stub.StreamingRecognize(
            streaming_request_generator(self._audio(), config),
            metadata=asr.auth.get_auth_metadata(),
        )
        threading.Thread(target=self._receive, name="riva-stream", daemon=True).start()

    # event loop side ---------------------------------------------------------------------
    def send(self, chunk: bytes) -> None:
        """Queue audio for gRPC; :meth:`room` tells when to send more."""
        with self._credit_lock:
            self._unsent += 1
            if self._unsent >= CREDITS:
                self._room.clear()
        self._requests.put(chunk)

    async def room(self) -> None:
        """Wait until gRPC has taken enough of the queued audio."""
        await self._room.wait()

    def half_close(self) -> None:
        """No more audio in this call: Riva sends its finals and ends it."""
        self._requests.put(None)

    def abandon(self) -> None:
        """Cancel the call and release everyone waiting on it."""
        self._room.set()
        self._requests.put(None)
        self._rendezvous.cancel()
        if self._getter is not None:
            self._getter.cancel()

    def next_event(self) -> asyncio.Future[CallEvent]:
        """The pending read of the next event (the same one until it is taken)."""
        if self._getter is None:
            self._getter = self._loop.create_future()
            if self._arrived:
                self._getter.set_result(self._arrived.popleft())
        return self._getter

    def take(self) -> CallEvent:
        """The event :meth:`next_event` completed with."""
        assert self._getter is not None
        event, self._getter = self._getter.result(), None
        self.answered = self.answered or isinstance(event, rasr.StreamingRecognizeResponse)
        return event

    def _arrive(self, event: CallEvent) -> None:
        """An event from gRPC's response thread: to the waiting read, or kept for the next."""
        getter = self._getter
        if getter is not None and not getter.done():
            getter.set_result(event)
        else:
            self._arrived.append(event)

    def _room_again(self) -> None:
        with self._credit_lock:
            if self._unsent < CREDITS:
                self._room.set()

    # gRPC's threads ----------------------------------------------------------------------
    def _audio(self) -> Iterator[bytes]:
        while (chunk := self._requests.get()) is not None:
            with self._credit_lock:
                self._unsent -= 1
                blocked = self._unsent == CREDITS - 1  # the loop may be waiting in room()
            if blocked:
                self._notify(self._room_again)
            yield chunk

    def _receive(self) -> None:
        try:
            for response in self._rendezvous:
                self._notify(self._arrive, response)
        except grpc.RpcError as exc:
            self._notify(self._arrive, exc)
        else:
            self._notify(self._arrive, _ENDED)

    def _notify(self, callback: Callable[..., None], *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # a closed loop: the stream is long gone
            self._loop.call_soon_threadsafe(callback, *args)


class RivaStream:
    """Recognise one caller's stream; see the module docstring for the behaviour."""

    def __init__(
        self,
        asr: riva.client.ASRService,
        config: rasr.StreamingRecognitionConfig,
        *,
        transient: Callable[[grpc.RpcError], bool],
        error_of: Callable[[grpc.RpcError], Exception],
        reconnect_s: float,
        final_timeout_s: float,
    ) -> None:
        """Prepare; nothing is sent to Riva before the first audio."""
        self._asr = asr
        self._config = config
        self._bytes_per_s = config.config.sample_rate_hertz * SAMPLE_WIDTH_BYTES
        self._transient = transient
        self._error_of = error_of
        self._reconnect_s = reconnect_s
        self._final_timeout_s = final_timeout_s
        self._call: _Call | None = None
        self._replay = bytearray()
        self._replay_start = 0  # stream byte offset of the first byte in _replay
        self._call_start = 0  # stream byte offset of the current call's first byte
        self._received = 0
        self._closing: Literal["flush", "end"] | None = None
        self._close_deadline = 0.0
        self._finals_since_close = 0
        self._last_partial = ""
        self._outage_since: float | None = None
        self._retry_s = RETRY_FIRST_S

    async def run(self, audio: AsyncIterator[AudioInput]) -> AsyncIterator[StreamEvent]:
        """Events for ``audio`` until it ends and Riva's last final is out."""
        source = aiter(audio)
        pull: asyncio.Future[AudioInput | None] | None = None
        try:
            while True:
                if pull is None and self._closing is None:
                    pull = asyncio.ensure_future(self._next_input(source))
                waiting: set[asyncio.Future[Any]] = {pull} if pull is not None else set()
                if self._call is not None:
                    waiting.add(self._call.next_event())
                if not waiting:
                    return
                timeout = None
                if self._closing is not None:
                    timeout = max(0.0, self._close_deadline - time.monotonic())
                done, _ = await asyncio.wait(
                    waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                )
                if not done:
                    log.warning("riva sent no final within %.1f s", self._final_timeout_s)
                    raise Unavailable("speech recognition timed out", code="asr_unavailable")
                call = self._call
                if call is not None and call.next_event() in done:
                    for event in await self._on_call_event(call.take()):
                        yield event
                    if self._closing == "end" and self._call is None:
                        return
                if pull is not None and pull.done():
                    item, pull = pull.result(), None
                    for event in self._on_input(item):
                        yield event
                    if self._closing == "end" and self._call is None:
                        return
        finally:
            if pull is not None:
                pull.cancel()
            if self._call is not None:
                self._call.abandon()

    # input ---------------------------------------------------------------------------------
    async def _next_input(self, source: AsyncIterator[AudioInput]) -> AudioInput | None:
        if self._call is not None:
            await self._call.room()
        return await anext(source, None)

    def _on_input(self, item: AudioInput | None) -> list[StreamEvent]:
        if isinstance(item, bytes):
            self._keep(item)
            if self._call is None:
                self._open()
            else:
                self._call.send(item)
            return []
        if self._call is None and self._replay:
            self._open()  # Riva ended a call on its own while audio was still unfinished
        self._closing = "flush" if isinstance(item, Flush) else "end"
        if self._call is None:
            return self._closed_without_call()
        self._call.half_close()
        self._close_deadline = time.monotonic() + self._final_timeout_s
        self._finals_since_close = 0
        return []

    def _keep(self, chunk: bytes) -> None:
        self._received += len(chunk)
        self._replay += chunk
        excess = len(self._replay) - int(REPLAY_MAX_S * self._bytes_per_s)
        if excess > 0:
            excess += excess % SAMPLE_WIDTH_BYTES
            del self._replay[:excess]
            self._replay_start += excess

    def _open(self) -> None:
        self._call_start = self._replay_start
        self._call = _Call(self._asr, self._config, bytes(self._replay))

    def _closed_without_call(self) -> list[StreamEvent]:
        """A flush or end with nothing sent to Riva since the last final."""
        answer: list[StreamEvent] = []
        if self._closing == "flush":
            answer.append(Final.empty_at(self._received / self._bytes_per_s))
            self._closing = None
        return answer

    # Riva's side ---------------------------------------------------------------------------
    async def _on_call_event(self, event: CallEvent) -> list[StreamEvent]:
        if isinstance(event, rasr.StreamingRecognizeResponse):
            self._outage_since = None
            return self._results(event)
        ended = self._call
        assert ended is not None
        ended.abandon()  # releases gRPC's request thread
        self._call = None
        if isinstance(event, _Ended) or (self._closing is not None and not self._replay):
            # Over, or failed with nothing left to recognise.
            if self._closing == "flush" and self._finals_since_close:
                self._closing = None
                return []
            if self._closing is not None:
                return self._closed_without_call()
            if not self._replay:
                return []
            if not ended.answered:  # ended without a word: retry within the budget, not forever
                return await self._retry_after(None)
            self._open()  # Riva ended the call mid-utterance: keep listening
            return []
        return await self._retry_after(event)

    async def _retry_after(self, failure: grpc.RpcError | None) -> list[StreamEvent]:
        """Open a new call with the unfinished audio, or give up when the budget is spent."""
        if failure is not None and not self._transient(failure):
            raise self._error_of(failure)
        now = time.monotonic()
        if self._outage_since is None:
            self._outage_since, self._retry_s = now, RETRY_FIRST_S
        elapsed = now - self._outage_since
        if elapsed >= self._reconnect_s:
            log.warning("riva did not come back within %.1f s", self._reconnect_s)
            raise Unavailable("speech recognition is unavailable", code="asr_unavailable")
        await asyncio.sleep(min(self._retry_s, self._reconnect_s - elapsed))
        self._retry_s = min(2 * self._retry_s, RETRY_MAX_S)
        if not self._replay:
            return self._closed_without_call()
        self._open()
        if self._closing is not None and self._call is not None:
            self._call.half_close()
        return []

    def _results(self, response: rasr.StreamingRecognizeResponse) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        for result in response.results:
            if not result.alternatives:
                continue
            best = result.alternatives[0]
            text = " ".join(best.transcript.lower().split())
            if not result.is_final:
                if text and text != self._last_partial:
                    self._last_partial = text
                    events.append(Partial(text, round(result.stability, 3)))
                continue
            final = self._final(result, best, text)
            if final is not None:
                events.append(final)
        return events

    def _final(
        self,
        result: rasr.StreamingRecognitionResult,
        best: rasr.SpeechRecognitionAlternative,
        text: str,
    ) -> Final | None:
        """A final in stream time; the audio it covers leaves the replay buffer."""
        offset_s = self._call_start / self._bytes_per_s
        heard_until_s = offset_s + result.audio_processed
        done = round(heard_until_s * self._bytes_per_s) - self._replay_start
        done = min(max(done - done % SAMPLE_WIDTH_BYTES, 0), len(self._replay))
        del self._replay[:done]
        self._replay_start += done
        self._last_partial = ""
        if not text:
            return None
        self._finals_since_close += 1
        words = tuple(
            Word(
                w.word.lower(),
                round(offset_s + w.start_time / 1000, 3),
                round(offset_s + w.end_time / 1000, 3),
            )
            for w in best.words
        )
        start_s = words[0].start_s if words else offset_s
        end_s = words[-1].end_s if words else heard_until_s
        transcript = Transcript(text, best.confidence or None, words)
        return Final(transcript, start_s, end_s, heard_until_s)
