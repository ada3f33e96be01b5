"""The spoken booking request both ASR proxy test modules send.

Synthesised once per session and shared: espeak-ng's first synthesis in a process differs
from later ones by a few hundred samples, and the 8 kHz local-backend test's tolerance was
set on the first one, so every module must hear the same audio.
"""

from __future__ import annotations

import pytest

from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.espeak_tts import EspeakSynthesizer

PHRASE = "do you have a room from december twelfth to december fifteenth for two adults"


@pytest.fixture(scope="session")
def phrase_16k() -> Pcm:
    return EspeakSynthesizer().synthesize(PHRASE).resample(16000)
