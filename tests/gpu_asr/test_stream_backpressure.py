"""A recogniser that falls behind slows the caller down instead of filling the proxy's memory.

The stream session (``gpu_asr.streaming.serve_stream``) is served by uvicorn with a recogniser
that hangs after its first chunk: a second implementation of the ``AsrBackend`` protocol, as
a Riva stuck on a full GPU would behave.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator

from fastapi import FastAPI, WebSocket
from proxy_stream import open_stream, serving, settings_env, until_closed

from gpu_asr.backends import AudioInput, Final, StreamEvent
from gpu_asr.metrics import ProxyMetrics
from gpu_asr.streaming import StreamLimiter, serve_stream
from hotelvoice.auth import Role, mint_token
from hotelvoice.contracts.asr_stream import MAX_FRAME_BYTES
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.transcript import Transcript

FRAMES = 200  # 13 MB: more than the kernel's socket buffers (~4 MB here) can hide
QUEUE_FRAMES = 4


class StuckRecogniser:
    """Takes one chunk, then hangs until ``release`` is set; then counts the rest."""

    name = "stuck"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.took = 0

    async def transcribe(self, pcm: Pcm, language: str | None) -> Transcript:
        raise NotImplementedError

    async def stream(
        self, audio: AsyncIterator[AudioInput], sample_rate: int, language: str | None
    ) -> AsyncIterator[StreamEvent]:
        async for item in audio:
            if isinstance(item, bytes):
                self.took += len(item)
            if not self.release.is_set():
                await asyncio.to_thread(self.release.wait)
        yield Final(Transcript(f"took {self.took} bytes", None, ()), 0.0, 0.0, 0.0)

    async def health(self) -> bool:
        return True


async def test_a_stuck_recogniser_stops_the_proxy_reading_the_socket(plane):
    stuck, metrics = StuckRecogniser(), ProxyMetrics()
    app = FastAPI()

    @app.websocket("/v1/transcribe/stream")
    async def stream(websocket: WebSocket) -> None:
        await serve_stream(websocket, lambda: stuck, metrics, StreamLimiter())

    frame = bytes(MAX_FRAME_BYTES)
    token = mint_token("realtime-agent", Role.SERVICE, ["*"])
    with (
        settings_env(asr_max_stream_s=100_000, asr_stream_queue_frames=QUEUE_FRAMES),
        serving(app) as url,
    ):
        async with open_stream(url, token, "sample_rate=16000&language=en") as ws:
            sent = 0

            async def send_all() -> None:
                nonlocal sent
                for _ in range(FRAMES):
                    await ws.send(frame)
                    sent += 1

            sender = asyncio.create_task(send_all())
            await asyncio.sleep(0.5)
            heard_s = metrics.registry.get_sample_value(
                "asr_audio_seconds_total", {"mode": "stream"}
            )
            stalled_at, read_by_proxy = sent, round(heard_s * 32000)
            assert not sender.done(), "the client could send everything: nothing held it back"
            stuck.release.set()
            await asyncio.wait_for(sender, 20)
            await ws.send(json.dumps({"type": "end"}))
            closed = await until_closed(ws)

    # The recogniser's chunk, a full queue, and the one frame waiting to get into it.
    assert read_by_proxy <= (1 + QUEUE_FRAMES + 1) * len(frame)
    assert stalled_at < FRAMES
    total = FRAMES * len(frame)
    assert closed.messages[0]["text"] == f"took {total} bytes"
    assert closed.messages[-1] == {"type": "end", "audio_s": total / 32000}
    assert closed.code == 1000
