"""The client side of the ASR benchmark: Riva's official client, and the proxy's WebSocket.

Runs in a process of its own (``ClientProcess``), so the proxy's process holds the proxy
alone: its CPU time during a run is the proxy's cost, and the callers' work does not queue
behind the proxy's interpreter lock.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import queue
import random
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import riva.client
from pydantic import TypeAdapter
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.riva_peer import CHUNK_S, RATE
from hotelvoice.contracts.asr_stream import CLOSE_OVERLOADED, ServerMessage

_server_message: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
REFUSALS = ("overloaded", "rate_limited")


@dataclass
class StreamOutcome:
    """One stream: seconds from each chunk to the partial it triggered, and how it ended."""

    latencies: list[float] = field(default_factory=list)
    completed: bool = False
    refused: bool = False
    error: str | None = None


def _streaming_config() -> riva.client.StreamingRecognitionConfig:
    return riva.client.StreamingRecognitionConfig(
        config=riva.client.RecognitionConfig(
            encoding=riva.client.AudioEncoding.LINEAR_PCM,
            sample_rate_hertz=RATE,
            language_code="en-US",
            max_alternatives=1,
        ),
        interim_results=True,
    )


def direct_stream(service: riva.client.ASRService, chunks: list[bytes]) -> list[float]:
    """One stream with ``streaming_response_generator``: send a chunk, wait for its partial."""
    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def audio() -> Iterator[bytes]:
        while (chunk := outbox.get()) is not None:
            yield chunk

    responses = service.streaming_response_generator(audio(), _streaming_config())
    latencies = []
    for chunk in chunks:
        sent = time.perf_counter()
        outbox.put(chunk)
        next(responses)
        latencies.append(time.perf_counter() - sent)
    outbox.put(None)
    for _ in responses:  # the final
        pass
    return latencies


async def proxied_stream(
    url: str, token: str, chunks: list[bytes], *, paced: bool = False
) -> StreamOutcome:
    """One stream through the proxy's WebSocket.

    Args:
        url: The proxy's stream URL with its query.
        token: A service token.
        chunks: The audio, one binary frame per chunk.
        paced: Send a chunk every ``CHUNK_S`` whatever the answers, as a live call does;
            otherwise send the next chunk when the last one's partial is in.

    Returns:
        Per-chunk latencies; completed when the proxy's ``end`` came, refused on a 1013.
    """
    outcome = StreamOutcome()
    headers = {"authorization": f"Bearer {token}"}
    try:
        async with connect(
            url,
            additional_headers=headers,
            max_size=2**20,
            compression=None,  # as the agent
        ) as ws:
            if paced:
                await _paced(ws, chunks, outcome)
            else:
                for chunk in chunks:
                    sent = time.perf_counter()
                    await ws.send(chunk)
                    if not _take(await ws.recv(), outcome):
                        return outcome
                    outcome.latencies.append(time.perf_counter() - sent)
                await ws.send(json.dumps({"type": "end"}))
            async for raw in ws:
                if not _take(raw, outcome):
                    return outcome
    except ConnectionClosed as exc:
        outcome.refused = outcome.refused or (
            exc.rcvd is not None and exc.rcvd.code == CLOSE_OVERLOADED
        )
        outcome.error = outcome.error or str(exc)
    return outcome


async def _paced(ws: ClientConnection, chunks: list[bytes], outcome: StreamOutcome) -> None:
    """Send in real time; each partial answers the oldest chunk still unanswered."""
    unanswered: deque[float] = deque()

    async def send() -> None:
        start = time.perf_counter()
        for n, chunk in enumerate(chunks):
            await asyncio.sleep(max(0.0, start + n * CHUNK_S - time.perf_counter()))
            unanswered.append(time.perf_counter())
            await ws.send(chunk)
        await ws.send(json.dumps({"type": "end"}))

    sender = asyncio.create_task(send())
    try:
        while len(outcome.latencies) < len(chunks):
            if not _take(await ws.recv(), outcome):
                return
            outcome.latencies.append(time.perf_counter() - unanswered.popleft())
        await sender
    finally:
        sender.cancel()


def _take(raw: str | bytes, outcome: StreamOutcome) -> bool:
    """Record an answer; False when the stream is over (``end``, or an error)."""
    message = _server_message.validate_json(raw)
    if message.type == "partial":
        return True
    if message.type == "end":
        outcome.completed = True
    elif message.type == "error":
        outcome.refused = message.error.code in REFUSALS
        outcome.error = message.error.code
    return message.type == "final"


def overhead_task(
    riva_uri: str, url: str, token: str, chunks: list[bytes], rounds: int
) -> tuple[list[float], list[float]]:
    """Alternate direct and proxied streams; the first pair only warms up both paths."""
    auth = riva.client.Auth(uri=riva_uri, use_ssl=False)
    service = riva.client.ASRService(auth)
    direct: list[float] = []
    proxied: list[float] = []
    try:
        for n in range(rounds):
            straight = direct_stream(service, chunks)
            through = asyncio.run(proxied_stream(url, token, chunks))
            if not through.completed:
                raise RuntimeError(f"a proxied stream failed: {through.error}")
            if n:
                direct += straight
                proxied += through.latencies
    finally:
        auth.channel.close()
    return direct, proxied


def crowd_task(
    url: str, token: str, chunks: list[bytes], streams: int
) -> tuple[list[StreamOutcome], float]:
    """``streams`` live calls at once, starting within one chunk of each other.

    Returns:
        Each stream's outcome, and the CPU seconds the callers used.
    """
    rng = random.Random(streams)

    async def caller() -> StreamOutcome:
        await asyncio.sleep(rng.uniform(0, CHUNK_S))
        return await proxied_stream(url, token, chunks, paced=True)

    async def crowd() -> list[StreamOutcome]:
        return list(await asyncio.gather(*(caller() for _ in range(streams))))

    cpu = time.process_time()
    outcomes = asyncio.run(crowd())
    return outcomes, time.process_time() - cpu


def client_process() -> ProcessPoolExecutor:
    """One long-lived worker process for the tasks above (started on the first submit)."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
