"""Speak one utterance: from the cache if we can, else from the first engine that works.

The router is shared by the TTS Lambda (which wants the whole audio and what served it) and
the agent's TTS plugin (which wants the first chunk as early as possible), so it offers both:
:meth:`TtsRouter.stream` yields chunks as they come and :meth:`TtsRouter.synthesize` joins.

For each voice of the chain, in order: a cached copy is served at once (even when that
engine's breaker is open: cached audio needs no vendor); otherwise the engine speaks, unless
its breaker is open. An engine that gives no audio within ``first_audio_timeout_s``, stalls
that long between chunks, or raises (:class:`EngineError`, or anything else: a bug in one
engine must not silence the call) counts a breaker failure, and the next engine speaks the
*same* utterance: one utterance may switch engines, a caller never waits on
a dead vendor twice. If an engine fails after some audio went out, the next engine speaks the
whole utterance again: the caller hears a restart in another voice, which beats a sentence cut
in half (the agent streams sentence by sentence, so a restart repeats a few words at most;
the joined :meth:`TtsRouter.synthesize` simply drops the partial audio). Only a complete
utterance is cached, and only if it holds no personal data.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Mapping, Sequence
from contextlib import aclosing
from typing import Self

from hotelvoice.breaker import BreakerSnapshot, CircuitBreaker
from hotelvoice.settings import Settings, get_settings
from hotelvoice.tts.cache import CacheKey, CacheTier, LruTier, TieredCache
from hotelvoice.tts.engine import AudioFormat, EngineError, TtsEngine, Voice
from hotelvoice.tts.espeak_engine import EspeakEngine
from hotelvoice.tts.normalise import normalise
from hotelvoice.tts.personal_data import contains_personal_data
from hotelvoice.tts.shared_tier import SharedTier
from hotelvoice.tts.utterance import (
    PrewarmReport,
    RouterStats,
    SpeechStream,
    SpeechUnavailable,
    Synthesis,
    UtteranceOutcome,
)
from hotelvoice.tts.voices import VoiceOverrides, voice_chain

log = logging.getLogger("hotelvoice.tts.router")

LAST_RESORT_TIMEOUT_S = 10.0
"""The last voice of the chain waits this long for audio: no engine comes after it, so the
first-audio timeout would only trade a slow answer (espeak on a saturated CPU) for silence."""


class TtsRouter:
    """Cache, engines in order, a breaker per engine."""

    def __init__(
        self,
        engines: Sequence[TtsEngine],
        cache: TieredCache | None = None,
        *,
        breakers: Mapping[str, CircuitBreaker] | None = None,
        breaker_failures: int = 3,
        breaker_cooldown_s: float = 30.0,
        first_audio_timeout_s: float = 2.5,
        fmt: AudioFormat = AudioFormat.PCM_16000,
        write_behind: bool = False,
    ) -> None:
        """Wire the chain.

        Args:
            engines: First choice first; names must be distinct.
            cache: Where audio is looked up and stored; None: no caching.
            breakers: A breaker per engine name (tests pass ones with a fake clock); missing
                ones are created from ``breaker_failures`` and ``breaker_cooldown_s``.
            breaker_failures: Consecutive failures that open an engine's breaker.
            breaker_cooldown_s: How long an open breaker skips its engine.
            first_audio_timeout_s: Longest wait for an engine's first chunk, and between
                chunks: past it the engine has failed this utterance.
            fmt: The audio format every utterance is spoken in.
            write_behind: Store in the cache in a background task (the agent: the utterance
                ends without waiting on S3); False (the Lambda): before the call returns.
        """
        names = [engine.name for engine in engines]
        if len(set(names)) != len(names):
            raise ValueError(f"engine names repeat: {names}")
        self._engines = {engine.name: engine for engine in engines}
        self.cache = cache
        given = dict(breakers or {})
        self.breakers = {
            name: given.get(name)
            or CircuitBreaker(name, failures=breaker_failures, cooldown_s=breaker_cooldown_s)
            for name in names
        }
        self.first_audio_timeout_s = first_audio_timeout_s
        self.fmt = fmt
        self.stats = RouterStats()
        self._write_behind = write_behind
        self._pending: set[asyncio.Task[None]] = set()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *, write_behind: bool = False) -> Self:
        """The chain, breakers and cache tiers the settings describe.

        Vendor engines come from :func:`hotelvoice.tts.vendors.engine_named` and are left out
        when they have no key or their SDK is not installed; ``espeak`` is built here.

        Raises:
            ValueError: No engine of ``tts_engines`` can be built, or a name is unknown.
        """
        settings = settings or get_settings()
        engines = [e for name in settings.tts_engines if (e := _engine(name, settings))]
        if not engines:
            raise ValueError(f"no TTS engine available among {settings.tts_engines}")
        tiers: list[CacheTier] = [
            LruTier(settings.tts_lru_bytes, ttl_s=settings.tts_cache_ttl_s),
        ]
        if settings.tts_cache_bucket and settings.tts_cache_table:
            tiers.append(
                SharedTier(
                    settings.tts_cache_bucket,
                    settings.tts_cache_table,
                    ttl_s=settings.tts_cache_ttl_s,
                )
            )
        return cls(
            engines,
            TieredCache(tiers),
            breaker_failures=settings.tts_breaker_failures,
            breaker_cooldown_s=settings.tts_breaker_cooldown_s,
            first_audio_timeout_s=settings.tts_first_audio_timeout_s,
            fmt=AudioFormat(settings.tts_format),
            write_behind=write_behind,
        )

    @property
    def engines(self) -> list[TtsEngine]:
        """The chain, first choice first."""
        return list(self._engines.values())

    def voices_for(self, locale: str, hotel_voices: VoiceOverrides | None = None) -> list[Voice]:
        """The voice each engine of the chain would use for ``locale``, in order."""
        return voice_chain(hotel_voices, locale, list(self._engines))

    def breaker_states(self) -> list[BreakerSnapshot]:
        """Every engine's breaker, for metrics and health."""
        return [breaker.snapshot() for breaker in self.breakers.values()]

    def stream(
        self,
        text: str,
        *,
        locale: str,
        hotel_voices: VoiceOverrides | None = None,
        known_names: Iterable[str] = (),
        public_texts: Iterable[str] = (),
        cacheable: bool = True,
    ) -> SpeechStream:
        """Speak ``text``, chunk by chunk (the agent's path).

        Args:
            text: The utterance; normalised before it is spoken or hashed.
            locale: ``de``, ``de-DE``…: picks each engine's voice.
            hotel_voices: The hotel's voice choices (``HotelSettings.voices``).
            known_names: Names of this call's guest: text naming them is never cached.
            public_texts: The hotel's own published facts (front-desk number, address):
                numbers in them do not make a text personal.
            cacheable: False: neither looked up nor stored (the caller knows it is personal).

        Returns:
            An async iterator of PCM chunks; iterating raises :class:`SpeechUnavailable`
            when no engine could speak (before any chunk, or after a partial one).
        """
        outcome = UtteranceOutcome()
        events = self._speak(
            text, locale, hotel_voices, known_names, public_texts, cacheable, outcome
        )
        return SpeechStream(events, outcome)

    async def synthesize(
        self,
        text: str,
        *,
        locale: str,
        hotel_voices: VoiceOverrides | None = None,
        known_names: Iterable[str] = (),
        public_texts: Iterable[str] = (),
        cacheable: bool = True,
    ) -> Synthesis:
        """Speak ``text`` and return the whole audio (the Lambda's path).

        Arguments as for :meth:`stream`.

        Raises:
            SpeechUnavailable: No engine could speak it.
        """
        return await self._joined(
            text, locale, hotel_voices, known_names, public_texts, cacheable, count=True
        )

    async def prewarm(
        self,
        texts_by_locale: Mapping[str, Iterable[str]],
        hotel_voices: VoiceOverrides | None = None,
        *,
        public_texts: Iterable[str] = (),
    ) -> PrewarmReport:
        """Synthesise and cache fixed prompts ahead of the first call.

        A text already cached for the chain's first voice is skipped (a shared-tier copy is
        pulled into this process's LRU on the way). Texts are spoken one at a time: vendors
        rate-limit, and pre-warming is not urgent. Lookups here do not count in the stats.

        Args:
            texts_by_locale: ``{"de-DE": ["Guten Tag …", …], …}``.
            hotel_voices: The hotel's voice choices.
            public_texts: As for :meth:`stream` (prompts name the front-desk number).

        Returns:
            How many texts were stored, already cached, personal (never cached) or failed.

        Raises:
            ValueError: The router has no cache.
        """
        if self.cache is None:
            raise ValueError("pre-warming needs a cache")
        public = tuple(public_texts)
        counts: Counter[str] = Counter()
        for locale, texts in texts_by_locale.items():
            chain = self.voices_for(locale, hotel_voices)
            for text in texts:
                if contains_personal_data(text, public_texts=public):
                    counts["personal"] += 1
                    continue
                first = CacheKey.of(chain[0], self.fmt, text) if chain else None
                if first and await self.cache.get(first, count=False):
                    counts["already_cached"] += 1
                    continue
                try:
                    result = await self._joined(
                        text, locale, hotel_voices, (), public, cacheable=True, count=False
                    )
                except SpeechUnavailable:
                    counts["failed"] += 1
                    continue
                counts["stored" if result.stored else "already_cached"] += 1
        await self.flush()
        return PrewarmReport(**counts)

    async def flush(self) -> None:
        """Wait for background cache writes (``write_behind``)."""
        while self._pending:
            await asyncio.gather(*list(self._pending))

    async def aclose(self) -> None:
        """Finish cache writes and close every engine."""
        await self.flush()
        for engine in self._engines.values():
            await engine.aclose()

    async def _joined(
        self,
        text: str,
        locale: str,
        hotel_voices: VoiceOverrides | None,
        known_names: Iterable[str],
        public_texts: Iterable[str],
        cacheable: bool,
        *,
        count: bool,
    ) -> Synthesis:
        outcome = UtteranceOutcome()
        audio = bytearray()
        events = self._speak(
            text, locale, hotel_voices, known_names, public_texts, cacheable, outcome, count
        )
        async for event in events:
            if event is None:
                audio.clear()  # a failed engine's partial audio: the next one starts over
            else:
                audio += event
        assert outcome.voice is not None  # _speak sets it or raises
        return Synthesis(
            audio=bytes(audio),
            fmt=self.fmt,
            voice=outcome.voice,
            cache_hit=outcome.cache_tier is not None,
            cache_tier=outcome.cache_tier,
            stored=outcome.stored,
            key=outcome.key,
            failed=tuple(outcome.failed),
        )

    async def _speak(
        self,
        text: str,
        locale: str,
        hotel_voices: VoiceOverrides | None,
        known_names: Iterable[str],
        public_texts: Iterable[str],
        cacheable: bool,
        outcome: UtteranceOutcome,
        count: bool = True,
    ) -> AsyncGenerator[bytes | None, None]:
        """Audio chunks of the utterance; ``None`` means "discard what came, starting over"."""
        self.stats.utterances += int(count)
        text = normalise(text)
        chain = self.voices_for(locale, hotel_voices)
        if not chain:
            self.stats.unavailable += 1
            raise SpeechUnavailable(f"no engine of the chain has a voice for {locale!r}")
        if not any(ch.isalnum() for ch in text):
            outcome.voice = chain[0]  # nothing to say ("", "..."): silence, no engine
            return
        if cacheable and contains_personal_data(text, known_names, public_texts=public_texts):
            self.stats.not_cached_personal += 1
            cacheable = False
        for position, voice in enumerate(chain):
            key = CacheKey.of(voice, self.fmt, text) if cacheable else None
            hit = await self.cache.get(key, count=count) if key and self.cache else None
            if hit is not None:
                outcome.voice, outcome.key, outcome.cache_tier = voice, key, hit.tier
                self._served(voice, position, count)
                yield hit.audio
                return
            breaker = self.breakers[voice.engine]
            if not breaker.allow():
                continue
            chunks: list[bytes] = []
            try:
                last = position == len(chain) - 1
                async with aclosing(self._attempt(voice, text, last=last)) as attempt:
                    async for chunk in attempt:
                        if not chunks:
                            outcome.voice = voice
                        chunks.append(chunk)
                        yield chunk
            except Exception as exc:  # any engine failure, even a bug: the next engine speaks
                breaker.record_failure()
                outcome.failed.append(voice.engine)
                self.stats.engine_failures[voice.engine] += 1
                log.warning(
                    "TTS engine %s failed%s: %s",
                    voice.engine,
                    " mid-utterance" if chunks else "",
                    _describe(exc),
                    exc_info=not isinstance(exc, EngineError | TimeoutError),
                )
                if chunks:
                    outcome.restarts += 1
                    yield None
                continue
            breaker.record_success()
            self._served(voice, position, count)
            if key is not None and self.cache is not None:
                outcome.key, outcome.stored = key, True
                await self._store(key, b"".join(chunks))
            return
        self.stats.unavailable += 1
        raise SpeechUnavailable(
            f"no TTS engine could speak (failed: {', '.join(outcome.failed) or 'none tried'})",
            failed=outcome.failed,
        )

    async def _attempt(self, voice: Voice, text: str, *, last: bool) -> AsyncGenerator[bytes, None]:
        """One engine's chunks, each within the timeout; no audio at all is a failure."""
        stream: AsyncIterator[bytes] = self._engines[voice.engine].stream(text, voice, self.fmt)
        timeout_s = self.first_audio_timeout_s
        if last:
            timeout_s = max(timeout_s, LAST_RESORT_TIMEOUT_S)
        first = True
        try:
            while True:
                try:
                    async with asyncio.timeout(timeout_s):
                        chunk = await anext(stream)
                except StopAsyncIteration:
                    if first:
                        raise EngineError(f"{voice.engine} returned no audio") from None
                    return
                first = False
                yield chunk
        finally:
            closer = getattr(stream, "aclose", None)
            if closer is not None:
                await closer()

    def _served(self, voice: Voice, position: int, count: bool) -> None:
        if count:
            self.stats.served_by[voice.engine] += 1
            self.stats.fallbacks += int(position > 0)

    async def _store(self, key: CacheKey, audio: bytes) -> None:
        assert self.cache is not None  # checked by the caller
        if not self._write_behind:
            await self.cache.put(key, audio)
            return
        task = asyncio.create_task(self.cache.put(key, audio))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)


def _describe(exc: Exception) -> str:
    if isinstance(exc, TimeoutError):
        return "no audio in time"
    return str(exc) or type(exc).__name__


def _engine(name: str, settings: Settings) -> TtsEngine | None:
    """The engine called ``name``, or None when it cannot run here (no key, no SDK)."""
    if name == "espeak":
        return EspeakEngine()
    try:
        from hotelvoice.tts.vendors import engine_named

        engine = engine_named(name, settings)
    except ImportError as exc:
        log.warning("TTS engine %s left out: %s", name, exc)
        return None
    if engine is None:
        log.info("TTS engine %s left out: no key configured", name)
    return engine
