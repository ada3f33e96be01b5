"""Serve the proxy with uvicorn in a thread and talk to it with the ``websockets`` client.

A real server, not Starlette's TestClient: close codes, close reasons and TCP backpressure
only exist on a real socket.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from hotelvoice.settings import get_settings

FRAME_S = 0.1
WAIT_S = 10.0
"""Longest a test waits for the server to say or close anything: a hang fails, not stalls."""


@contextmanager
def settings_env(**values: object) -> Iterator[None]:
    """``HOTELVOICE_<NAME>`` variables for the block; the proxy reads them per stream."""
    saved = {}
    for name, value in values.items():
        key = f"HOTELVOICE_{name.upper()}"
        saved[key] = os.environ.get(key)
        os.environ[key] = str(value)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` on an ephemeral loopback port; yields ``ws://127.0.0.1:PORT``."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="websockets-sansio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


def open_stream(url: str, token: str | None, query: str = "sample_rate=16000") -> Any:
    """``async with open_stream(...) as ws``: the stream route with a bearer token.

    Without permessage-deflate, as audio clients should: PCM barely compresses, and silence
    would compress so well that backpressure could not be seen on the wire.
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return connect(
        f"{url}/v1/transcribe/stream?{query}", additional_headers=headers, compression=None
    )


def frames(pcm: bytes, rate: int, seconds: float = FRAME_S) -> list[bytes]:
    """``pcm`` in frames of ``seconds``, as a telephony client sends it."""
    size = round(rate * seconds) * 2
    return [pcm[i : i + size] for i in range(0, len(pcm), size)]


async def send_audio(ws: ClientConnection, pcm: bytes, rate: int = 16000) -> None:
    for frame in frames(pcm, rate):
        await ws.send(frame)


@dataclass
class Closed:
    """Everything the server said after a point, and how it closed the stream."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    code: int | None = None
    reason: str = ""

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == kind]


async def until_closed(ws: ClientConnection) -> Closed:
    """Read messages until the server closes; its close code and reason."""
    closed = Closed()
    try:
        async with asyncio.timeout(WAIT_S):
            while True:
                closed.messages.append(json.loads(await ws.recv()))
    except ConnectionClosed as exc:
        closed.code = exc.rcvd.code if exc.rcvd else None
        closed.reason = exc.rcvd.reason if exc.rcvd else ""
    return closed


async def next_of_type(ws: ClientConnection, kind: str) -> tuple[dict[str, Any], list]:
    """The next message of ``kind``, and those before it."""
    before = []
    async with asyncio.timeout(WAIT_S):
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == kind:
                return message, before
            before.append(message)
