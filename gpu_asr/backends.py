"""Recognisers behind the proxy, chosen by ``HOTELVOICE_ASR_BACKEND``.

``local`` is pocketsphinx with the hotel grammar (CPU, no downloads): the embedded default
and the test backend. Riva over gRPC joins here (issue 5) behind the same protocol.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.sphinx_asr import HotelSpeechRecognizer, Transcript


class AsrBackend(Protocol):
    """Offline recognition of one utterance."""

    name: str

    async def transcribe(self, pcm: Pcm, language: str | None) -> Transcript:
        """Recognise ``pcm``; ``language`` is a hint the backend may ignore."""
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


def backend_named(name: str) -> AsrBackend:
    """The backend for a settings value; unknown names fail at start-up."""
    if name == "local":
        return LocalSphinxBackend()
    raise ValueError(f"unknown ASR backend {name!r}; available: local")
