"""An ASR proxy that answers instantly: the streaming protocol of ``gpu_asr``, no recogniser.

For load measurements of the worker (``make load``): every utterance the caller speaks is
"recognised" as the peer's script line the moment it ends, so what the measurement sees is the
worker's own cost, not a recogniser's. It speaks ``hotelvoice.contracts.asr_stream`` as
``gpu_asr/streaming.py`` does: binary PCM frames in; ``partial`` when speech starts; a ``final``
per utterance (speech followed by :data:`UTTERANCE_GAP_S` of quiet) and per ``flush``; after
``end`` the last final, ``end`` and close 1000. An utterance is found by frame energy, which is
all a scripted answer needs.

``make load`` runs it as a process of its own (``python -m peers.instant_asr_peer``): in a
thread of the load generator it shared one interpreter lock with the aiortc media of every
call, and at ten calls it heard the ends of utterances seconds late, which the measurement
then charged to the worker.
"""

from __future__ import annotations

import argparse

import numpy as np
from aiohttp import WSMsgType, web

from hotelvoice.contracts.asr_stream import FinalResult, PartialResult, StreamEnd
from peers.aiohttp_thread import ThreadedAiohttpServer

SPEECH_RMS = 400.0
UTTERANCE_GAP_S = 0.25
"""Quiet after speech that ends an utterance."""


class InstantAsrPeer:
    """``with InstantAsrPeer(host=…) as asr:`` then ``HOTELVOICE_ASR_URL=asr.url``."""

    def __init__(
        self, *, host: str = "127.0.0.1", transcript: str = "is breakfast included"
    ) -> None:
        self.transcript = transcript
        """What every utterance is heard as."""
        self.streams = 0
        self.finals = 0
        self._server = ThreadedAiohttpServer(self._app, "instant-asr", host=host)

    def __enter__(self) -> InstantAsrPeer:
        self._server.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.stop()

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def _app(self) -> web.Application:
        return self.app()

    def app(self) -> web.Application:
        """The peer's routes: the ASR proxy's stream and its health check."""
        app = web.Application()
        app.router.add_get("/v1/transcribe/stream", self._stream)
        app.router.add_get("/health", self._health)
        return app

    async def _health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "backend": "instant-peer"})

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return web.Response(status=401)
        rate = int(request.query.get("sample_rate", "16000"))
        language = request.query.get("language", "en").split("-")[0] or "en"
        ws = web.WebSocketResponse(max_msg_size=2**20)
        await ws.prepare(request)
        self.streams += 1
        utterance = _Utterance(rate)
        async for message in ws:
            if message.type == WSMsgType.BINARY:
                for result in utterance.hear(message.data, self.transcript, language):
                    self.finals += isinstance(result, FinalResult)
                    await ws.send_str(result.model_dump_json())
            elif message.type == WSMsgType.TEXT:
                kind = message.json().get("type")
                if kind in ("flush", "end"):
                    await ws.send_str(utterance.finish(self.transcript, language).model_dump_json())
                    self.finals += 1
                if kind == "end":
                    await ws.send_str(StreamEnd(audio_s=utterance.heard_s).model_dump_json())
                    await ws.close()
        return ws


class _Utterance:
    """Where the caller is: speaking or not, since when, in stream seconds."""

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._samples = 0
        self._start: float | None = None
        self._last_loud = 0.0

    @property
    def heard_s(self) -> float:
        return self._samples / self._rate

    def hear(self, pcm: bytes, transcript: str, language: str) -> list[FinalResult | PartialResult]:
        samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype=np.int16)
        self._samples += samples.size
        now = self.heard_s
        loud = (
            samples.size > 0
            and float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) > SPEECH_RMS
        )
        results: list[FinalResult | PartialResult] = []
        if loud:
            if self._start is None:
                self._start = now - samples.size / self._rate
                results.append(PartialResult(text=transcript.split()[0]))
            self._last_loud = now
        elif self._start is not None and now - self._last_loud >= UTTERANCE_GAP_S:
            results.append(self.finish(transcript, language))
        return results

    def finish(self, transcript: str, language: str) -> FinalResult:
        """The utterance so far as one final (empty when nothing was spoken)."""
        if self._start is None:
            return FinalResult(text="", language=language, start_s=self.heard_s, end_s=self.heard_s)
        final = FinalResult(
            text=transcript,
            confidence=0.9,
            language=language,
            start_s=self._start,
            end_s=self._last_loud,
        )
        self._start = None
        return final


def main(argv: list[str] | None = None) -> None:
    """Serve the peer in this process until it is stopped."""
    parser = argparse.ArgumentParser(description="An ASR proxy that answers instantly.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--transcript", default="is breakfast included")
    args = parser.parse_args(argv)
    peer = InstantAsrPeer(host=args.host, transcript=args.transcript)
    web.run_app(peer.app(), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
