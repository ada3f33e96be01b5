"""Recognisers behind the proxy, chosen by ``HOTELVOICE_ASR_BACKEND``.

``local`` is pocketsphinx with the hotel grammar (CPU, no downloads): the embedded default
and the test backend. ``riva`` is NVIDIA Riva over gRPC at ``HOTELVOICE_RIVA_URI``
(``gpu_asr.riva_backend``), the GPU task's recogniser.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.sphinx_asr import HotelSpeechRecognizer, Transcript


class AsrBackend(Protocol):
    """Offline recognition of one utterance."""

    name: str

    async def transcribe(self, pcm: Pcm, language: str | None) -> Transcript:
        """Recognise ``pcm``; ``language`` is a hint the backend may ignore."""
        ...

    async def health(self) -> bool:
        """Whether the recogniser can answer now (``GET /health`` reports it)."""
        ...


class LocalSphinxBackend:
    """pocketsphinx in a worker thread, so the event loop keeps serving other requests."""

    name = "local-pocketsphinx"

    def __init__(self) -> None:
        self._recognizer = HotelSpeechRecognizer()

    async def transcribe(self, pcm: Pcm, language: str | None) -> Transcript:
        """English only: the bundled model is en-US."""
        del language
        return await asyncio.to_thread(self._recognizer.transcribe, pcm)

    async def health(self) -> bool:
        """In-process: up once the decoder was built."""
        return True


def backend_named(name: str) -> AsrBackend:
    """The backend for a settings value; unknown names fail at start-up."""
    if name == "local":
        return LocalSphinxBackend()
    if name == "riva":
        from gpu_asr.riva_backend import RivaBackend  # grpc only where Riva is used

        return RivaBackend(get_settings().riva_uri)
    raise ValueError(f"unknown ASR backend {name!r}; available: local, riva")
