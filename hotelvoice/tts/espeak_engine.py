"""espeak-ng behind the router: the engine that is always there.

It needs no key, no network and no GPU, so it ends every fallback chain and is the only
voice of local mode and tests. It sounds robotic; callers hear it only when the neural
vendors are down. A sentence takes milliseconds, so the whole utterance is one chunk.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from hotelvoice.speech.espeak_tts import EspeakError, EspeakSynthesizer
from hotelvoice.tts.engine import AudioFormat, EngineError, Voice, VoiceInfo
from hotelvoice.tts.voices import ESPEAK_VOICES, LANGUAGE_LOCALES

DEFAULT_RATE_WPM = 150
"""Slow enough to be understood on a narrowband phone line."""


class EspeakEngine:
    """Speaks with libespeak-ng in a worker thread, resampled to the call's rate."""

    def __init__(self, name: str = "espeak", *, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        """Nothing loads until the first utterance.

        Args:
            name: The engine's name in the chain and in cache keys.
            rate_wpm: Speaking rate in words per minute.
        """
        self.name = name
        self._rate_wpm = rate_wpm
        self._synthesizer = EspeakSynthesizer()

    async def stream(self, text: str, voice: Voice, fmt: AudioFormat) -> AsyncIterator[bytes]:
        """Speak ``text`` as one chunk of PCM at ``fmt``'s rate (nothing for blank text).

        Raises:
            EngineError: libespeak-ng cannot load or does not know the voice; not retryable.
        """
        try:
            audio = await asyncio.to_thread(self._speak, text, voice.voice_id, fmt.sample_rate)
        except EspeakError as exc:
            raise EngineError(f"espeak-ng failed: {exc}", retryable=False) from exc
        if audio:
            yield audio

    def _speak(self, text: str, voice_id: str, rate: int) -> bytes:
        """Synthesis and resampling both off the event loop (numpy holds the CPU too)."""
        pcm = self._synthesizer.synthesize(text, voice=voice_id, rate_wpm=self._rate_wpm)
        return pcm.resample(rate).samples

    async def voices(self) -> list[VoiceInfo]:
        """One voice per language the receptionist speaks."""
        return [
            VoiceInfo(
                engine=self.name,
                voice_id=voice_id,
                locale=LANGUAGE_LOCALES[language],
                name=f"espeak-ng {voice_id}",
            )
            for language, voice_id in ESPEAK_VOICES.items()
        ]

    async def aclose(self) -> None:
        """Nothing to release: the native library lives as long as the process."""
