"""The production chain against the vendors' wire peers: a vendor outage costs one utterance
nothing but the switch. ElevenLabs fails → Azure speaks; both fail → espeak speaks, all
within the utterance the caller is waiting for, and the breakers keep the next one fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from peers.azure_speech_peer import AzureSpeechPeer
from peers.elevenlabs_peer import ElevenLabsPeer

from hotelvoice.settings import Settings
from hotelvoice.tts.router import TtsRouter

TEXT = "I will connect you to the front desk now. One moment, please."


@pytest.fixture(scope="module")
def peers() -> Iterator[tuple[ElevenLabsPeer, AzureSpeechPeer]]:
    with ElevenLabsPeer(api_key="el-key") as eleven, AzureSpeechPeer(key="az-key") as azure:
        yield eleven, azure


@pytest.fixture
def chain(peers) -> tuple[TtsRouter, ElevenLabsPeer, AzureSpeechPeer]:
    eleven, azure = peers
    eleven.recover()
    azure.recover()
    settings = Settings().model_copy(
        update={
            "tts_engines": ["elevenlabs", "azure", "espeak"],
            "elevenlabs_api_key": "el-key",
            "elevenlabs_base_url": eleven.base_url,
            "azure_speech_key": "az-key",
            "azure_speech_host": azure.host,
            "tts_first_audio_timeout_s": 1.0,
            "tts_breaker_failures": 1,
            "tts_cache_bucket": "",
            "tts_cache_table": "",
        }
    )
    return TtsRouter.from_settings(settings), eleven, azure


async def _speak(router: TtsRouter, text: str = TEXT) -> tuple[bytes, str, tuple[str, ...]]:
    stream = router.stream(text, locale="en-GB", cacheable=False)
    audio = b"".join([chunk async for chunk in stream])
    assert stream.voice is not None
    return audio, stream.voice.engine, stream.failed


async def test_the_first_choice_speaks_when_it_is_up(chain) -> None:
    router, eleven, _ = chain
    try:
        audio, engine, failed = await _speak(router)
    finally:
        await router.aclose()

    assert (engine, failed) == ("elevenlabs", ())
    assert len(audio) > 16000  # over half a second of 16 kHz speech
    assert eleven.requests[-1].path.endswith("/stream")


async def test_an_elevenlabs_outage_falls_back_to_azure_then_local_in_one_utterance(chain) -> None:
    router, eleven, azure = chain
    eleven.fail_with(500)
    try:
        to_azure = await _speak(router)
        azure.fail_with(503)
        to_espeak = await _speak(router, "Are you still there?")
        calls_before = len(eleven.requests)
        azure_before = len(azure.requests)
        later = await _speak(router, "What else can I do for you?")
    finally:
        await router.aclose()

    assert to_azure[1:] == ("azure", ("elevenlabs",))
    assert len(to_azure[0]) > 16000
    assert to_espeak[1:] == ("espeak", ("azure",))  # ElevenLabs' breaker was already open
    assert len(to_espeak[0]) > 8000
    # both breakers are open now: the next utterance goes straight to espeak, no vendor call
    assert later[1:] == ("espeak", ())
    assert (len(eleven.requests), len(azure.requests)) == (calls_before, azure_before)


async def test_a_stalled_vendor_costs_at_most_the_first_audio_timeout(chain) -> None:
    router, eleven, _ = chain
    eleven.stall(5.0)
    try:
        audio, engine, failed = await _speak(router)
    finally:
        await router.aclose()

    assert (engine, failed) == ("azure", ("elevenlabs",))
    assert audio
