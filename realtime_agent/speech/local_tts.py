"""LiveKit TTS over espeak-ng: the voice of local mode, tests and the last-resort fallback.

espeak-ng synthesises a sentence in a few milliseconds, so the plugin is non-streaming: the
session's ``tts.StreamAdapter`` splits the reply into sentences and each one becomes a
``ChunkedStream`` that pushes the whole sentence's PCM at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Final

from livekit.agents import (
    DEFAULT_API_CONNECT_OPTIONS,
    APIConnectOptions,
    APIError,
    LanguageCode,
    tts,
    utils,
)

from hotelvoice.speech.espeak_tts import ESPEAK_SAMPLE_RATE, EspeakError, EspeakSynthesizer
from hotelvoice.tts.voices import ESPEAK_VOICES as VOICES

DEFAULT_RATE_WPM: Final = 150
"""Slow enough to be understood on a narrowband phone line."""


def voice_for(language: str) -> str:
    """The espeak-ng voice for a language tag such as ``de``, ``de-AT`` or ``german``.

    Raises:
        ValueError: For a language the receptionist does not speak.
    """
    base = LanguageCode(language).language
    if base not in VOICES:
        raise ValueError(f"no espeak-ng voice for {language!r}; supported: {', '.join(VOICES)}")
    return VOICES[base]


@dataclasses.dataclass(frozen=True)
class _Options:
    voice: str
    rate_wpm: int


class LocalTTS(tts.TTS):
    """Speaks one of the five hotel languages with espeak-ng, mono 16-bit PCM."""

    def __init__(
        self,
        *,
        language: str = "en",
        rate_wpm: int = DEFAULT_RATE_WPM,
        sample_rate: int = ESPEAK_SAMPLE_RATE,
    ) -> None:
        """Choose the voice; the native library loads on the first sentence.

        Args:
            language: ``en``, ``de``, ``fr``, ``es`` or ``it`` (any regional tag of them).
            rate_wpm: Speaking rate in words per minute (espeak-ng clamps it to 80-450).
            sample_rate: Rate of the frames produced; other than espeak-ng's 22,050 Hz
                means resampling every sentence.

        Raises:
            ValueError: For an unsupported language.
        """
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False),
            sample_rate=sample_rate,
            num_channels=1,
        )
        self._opts = _Options(voice=voice_for(language), rate_wpm=rate_wpm)
        self._synthesizer = EspeakSynthesizer()

    @property
    def model(self) -> str:
        """The espeak-ng voice in use."""
        return self._opts.voice

    @property
    def provider(self) -> str:
        """Labels this plugin's metrics."""
        return "espeak-ng"

    def update_options(self, *, language: str | None = None, rate_wpm: int | None = None) -> None:
        """Switch language or pace mid-call (e.g. once the caller's language is detected).

        Sentences already being synthesised keep the options they started with.
        """
        self._opts = _Options(
            voice=voice_for(language) if language else self._opts.voice,
            rate_wpm=rate_wpm or self._opts.rate_wpm,
        )

    def synthesize(
        self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS
    ) -> tts.ChunkedStream:
        """Speak ``text``; iterate the result for ``SynthesizedAudio`` frames."""
        return _EspeakStream(tts=self, input_text=text, conn_options=conn_options)


class _EspeakStream(tts.ChunkedStream):
    def __init__(self, *, tts: LocalTTS, input_text: str, conn_options: APIConnectOptions) -> None:
        super().__init__(tts=tts, input_text=input_text, conn_options=conn_options)
        self._synthesizer = tts._synthesizer
        self._opts = tts._opts
        self._sample_rate = tts.sample_rate

    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        # The emitter must be initialised even for blank text: the base class ends its input
        # after ``_run`` and raises if it was never started.
        output_emitter.initialize(
            request_id=utils.shortuuid("espeak_"),
            sample_rate=self._sample_rate,
            num_channels=1,
            mime_type="audio/pcm",
        )
        try:
            pcm = await asyncio.to_thread(
                self._synthesizer.synthesize,
                self.input_text,
                voice=self._opts.voice,
                rate_wpm=self._opts.rate_wpm,
            )
        except EspeakError as exc:  # a broken native library does not heal on retry
            raise APIError(f"espeak-ng failed: {exc}", retryable=False) from exc
        output_emitter.push(pcm.resample(self._sample_rate).samples)
