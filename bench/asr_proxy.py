"""What the ASR proxy adds per audio chunk, and how it holds up under many live streams.

The same espeak-spoken hotel phrase (16 kHz, 100 ms chunks) is streamed to the local Riva
peer directly with the official ``riva.client`` and through the proxy's
``WS /v1/transcribe/stream`` (uvicorn in this process, backend ``riva``). The peer answers
every chunk with a partial, so "send a chunk, wait for its partial" is one round trip, and
proxied minus direct is what the proxy costs a caller per chunk. Direct and proxied streams
alternate so the shared machine's noise lands on both.

Then N callers stream at once in real time. The peer and the callers run in processes of
their own, so this process's CPU time during a run is the proxy's: CPU per second of audio
says how many streams a core carries, a number that noise on a shared machine barely moves.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from typing import Final

import uvicorn
from pydantic import BaseModel

from bench.asr_clients import StreamOutcome, client_process, crowd_task, overhead_task
from bench.riva_peer import CHUNK_S, PHRASE, RATE, PeerProcess
from bench.stats import Percentiles, percentiles
from hotelvoice.auth import Role, mint_token
from hotelvoice.settings import get_settings
from hotelvoice.speech.espeak_tts import EspeakSynthesizer

ROUNDS: Final = 6
"""Direct/proxied stream pairs; the first pair warms both paths up and is not counted."""
CONCURRENCY: Final = (25, 50, 100)
STREAM_PATH: Final = "/v1/transcribe/stream"


class OverheadResult(BaseModel):
    """Per-chunk round trip, direct and through the proxy, measured side by side."""

    chunk_ms: int
    chunks_per_stream: int
    streams_each: int
    direct: Percentiles
    proxied: Percentiles
    added_ms_p50: float
    added_ms_p95: float
    ratio_p50: float


class ConcurrencyResult(BaseModel):
    """N proxied streams at once, each sending one chunk per 100 ms like a live call."""

    streams: int
    completed: int
    refused: int
    failed: int
    chunk_latency: Percentiles
    wall_s: float
    proxy_cpu_s: float
    """CPU time of the proxy's process (uvicorn, the proxy, its gRPC client) during the run."""
    peer_cpu_s: float
    """The Riva peer's CPU time: on this machine it competes with the proxy for the cores."""
    callers_cpu_s: float
    proxy_cpu_ms_per_audio_s: float
    """Proxy CPU per second of audio streamed: 1000 / this is the streams one core carries."""
    proxy_streams_per_core: float


class AsrResult(BaseModel):
    """The ASR half of ``speech.json``."""

    phrase: str
    audio_s: float
    max_streams: int
    overhead: OverheadResult
    concurrency: list[ConcurrencyResult]


def phrase_chunks() -> list[bytes]:
    """The phrase as espeak speaks it, at 16 kHz, in whole 100 ms chunks (the last padded).

    Whole chunks only: the peer answers a chunk once a full interim's worth of audio is in.
    """
    samples = EspeakSynthesizer().synthesize(PHRASE).resample(RATE).samples
    step = int(RATE * CHUNK_S) * 2
    samples += b"\0" * (-len(samples) % step)
    return [samples[i : i + step] for i in range(0, len(samples), step)]


class ProxyServer:
    """The proxy app under uvicorn on a free loopback port, in a thread of this process."""

    def __init__(self, riva_uri: str) -> None:
        """Point the proxy at ``riva_uri`` through the settings it reads (environment)."""
        self._saved = dict(os.environ)
        os.environ["HOTELVOICE_ASR_BACKEND"] = "riva"
        os.environ["HOTELVOICE_RIVA_URI"] = riva_uri
        os.environ["HOTELVOICE_LOCAL_MODE"] = "true"
        get_settings.cache_clear()
        from gpu_asr import routes  # reads the settings set above
        from gpu_asr.app import create_proxy_app

        routes.backend.cache_clear()
        self._server = uvicorn.Server(
            uvicorn.Config(
                create_proxy_app(),
                host="127.0.0.1",
                port=0,
                log_level="warning",
                ws_per_message_deflate=False,  # as gpu_asr/Dockerfile runs it
            )
        )
        self._thread = threading.Thread(target=self._server.run, name="asr-proxy", daemon=True)
        self.url = ""

    def __enter__(self) -> ProxyServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the ASR proxy did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}{STREAM_PATH}?sample_rate={RATE}&language=en"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        os.environ.clear()
        os.environ.update(self._saved)
        get_settings.cache_clear()


