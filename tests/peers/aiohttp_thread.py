"""Run an aiohttp application on 127.0.0.1 in a background thread, for the TTS peers.

The ElevenLabs and Azure Speech peers serve chunked HTTP and WebSocket from one port (the
Azure SDK fetches its voice list from the same host as its WebSocket), which a stdlib server
cannot do and the ``websockets`` library refuses: the Speech SDK sends ``Content-Length: 0``
on its ``GET …/voices/list`` and websockets 15 rejects any request with a body header.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from aiohttp import web

from hotelvoice.speech.espeak_tts import EspeakSynthesizer

_ESPEAK_VOICES = {"en": "en-us", "de": "de", "fr": "fr", "es": "es", "it": "it"}


def speak(text: str, language: str, rate: int) -> bytes:
    """Real speech for ``text`` (espeak-ng) as 16-bit PCM at ``rate``: recognisable downstream."""
    voice = _ESPEAK_VOICES.get(language.split("-")[0].lower(), "en-us")
    return EspeakSynthesizer().synthesize(text, voice=voice).resample(rate).samples


def split(audio: bytes, parts: int) -> list[bytes]:
    """``audio`` in about ``parts`` pieces of odd length, as a network may deliver it."""
    if not audio:
        return []
    step = (len(audio) // parts) | 1  # odd: every piece but the last ends mid-sample
    return [audio[i : i + step] for i in range(0, len(audio), step)]


class ThreadedAiohttpServer:
    """One aiohttp app on an ephemeral loopback port, in its own thread and event loop.

    ``stop()`` then ``start()`` serve again on the same port, as a restarted vendor would.
    """

    def __init__(
        self, make_app: Callable[[], web.Application], name: str, host: str = "127.0.0.1"
    ) -> None:
        self._make_app = make_app
        self._name = name
        self.host = host
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    def start(self) -> None:
        """Serve (again); the first start picks the port."""
        if self._thread is not None:
            return
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name=self._name, daemon=True
        )
        self._thread.start()
        if not ready.wait(5):
            raise RuntimeError(f"{self._name} did not start")

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        runner = web.AppRunner(self._make_app(), handle_signals=False, shutdown_timeout=0.1)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, self.host, self.port, reuse_address=True)
        loop.run_until_complete(site.start())
        self.port = runner.addresses[0][1]
        self._runner = runner
        ready.set()
        loop.run_forever()
        leftovers = asyncio.all_tasks(loop)  # handlers still sleeping in a stall
        for task in leftovers:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
        loop.close()

    @property
    def running(self) -> bool:
        """Serving now (between ``start()`` and ``stop()``)."""
        return self._thread is not None

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's event loop while it serves."""
        return self._loop

    def call(self, coro: Coroutine[Any, Any, Any], timeout_s: float = 5.0) -> Any:
        """Run ``coro`` on the server's loop and wait for it (e.g. closing live sockets)."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout_s)

    def stop(self) -> None:
        """Close the port and every open connection."""
        if self._thread is None or self._loop is None:
            return
        if self._runner is not None:
            with contextlib.suppress(Exception):
                self.call(self._runner.cleanup())
            self._runner = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._thread = None
        self._loop = None
