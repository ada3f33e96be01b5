"""AzureSpeechEngine through the real Speech SDK against the local Azure Speech peer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import pytest
from peers.azure_speech_peer import AzureSpeechPeer
from peers.refused_port import refused_port
from streamed_audio import assert_streamed_speech, collect

from hotelvoice.tts.azure_engine import AzureSpeechEngine, ssml_for
from hotelvoice.tts.engine import AudioFormat, EngineError, Voice

KEY = "az-test-key"
KATJA = Voice("azure", "de-DE-KatjaNeural", "de-DE")
TEXT = "Guten Abend, Ihr Zimmer ist bereit."
TIMEOUT_S = 1.0
"""Generous for the happy paths: two CPUs are shared with other test runs."""
STALL_TIMEOUT_S = 0.3
RAW_FORMATS = {
    AudioFormat.PCM_8000: "raw-8khz-16bit-mono-pcm",
    AudioFormat.PCM_16000: "raw-16khz-16bit-mono-pcm",
}


@pytest.fixture(scope="module")
def peer() -> Iterator[AzureSpeechPeer]:
    with AzureSpeechPeer(key=KEY) as running:
        yield running


@pytest.fixture
async def engine(peer: AzureSpeechPeer) -> AsyncIterator[AzureSpeechEngine]:
    peer.recover()
    speaker = AzureSpeechEngine(KEY, host=peer.host, timeout_s=TIMEOUT_S)
    yield speaker
    await speaker.aclose()
    peer.recover()


async def _speak(engine: AzureSpeechEngine, fmt: AudioFormat, text: str = TEXT) -> list[bytes]:
    return [chunk async for chunk in engine.stream(text, KATJA, fmt)]


@pytest.mark.parametrize("fmt", list(AudioFormat))
async def test_speech_is_pcm_at_the_requested_rate(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer, fmt: AudioFormat
) -> None:
    chunks = await _speak(engine, fmt)

    assert_streamed_speech(chunks, fmt, TEXT, voice="de")
    seen = peer.requests[-1]
    assert seen.output_format == RAW_FORMATS[fmt]
    assert (seen.voice, seen.language, seen.text) == (KATJA.voice_id, "de-DE", TEXT)
    assert seen.headers["ocp-apim-subscription-key"] == KEY
    assert seen.headers["sec-websocket-protocol"] == "USP"


async def test_markup_characters_are_spoken_not_parsed(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer
) -> None:
    text = 'Rooms <2 & 3> are "free"\x00'

    assert await _speak(engine, AudioFormat.PCM_16000, text)

    seen = peer.requests[-1]
    assert seen.text == 'Rooms <2 & 3> are "free" '  # NUL is not XML: spoken as a pause
    assert "&lt;2 &amp; 3&gt;" in seen.ssml


def test_ssml_attributes_are_escaped() -> None:
    ssml = ssml_for("hi", Voice("azure", 'x" onload="y', "de-DE"))
    assert 'name="x&quot; onload=&quot;y"' in ssml


async def test_one_connection_serves_consecutive_utterances(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer
) -> None:
    upgrades = len(peer.upgrades)

    for _ in range(3):
        assert await _speak(engine, AudioFormat.PCM_8000, "Guten Tag")

    assert len(peer.upgrades) == upgrades + 1


async def test_voices_come_from_the_voices_list(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer
) -> None:
    voices = {v.voice_id: v for v in await engine.voices()}

    assert set(voices) == {"de-DE-KatjaNeural", "en-US-GuyNeural"}
    katja = voices["de-DE-KatjaNeural"]
    assert (katja.engine, katja.locale, katja.name, katja.gender) == (
        "azure",
        "de-DE",
        "Katja",
        "female",
    )
    assert peer.voice_lists[-1]["ocp-apim-subscription-key"] == KEY


@pytest.mark.parametrize(
    ("status", "retryable"), [(401, False), (403, False), (429, True), (500, True), (503, True)]
)
async def test_refused_connections_become_engine_errors(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer, status: int, retryable: bool
) -> None:
    peer.fail_with(status)

    with pytest.raises(EngineError, match=f"\\({status}\\)") as raised:
        await _speak(engine, AudioFormat.PCM_8000)

    assert raised.value.retryable is retryable
    assert KEY not in str(raised.value)


@pytest.mark.parametrize(("code", "retryable"), [(1007, False), (4429, True), (1011, True)])
async def test_service_closing_the_socket_becomes_an_engine_error(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer, code: int, retryable: bool
) -> None:
    peer.close_with(code, "peer closed the turn")

    with pytest.raises(EngineError, match=f"Error code: {code}") as raised:
        await _speak(engine, AudioFormat.PCM_8000)

    assert raised.value.retryable is retryable


async def test_a_stalled_service_times_out_and_the_engine_recovers(peer: AzureSpeechPeer) -> None:
    engine = AzureSpeechEngine(KEY, host=peer.host, timeout_s=STALL_TIMEOUT_S)
    peer.stall(2.0)
    started = time.monotonic()
    try:
        with pytest.raises(EngineError, match="sent nothing") as raised:
            await _speak(engine, AudioFormat.PCM_8000)
        elapsed = time.monotonic() - started
        peer.recover()
        engine.timeout_s = TIMEOUT_S
        assert await _speak(engine, AudioFormat.PCM_8000, "Guten Tag")
    finally:
        await engine.aclose()
        peer.recover()

    assert raised.value.retryable is True
    assert elapsed < STALL_TIMEOUT_S + 0.5


async def test_a_connection_cut_mid_stream_fails_after_the_first_audio(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer
) -> None:
    peer.drop_mid_stream()
    received: list[bytes] = []

    with pytest.raises(EngineError, match="ConnectionFailure") as raised:
        await collect(engine.stream(TEXT, KATJA, AudioFormat.PCM_16000), received)

    assert received, "audio before the cut should have been passed on at once"
    assert raised.value.retryable is True


async def test_a_refused_connection_is_retryable() -> None:
    with refused_port() as closed_port:
        engine = AzureSpeechEngine(KEY, host=f"ws://127.0.0.1:{closed_port}")
        try:
            with pytest.raises(EngineError, match="ConnectionFailure") as speaking:
                await _speak(engine, AudioFormat.PCM_8000)
            with pytest.raises(EngineError) as listing:
                await engine.voices()
        finally:
            await engine.aclose()
    assert speaking.value.retryable is True
    assert listing.value.retryable is True


async def test_voice_list_refusals_are_engine_errors(
    engine: AzureSpeechEngine, peer: AzureSpeechPeer
) -> None:
    peer.fail_with(401)
    with pytest.raises(EngineError, match=r"\(401\)") as refused:
        await engine.voices()
    peer.fail_with(500)
    with pytest.raises(EngineError, match=r"\(500\)") as failing:
        await engine.voices()

    assert refused.value.retryable is False
    assert failing.value.retryable is True