def overhead_of(direct: list[float], proxied: list[float], chunks: int) -> OverheadResult:
    """Compare the two sides' per-chunk latencies."""
    d, p = percentiles(direct), percentiles(proxied)
    return OverheadResult(
        chunk_ms=round(CHUNK_S * 1000),
        chunks_per_stream=chunks,
        streams_each=d.n // max(chunks, 1),
        direct=d,
        proxied=p,
        added_ms_p50=round(p.p50_ms - d.p50_ms, 3),
        added_ms_p95=round(p.p95_ms - d.p95_ms, 3),
        ratio_p50=round(p.p50_ms / d.p50_ms, 2) if d.p50_ms else 0.0,
    )


def _crowd_result(
    streams: int,
    outcomes: list[StreamOutcome],
    wall_s: float,
    proxy_cpu_s: float,
    peer_cpu_s: float,
    callers_cpu_s: float,
) -> ConcurrencyResult:
    streamed_s = sum(len(o.latencies) for o in outcomes) * CHUNK_S
    per_audio_s = 1000 * proxy_cpu_s / streamed_s if streamed_s else 0.0
    return ConcurrencyResult(
        streams=streams,
        completed=sum(o.completed for o in outcomes),
        refused=sum(o.refused for o in outcomes),
        failed=sum(not o.completed and not o.refused for o in outcomes),
        chunk_latency=percentiles([s for o in outcomes for s in o.latencies]),
        wall_s=round(wall_s, 2),
        proxy_cpu_s=round(proxy_cpu_s, 2),
        peer_cpu_s=round(peer_cpu_s, 2),
        callers_cpu_s=round(callers_cpu_s, 2),
        proxy_cpu_ms_per_audio_s=round(per_audio_s, 2),
        proxy_streams_per_core=round(1000 / per_audio_s, 1) if per_audio_s else 0.0,
    )


async def run_asr(rounds: int = ROUNDS, concurrency: tuple[int, ...] = CONCURRENCY) -> AsrResult:
    """The whole ASR benchmark: per-chunk overhead, then the concurrency runs."""
    chunks = phrase_chunks()
    audio_s = len(chunks) * CHUNK_S
    loop = asyncio.get_running_loop()
    workers = 2 * max(concurrency, default=1) + 8
    with (
        PeerProcess(workers) as peer,
        ProxyServer(peer.uri) as proxy,
        client_process() as callers,
    ):
        token = mint_token("bench", Role.SERVICE, ["*"])
        max_streams = get_settings().asr_max_streams
        direct, proxied = await loop.run_in_executor(
            callers, overhead_task, peer.uri, proxy.url, token, chunks, rounds
        )
        crowds = []
        for streams in concurrency:
            started, cpu, peer_cpu = time.perf_counter(), time.process_time(), peer.cpu_s()
            outcomes, callers_cpu = await loop.run_in_executor(
                callers, crowd_task, proxy.url, token, chunks, streams
            )
            wall_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
            crowds.append(
                _crowd_result(
                    streams, outcomes, wall_s, cpu_s, peer.cpu_s() - peer_cpu, callers_cpu
                )
            )
    return AsrResult(
        phrase=PHRASE,
        audio_s=round(audio_s, 2),
        max_streams=max_streams,
        overhead=overhead_of(direct, proxied, len(chunks)),
        concurrency=crowds,
    )
