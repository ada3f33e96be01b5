"""What every call's process needs, loaded once in the worker's forkserver and shared.

LiveKit starts one process per call, forked from a forkserver. Whatever the forkserver has
loaded, a call's process inherits copy-on-write: the agent's code and its libraries, the
Silero VAD, lingua's language models, every language catalog. Loaded per call instead, a
fresh process held ~395 MiB (imports 162, lingua 189, Silero 44) and spent seconds of CPU
before the caller heard a word; shared, a call adds only what it writes.

The worker names this module in ``preload_modules`` (``worker.build_server``); LiveKit then
runs its own warm-up and freezes the garbage collector's view of these objects
(``livekit.agents.ipc._preload_freeze``), so that collections in a call do not copy the
shared pages. Everything here must be fork-safe: no threads, no event loop, no sockets. The
ONNX session runs single-threaded, lingua detects in the calling thread
(``tests/realtime_agent/test_shared_image.py`` forks after loading and uses each in the child).
"""

from __future__ import annotations

import importlib
from datetime import date

import httpx
from livekit.agents.utils import http_context

from hotelvoice.contracts.call_events import build_validators
from hotelvoice.redaction import redact
from realtime_agent import language_detection, worker
from realtime_agent.fallback.nlu import understand
from realtime_agent.http_client import POOL_LIMITS, tls_context
from realtime_agent.language import CATALOGS, SUPPORTED_LANGUAGES, catalog
from realtime_agent.language.speech import speech
from realtime_agent.language.vocabulary import load_vocabulary
from realtime_agent.speech.plugins import vad

__all__ = ["load", "worker"]

LOADED_ON_FIRST_USE = (
    "livekit.agents.llm.async_toolset",
    # httpcore's connection goes through anyio, which loads its asyncio backend (and
    # the stream and socket modules) at the first connection, not at import
    "httpcore._backends.anyio",
    "anyio._backends._asyncio",
    "anyio._core._sockets",
    "anyio.streams.memory",
    "anyio.streams.stapled",
)
"""Modules a call imported on its event loop at its first request: caught by LiveKit's loop
monitor under ``make load``, each worth tens to hundreds of milliseconds there."""


def load() -> None:
    """Load the models and every language's data into this process (idempotent)."""
    vad()
    language_detection.preload()
    for language in SUPPORTED_LANGUAGES:
        for path in sorted((CATALOGS / language).glob("*.json")):
            catalog(language, path.stem)
        load_vocabulary(language)
        speech(language)
        # the policy's parsers build their tables on first use: use them once here
        understand("2", today=date(2026, 1, 1), language=language)
        language_detection.lexical_votes(language)
        language_detection.greeting_language(language)
    # What every call's first requests built or imported on its own event loop, between
    # the ring and the greeting (LiveKit's loop monitor caught each, 100 to 900 ms under load):
    # the TLS contexts (ours, LiveKit's plugins' session), the call events' validators,
    # httpcore's transports that a client's construction imports, the modules below.
    http_context._create_ssl_context()
    build_validators()
    httpx.AsyncClient(limits=POOL_LIMITS, verify=tls_context())  # imports, opens nothing
    for module in LOADED_ON_FIRST_USE:
        importlib.import_module(module)
    # the redaction of every recorded turn: its catalogs and patterns (the spelled-name
    # tables alone stalled a call's first turn 0.8 s under load)
    redact("my name is Anna, A N N A, anna dot b at example dot com, +49 30 1234567")


load()
