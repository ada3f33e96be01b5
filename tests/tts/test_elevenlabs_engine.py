"""ElevenLabsEngine through the real ``elevenlabs`` SDK against the local ElevenLabs peer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import pytest
from peers.elevenlabs_peer import ElevenLabsPeer
from peers.refused_port import refused_port
from streamed_audio import assert_streamed_speech, collect

from hotelvoice.tts.elevenlabs_engine import ElevenLabsEngine
from hotelvoice.tts.engine import AudioFormat, EngineError, Voice

KEY = "el-test-key"
GEORGE = Voice("elevenlabs", "JBFqnCBsd6RMkjVDRZzb", "de-DE")
TEXT = "Guten Abend, Ihr Zimmer ist bereit."
TIMEOUT_S = 1.0
"""Generous for the happy paths: two CPUs are shared with other test runs."""
STALL_TIMEOUT_S = 0.3


@pytest.fixture(scope="module")
def peer() -> Iterator[ElevenLabsPeer]:
    with ElevenLabsPeer(api_key=KEY) as running:
        yield running


@pytest.fixture
async def engine(peer: ElevenLabsPeer) -> AsyncIterator[ElevenLabsEngine]:
    peer.recover()
    speaker = ElevenLabsEngine(KEY, base_url=peer.base_url, timeout_s=TIMEOUT_S)
    yield speaker
    await speaker.aclose()
    peer.recover()


async def _speak(engine: ElevenLabsEngine, fmt: AudioFormat, text: str = TEXT) -> list[bytes]:
    return [chunk async for chunk in engine.stream(text, GEORGE, fmt)]


@pytest.mark.parametrize("fmt", list(AudioFormat))
async def test_speech_is_pcm_at_the_requested_rate(
    engine: ElevenLabsEngine, peer: ElevenLabsPeer, fmt: AudioFormat
) -> None:
    chunks = await _speak(engine, fmt)

    assert_streamed_speech(chunks, fmt, TEXT, voice="de")
    seen = peer.requests[-1]
    assert seen.path == f"/v1/text-to-speech/{GEORGE.voice_id}/stream"
    assert seen.query["output_format"] == fmt.value
    assert seen.headers["xi-api-key"] == KEY
    assert seen.json["text"] == TEXT
    assert seen.json["model_id"] == "eleven_flash_v2_5"
    assert seen.json["language_code"] == "de"


async def test_models_without_language_enforcement_get_no_language_code(
    peer: ElevenLabsPeer,
) -> None:
    engine = ElevenLabsEngine(KEY, base_url=peer.base_url, model="eleven_multilingual_v2")
    try:
        assert await _speak(engine, AudioFormat.PCM_16000, "Hallo")
    finally:
        await engine.aclose()

    assert peer.requests[-1].json["model_id"] == "eleven_multilingual_v2"
    assert "language_code" not in peer.requests[-1].json


async def test_zero_retention_is_asked_for_only_when_configured(
    engine: ElevenLabsEngine, peer: ElevenLabsPeer
) -> None:
    assert await _speak(engine, AudioFormat.PCM_16000, "Hallo")
    assert "enable_logging" not in peer.requests[-1].query

    private = ElevenLabsEngine(KEY, base_url=peer.base_url, zero_retention=True)
    try:
        assert await _speak(private, AudioFormat.PCM_16000, "Hallo")
    finally:
        await private.aclose()
    assert peer.requests[-1].query["enable_logging"] == "false"


async def test_voices_lists_one_entry_per_verified_locale(engine: ElevenLabsEngine) -> None:
    voices = {(v.voice_id, v.locale): v for v in await engine.voices()}

    assert set(voices) == {
        ("JBFqnCBsd6RMkjVDRZzb", "en-GB"),
        ("JBFqnCBsd6RMkjVDRZzb", "de-DE"),
        ("21m00Tcm4TlvDq8ikWAM", "mul"),  # names no language: whatever the model speaks
        *(("Xb7hH8MSUJpSbSDYk0k2", loc) for loc in ("en-GB", "de-DE", "fr-FR", "es-ES", "it-IT")),
    }
    george = voices["JBFqnCBsd6RMkjVDRZzb", "de-DE"]
    assert (george.engine, george.name, george.gender) == ("elevenlabs", "George", "male")


async def test_voices_follows_every_page() -> None:
    with ElevenLabsPeer(api_key=KEY, page_limit=1) as small_pages:
        engine = ElevenLabsEngine(KEY, base_url=small_pages.base_url)
        try:
            voices = await engine.voices()
        finally:
            await engine.aclose()
        pages = [r for r in small_pages.requests if r.path == "/v2/voices"]

    assert {v.voice_id for v in voices} == {
        "JBFqnCBsd6RMkjVDRZzb",
        "21m00Tcm4TlvDq8ikWAM",
        "Xb7hH8MSUJpSbSDYk0k2",
    }
    assert len(pages) == 3
    assert pages[1].query["next_page_token"] == "1"


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(401, False), (403, False), (422, False), (429, True), (500, True), (503, True)],
)
async def test_http_errors_become_engine_errors_without_sdk_retries(
    engine: ElevenLabsEngine, peer: ElevenLabsPeer, status: int, retryable: bool
) -> None:
    peer.fail_with(status)
    before = len(peer.requests)

    with pytest.raises(EngineError) as raised:
        await _speak(engine, AudioFormat.PCM_8000)

    assert raised.value.retryable is retryable
    assert f"HTTP {status}" in str(raised.value)
    assert KEY not in str(raised.value)
    assert len(peer.requests) == before + 1, "the SDK must not retry behind the router's back"


async def test_a_wrong_key_is_final(peer: ElevenLabsPeer) -> None:
    engine = ElevenLabsEngine("wrong-key", base_url=peer.base_url)
    try:
        with pytest.raises(EngineError, match="invalid_api_key") as raised:
            await _speak(engine, AudioFormat.PCM_8000)
    finally:
        await engine.aclose()
    assert raised.value.retryable is False


async def test_a_stalled_vendor_times_out_quickly(peer: ElevenLabsPeer) -> None:
    engine = ElevenLabsEngine(KEY, base_url=peer.base_url, timeout_s=STALL_TIMEOUT_S)
    peer.stall(2.0)
    started = time.monotonic()
    try:
        with pytest.raises(EngineError, match="ReadTimeout") as raised:
            await _speak(engine, AudioFormat.PCM_8000)
    finally:
        await engine.aclose()
        peer.recover()

    assert raised.value.retryable is True
    assert time.monotonic() - started < STALL_TIMEOUT_S + 0.5


async def test_a_connection_cut_mid_stream_fails_after_the_first_audio(
    engine: ElevenLabsEngine, peer: ElevenLabsPeer
) -> None:
    peer.drop_mid_stream()
    received: list[bytes] = []

    with pytest.raises(EngineError) as raised:
        await collect(engine.stream(TEXT, GEORGE, AudioFormat.PCM_16000), received)

    assert received, "audio before the cut should have been passed on at once"
    assert raised.value.retryable is True


async def test_a_refused_connection_is_retryable() -> None:
    with refused_port() as closed_port:
        engine = ElevenLabsEngine(KEY, base_url=f"http://127.0.0.1:{closed_port}")
        try:
            with pytest.raises(EngineError, match="ConnectError") as raised:
                await _speak(engine, AudioFormat.PCM_8000)
        finally:
            await engine.aclose()
    assert raised.value.retryable is True


async def test_voice_list_errors_are_engine_errors(
    engine: ElevenLabsEngine, peer: ElevenLabsPeer
) -> None:
    peer.fail_with(401)
    with pytest.raises(EngineError) as refused:
        await engine.voices()
    peer.fail_with(502)
    before = len(peer.requests)
    with pytest.raises(EngineError) as failing:
        await engine.voices()

    assert refused.value.retryable is False
    assert failing.value.retryable is True
    assert len(peer.requests) == before + 1, "no SDK retries with backoff"
