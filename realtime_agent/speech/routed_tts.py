"""LiveKit TTS over the shared TTS router: cache first, then the engine chain.

The session's ``tts.StreamAdapter`` cuts the agent's reply into sentences and each becomes a
:class:`ChunkedStream` here. The router serves a sentence from the worker's in-process LRU
or the shared S3 + DynamoDB cache when any call already spoke it (greetings, questions,
apologies), and otherwise streams it from the first engine that works (ElevenLabs → Azure →
espeak), switching engine within the sentence when a vendor fails. The caller's and guest's
names known to the call are passed along, so sentences naming them are never cached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import aclosing
from typing import Final

from livekit.agents import (
    DEFAULT_API_CONNECT_OPTIONS,
    APIConnectOptions,
    APIError,
    tts,
    utils,
)

from hotelvoice.tts.router import TtsRouter
from hotelvoice.tts.utterance import SpeechUnavailable
from hotelvoice.tts.voices import VoiceOverrides, canonical_locale

NoNames: Final[Callable[[], Iterable[str]]] = tuple
"""For a TTS that knows no guest (tests, the demo's first line)."""


class RoutedTTS(tts.TTS):
    """Speaks through a :class:`TtsRouter`, mono 16-bit PCM at the router's rate."""

    def __init__(
        self,
        router: TtsRouter,
        *,
        language: str = "en",
        hotel_voices: VoiceOverrides | None = None,
        public_texts: Iterable[str] = (),
        known_names: Callable[[], Iterable[str]] = NoNames,
    ) -> None:
        """Bind the router to one call.

        Args:
            router: The worker's router (one per process: its LRU is shared by all calls).
            language: ``en``, ``de``…, or a locale; switched with :meth:`update_options`.
            hotel_voices: The hotel's voice choices (``HotelSettings.voices``).
            public_texts: The hotel's published facts (front-desk number, address): numbers
                in them do not make a sentence personal.
            known_names: Called per sentence: names of this call's guest and caller, which
                the sentence may never be cached with.
        """
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False),
            sample_rate=router.fmt.sample_rate,
            num_channels=1,
        )
        self._router = router
        self._locale = canonical_locale(language)
        self._hotel_voices = hotel_voices
        self._public_texts = tuple(public_texts)
        self._known_names = known_names

    @property
    def model(self) -> str:
        """The first engine of the chain (the one callers normally hear)."""
        return self._router.engines[0].name

    @property
    def provider(self) -> str:
        """Labels this plugin's metrics."""
        return "hotelvoice-tts-router"

    @property
    def locale(self) -> str:
        """The locale spoken now."""
        return self._locale

    def update_options(self, *, language: str) -> None:
        """Speak another language from the next sentence on (the caller switched)."""
        self._locale = canonical_locale(language)

    def synthesize(
        self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS
    ) -> tts.ChunkedStream:
        """Speak one sentence; iterate the result for ``SynthesizedAudio`` frames."""
        return _RoutedStream(tts=self, input_text=text, conn_options=conn_options)


class _RoutedStream(tts.ChunkedStream):
    def __init__(self, *, tts: RoutedTTS, input_text: str, conn_options: APIConnectOptions) -> None:
        super().__init__(tts=tts, input_text=input_text, conn_options=conn_options)
        self._plugin = tts
        self._locale = tts.locale  # a switch mid-sentence applies from the next one

    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        plugin = self._plugin
        output_emitter.initialize(
            request_id=utils.shortuuid("tts_"),
            sample_rate=plugin.sample_rate,
            num_channels=1,
            mime_type="audio/pcm",
        )
        speech = plugin._router.stream(
            self.input_text,
            locale=self._locale,
            hotel_voices=plugin._hotel_voices,
            known_names=tuple(plugin._known_names()),
            public_texts=plugin._public_texts,
        )
        try:
            async with aclosing(speech):
                async for chunk in speech:
                    output_emitter.push(chunk)
        except SpeechUnavailable as exc:
            # every engine failed: the router already tried them all, a retry would too
            raise APIError(f"no TTS engine could speak: {exc}", retryable=False) from exc
