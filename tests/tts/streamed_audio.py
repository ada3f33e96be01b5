"""Checks both vendor engines' tests make of streamed speech."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.espeak_tts import EspeakSynthesizer
from hotelvoice.tts.engine import AudioFormat


async def collect(stream: AsyncIterator[bytes], received: list[bytes]) -> None:
    """Keep every chunk, so a test can look at what arrived before a failure."""
    async for chunk in stream:
        received.append(chunk)


def assert_streamed_speech(chunks: list[bytes], fmt: AudioFormat, text: str, voice: str) -> None:
    """Several whole-sample chunks lasting as long as espeak says ``text`` (the peers' voice).

    A wrong rate would halve or double the duration.
    """
    assert len(chunks) > 1, "audio should stream in pieces"
    assert all(len(chunk) % 2 == 0 for chunk in chunks)
    spoken = Pcm(b"".join(chunks), fmt.sample_rate).duration_s
    expected = EspeakSynthesizer().synthesize(text, voice=voice).duration_s
    assert spoken == pytest.approx(expected, rel=0.1)
