"""TtsRouter: cache first, engines in order within one utterance, breakers, personal data."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from moto_tts_cache import CacheStore, mocked_aws, new_store

from hotelvoice.breaker import BreakerState, CircuitBreaker
from hotelvoice.errors import Unavailable
from hotelvoice.settings import Settings
from hotelvoice.tts.cache import CacheKey, LruTier, TieredCache
from hotelvoice.tts.engine import AudioFormat, EngineError, TtsEngine, Voice, VoiceInfo
from hotelvoice.tts.espeak_engine import EspeakEngine
from hotelvoice.tts.router import SpeechUnavailable, TtsRouter
from hotelvoice.tts.shared_tier import SharedTier

FMT = AudioFormat.PCM_8000
VOICES = {"en": {"vendor": "vendor-voice", "backup": "backup-voice"}}
"""The stand-in engines have no default voices; the hotel names them."""
TEXT = "Thank you for calling Hotel Aurora Berlin."


class ScriptedEngine:
    """A vendor stand-in that speaks, fails, stalls or breaks mid-utterance, as told."""

    def __init__(self, name: str = "vendor", mode: str = "ok") -> None:
        self.name = name
        self.mode = mode
        self.calls = 0
        self.closed = 0
        self.release = asyncio.Event()
        self.chunks = [name.encode()[:2].ljust(2, b"\0") * 100, b"\x07\x00" * 100]

    async def stream(self, text: str, voice: Voice, fmt: AudioFormat) -> AsyncIterator[bytes]:
        self.calls += 1
        try:
            if self.mode == "fail":
                raise EngineError("vendor answered 503")
            if self.mode == "stall":
                await asyncio.sleep(60)
            if self.mode == "slow":  # late, but it does speak
                await asyncio.sleep(0.5)
            if self.mode == "bug":
                raise KeyError("a bug, not an EngineError")
            yield self.chunks[0]
            if self.mode == "fail_mid":
                raise EngineError("connection reset")
            if self.mode == "hold":
                await self.release.wait()
            for chunk in self.chunks[1:]:
                yield chunk
        finally:
            self.closed += 1

    async def voices(self) -> list[VoiceInfo]:
        return []

    async def aclose(self) -> None:
        return None


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_router(
    *engines: TtsEngine,
    cache: TieredCache | None = None,
    clock: FakeClock | None = None,
    failures: int = 3,
    timeout_s: float = 0.2,
    write_behind: bool = False,
) -> TtsRouter:
    breakers = {
        e.name: CircuitBreaker(e.name, failures=failures, cooldown_s=30, clock=clock or FakeClock())
        for e in engines
    }
    return TtsRouter(
        list(engines),
        cache if cache is not None else TieredCache([LruTier(10_000_000, ttl_s=3600)]),
        breakers=breakers,
        first_audio_timeout_s=timeout_s,
        fmt=FMT,
        write_behind=write_behind,
    )


async def espeak_audio(text: str) -> bytes:
    voice = Voice("espeak", "en-us", "en-GB")
    return b"".join([c async for c in EspeakEngine().stream(text, voice, FMT)])


def assert_espeak_said(audio: bytes, reference: bytes) -> None:
    """espeak-ng carries filter state between sentences: the same text, nearly the same bytes."""
    assert not audio.startswith(b"ve")  # none of the vendor's partial chunk
    assert len(audio) == pytest.approx(len(reference), rel=0.02)


# -- cache ------------------------------------------------------------------------------


async def test_a_miss_is_spoken_and_stored_then_served_from_cache() -> None:
    vendor = ScriptedEngine()
    router = make_router(vendor, EspeakEngine())
    first = await router.synthesize(TEXT, locale="en", hotel_voices=VOICES)
    assert (first.voice.engine, first.cache_hit, first.stored) == ("vendor", False, True)
    assert first.audio == b"".join(vendor.chunks)
    assert first.key == CacheKey.of(Voice("vendor", "vendor-voice", "en-GB"), FMT, TEXT)

    again = await router.synthesize(f"  {TEXT} ", locale="en-GB", hotel_voices=VOICES)
    assert (again.cache_hit, again.cache_tier, again.audio) == (True, "lru", first.audio)
    assert vendor.calls == 1
    assert router.stats.served_by == {"vendor": 2}


@pytest.fixture(scope="module")
def moto() -> Iterator[None]:
    with mocked_aws():
        yield


@pytest.fixture
def store(moto: None) -> CacheStore:
    return new_store()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Welcome back, Mrs Weber.", ()),
        ("See you tomorrow, Clara.", ("Clara Weber",)),
        ("Your reservation HV1415 is confirmed.", ()),
        ("We will call you back on +49 171 2345678.", ()),
    ],
)
async def test_personal_text_is_spoken_but_never_written_to_any_tier(
    store: CacheStore, text: str, names: tuple[str, ...]
) -> None:
    lru = LruTier(10_000_000, ttl_s=3600)
    shared = SharedTier(store.bucket, store.table, ttl_s=3600)
    router = make_router(EspeakEngine(), cache=TieredCache([lru, shared]))
    result = await router.synthesize(text, locale="en", known_names=names)
    assert len(result.audio) > 1000
    assert (result.stored, result.key) == (False, None)
    assert (len(lru), len(store.objects()), len(store.items())) == (0, 0, 0)
    assert router.stats.not_cached_personal == 1

    await router.synthesize("How can I help you today?", locale="en", known_names=names)
    assert (len(lru), len(store.objects()), len(store.items())) == (1, 1, 1)


async def test_not_cacheable_means_not_stored() -> None:
    router = make_router(EspeakEngine())
    result = await router.synthesize("Good evening.", locale="en", cacheable=False)
    assert result.audio
    assert not result.stored
    assert router.cache is not None
    assert router.cache.stats.lookups == 0


# -- fallback within one utterance ------------------------------------------------------------


@pytest.mark.parametrize("mode", ["fail", "stall", "bug"])
async def test_a_failing_first_engine_hands_the_utterance_to_espeak(mode: str) -> None:
    vendor = ScriptedEngine(mode=mode)
    router = make_router(vendor, EspeakEngine(), timeout_s=0.1)
    started = time.perf_counter()
    result = await router.synthesize(TEXT, locale="en", hotel_voices=VOICES)
    assert time.perf_counter() - started < 1.5
    assert result.voice == Voice("espeak", "en-us", "en-GB")
    assert_espeak_said(result.audio, await espeak_audio(TEXT))
    assert result.failed == ("vendor",)
    assert vendor.closed == 1  # the stalled request was cancelled, not left running
    assert router.breakers["vendor"].snapshot().consecutive_failures == 1
    assert router.stats.fallbacks == 1


async def test_the_last_engine_is_given_time_rather_than_cut_off() -> None:
    slow = ScriptedEngine(name="vendor", mode="slow")  # slower than the first-audio timeout
    alone = make_router(slow, timeout_s=0.1)

    result = await alone.synthesize(TEXT, locale="en", hotel_voices=VOICES)

    assert result.voice.engine == "vendor"  # nothing comes after it: waiting beats silence
    assert result.audio == b"".join(slow.chunks)


async def test_a_mid_utterance_failure_restarts_the_utterance_on_the_next_engine() -> None:
    vendor = ScriptedEngine(mode="fail_mid")
    router = make_router(vendor, EspeakEngine())
    stream = router.stream(TEXT, locale="en", hotel_voices=VOICES)
    chunks = [chunk async for chunk in stream]
    whole = await espeak_audio(TEXT)
    assert len(chunks) == 2
    assert chunks[0] == vendor.chunks[0]  # the caller heard a start, then the restart
    assert_espeak_said(chunks[1], whole)
    assert (stream.restarts, stream.voice.engine if stream.voice else None) == (1, "espeak")
    assert stream.stored

    joined = await router.synthesize(TEXT, locale="en", hotel_voices=VOICES, cacheable=False)
    assert_espeak_said(joined.audio, whole)  # the Lambda's joined audio drops the partial start


async def test_all_engines_failing_raises_speech_unavailable() -> None:
    router = make_router(ScriptedEngine("vendor", "fail"), ScriptedEngine("backup", "fail"))
    with pytest.raises(SpeechUnavailable) as failure:
        await router.synthesize(TEXT, locale="en", hotel_voices=VOICES)
    assert failure.value.failed == ("vendor", "backup")
    assert isinstance(failure.value, Unavailable)
    assert failure.value.status == 503
    with pytest.raises(SpeechUnavailable):  # the streaming path says the same
        [c async for c in router.stream(TEXT, locale="en", hotel_voices=VOICES)]


async def test_a_locale_no_engine_speaks_is_unavailable() -> None:
    with pytest.raises(SpeechUnavailable, match="pt-BR"):
        await make_router(EspeakEngine()).synthesize("Olá", locale="pt-BR")


# -- breakers ---------------------------------------------------------------------------------


async def test_an_open_breaker_is_skipped_until_its_cooldown() -> None:
    clock = FakeClock()
    vendor = ScriptedEngine(mode="fail")
    router = make_router(vendor, EspeakEngine(), cache=TieredCache([]), clock=clock, failures=1)
    await router.synthesize("One.", locale="en", hotel_voices=VOICES)
    assert router.breakers["vendor"].state is BreakerState.OPEN

    result = await router.synthesize("Two.", locale="en", hotel_voices=VOICES)
    assert (vendor.calls, result.voice.engine, result.failed) == (1, "espeak", ())

    vendor.mode = "ok"
    clock.now += 30  # half-open: one trial goes through, and it works
    result = await router.synthesize("Three.", locale="en", hotel_voices=VOICES)
    assert (vendor.calls, result.voice.engine) == (2, "vendor")
    assert router.breakers["vendor"].state is BreakerState.CLOSED


async def test_cached_audio_is_served_even_while_its_engine_is_down() -> None:
    vendor = ScriptedEngine()
    router = make_router(vendor, EspeakEngine(), failures=1)
    await router.synthesize(TEXT, locale="en", hotel_voices=VOICES)
    vendor.mode = "fail"
    await router.synthesize("Something new.", locale="en", hotel_voices=VOICES)
    assert router.breakers["vendor"].state is BreakerState.OPEN

    result = await router.synthesize(TEXT, locale="en", hotel_voices=VOICES)
    assert (result.cache_hit, result.voice.engine, vendor.calls) == (True, "vendor", 2)


# -- streaming ---------------------------------------------------------------------------------


async def test_the_first_chunk_arrives_before_the_engine_finishes() -> None:
    vendor = ScriptedEngine(mode="hold")
    router = make_router(vendor, EspeakEngine())
    stream = router.stream(TEXT, locale="en", hotel_voices=VOICES)
    first = await anext(stream)
    assert first == vendor.chunks[0]
    assert stream.voice is not None
    assert stream.voice.engine == "vendor"
    vendor.release.set()
    rest = [chunk async for chunk in stream]
    assert rest == vendor.chunks[1:]
    assert stream.stored


async def test_stopping_early_closes_the_engine_and_caches_nothing() -> None:
    vendor = ScriptedEngine(mode="hold")
    router = make_router(vendor, EspeakEngine())
    stream = router.stream(TEXT, locale="en", hotel_voices=VOICES)
    await anext(stream)
    await stream.aclose()  # the caller barged in
    assert vendor.closed == 1
    assert not stream.stored
    assert router.breakers["vendor"].snapshot().consecutive_failures == 0
    assert router.cache is not None
    assert router.cache.stats.tiers["lru"].puts == 0


async def test_nothing_to_say_is_silence_without_an_engine() -> None:
    vendor = ScriptedEngine()
    result = await make_router(vendor).synthesize(" ... ", locale="en", hotel_voices=VOICES)
    assert (result.audio, vendor.calls) == (b"", 0)


async def test_write_behind_stores_after_the_utterance() -> None:
    lru = LruTier(10_000_000, ttl_s=3600)
    router = make_router(ScriptedEngine(), cache=TieredCache([lru]), write_behind=True)
    result = await router.synthesize(TEXT, locale="en", hotel_voices=VOICES)
    await router.flush()
    assert result.key is not None
    assert await lru.get(result.key) == result.audio
    await router.aclose()


# -- prewarm, settings ------------------------------------------------------------------------


async def test_prewarm_stores_fixed_prompts_once() -> None:
    vendor = ScriptedEngine()
    router = make_router(vendor, EspeakEngine())
    prompts = {
        "en": ["Thank you for calling.", "Our front desk is at +49 30 5550 1000.", "HV1415"],
        "de": ["Vielen Dank für Ihren Anruf."],
    }
    public = ["+49 30 5550 1000"]
    report = await router.prewarm(prompts, VOICES, public_texts=public)
    assert (report.stored, report.personal, report.already_cached, report.failed) == (3, 1, 0, 0)
    # German has no "vendor" voice in VOICES: espeak stored it; English went to the vendor.
    assert vendor.calls == 2

    again = await router.prewarm(prompts, VOICES, public_texts=public)
    assert (again.stored, again.already_cached, again.personal) == (0, 3, 1)
    assert vendor.calls == 2
    assert router.cache is not None
    assert router.cache.stats.lookups == 0  # pre-warming does not skew the hit ratio


def _settings(**values: object) -> Settings:
    blank = {
        "elevenlabs_api_key": "",
        "elevenlabs_api_key_secret_name": "",
        "azure_speech_key": "",
        "azure_speech_key_secret_name": "",
    }
    return Settings().model_copy(update=blank | values)


def test_from_settings_builds_the_chain_breakers_and_tiers() -> None:
    router = TtsRouter.from_settings(
        _settings(
            tts_engines=["elevenlabs", "azure", "espeak"],
            tts_cache_bucket="bucket",
            tts_cache_table="table",
            tts_format="pcm_8000",
            tts_breaker_failures=5,
        )
    )
    assert [e.name for e in router.engines] == ["espeak"]  # no vendor keys here
    assert router.cache is not None
    assert [type(t) for t in router.cache.tiers] == [LruTier, SharedTier]
    assert router.fmt is AudioFormat.PCM_8000
    assert [s.name for s in router.breaker_states()] == ["espeak"]

    local = TtsRouter.from_settings(_settings(tts_engines=["espeak"]))
    assert local.cache is not None
    assert [type(t) for t in local.cache.tiers] == [LruTier]
    with pytest.raises(ValueError, match="no TTS engine"):
        TtsRouter.from_settings(_settings(tts_engines=["elevenlabs"]))
